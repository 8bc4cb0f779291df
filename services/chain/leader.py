"""Leadership of one context: the replica holding the context's advisory lock runs the outbox relay and
the timed work (CHAIN.md "Timed work"); the others wait to take over.

The lock is a session lock on a connection of its own, which also LISTENs for the outbox's NOTIFY.
When the leader dies (or its connection does), PostgreSQL frees the lock and another replica takes it
within ``RETRY_S``. Leading is exactly-once for timed work only in the sense the lock gives: two
replicas never hold it at once; the housekeeping commands are idempotent besides.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import psycopg
from nats.js import JetStreamContext

from services.chain.contexts import ContextSpec
from services.chain.relay import Relay
from services.chain.schema import lock_key
from services.chain.store import Store, notify_channel

log = logging.getLogger(__name__)

POLL_S = 1.0     # the relay looks at the outbox at least this often, NOTIFY or not
RETRY_S = 1.0    # a follower asks for the lock this often
# While busy (the last round published at least LINGER_FROM rows), the relay lets the commits of the next
# few milliseconds join a wake-up: one read of the outbox and one pipeline of publishes for all of them.
# A quiet chain (one till) publishes at once (docs/decisions/0025-the-chain-batches-its-events.md).
LINGER_S = 0.01
LINGER_FROM = 4


class Leader:
    def __init__(self, spec: ContextSpec, dsn: str, stream: str, store: Store,
                 jetstream: Callable[[], JetStreamContext | None]) -> None:
        self.spec, self.dsn, self.store = spec, dsn, store
        self.relay = Relay(spec.name, stream)
        self._jetstream = jetstream        # the current JetStream context, or None while NATS is down
        self.is_leader = False
        self.needs_catch_up = True
        self._next_run = {timed: 0.0 for timed in spec.timed}
        self._key = lock_key(spec.name, "leader")

    async def run(self) -> None:
        """Lead whenever the lock can be had, until cancelled."""
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self.dsn, autocommit=True, options=f"-c search_path={self.spec.name}",
                    application_name=f"sikdang-{self.spec.name}-leader", connect_timeout=5)
                try:
                    cursor = await conn.execute("SELECT pg_try_advisory_lock(%s::bigint)", (self._key,))
                    locked = await cursor.fetchone()
                    if locked is not None and locked[0]:
                        await self._lead(conn)
                finally:
                    self.is_leader = False
                    await conn.close()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - database gone: try again, leadership is re-won
                log.warning("%s leader: %s", self.spec.name, exc)
            await asyncio.sleep(RETRY_S)

    async def _lead(self, conn: psycopg.AsyncConnection) -> None:
        log.info("%s: this replica leads (relay, timed work)", self.spec.name)
        self.is_leader, self.needs_catch_up = True, True
        await conn.execute(f"LISTEN {notify_channel(self.spec.name)}")
        while True:
            published = await self._relay(conn)
            await self._timed_work()
            # A NOTIFY received meanwhile is kept in the connection's backlog: this returns at once then.
            async for _ in conn.notifies(timeout=POLL_S, stop_after=1):
                pass
            if published >= LINGER_FROM:
                await asyncio.sleep(LINGER_S)

    async def _relay(self, conn: psycopg.AsyncConnection) -> int:
        """Publish what is due; returns how many events were published."""
        js = self._jetstream()
        if js is None:
            return 0
        try:
            if self.needs_catch_up:
                await self.relay.catch_up(conn, js)
                self.needs_catch_up = False
            return await self.relay.publish_pending(conn, js)
        except psycopg.Error:
            raise                        # the leader's connection is gone: so is the lock
        except Exception as exc:  # noqa: BLE001 - the broker: retried on the next pass
            log.warning("%s relay: %s", self.spec.name, exc)
            await asyncio.sleep(0.2)
            return 0

    async def _timed_work(self) -> None:
        now = time.monotonic()
        for timed, due in self._next_run.items():
            if now < due:
                continue
            self._next_run[timed] = now + timed.every_s
            command = timed.command()
            try:
                await asyncio.to_thread(self.store.execute, command)
            except Exception as exc:  # noqa: BLE001 - logged; it runs again at its next time
                log.warning("%s: timed %s failed: %s", self.spec.name, type(command).__name__, exc)
