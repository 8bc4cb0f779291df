"""Formatting shared by every screen: money in KRW, local times, elapsed timers."""
from __future__ import annotations

from datetime import datetime, timezone


def won(amount: int) -> str:
    """``12000`` -> ``₩12,000`` (KRW has no minor unit)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}₩{abs(int(amount)):,}"


def local_time(at: datetime | None, with_date: bool = False) -> str:
    if at is None:
        return ""
    if at.tzinfo is None:             # the port promises aware datetimes; be lenient with naive ones
        at = at.replace(tzinfo=timezone.utc)
    at = at.astimezone()
    return at.strftime("%m-%d %H:%M" if with_date else "%H:%M:%S")


def age_seconds(since: datetime | None, now: datetime | None = None) -> float:
    if since is None:
        return 0.0
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (now - since).total_seconds())


def elapsed(seconds: float) -> str:
    """``75`` -> ``1:15``; an hour or more -> ``1:02:03``."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
