"""The chain's settings, read through ``services.settings`` (its variables are named there; defaults as
CHAIN.md fixes them)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from services import settings
from services.settings import CALL_HOLD_S, NATS_URL, PG_DSN, PG_POOL_MAX, SERVICE_URLS, STREAM

CONTEXTS = ("ordering", "kitchen", "delivery", "gift", "mypage", "payments")
ALIASES = {"order": "ordering"}
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/sikdang"
DEFAULT_NATS = "nats://127.0.0.1:4222"
DEFAULT_STREAM = "SIKDANG"


def context_name(name: str) -> str:
    """The context's package name for ``name`` (``order`` is ordering); ValueError names the choices."""
    name = ALIASES.get(name, name)
    if name not in CONTEXTS:
        raise ValueError(f"unknown context {name!r}: expected one of {', '.join(CONTEXTS)} (or 'order')")
    return name


@dataclass(frozen=True)
class ChainSettings:
    dsn: str = DEFAULT_DSN
    nats_url: str = DEFAULT_NATS
    stream: str = DEFAULT_STREAM
    service_urls: dict[str, str] = field(default_factory=dict)
    # Connections per replica's pool (plus one for the leader). PostgreSQL allows 100 by default:
    # 6 contexts x 2 replicas x (6 + 1) = 84 leaves room for the tools and the tests.
    pg_pool_max: int = 6
    # How long gift holds the events of ordering's call for ordering to publish first (docs/chain.md,
    # "Order -> gift"): far longer than ordering's transaction after the call, well inside JetStream's
    # 2-minute duplicate window. A test shortens it to see a crashed caller's gift published.
    call_hold_s: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ChainSettings:
        """From the process's environment, or from ``env`` (a test's own)."""
        env = settings.environment() if env is None else env
        urls = env.get(SERVICE_URLS, "").strip()
        try:
            service_urls = json.loads(urls) if urls else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{SERVICE_URLS} is not a JSON object of context -> URL: {exc}") from None
        if not isinstance(service_urls, dict):
            raise ValueError(f"{SERVICE_URLS} must be a JSON object of context -> URL")
        pool = env.get(PG_POOL_MAX, "6")
        if not pool.isdigit() or int(pool) < 2:
            raise ValueError(f"{PG_POOL_MAX} must be a whole number of at least 2, not {pool!r}")
        hold = env.get(CALL_HOLD_S, "30")
        try:
            call_hold_s = float(hold)
        except ValueError:
            call_hold_s = float("nan")      # refused below with the others
        if not 0 < call_hold_s < 120:
            raise ValueError(f"{CALL_HOLD_S} must be a number of seconds above 0 and below 120, not {hold!r}")
        return cls(dsn=env.get(PG_DSN, DEFAULT_DSN), nats_url=env.get(NATS_URL, DEFAULT_NATS),
                   stream=env.get(STREAM, DEFAULT_STREAM), service_urls=service_urls,
                   pg_pool_max=int(pool), call_hold_s=call_hold_s)
