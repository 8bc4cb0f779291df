"""The chain's gateway: the shop server's very surface, and a till that is told the truth about stock.

- The OpenAPI the chain serves on its public port (through HAProxy) is the shop server's.
- Its collections (GET /orders, /cooks, /deliveries, /gifts, /mypages and their items) answer the same
  pages as ChainShop reads from the services, one bounded page each.
- Point 6 of issue 12: with the kitchen service stopped, an order is taken by ordering but nobody has
  checked its stock: after its bounded wait the gateway answers "checking"; when the kitchen is back it
  checks the order from the stream and the live feed (and mypage) tell the rest.
"""
from __future__ import annotations

import subprocess
import sys
import threading

import httpx
import pytest

from services.errors import UnknownOrder
from services.http.app import create_app
from services.http.auth import StaffStore
from services.remote import open_remote_shop
from tests.chain.fixtures import wait_for
from tests.contract.helpers import order


def supervisorctl(running_chain, *args: str) -> None:
    conf = running_chain.supervisor.conf_path
    subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(conf), *args], check=True,
                   timeout=120, capture_output=True)


def test_the_chain_serves_the_shop_servers_openapi(running_chain, local_shop, tmp_path):
    served = httpx.get(f"{running_chain.url}/openapi.json", timeout=30).json()
    staff = StaffStore(tmp_path / "staff.sqlite")
    try:
        expected = create_app(local_shop, staff).fastapi.openapi()
    finally:
        staff.close()
    assert served == expected


def _agreed(read_both):
    """What the gateway served and what ChainShop read directly, once they agree (timed work, such as
    flagging late tickets, may change an answer between the two reads)."""
    def agree():
        served, direct = read_both()
        return [served] if served == direct else None
    return wait_for(agree, 60, 0.1, "the gateway's answer and ChainShop's to agree")[0]


def test_the_chains_collections_answer_page_by_page_through_the_gateway(running_chain, tmp_path):
    chain = running_chain.shop(consistent_reads=True)
    till = open_remote_shop(running_chain.url, "manager:9999", queue_path=tmp_path / "queue.sqlite")
    try:
        placed = chain.place_order(order(phone="010-3000-0001"))
        chain.settle()
        items = {"orders": "order_summary", "tickets": "ticket", "deliveries": "delivery", "gifts": "gift"}
        for name in ("orders", "tickets", "deliveries", "gifts", "mypages"):
            served = _agreed(lambda: (getattr(till, f"{name}_page")(0, 2), getattr(chain, f"{name}_page")(0, 2)))
            assert 0 < len(served.items) <= 2 and served.total >= len(served.items), name
            if name in items:
                first = served.items[0].order_id
                _agreed(lambda: (getattr(till, items[name])(first), getattr(chain, items[name])(first)))
        assert till.orders_page(0, 1).items[0].order_id == placed.order_id, "newest first"
        with pytest.raises(UnknownOrder):
            till.order_summary(placed.order_id + 1_000_000_000)
    finally:
        till.close()
        chain.close()


def test_an_order_whose_stock_is_not_checked_in_time_says_checking_then_updates_live(running_chain):
    kitchens = [f"kitchen-{r}" for r in range(running_chain.chain.layout.replicas)]
    shop = running_chain.shop(stock_wait_s=1.0)
    seen, arrived = [], threading.Event()
    try:
        supervisorctl(running_chain, "stop", *kitchens)
        receipt = shop.place_order(order(("bulgogi", 1)))
        assert receipt.status == "checking" and receipt.order_id > 0

        def on_event(record):
            if record.order_id == receipt.order_id and record.name == "StockChecked":
                seen.append(record)
                arrived.set()
        unsubscribe = shop.subscribe(on_event)
        supervisorctl(running_chain, "start", *kitchens)
        assert arrived.wait(120), "the kitchen checked the order once it was back"
        unsubscribe()
        assert seen[0].data["in_stock"] is True
        wait_for(lambda: shop.mypage(receipt.order_id).cook_status == "queued", 60, 0.1, "mypage shows it queued")
    finally:
        supervisorctl(running_chain, "start", *kitchens)
        shop.close()
    running_chain.wait_ready(120)


def test_haproxy_takes_a_frozen_replica_out_and_back(running_chain):
    """A replica that stops answering (SIGSTOP: alive, port open, silent) is ejected by HAProxy's checks,
    so every request to its context is answered by the other replica; thawed, it is taken back."""
    import os
    import signal
    import time
    kitchen = running_chain.settings.service_urls["kitchen"]
    frozen = running_chain.supervisor.info()["kitchen-0"]["pid"]

    def answered_quickly(n: int) -> bool:
        for _ in range(n):
            start = time.monotonic()
            try:
                ok = httpx.get(f"{kitchen}/views/stock", timeout=1.0).status_code == 200
            except httpx.HTTPError:
                return False
            if not ok or time.monotonic() - start > 1.0:
                return False
        return True

    from services.chain.launch_haproxy import server_states
    def every_haproxy_says(state: str) -> bool:
        # Each HAProxy process runs its own health checks, so they eject and take back at different moments.
        return all(server_states(stats)["kitchen-0"].startswith(state)
                   for stats in running_chain.chain.haproxy_sockets())

    assert every_haproxy_says("UP")
    os.kill(frozen, signal.SIGSTOP)
    try:
        wait_for(lambda: every_haproxy_says("DOWN"), 60, 0.1, "every HAProxy ejecting the silent replica")
        assert answered_quickly(20), "every kitchen request answered by the live replica"
    finally:
        os.kill(frozen, signal.SIGCONT)
    wait_for(lambda: every_haproxy_says("UP"), 60, 0.1, "every HAProxy taking the replica back")
    running_chain.wait_ready(120)
