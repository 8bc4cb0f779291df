"""The hot path: ``POST /orders`` served by a lean ASGI handler in front of FastAPI.

FastAPI's per-request machinery (dependency solving, its middleware stack, the anyio thread hop,
response re-validation) cost more than the shop's own work for an order, so the counter's busiest
route skips it (docs/decisions/0019-orders-fast-path.md). The handler uses the very same pieces as
the FastAPI route (``PlaceOrderIn`` validation, ``authorize``, ``to_command``, ``OrderReceiptOut``,
the same error bodies), and the FastAPI route stays as the documented contract: a parity test sends
the same requests to both. Every other route goes through FastAPI.
"""
from __future__ import annotations

import json
from typing import Protocol

from pydantic import ValidationError

from services.errors import ShopError
from services.http.auth import StaffStore
from services.http.gate import RETRY_AFTER, ApiError, admitted, authorize, status_of, validation_message
from services.http.routes.order import to_command
from services.http.schemas import OrderReceiptOut, PlaceOrderIn
from services.commands import PlaceOrder
from services.port import OrderReceipt

COUNTER_ROLES = admitted("counter")


class PlacesOrdersAsync(Protocol):
    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt: ...


class PlaceOrderFastPath:
    def __init__(self, app, shop: PlacesOrdersAsync, staff: StaffStore) -> None:
        self.app, self.shop, self.staff = app, shop, staff

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/orders" and scope["method"] == "POST":
            return await self._place_order(scope, receive, send)
        return await self.app(scope, receive, send)

    async def _place_order(self, scope, receive, send) -> None:
        token = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credentials = value.decode("latin-1").partition(" ")
                token = credentials.strip() if scheme.lower() == "bearer" else None
        try:
            authorize(self.staff, token, COUNTER_ROLES)
            raw = await read_body(receive)
            try:
                body = PlaceOrderIn.model_validate_json(raw)
            except ValidationError as exc:
                raise ApiError(422, "invalid_input", validation_message(exc.errors())) from None
            receipt = await self.shop.place_order_async(to_command(body))
        except ApiError as exc:
            return await send_json(send, exc.status, {"code": exc.code, "message": exc.message}, exc.headers)
        except ShopError as exc:
            status = status_of(exc)
            return await send_json(send, status, {"code": exc.code, "message": exc.message},
                               RETRY_AFTER if status == 503 else None)
        out = OrderReceiptOut.model_validate(receipt).model_dump_json(by_alias=True).encode()
        await send_bytes(send, 201, out)


async def read_body(receive) -> bytes:
    chunks, message = [], {"more_body": True}
    while message.get("more_body"):
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
    return b"".join(chunks)


async def send_json(send, status: int, payload: dict, headers: dict | None = None) -> None:
    await send_bytes(send, status, json.dumps(payload, ensure_ascii=False).encode(), headers)


async def send_bytes(send, status: int, body: bytes, headers: dict | None = None) -> None:
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
