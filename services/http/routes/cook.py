"""Cook context: ``/cooks`` (tickets, menu stock) and ``/cancellations`` (the seed routes both to cook)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from services import commands as C
from services.errors import ShopError
from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.schemas import NOT_BLANK, CancelIn, MenuItemOut, OkOut, ReasonIn, RestockIn
from services.port import Shop

ALL_ROLES = ("counter", "kitchen", "rider")
OrderId = Path(ge=1, le=2**53, alias="orderId")
ItemCode = Path(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK, alias="itemCode")


def audited(staff: StaffStore, who: Principal, action: str, target: str, reason: str, call):
    """Run ``call`` and write who/what/why with its outcome, refused attempts included; returns what
    ``call`` returned."""
    try:
        result = call()
    except ShopError as exc:
        staff.audit(who, action, target, reason, f"refused: {exc.code}")
        raise
    staff.audit(who, action, target, reason, "ok")
    return result


def router(shop: Shop, gate: Gate, staff: StaffStore) -> APIRouter:
    r = APIRouter(tags=["cook"], responses=COMMON_RESPONSES)
    kitchen, anyone, counter = gate.allow("kitchen"), gate.allow(*ALL_ROLES), gate.allow("counter")
    # Sold out and restock change what every till may sell: a manager's work (the kitchen screen asks
    # for a manager's PIN and signs in as that manager), as the counter's stock changes are.
    manager = gate.allow("manager")

    # /cooks/menu is declared before /cooks/{orderId} so "menu" is never parsed as an order id.
    @r.get("/cooks/menu", response_model=list[MenuItemOut], openapi_extra=roles_extra(*ALL_ROLES),
           summary="The menu with stock on hand")
    def menu(_: Principal = Depends(anyone)):
        return shop.menu()

    @r.post("/cooks/menu/{itemCode}/sold-out", response_model=OkOut, openapi_extra=roles_extra("manager"),
            summary="Mark an item sold out (audited)")
    def sold_out(body: ReasonIn | None = None, item_code: str = ItemCode, who: Principal = Depends(manager)):
        audited(staff, who, "sold_out", item_code, body.reason if body else "",
                lambda: shop.mark_sold_out(item_code))
        return OkOut()

    @r.post("/cooks/menu/{itemCode}/restock", response_model=OkOut, openapi_extra=roles_extra("manager"),
            summary="Add stock to an item (audited)")
    def restock(body: RestockIn, item_code: str = ItemCode, who: Principal = Depends(manager)):
        audited(staff, who, "restock", f"{item_code} +{body.quantity}", body.reason,
                lambda: shop.restock(item_code, body.quantity))
        return OkOut()

    @r.post("/cooks/{orderId}/start", response_model=OkOut, openapi_extra=roles_extra("kitchen"))
    def start(order_id: int = OrderId, _: Principal = Depends(kitchen)):
        shop.start_cooking(order_id)
        return OkOut()

    @r.post("/cooks/{orderId}/finish", response_model=OkOut, openapi_extra=roles_extra("kitchen"))
    def finish(order_id: int = OrderId, _: Principal = Depends(kitchen)):
        shop.finish_cooking(order_id)
        return OkOut()

    @r.post("/cooks/{orderId}/recall", response_model=OkOut, openapi_extra=roles_extra("kitchen"),
            summary="Undo a bump: the ticket goes back on the display")
    def recall(order_id: int = OrderId, _: Principal = Depends(kitchen)):
        shop.recall_ticket(order_id)
        return OkOut()

    @r.post("/cancellations", response_model=OkOut, openapi_extra=roles_extra("counter"),
            summary="Cancel an order before it is cooked (audited)")
    def cancel(body: CancelIn, who: Principal = Depends(counter)):
        audited(staff, who, "cancel", f"order {body.order_id}", body.reason,
                lambda: shop.cancel_order(body.order_id, body.reason, who.staff_id))
        return OkOut()

    return r
