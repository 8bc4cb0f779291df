"""Delivery context: ``/deliveries``."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.schemas import DeliveryBoardOut, OkOut, PickUpIn
from services.port import Shop

OrderId = Path(ge=1, le=2**53, alias="orderId")


def router(shop: Shop, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/deliveries", tags=["delivery"], responses=COMMON_RESPONSES)
    rider, board_viewers = gate.allow("rider"), gate.allow("rider", "counter")

    @r.get("", response_model=DeliveryBoardOut, openapi_extra=roles_extra("rider", "counter"),
           summary="The delivery board: waiting, on the way, delivered today")
    def board(_: Principal = Depends(board_viewers)):
        return shop.delivery_board()

    @r.post("/{orderId}/pickup", response_model=OkOut, openapi_extra=roles_extra("rider"))
    def pick_up(body: PickUpIn | None = None, order_id: int = OrderId, who: Principal = Depends(rider)):
        shop.pick_up(order_id, (body.rider if body and body.rider else who.name))
        return OkOut()

    @r.post("/{orderId}/deliver", response_model=OkOut, openapi_extra=roles_extra("rider"))
    def deliver(order_id: int = OrderId, _: Principal = Depends(rider)):
        shop.deliver(order_id)
        return OkOut()

    return r
