"""Commands for the unit tests."""
from __future__ import annotations

from services.commands import OrderLine, PlaceOrder


def order(*lines, **kw) -> PlaceOrder:
    lines = lines or (("bibimbap", 2),)
    kw.setdefault("address", "12 Sejong-daero, Seoul")
    return PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), customer_name="Kim Minji",
                      phone="010-1234-5678", **kw)


def place(shop, *lines, **kw) -> int:
    return shop.execute(order(*lines, **kw))
