"""``POST /commands/{name}`` of a context service, served by a lean ASGI handler in front of FastAPI.

Every order passes through two of these (the gateway's PlaceOrder to ordering, ordering's SendGift to
the gift service), and FastAPI's per-request machinery (routing, its middleware stack, the anyio thread
hop) cost about as much as the command itself; the shop server's ``POST /orders`` skips it for the same
reason (services/http/fastpath.py, docs/decisions/0019-orders-fast-path.md). It sits inside
``services.ops.metrics.instrument``, so requests are counted and logged with their order as before.

The answer: ``{"result": ...}`` (a called command adds ``"events"``: services/chain/store.py); a
ShopError has the gateway's ``{"code", "message"}`` shape and status (the caller rebuilds the same
error); a database that cannot be reached answers 503 with Retry-After.
"""
from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import orjson
import psycopg
from psycopg_pool import PoolTimeout

from services.chain import wire
from services.chain.store import Called
from services.errors import InvalidInput, ShopError
from services.http.fastpath import read_body, send_bytes, send_json
from services.http.gate import RETRY_AFTER, status_of

log = logging.getLogger(__name__)

PREFIX = "/commands/"
ROUTE = SimpleNamespace(path=PREFIX + "{command_name}")


def database_unavailable(context: str) -> dict[str, str]:
    """The error body of a service that cannot reach its database (503, with Retry-After)."""
    return {"code": "busy", "message": f"The {context} service cannot reach its database: try again shortly"}


class CommandPath:
    def __init__(self, app, service) -> None:
        self.app, self.service, self.name = app, service, service.spec.name

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].startswith(PREFIX):
            scope["route"] = ROUTE     # as Starlette's router would: the metrics' bounded route label
            return await self._command(scope["path"][len(PREFIX):], receive, send)
        return await self.app(scope, receive, send)

    def __getattr__(self, name):      # the FastAPI app's attributes (``.state``, ``.routes``) stay reachable
        return getattr(self.app, name)

    async def _command(self, command_name: str, receive, send) -> None:
        try:
            try:
                body = orjson.loads(await read_body(receive) or b"{}")
            except orjson.JSONDecodeError as exc:
                raise InvalidInput(f"The body is not JSON: {exc}") from None
            parsed = wire.command_from_json(command_name, body)
            result = await asyncio.to_thread(self.service.store.execute, parsed)
        except ShopError as error:
            status = status_of(error)
            return await send_json(send, status, {"code": error.code, "message": str(error)})
        except (psycopg.OperationalError, PoolTimeout) as error:
            log.warning("%s: database unavailable: %s", self.name, error)
            return await send_json(send, 503, database_unavailable(self.name), RETRY_AFTER)
        order_id = getattr(parsed, "order_id", None) or getattr(result, "order_id", None)
        log.info("%s: %s done", self.name, command_name, extra={"order_id": order_id})
        answer = {"result": wire.result_to_json(result.result if isinstance(result, Called) else result)}
        if isinstance(result, Called):   # a called command also answers the events it holds for the caller
            answer["events"] = result.events
        await send_bytes(send, 200, orjson.dumps(answer))
