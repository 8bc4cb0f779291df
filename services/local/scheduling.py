"""Persisted jobs (APScheduler 3, SQLAlchemy job store in the shop database).

- release a scheduled order's ticket to the kitchen at its time (one date job per order);
- at start-up, release every ticket already due (flagged late when it is over a minute late);
- every ``HOUSEKEEPING_S``: flag tickets older than the late threshold, release any due ticket whose
  job was missed (belt and braces for a shop that was closed at the time);
- retry deferred gifts with exponential backoff.

Jobs only send commands to the shop: they never touch a widget (they run on worker threads).
Misfire grace is explicit and a missed job is logged at WARNING, never dropped silently.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

# APScheduler 3 ships no type information (no py.typed, no stubs package): its names are Any here.
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED  # type: ignore[import-untyped]
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # type: ignore[import-untyped]
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]

from services import commands as c
from services.events import GiftDeferred, TicketScheduled
from services.infra.db import sqlite_url
from services.port import EventRecord

log = logging.getLogger(__name__)

HOUSEKEEPING_S = 15
RELEASE_GRACE_S = 6 * 3600      # a scheduled order still reaches the kitchen if the shop reopens late
HOUSEKEEPING_GRACE_S = 60
MAX_GIFT_BACKOFF_S = 300
DEFAULT_LATE_THRESHOLD_S = 15 * 60

_SHOPS: dict[str, object] = {}  # open shops by database path: job functions find their shop here


def _shop(key: str):
    shop = _SHOPS.get(key)
    if shop is None:
        log.warning("job for %s ran but that shop is not open here", key)
    return shop


def release_ticket(key: str, order_id: int) -> None:
    if shop := _shop(key):
        shop.execute(c.ReleaseScheduledTicket(order_id))


def housekeeping(key: str, late_threshold_s: float) -> None:
    """The sweep: whatever a lost or missed job left undone is done here, at most HOUSEKEEPING_S late."""
    if shop := _shop(key):
        shop.execute(c.ReleaseDueTickets())
        shop.execute(c.FlagLateTickets(late_threshold_s))
        shop.execute(c.RetryDeferredGifts())


def retry_gifts(key: str) -> None:
    if shop := _shop(key):
        shop.execute(c.RetryDeferredGifts())


def gift_backoff_s(attempts: int) -> float:
    return min(2 ** attempts, MAX_GIFT_BACKOFF_S)


def _on_missed_or_failed(event) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("scheduled job %s missed its time %s (beyond its misfire grace)", event.job_id,
                    event.scheduled_run_time)
    else:
        log.error("scheduled job %s failed: %s", event.job_id, event.exception)


class ShopScheduler:
    def __init__(self, shop, late_threshold_s: float = DEFAULT_LATE_THRESHOLD_S) -> None:
        self.key = str(shop.path.resolve())
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=sqlite_url(shop.path),
                                                     engine_options={"connect_args": {"timeout": 30}})},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": HOUSEKEEPING_GRACE_S},
            timezone=timezone.utc)
        self.scheduler.add_listener(_on_missed_or_failed, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        self._shop = shop
        _SHOPS[self.key] = shop
        self.scheduler.add_job(housekeeping, "interval", seconds=HOUSEKEEPING_S, id="housekeeping",
                               args=(self.key, late_threshold_s), replace_existing=True,
                               misfire_grace_time=HOUSEKEEPING_GRACE_S)
        self._unsubscribe = shop.subscribe(self.on_event, names=("TicketScheduled", "GiftDeferred"))
        # What fell due while the shop was closed (or just before a crash) goes to the kitchen now, flagged
        # late by the kitchen, not at the first sweep HOUSEKEEPING_S after opening.
        released = shop.execute(c.ReleaseDueTickets())
        if released:
            log.warning("released %s scheduled order(s) that fell due while the shop was closed", released)
        self.scheduler.start()

    def on_event(self, record: EventRecord) -> None:
        event = record.event
        if isinstance(event, TicketScheduled):
            run_at = datetime.fromtimestamp(event.release_at, tz=timezone.utc)
            self.scheduler.add_job(release_ticket, "date", run_date=run_at, args=(self.key, record.order_id),
                                   id=f"release-{record.order_id}", replace_existing=True,
                                   misfire_grace_time=RELEASE_GRACE_S)
        elif isinstance(event, GiftDeferred):
            run_at = datetime.now(timezone.utc) + timedelta(seconds=gift_backoff_s(event.attempts))
            pending = self.scheduler.get_job("retry-gifts")
            if pending is not None and pending.next_run_time and pending.next_run_time <= run_at:
                return  # a retry is already due sooner; it retries every deferred gift
            self.scheduler.add_job(retry_gifts, "date", run_date=run_at, args=(self.key,), id="retry-gifts",
                                   replace_existing=True, misfire_grace_time=HOUSEKEEPING_GRACE_S)

    def shutdown(self) -> None:
        self._unsubscribe()
        self.scheduler.shutdown(wait=True)
        if _SHOPS.get(self.key) is self._shop:  # another shop on the same file keeps its entry
            del _SHOPS[self.key]


def attach_scheduler(shop, late_threshold_s: float = DEFAULT_LATE_THRESHOLD_S) -> ShopScheduler:
    """Start the shop's scheduler; it stops when the shop closes."""
    scheduler = ShopScheduler(shop, late_threshold_s)
    shop.add_closer(scheduler.shutdown)
    return scheduler
