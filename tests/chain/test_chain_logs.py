"""One order's saga across the chain's services in one command (issue 13, point 5): every chain process
writes JSON lines into the chain's log folder, the order id carried in HTTP calls (X-Order-Id) and NATS
headers (Sikdang-Order-Id), and ``main.py logs --order ID`` shows them merged in time order."""
from __future__ import annotations

import json
import subprocess
import sys

import httpx

from services.chain.launch import ROOT
from tests.chain.fixtures import wait_for

SAGA = {"gateway", "ordering", "gift", "kitchen", "mypage", "delivery"}


def order_lines(log_dir, order_id: int) -> list[dict]:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "logs", "--order", str(order_id), "--log-dir",
                           str(log_dir), "--json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_main_py_logs_order_shows_one_orders_saga_across_every_service(running_chain):
    with httpx.Client(base_url=running_chain.url, timeout=60) as http:
        token = http.post("/auth/sign-in", json={"staffId": "counter", "pin": "1111"}).json()["token"]
        body = {"lines": [{"itemCode": "bibimbap", "quantity": 1, "note": ""}], "customerName": "Logged",
                "phone": "010-5555-0001", "address": "2 Log-ro"}
        placed = http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
        assert placed.status_code == 201, placed.text
    order_id = placed.json()["orderId"]
    shop = running_chain.shop(consistent_reads=True, settle_s=60)
    try:
        shop.finish_cooking(order_id)      # the kitchen's command, then delivery's DeliveryStarted
    finally:
        shop.close()
    log_dir = running_chain.chain.data_dir / "logs"

    def whole_saga():
        lines = order_lines(log_dir, order_id)
        said = {(line["service"], line["message"]) for line in lines}
        missing = [(service, text) for service, text in expected(order_id)
                   if not any(s == service and text in message for s, message in said)]
        return lines if not missing else None
    lines = wait_for(whole_saga, 60, 0.5, f"order {order_id}'s saga from {sorted(SAGA)} in {log_dir}")
    assert {line["service"] for line in lines} >= SAGA
    assert all(line["order_id"] == order_id for line in lines)
    assert [line["time"] for line in lines] == sorted(line["time"] for line in lines), "merged in time order"


def expected(order_id: int) -> list[tuple[str, str]]:
    """What each service says about the order, at least (its log lines' ``service`` and a part of ``message``)."""
    return [("gateway", f"order {order_id} answered"), ("ordering", "PlaceOrder done"), ("gift", "SendGift done"),
            ("ordering", "published Ordered"), ("kitchen", "handled Ordered"), ("kitchen", "published StockChecked"),
            ("mypage", "handled StockChecked"), ("kitchen", "FinishCooking done"), ("delivery", "handled Cooked"),
            ("delivery", "published DeliveryStarted"), ("mypage", "handled DeliveryStarted")]
