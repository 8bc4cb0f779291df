"""Every process's log as JSON lines in one folder, and the order id carried on every line about it.

A line: ``{"time": "2026-11-29T17:20:01.123456+00:00", "level": "INFO", "service": "ordering",
"replica": "1", "pid": 4242, "logger": "services.chain.relay", "message": "...", "order_id": 12}``
(``order_id`` only when there is one; ``exc`` with the traceback when there is one). Each process
appends to ``<folder>/<service>-<replica>.jsonl`` (a process's workers share its file; ``pid`` tells
them apart; one ``write`` per line, opened for appending, so lines never interleave). ``WatchedFileHandler``
reopens a file that logrotate moved away. ``services.ops.logread`` reads them back (``main.py logs``).

The order id: ``with order_context(12): ...`` puts it on every line logged inside, in this thread or
task (a contextvar). Across HTTP it travels as the ``X-Order-Id`` header (``order_headers()`` /
``order_event_hooks()`` on the caller, ``OrderIdMiddleware`` on the server), across NATS as
``Sikdang-Order-Id`` (CHAIN.md).
"""
from __future__ import annotations

import contextvars
import logging
import logging.config
import logging.handlers
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Iterator, Mapping

import orjson

from services.ops.settings import default_replica, log_dir

ORDER_HEADER = "X-Order-Id"               # HTTP, between the gateway and the services
NATS_ORDER_HEADER = "Sikdang-Order-Id"     # NATS message header (CHAIN.md)
HUMAN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

_order_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("sikdang_order_id", default=None)


# -- the order id ---------------------------------------------------------------------------------
def current_order_id() -> int | None:
    return _order_id.get()


@contextmanager
def order_context(order_id: int | str | None) -> Iterator[None]:
    """Every line logged inside (this thread or asyncio task) carries ``order_id``. ``None`` or a
    value that is not a whole number leaves the current one in place."""
    parsed = _as_order_id(order_id)
    if parsed is None:
        yield
        return
    token = _order_id.set(parsed)
    try:
        yield
    finally:
        _order_id.reset(token)


def _as_order_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (str, bytes)) and value.strip().isdigit():
        return int(value)
    return None


def order_headers(order_id: int | None = None) -> dict[str, str]:
    """The header to send with an HTTP call made about ``order_id`` (default: the current one)."""
    order_id = order_id if order_id is not None else current_order_id()
    return {} if order_id is None else {ORDER_HEADER: str(order_id)}


def order_id_from_headers(headers: Mapping) -> int | None:
    """The order id an HTTP request or NATS message carries (``X-Order-Id`` or ``Sikdang-Order-Id``)."""
    for name in (ORDER_HEADER, ORDER_HEADER.lower(), NATS_ORDER_HEADER, NATS_ORDER_HEADER.lower()):
        if (value := (headers or {}).get(name)) is not None:
            return _as_order_id(value)
    return None


def order_event_hooks() -> dict:
    """``httpx.Client(event_hooks=order_event_hooks())``: every request made inside an
    ``order_context`` carries ``X-Order-Id`` without the caller passing it."""
    def add_header(request) -> None:
        if (order_id := current_order_id()) is not None and ORDER_HEADER not in request.headers:
            request.headers[ORDER_HEADER] = str(order_id)
    return {"request": [add_header]}


class OrderIdMiddleware:
    """ASGI: a request with ``X-Order-Id`` is handled inside ``order_context`` of that order."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-order-id":
                    with order_context(value.decode("latin-1")):
                        return await self.app(scope, receive, send)
        return await self.app(scope, receive, send)


# -- writing ------------------------------------------------------------------------------------
class JsonFormatter(logging.Formatter):
    """One JSON object per line, fields as in the module docstring."""

    def __init__(self, service: str = "sikdang", replica: str = "0") -> None:
        super().__init__()
        self.service, self.replica = service, str(replica)

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                "level": record.levelname, "service": self.service, "replica": self.replica,
                "pid": record.process, "logger": record.name, "message": record.getMessage()}
        order_id = getattr(record, "order_id", None)
        if order_id is None:
            order_id = current_order_id()
        if order_id is not None:
            line["order_id"] = order_id
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()   # a line per event in the chain: orjson's speed counts


def log_file(folder: Path, service: str, replica: str = "0") -> Path:
    return Path(folder) / f"{service}-{replica}.jsonl"


def configure_logging(service: str, replica: str | None = None, folder: Path | None = None, *,
                      level: str | int = "INFO", console_level: str | int = "WARNING") -> Path | None:
    """Send this process's log to ``folder`` (default ``SIKDANG_LOG_DIR``) as JSON lines, and keep a
    human line on stderr for warnings and worse. Without a folder only stderr is configured.
    ``replica`` defaults to SIKDANG_REPLICA (set by services.ops.supervisor; the pod's name in
    deploy/k8s), else "0". Returns the file written. Replaces the root logger's handlers (call it
    once, at start)."""
    replica = replica if replica is not None else default_replica()
    logging.config.dictConfig(logging_config(service, replica, folder, level=level, console_level=console_level))
    folder = folder or log_dir()
    return log_file(folder, service, replica) if folder else None


def logging_config(service: str, replica: str = "0", folder: Path | None = None, *,
                   level: str | int = "INFO", console_level: str | int = "WARNING") -> dict:
    """The ``logging.config.dictConfig`` of ``configure_logging``. uvicorn takes it as ``log_config``
    and applies it in each worker process it spawns, so the workers write the same folder."""
    folder = folder or log_dir()
    level = logging.getLevelName(level) if isinstance(level, int) else level.upper()
    console_level = logging.getLevelName(console_level) if isinstance(console_level, int) else console_level.upper()
    handlers = {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "formatter": "human", "level": console_level}}
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        handlers["file"] = {"class": "logging.handlers.WatchedFileHandler", "formatter": "json",
                            "filename": str(log_file(folder, service, replica)), "encoding": "utf-8"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "service": service, "replica": str(replica)},
                       "human": {"format": HUMAN_FORMAT}},
        "handlers": handlers,
        "root": {"level": level, "handlers": list(handlers)},
        # uvicorn's own loggers go to the same place instead of their own handlers; alembic and
        # apscheduler say a line per migration plugin and per scheduler run at INFO: only warnings
        "loggers": {name: {"handlers": [], "propagate": True} for name in ("uvicorn", "uvicorn.error")}
        | {name: {"handlers": [], "propagate": True, "level": "WARNING"}
           for name in ("uvicorn.access", "alembic", "apscheduler")},
    }


def excepthook_to_log() -> None:
    """An uncaught exception ends up in the folder too, not only on a terminal nobody watches."""
    def hook(kind, value, tb):
        logging.getLogger("uncaught").critical("uncaught exception", exc_info=(kind, value, tb))
        sys.__excepthook__(kind, value, tb)
    sys.excepthook = hook

