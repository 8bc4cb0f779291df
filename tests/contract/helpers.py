"""Small helpers for the workflow tests (port calls only)."""
from __future__ import annotations

import time

from services.port import OrderLine, PlaceOrder


def order(*lines, phone="010-1234-5678", name="Kim Minji", address="12 Sejong-daero, Seoul", **kw) -> PlaceOrder:
    lines = lines or (("bibimbap", 2),)
    return PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), customer_name=name, phone=phone,
                      address=address, **kw)


def stock_of(shop, code: str) -> int:
    return next(item.stock for item in shop.menu() if item.code == code)


def ticket_ids(shop) -> list[int]:
    return [ticket.order_id for ticket in shop.kitchen_tickets()]


def wait_until(condition, timeout: float = 60.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
