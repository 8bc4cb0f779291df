"""Prometheus metrics (prometheus-client): what every HTTP server answers, and what the chain sets.

``instrument(app)`` wraps an ASGI app: ``GET /metrics`` is answered before anything else (never shed,
no token, not in the OpenAPI); every other request is counted and timed by method, route template
and status, a 503 with ``Retry-After`` also counts as shed; a request carrying ``X-Order-Id`` is
handled inside ``order_context`` of that order (services.ops.logs).

Several processes, one endpoint: the shop server's workers each answer ``/metrics``, so each must
report all of them. With ``PROMETHEUS_MULTIPROC_DIR`` set (before this module is imported) every
process writes its values to files there and ``/metrics`` sums them (prometheus-client's
multiprocess mode); ``prepare_multiprocess_dir`` empties it when the server starts. Gauges then say
how to combine processes (``multiprocess_mode``): a gauge reports the value a process set last.

The chain's services set the named gauges and counters: ``RELAY_LAG``, ``CONSUMER_LAG``,
``REDELIVERIES``, ``PARKED``, ``BREAKER_STATE`` (``set_breaker_state``), ``LEADER``, ``RELAY_PUBLISHED``,
``CONSUMER_HANDLED``. A chain service is one process per replica: ``instrument(app, labels=...)`` puts
its ``context`` and ``replica`` on every series it reports, and ``refresh`` (awaited before each scrape)
sets the gauges whose truth is elsewhere (the outbox's unsent rows in PostgreSQL) at scrape time.
"""
from __future__ import annotations

import re
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, make_asgi_app, multiprocess
from prometheus_client import REGISTRY

from services.ops.logs import OrderIdMiddleware
from services.ops.settings import metrics_dir

# Buckets around what the shop server does: a read in ~1 ms, an order in a few ms, a busy second.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("sikdang_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("sikdang_http_request_duration_seconds", "Time to answer an HTTP request",
                    ["method", "route"], buckets=LATENCY_BUCKETS)
SHED = Counter("sikdang_http_shed_requests", "Requests turned away busy (503 with Retry-After)", ["route"])
BREAKER_STATE = Gauge("sikdang_breaker_state", "Circuit breaker: 0 closed, 1 half-open, 2 open",
                      ["breaker"], multiprocess_mode="mostrecent")
RELAY_LAG = Gauge("sikdang_relay_lag_events", "Outbox rows written but not yet published to NATS",
                  ["context"], multiprocess_mode="mostrecent")
CONSUMER_LAG = Gauge("sikdang_consumer_lag_events", "Stream messages the consumer has not yet acked",
                     ["context", "consumer"], multiprocess_mode="mostrecent")
REDELIVERIES = Counter("sikdang_redeliveries", "Events delivered again (a consumer saw them before)",
                       ["context", "consumer"])
PARKED = Gauge("sikdang_parked_events", "Poison events parked after their last delivery, not yet handled",
               ["context"], multiprocess_mode="mostrecent")
LEADER = Gauge("sikdang_leader", "1 while this replica leads its context (relay, timed work)", ["context"],
               multiprocess_mode="mostrecent")
RELAY_PUBLISHED = Counter("sikdang_relay_published", "Outbox events published to NATS and acked", ["context"])
CONSUMER_HANDLED = Counter("sikdang_consumer_handled", "Events handled (their transaction committed)",
                           ["context", "consumer"])

BREAKER_STATES = {"closed": 0, "half-open": 1, "half_open": 1, "open": 2}
_NUMBER = re.compile(r"/\d+(?=/|$)")


def set_breaker_state(breaker: str, state: str) -> None:
    BREAKER_STATE.labels(breaker).set(BREAKER_STATES[state.lower()])


def prepare_multiprocess_dir(folder: Path) -> Path:
    """An empty folder for PROMETHEUS_MULTIPROC_DIR: call before starting the processes that share it
    (values of processes of an earlier run would otherwise be added in)."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def registry(labels: dict[str, str] | None = None) -> CollectorRegistry:
    """What ``/metrics`` reports: every process's values in multiprocess mode, else this process's;
    with ``labels``, each of them added to every series that does not carry it already."""
    if folder := metrics_dir():
        source = CollectorRegistry()
        multiprocess.MultiProcessCollector(source, path=str(folder))
    else:
        source = REGISTRY
    if not labels:
        return source
    labelled = CollectorRegistry(auto_describe=False)
    labelled.register(_Labelled(source, labels))
    return labelled


class _Labelled:
    """A collector: ``source``'s metrics with constant labels added (the series' own labels win)."""

    def __init__(self, source: CollectorRegistry, labels: dict[str, str]) -> None:
        self.source, self.labels = source, labels

    def collect(self):
        for family in self.source.collect():
            family.samples = [sample._replace(labels={**self.labels, **sample.labels}) for sample in family.samples]
            yield family


def metrics_app(labels: dict[str, str] | None = None):
    """The ASGI app that answers ``GET /metrics`` in Prometheus' text format."""
    return make_asgi_app(registry(labels))


def route_of(scope, status: int) -> str:
    """A bounded label: the route's template when the router matched one (``/orders/{order_id}``),
    else the path with numbers as ``{id}`` (the POST /orders fast path), or ``unmatched`` for a 404."""
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return route.path
    if status == 404:
        return "unmatched"
    return _NUMBER.sub("/{id}", scope.get("path", ""))[:100]


Refresh = Callable[[], Awaitable[None]]


class RequestMetrics:
    """ASGI: answers /metrics (after ``refresh``), counts and times everything else (module docstring)."""

    def __init__(self, app, path: str = "/metrics", labels: dict[str, str] | None = None,
                 refresh: Refresh | None = None) -> None:
        self.app, self.path, self.refresh = app, path, refresh
        self.metrics = metrics_app(labels)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"] == self.path and scope["method"] == "GET":
            if self.refresh is not None:
                await self.refresh()
            return await self.metrics(scope, receive, send)
        started, answer = time.perf_counter(), {"status": 500, "retry_after": False}

        async def watch(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["retry_after"] = any(name.lower() == b"retry-after" for name, _ in message.get("headers", ()))
            await send(message)
        try:
            await self.app(scope, receive, watch)
        finally:
            status, method = answer["status"], scope["method"]
            route = route_of(scope, status)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
            if status == 503 and answer["retry_after"]:
                SHED.labels(route).inc()


def instrument(app, path: str = "/metrics", *, labels: dict[str, str] | None = None, refresh: Refresh | None = None):
    """``app`` behind /metrics, request metrics and the X-Order-Id log context; the wrapper keeps
    ``app``'s other attributes reachable (``.fastapi``, ``.state``). ``labels``: added to every series
    (a chain service's context and replica); ``refresh``: awaited before each scrape."""
    return _Instrumented(RequestMetrics(OrderIdMiddleware(app), path, labels, refresh), app)


class _Instrumented:
    def __init__(self, outer, inner) -> None:
        self._outer, self._inner = outer, inner

    async def __call__(self, scope, receive, send):
        return await self._outer(scope, receive, send)

    def __getattr__(self, name):
        return getattr(self._inner, name)
