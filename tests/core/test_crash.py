"""Crash test: a process placing orders is SIGKILLed at random moments, again and again.

Every order it acknowledged must be there afterwards with its saga complete (kitchen ticket, gift,
mypage row), nothing duplicated, and the database must pass ``PRAGMA integrity_check``.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.local import LocalShop

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = int(os.environ.get("CRASH_KILLS", "20"))
RESTOCKS = 5


def _run_and_kill(db_path: Path, rng: random.Random) -> list[tuple[int, str]]:
    proc = subprocess.Popen([sys.executable, str(WORKER), str(db_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "READY"
    time.sleep(rng.uniform(0.05, 0.6))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    acks = []
    for line in out.splitlines():
        if line.startswith("ACK "):  # a line cut by the kill has no ref and is not an acknowledgement
            parts = line.split()
            if len(parts) == 3:
                acks.append((int(parts[1]), parts[2]))
    return acks


@pytest.mark.slow
def test_acknowledged_orders_survive_sigkill(db_path):
    seed = LocalShop(db_path)
    for _ in range(RESTOCKS):   # enough that no order runs out: every one must get its whole saga
        seed.restock("cola", 10_000)
        seed.restock("gimbap", 10_000)
    seed.set_gift_stock(100_000)
    seed.close()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    acknowledged: list[tuple[int, str]] = []
    for _ in range(KILLS):
        acknowledged += _run_and_kill(db_path, rng)
    assert len(acknowledged) > KILLS, "the worker should acknowledge orders before most kills"

    LocalShop(db_path).close()  # a restart drains anything pending
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orders = dict(conn.execute("SELECT client_ref, id FROM orders").fetchall())
        for order_id, ref in acknowledged:
            assert orders.get(ref) == order_id, f"acknowledged order {order_id} ({ref}) is missing"
        complete = {row[0] for row in conn.execute(
            "SELECT order_id FROM mypage WHERE cook_status = 'queued' AND gift_status = 'sent'")}
        tickets = {row[0] for row in conn.execute("SELECT order_id FROM tickets WHERE status = 'queued'")}
        gifts = {row[0] for row in conn.execute("SELECT order_id FROM gifts WHERE status = 'sent'")}
        every_order = set(orders.values())
        assert len(every_order) < RESTOCKS * 10_000, "the test ran out of stock: restock more"
        assert every_order == complete == tickets == gifts, "every stored order has its whole saga, once"
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == len(every_order)
        assert conn.execute("SELECT count(*), count(DISTINCT order_id) FROM tickets").fetchone()[0] == len(tickets)
        on_hand = conn.execute("SELECT on_hand FROM stock WHERE item_code = 'cola'").fetchone()[0]
        assert on_hand == RESTOCKS * 10_000 + 60 - len(every_order), "stock taken exactly once per order"
    finally:
        conn.close()
