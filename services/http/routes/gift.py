"""Gift context: ``/gifts`` (gift stock; gifts themselves follow orders by event)."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.routes.cook import ALL_ROLES, audited
from services.http.schemas import GiftStockIn, GiftStockOut, OkOut
from services.port import Shop


def router(shop: Shop, gate: Gate, staff: StaffStore) -> APIRouter:
    r = APIRouter(prefix="/gifts", tags=["gift"], responses=COMMON_RESPONSES)
    anyone, manager = gate.allow(*ALL_ROLES), gate.allow("manager")

    @r.get("/stock", response_model=GiftStockOut, openapi_extra=roles_extra(*ALL_ROLES))
    def stock(_: Principal = Depends(anyone)):
        return shop.gift_stock()

    @r.put("/stock", response_model=OkOut, openapi_extra=roles_extra("manager"),
           summary="Set the gift stock (audited)")
    def set_stock(body: GiftStockIn, who: Principal = Depends(manager)):
        target = f"{body.gift_kind or 'current kind'} = {body.quantity}"
        audited(staff, who, "gift_stock", target, body.reason,
                lambda: shop.set_gift_stock(body.quantity, body.gift_kind))
        return OkOut()

    return r
