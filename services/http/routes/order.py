"""Order context: ``POST /orders`` (the seed's order service; its reads are in ``resources.py``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from services.commands import OrderLine, PlaceOrder
from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.schemas import OrderReceiptOut, PlaceOrderIn
from services.port import Shop


def to_command(body: PlaceOrderIn) -> PlaceOrder:
    """Wire body -> domain command; the command re-validates (phone format, time zone) and raises InvalidInput."""
    return PlaceOrder(
        lines=tuple(OrderLine(line.item_code, line.quantity, line.note) for line in body.lines),
        customer_name=body.customer_name, phone=body.phone, address=body.address,
        scheduled_for=body.scheduled_for, client_ref=body.client_ref, order_type=body.order_type,
        table=body.table, guests=body.guests)


def router(shop: Shop, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/orders", tags=["order"], responses=COMMON_RESPONSES)
    counter = gate.allow("counter")

    @r.post("", response_model=OrderReceiptOut, status_code=201, openapi_extra=roles_extra("counter"),
            summary="Place an order (idempotent by clientRef: the same ref returns the same order)")
    def place_order(body: PlaceOrderIn, _: Principal = Depends(counter)):
        return shop.place_order(to_command(body))

    return r
