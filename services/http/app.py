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
from services.http.guards import BodyReader, LoadShedder
from services.http.routes import (cook, delivery, events, gift, menu, mypage, ops, order, payments, resources,
                                  staff as staff_routes)
from services.ops.metrics import instrument
from services.port import Shop

DESCRIPTION = """Sikdang POS shop server. The seed's gateway prefixes (`/orders`, `/cooks`, `/cancellations`,
`/deliveries`, `/mypages`, `/gifts`) with camelCase JSON. Sign in with `POST /auth/sign-in` and send the
token as `Authorization: Bearer ...`; each role opens only its routes (see `x-roles`). Every error is
`{"code", "message"}`; a busy server answers 503 with `Retry-After`."""


@dataclass
class ServerState:
    draining: bool = False


class GatewayApp(BodyReader):
    """The outermost guard, with the app's parts reachable (the server, the tests)."""
    fastapi: FastAPI
    state: ServerState
    shedder: LoadShedder


def create_app(shop: Shop, staff: StaffStore, *, max_in_flight: int = 32, max_body_bytes: int = 64 * 1024,
               state: ServerState | None = None, fast_path: bool = True, body_timeout_s: float = 10.0,
               read_wait_s: float = 3.0, write_wait_s: float = 1.0):
    """Return the ASGI app: the body reader, the load shedder, then the POST /orders fast path
    (``fast_path=False``: FastAPI serves it too), then FastAPI. ``.fastapi`` on the result is the
    FastAPI instance, ``.shedder`` the load shedder."""
    state = state or ServerState()
    api = FastAPI(title="Sikdang POS gateway", version=ops.VERSION, description=DESCRIPTION)
    gate = Gate(staff)
    install_error_handlers(api)
    api.include_router(order.router(shop, gate))
    api.include_router(cook.router(shop, gate, staff))   # before resources: /cooks/menu is not an order id
    api.include_router(delivery.router(shop, gate))
    api.include_router(gift.router(shop, gate, staff))
    api.include_router(mypage.router(shop, gate))
    api.include_router(resources.router(shop, gate, staff))
    api.include_router(payments.router(shop, gate, staff))
    api.include_router(menu.router(shop, gate, staff))
    api.include_router(events.router(shop, gate, state))
    api.include_router(staff_routes.router(staff, gate))
    api.include_router(ops.router(shop, state))
    inner = PlaceOrderFastPath(api, shop, staff) if fast_path else api
    shedder = LoadShedder(inner, max_in_flight=max_in_flight, read_wait_s=read_wait_s, write_wait_s=write_wait_s)
    outer = GatewayApp(shedder, max_body_bytes, timeout_s=body_timeout_s)
    outer.fastapi, outer.state, outer.shedder = api, state, shedder
    return instrument(outer)   # GET /metrics, request metrics, X-Order-Id on log lines (services.ops)
