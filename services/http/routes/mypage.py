"""Mypage context: ``/mypages/{orderId}`` (the read model: one order's whole status; the collection
and its search are in ``resources.py``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.schemas import MypageOut
from services.port import Shop


def router(shop: Shop, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/mypages", tags=["mypage"], responses=COMMON_RESPONSES)
    counter = gate.allow("counter")

    @r.get("/{orderId}", response_model=MypageOut, openapi_extra=roles_extra("counter"))
    def one(order_id: int = Path(ge=1, le=2**53, alias="orderId"), _: Principal = Depends(counter)):
        return shop.mypage(order_id)

    return r
