"""Two processes ordering the last units of an item never oversell."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from services.local import LocalShop
from tests.contract.helpers import stock_of

WORKER = Path(__file__).with_name("oversell_worker.py")


def test_two_processes_racing_for_the_last_units_never_oversell(db_path):
    shop = LocalShop(db_path)
    shop.mark_sold_out("dakgalbi")
    shop.restock("dakgalbi", 15)
    shop.close()
    start_at = time.time() + 2.0  # both processes are open and waiting by then
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(db_path), "dakgalbi", "20", str(start_at)],
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    statuses = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        statuses += out.split()
    assert len(statuses) == 40
    assert statuses.count("placed") == 15 and statuses.count("cancelled") == 25
    shop = LocalShop(db_path)
    try:
        assert stock_of(shop, "dakgalbi") == 0
        assert len([t for t in shop.kitchen_tickets()]) == 15
    finally:
        shop.close()
