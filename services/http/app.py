"""The gateway: every context's router in one FastAPI app behind the ASGI guards.

``create_app(shop, staff)`` composes; it opens nothing itself (the caller owns the shop and the staff
store), so tests and the server wire the same app around a real LocalShop.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from services.http.auth import StaffStore
from services.http.fastpath import PlaceOrderFastPath
from services.http.gate import Gate, install_error_handlers
from services.http.guards import BodyLimit, LoadShedder
from services.http.routes import cook, delivery, events, gift, mypage, ops, order, staff as staff_routes
from services.ops.metrics import instrument
from services.port import Shop

DESCRIPTION = """Sikdang POS shop server. The seed's gateway prefixes (`/orders`, `/cooks`, `/cancellations`,
`/deliveries`, `/mypages`, `/gifts`) with camelCase JSON. Sign in with `POST /auth/sign-in` and send the
token as `Authorization: Bearer ...`; each role opens only its routes (see `x-roles`). Every error is
`{"code", "message"}`; a busy server answers 503 with `Retry-After`."""


@dataclass
class ServerState:
    draining: bool = False


def create_app(shop: Shop, staff: StaffStore, *, max_in_flight: int = 32, max_body_bytes: int = 64 * 1024,
               state: ServerState | None = None, fast_path: bool = True):
    """Return the ASGI app: guards, then the POST /orders fast path (``fast_path=False``: FastAPI
    serves it too), then FastAPI. ``.fastapi`` on the result is the FastAPI instance."""
    state = state or ServerState()
    api = FastAPI(title="Sikdang POS gateway", version=ops.VERSION, description=DESCRIPTION)
    gate = Gate(staff)
    install_error_handlers(api)
    api.include_router(order.router(shop, gate))
    api.include_router(cook.router(shop, gate, staff))
    api.include_router(delivery.router(shop, gate))
    api.include_router(gift.router(shop, gate, staff))
    api.include_router(mypage.router(shop, gate))
    api.include_router(events.router(shop, gate, state))
    api.include_router(staff_routes.router(staff, gate))
    api.include_router(ops.router(shop, state))
    inner = PlaceOrderFastPath(api, shop, staff) if fast_path else api
    shedder = LoadShedder(BodyLimit(inner, max_body_bytes), max_in_flight=max_in_flight)
    shedder.fastapi, shedder.state = api, state
    return instrument(shedder)   # GET /metrics, request metrics, X-Order-Id on log lines (services.ops)
