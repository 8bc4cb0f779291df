"""Delivery context: ``/deliveries`` (the board; Spring Data REST's paged list for a HAL client)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request, Response

from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.routes.resources import HAL, Paging, paged, paged_responses
from services.http.schemas import DeliveryBoardOut, DeliveryCardOut, OkOut, PickUpIn
from services.port import Shop

OrderId = Path(ge=1, le=2**53, alias="orderId")


def router(shop: Shop, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/deliveries", tags=["delivery"], responses=COMMON_RESPONSES)
    rider, board_viewers = gate.allow("rider"), gate.allow("rider", "counter")

    @r.get("", response_model=DeliveryBoardOut, openapi_extra=roles_extra("rider", "counter"),
           responses=paged_responses("deliveries"),
           summary="The delivery board: waiting, on the way, delivered today (with Accept: application/hal+json, "
                   "every delivery, paged, as Spring Data REST)")
    def board(request: Request, response: Response, paging: Paging = Depends(),
              _: Principal = Depends(board_viewers)):
        if HAL in request.headers.get("accept", ""):
            return paged(shop.deliveries_page(paging.page, paging.size), request, response, "deliveries",
                         DeliveryCardOut)
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
