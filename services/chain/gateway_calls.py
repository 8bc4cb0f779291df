"""HTTP calls from the gateway to the context services' internal APIs (CHAIN.md), with their errors
turned back into the ShopError classes the local shop raises.

What a failure means for the caller:
- the service refused (4xx ``{code, message}``): the same ShopError as in the local shop;
- nothing was done (connection refused, HAProxy's 503 when no replica is up): ``ShopBusy``, safe to
  try again;
- the request may have been carried out (timeout after sending, HAProxy's 502 when the replica died
  mid-request): ``OutcomeUnknown``. Queries, and commands that are safe to repeat (an order with its
  ``client_ref``), are retried here until ``retry_s`` runs out instead.

Two clients: httpx for the sync calls (FastAPI's threadpool routes), aiohttp for the async ones (the
``POST /orders`` fast path on the event loop), where httpx's async pool cost many times aiohttp's CPU
per call (docs/decisions/0023-aiohttp-for-the-gateways-async-calls.md). An aiohttp session belongs
to its event loop and must be closed on it: the gateway does that when uvicorn shuts down
(``close_async``).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import httpx
import orjson

from services.errors import OutcomeUnknown, ShopBusy, ShopError
from services.ops.logs import order_event_hooks
from services.remote.errors import error_for

MAX_CONNECTIONS = 64   # per service, for the sync client and each event loop's session alike
POOL = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=32)
JSON = {"content-type": "application/json"}


class Unavailable(ShopBusy):
    """The service could not be reached, or answered that no replica is up: nothing was done."""


def _unavailable(context: str, detail: str) -> Unavailable:
    return Unavailable(f"The {context} service is not available right now ({detail}); nothing was done, try again")


def _check(context: str, status: int, content: bytes) -> Any:
    """The answer's JSON body (its shape is the route's), or the ShopError the service answered."""
    if status < 400:
        return orjson.loads(content)
    if status in (502, 504):
        raise OutcomeUnknown(f"The {context} service stopped before answering (HTTP {status})")
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if status == 503:   # a service (or HAProxy with no replica up) did nothing: busy, down, draining
        raise _unavailable(context, f"HTTP 503 {body.get('message', '')}".strip())
    raise error_for(body.get("code", ""), body.get("message") or f"HTTP {status}", status)


def _failure(context: str, exc: Exception) -> ShopError:
    """Only a request that never reached the service did nothing; any other broken exchange (a reset, a
    read timeout, a replica killed mid-request) may have been carried out: a restock must not count twice."""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                        aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)):
        return _unavailable(context, type(exc).__name__)
    return OutcomeUnknown(f"The {context} service stopped before answering ({type(exc).__name__})")


class ServiceCalls:
    """One pooled client per service base URL; sync calls for the threadpool, async for the event loop."""

    def __init__(self, urls: dict[str, str], *, timeout_s: float = 10.0, retry_s: float = 15.0) -> None:
        self.urls = {context: url.rstrip("/") for context, url in urls.items()}
        self.retry_s = retry_s
        self._timeout = httpx.Timeout(timeout_s, connect=2.0)
        # Inside an ``order_context`` every call carries X-Order-Id, so the service logs it (services.ops.logs).
        self._client = httpx.Client(timeout=self._timeout, limits=POOL, event_hooks=order_event_hooks())
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}   # one per event loop

    def _url(self, context: str, path: str) -> str:
        return self.urls[context] + path

    def call(self, context: str, method: str, path: str, *, json=None, params=None, repeatable: bool) -> Any:
        deadline = time.monotonic() + self.retry_s
        while True:
            try:
                r = self._client.request(method, self._url(context, path), json=json, params=params)
                return _check(context, r.status_code, r.content)
            except httpx.TransportError as exc:
                error = _failure(context, exc)
            except (Unavailable, OutcomeUnknown) as exc:
                error = exc
            if not (repeatable or isinstance(error, Unavailable)) or time.monotonic() > deadline:
                raise error
            time.sleep(0.1)

    async def call_async(self, context: str, method: str, path: str, *, json=None, repeatable: bool) -> Any:
        session = self._session()
        data = None if json is None else orjson.dumps(json)
        deadline = time.monotonic() + self.retry_s
        while True:
            try:
                async with session.request(method, self._url(context, path), data=data, headers=JSON) as r:
                    status, content = r.status, await r.read()
                return _check(context, status, content)
            except (TimeoutError, aiohttp.ClientError) as exc:
                error = _failure(context, exc)
            except (Unavailable, OutcomeUnknown) as exc:
                error = exc
            if not (repeatable or isinstance(error, Unavailable)) or time.monotonic() > deadline:
                raise error
            await asyncio.sleep(0.1)

    def _session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            timeout = aiohttp.ClientTimeout(connect=self._timeout.connect, sock_read=self._timeout.read)
            session = self._sessions[loop] = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS), timeout=timeout)
        return session

    async def close_async(self) -> None:
        """Close the running event loop's session (before the loop itself closes)."""
        if (session := self._sessions.pop(asyncio.get_running_loop(), None)) is not None:
            await session.close()

    def close(self) -> None:
        self._client.close()
        # Sessions of loops already gone (close_async was not awaited on them): their sockets close with
        # the process; dropping them here only lets them be collected.
        self._sessions.clear()
