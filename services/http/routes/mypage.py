"""Mypage context: ``/mypages`` (the read model: one order's whole status)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.schemas import PHONE_PATTERN, MypageOut
from services.port import Shop


def router(shop: Shop, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/mypages", tags=["mypage"], responses=COMMON_RESPONSES)
    counter = gate.allow("counter")

    @r.get("", response_model=list[MypageOut], openapi_extra=roles_extra("counter"),
           summary="A customer's orders by phone number, newest first")
    def by_phone(phone: str = Query(min_length=1, max_length=20, pattern=PHONE_PATTERN), _: Principal = Depends(counter)):
        return shop.mypage_by_phone(phone)

    @r.get("/{orderId}", response_model=MypageOut, openapi_extra=roles_extra("counter"))
    def one(order_id: int = Path(ge=1, le=2**53, alias="orderId"), _: Principal = Depends(counter)):
        return shop.mypage(order_id)

    return r
