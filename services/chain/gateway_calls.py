"""HTTP calls from the gateway to the context services' internal APIs (CHAIN.md), with their errors
turned back into the ShopError classes the local shop raises.

What a failure means for the caller:
- the service refused (4xx ``{code, message}``): the same ShopError as in the local shop;
- nothing was done (connection refused, HAProxy's 503 when no replica is up): ``ShopBusy``, safe to
  try again;
- the request may have been carried out (timeout after sending, HAProxy's 502 when the replica died
  mid-request): ``OutcomeUnknown``. Queries, and commands that are safe to repeat (an order with its
  ``client_ref``), are retried here until ``retry_s`` runs out instead.
"""
from __future__ import annotations

import asyncio
import time

import httpx

from services.errors import OutcomeUnknown, ShopBusy, ShopError
from services.ops.logs import order_event_hooks
from services.remote.errors import error_for

POOL = httpx.Limits(max_connections=64, max_keepalive_connections=32)


class Unavailable(ShopBusy):
    """The service could not be reached, or answered that no replica is up: nothing was done."""


def _unavailable(context: str, detail: str) -> Unavailable:
    return Unavailable(f"The {context} service is not available right now ({detail}); nothing was done, try again")


def _check(context: str, r: httpx.Response):
    if r.status_code < 400:
        return r.json()
    if r.status_code in (502, 504):
        raise OutcomeUnknown(f"The {context} service stopped before answering (HTTP {r.status_code})")
    try:
        body = r.json()
    except ValueError:
        body = {}
    if r.status_code == 503:   # a service (or HAProxy with no replica up) did nothing: busy, down, draining
        raise _unavailable(context, f"HTTP 503 {body.get('message', '')}".strip())
    raise error_for(body.get("code", ""), body.get("message") or f"HTTP {r.status_code}", r.status_code)


def _failure(context: str, exc: httpx.TransportError) -> ShopError:
    """Only a request that never reached the service did nothing; any other broken exchange (a reset, a
    read timeout, a replica killed mid-request) may have been carried out: a restock must not count twice."""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
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
        self._async: dict[int, httpx.AsyncClient] = {}    # one per event loop: a client belongs to its loop

    def _url(self, context: str, path: str) -> str:
        return self.urls[context] + path

    def call(self, context: str, method: str, path: str, *, json=None, params=None, repeatable: bool) -> object:
        deadline = time.monotonic() + self.retry_s
        while True:
            try:
                r = self._client.request(method, self._url(context, path), json=json, params=params)
                return _check(context, r)
            except httpx.TransportError as exc:
                error = _failure(context, exc)
            except (Unavailable, OutcomeUnknown) as exc:
                error = exc
            if not (repeatable or isinstance(error, Unavailable)) or time.monotonic() > deadline:
                raise error
            time.sleep(0.1)

    async def call_async(self, context: str, method: str, path: str, *, json=None, repeatable: bool) -> object:
        client = self._async_client()
        deadline = time.monotonic() + self.retry_s
        while True:
            try:
                r = await client.request(method, self._url(context, path), json=json)
                return _check(context, r)
            except httpx.TransportError as exc:
                error = _failure(context, exc)
            except (Unavailable, OutcomeUnknown) as exc:
                error = exc
            if not (repeatable or isinstance(error, Unavailable)) or time.monotonic() > deadline:
                raise error
            await asyncio.sleep(0.1)

    def _async_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        client = self._async.get(id(loop))
        if client is None:
            client = self._async[id(loop)] = httpx.AsyncClient(timeout=self._timeout, limits=POOL)
        return client

    def close(self) -> None:
        self._client.close()
        # Async clients belong to loops that may be gone; their sockets close with the process.
        self._async.clear()
