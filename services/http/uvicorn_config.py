"""How every gateway process configures uvicorn: the shop server's workers (``services.http.workers``),
its one-process layout and test threads (``services.http.server``) and the chain's gateway.

A module of its own so the server and its workers both build on it and neither imports the other
back (an import-linter layers contract in pyproject.toml keeps it so).
"""
from __future__ import annotations

from typing import Any

import uvicorn

# How long uvicorn's supervisor waits for a new or a pinged worker: longer than a worker's start-up on
# a busy machine, so a restart is not silently given up (docs/decisions/0018-uvicorn-settings.md).
WORKER_HEALTHCHECK_S = 60


def fast_stack() -> dict[str, str]:
    """uvloop/httptools when installed, plain asyncio/h11 otherwise (docs/decisions/0018-uvicorn-settings.md)."""
    opts = {}
    try:
        import uvloop  # noqa: F401
        opts["loop"] = "uvloop"
    except ImportError:
        pass
    try:
        import httptools  # noqa: F401
        opts["http"] = "httptools"
    except ImportError:
        pass
    return opts


def guarded_stack() -> dict[str, str]:
    """The fast stack, with httptools' protocol replaced by ours (a header deadline, JSON 400s)."""
    opts = fast_stack()
    if opts.get("http") == "httptools":
        opts["http"] = "services.http.protocol:GuardedHttpTools"
    return opts


def make_config(app: Any, host: str, port: int, **overrides: Any) -> uvicorn.Config:
    options: dict[str, Any] = dict(log_level="warning", access_log=False, backlog=4096, timeout_graceful_shutdown=3,
                                   timeout_keep_alive=30, timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
                                   **guarded_stack())
    return uvicorn.Config(app, host=host, port=port, **{**options, **overrides})
