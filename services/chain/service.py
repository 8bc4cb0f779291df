"""One replica of one context service: ``python main.py service CONTEXT --port P [--replica N]``.

Composition: the context's schema is migrated (and seeded) at start; a pool of PostgreSQL connections
(search_path = the context's schema) serves the commands, the views and the consumer; NATS is
connected in the background (reconnecting forever, so the service starts while the broker is down);
the leader task runs the relay and the timed work when this replica holds the context's lock; the
consumer task handles the events of the other contexts. All on one asyncio loop with uvicorn; the
handlers (synchronous, as the local shop runs them) run in worker threads.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time

import uvicorn
from nats.aio.client import Client
from nats.js import JetStreamContext

from services.chain import nats as chain_nats
from services.chain import schema
from services.chain.consumer import Consumer
from services.chain.contexts import SPECS, ContextSpec
from services.chain.gift_client import GiftClient
from services.chain.leader import Leader
from services.chain.relay import DUE
from services.chain.settings import ChainSettings, context_name
from services.chain.store import Store, open_pool
from services.chain.tasks import cancel_all
from services.ops import metrics
from services.ops.logs import configure_logging
from services.ops.settings import log_dir

log = logging.getLogger(__name__)

STOP_TASKS_S = 10.0     # SIGTERM: the background tasks' time to end (uvicorn's 10 s for requests come first)
DRAIN_S = 5.0           # then NATS' own drain, bounded: a broker that is down must not hold the exit


class _NoGiftService:
    """Ordering without a gift URL (SIKDANG_SERVICE_URLS has no "gift"): every gift is deferred."""

    def send(self, order_id: int):
        raise RuntimeError("no gift service is configured (SIKDANG_SERVICE_URLS has no 'gift')")

    def close(self) -> None:
        pass


class ChainService:
    def __init__(self, context: str, settings: ChainSettings, replica: str = "0") -> None:
        self.spec: ContextSpec = SPECS[context_name(context)]
        self.settings, self.replica = settings, replica
        self.pool = open_pool(settings.dsn, self.spec.name, max_size=settings.pg_pool_max)
        self.gift = None
        dependencies = {}
        if self.spec.name == "ordering":
            url = settings.service_urls.get("gift")
            self.gift = GiftClient(url) if url else _NoGiftService()
            dependencies["gift_service"] = self.gift
        self.store = Store(self.spec, self.pool, dependencies=dependencies, hold_s=settings.call_hold_s)
        self.nc: Client | None = None
        self.leader = Leader(self.spec, settings.dsn, settings.stream, self.store, self.jetstream)
        consumes = bool(self.spec.event_handlers) or self.spec.projection is not None
        # A serial context is fetched by its leader only (services/chain/consumer.py, "One fetcher").
        active = (lambda: self.leader.is_leader) if self.spec.serial else (lambda: True)
        self.consumer = Consumer(self.store, settings.stream, self.jetstream, active) if consumes else None
        self._tasks: list[asyncio.Task] = []

    def jetstream(self) -> JetStreamContext | None:
        return self.nc.jetstream() if self.nc is not None and self.nc.is_connected else None

    async def start(self) -> None:
        await self._migrate()
        self._tasks = [asyncio.create_task(self._connect_nats(), name="nats"),
                       asyncio.create_task(self.leader.run(), name="leader")]
        if self.consumer:
            self._tasks.append(asyncio.create_task(self.consumer.run(), name="consumer"))

    async def _migrate(self) -> None:
        """Upgrade the schema, waiting for PostgreSQL if it is not up yet (a supervisor starts us anyway)."""
        while True:
            try:
                await asyncio.to_thread(schema.upgrade, self.settings.dsn, self.spec.name)
                return
            except Exception as exc:  # noqa: BLE001 - e.g. PostgreSQL restarting: try again
                log.warning("%s: cannot migrate the schema yet: %s", self.spec.name, exc)
                await asyncio.sleep(1.0)

    async def _connect_nats(self) -> None:
        async def reconnected():
            self.leader.needs_catch_up = True     # the broker may have lost a tail of the stream
            if self.consumer:
                self.consumer.rebind()            # nats-py #504: pull subscriptions die with the server

        while self.nc is None:
            try:
                self.nc = await chain_nats.connect(self.settings.nats_url, f"{self.spec.name}-{self.replica}",
                                                   on_reconnect=reconnected)
                await chain_nats.ensure_stream(self.nc.jetstream(), self.settings.stream)
            except Exception as exc:  # noqa: BLE001 - not up yet: the first connection is retried here
                log.warning("%s: NATS not reachable yet: %s", self.spec.name, exc)
                await asyncio.sleep(0.5)

    async def stop(self) -> None:
        await cancel_all(self._tasks, STOP_TASKS_S)
        if self.nc is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.nc.drain(), DRAIN_S)
        if self.gift is not None:
            self.gift.close()
        await asyncio.to_thread(self.store.close)
        await asyncio.to_thread(self.pool.close)

    # -- health ----------------------------------------------------------------------------------------
    async def readiness(self) -> dict:
        relay_lag: int | None
        parked: int | None
        try:
            relay_lag, parked = await asyncio.wait_for(asyncio.to_thread(self._counts), 3.0)
            database = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            relay_lag = parked = None
            database = f"down: {type(exc).__name__}"
        broker = "ok" if self.jetstream() is not None else "down"
        # Ready means "can take commands": that needs the database only. While the broker is down the
        # outbox keeps every event and the relay catches up, so ejecting every replica of every context
        # for a broker restart would refuse orders the chain can take. ``broker`` still says it is down.
        return {"status": "ok" if database == "ok" else "unavailable", "database": database,
                "broker": broker, "relayLag": relay_lag, "consumerLag": self.consumer.lag if self.consumer else 0,
                "parked": parked, "leader": self.leader.is_leader, "replica": self.replica}

    def _counts(self) -> tuple[int, int]:
        with self.pool.connection(timeout=2.0) as conn:
            # Held rows are not lag: the caller publishes them (services/chain/relay.py DUE).
            row = conn.execute(f"SELECT (SELECT count(*) FROM outbox WHERE {DUE}),"
                               " (SELECT count(*) FROM parked)", (time.time(),)).fetchone()
        assert row is not None, "a count answers one row"
        return row[0], row[1]

    # -- metrics (services.ops.metrics: the series every replica reports, labelled context and replica) ---
    async def refresh_metrics(self) -> None:
        """Set the gauges whose truth is elsewhere, before each scrape of ``/metrics``: the outbox's unsent
        rows and the parked events (PostgreSQL), the consumer's lag, the lead and the gift breaker."""
        name = self.spec.name
        relay_lag: float
        parked: float
        try:
            relay_lag, parked = await asyncio.wait_for(asyncio.to_thread(self._counts), 3.0)
        except Exception:  # noqa: BLE001 - the database is down (readiness says so): unknown, not stale
            relay_lag = parked = float("nan")
        metrics.RELAY_LAG.labels(name).set(relay_lag)
        metrics.PARKED.labels(name).set(parked)
        metrics.LEADER.labels(name).set(int(self.leader.is_leader))
        if self.consumer:
            metrics.CONSUMER_LAG.labels(name, name).set(self.consumer.lag or 0)
        if isinstance(self.gift, GiftClient):
            metrics.set_breaker_state("gift", _breaker_state(self.gift))


def _breaker_state(gift: GiftClient) -> str:
    """Open while failing fast; half-open once the cooldown is over (the next call probes the gift service)."""
    if not gift.breaker.is_open:
        return "closed"
    return "open" if time.monotonic() - gift.breaker.opened_at < gift.cooldown_s else "half-open"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py service", description="One replica of one chain context service")
    parser.add_argument("context", help="ordering (or order), kitchen, delivery, gift, mypage or payments")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--replica", default="0", help="this replica's name, for logs (default 0)")
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        context = context_name(args.context)
        settings = ChainSettings.from_env()
    except ValueError as exc:
        print(f"main.py service: {exc}", file=sys.stderr)
        return 2
    # JSON lines into SIKDANG_LOG_DIR (``main.py logs``) and warnings on stderr; everything on stderr without one
    configure_logging(context, args.replica, level=args.log_level,
                      console_level="WARNING" if log_dir() else args.log_level)
    for chatty in ("alembic", "httpx"):   # a line per migration step / per gift call buries the service's own
        logging.getLogger(chatty).setLevel(logging.WARNING)
    from services.chain.api import create_app
    app = create_app(ChainService(context, settings, args.replica))
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=10)
    uvicorn.Server(config).run()
    return 0
