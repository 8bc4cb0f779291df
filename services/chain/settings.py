"""The chain's settings, read from the environment in this one place (defaults as CHAIN.md fixes them)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

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
    def from_env(cls, env=os.environ) -> ChainSettings:
        urls = env.get("SIKDANG_SERVICE_URLS", "").strip()
        try:
            service_urls = json.loads(urls) if urls else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"SIKDANG_SERVICE_URLS is not a JSON object of context -> URL: {exc}") from None
        if not isinstance(service_urls, dict):
            raise ValueError("SIKDANG_SERVICE_URLS must be a JSON object of context -> URL")
        pool = env.get("SIKDANG_PG_POOL_MAX", "6")
        if not pool.isdigit() or int(pool) < 2:
            raise ValueError(f"SIKDANG_PG_POOL_MAX must be a whole number of at least 2, not {pool!r}")
        hold = env.get("SIKDANG_CALL_HOLD_S", "30")
        try:
            call_hold_s = float(hold)
        except ValueError:
            call_hold_s = float("nan")      # refused below with the others
        if not 0 < call_hold_s < 120:
            raise ValueError(f"SIKDANG_CALL_HOLD_S must be a number of seconds above 0 and below 120, not {hold!r}")
        return cls(dsn=env.get("SIKDANG_PG_DSN", DEFAULT_DSN), nats_url=env.get("SIKDANG_NATS_URL", DEFAULT_NATS),
                   stream=env.get("SIKDANG_STREAM", DEFAULT_STREAM), service_urls=service_urls,
                   pg_pool_max=int(pool), call_hold_s=call_hold_s)
