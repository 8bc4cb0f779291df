"""Liveness and readiness (the seed's probes), and which shop this is. No token: probes run unsigned."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.http.schemas import ErrorOut, ShopInfoOut
from services.port import Shop

VERSION = "1"


def router(shop: Shop, state) -> APIRouter:
    r = APIRouter(tags=["ops"])

    @r.get("/health", summary="Liveness: the process answers")
    async def health() -> dict:
        return {"status": "ok"}

    @r.get("/ready", summary="Readiness: the shop answers a query and the server is not draining",
           responses={503: {"model": ErrorOut}})
    def ready():
        if state.draining:
            return JSONResponse({"code": "draining", "message": "The server is shutting down"}, status_code=503)
        try:
            shop.gift_stock()
        except Exception as exc:   # any failure means "not ready"; the probe must answer, not crash
            return JSONResponse({"code": "not_ready", "message": f"The shop is not ready: {exc}"}, status_code=503)
        return {"status": "ready"}

    @r.get("/shop", response_model=ShopInfoOut, summary="Which shop this server runs")
    def info():
        return ShopInfoOut(description=shop.describe(), version=VERSION)

    return r
