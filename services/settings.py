"""The environment variables the shop reads, in one place: a name, what it is for, its default.

Code elsewhere asks here (``settings.max_in_flight()``) instead of reading ``os.environ`` itself, so the
whole configuration surface is this page, and this is the only module that touches ``os.environ``
(tests/unit/test_settings.py checks). Read at call time, not at import, so a test (or a supervisor)
may set a variable before the thing that uses it starts. The wiring a process hands its own gateway
workers is here too, written and read side by side (``worker_environment``, ``worker_wiring``).
"""
from __future__ import annotations

import locale
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# -- screens ------------------------------------------------------------------------------------
PRINT_DIR = "SIKDANG_PRINT_DIR"              # where prints go as PDF; set: never ask for a printer
# -- a terminal of a shop server (--server URL) ----------------------------------------------------
PIN = "SIKDANG_PIN"                          # "STAFF:PIN", or a bare PIN with SIKDANG_STAFF
STAFF = "SIKDANG_STAFF"
# -- the shop server --------------------------------------------------------------------------------
MAX_IN_FLIGHT = "SIKDANG_MAX_IN_FLIGHT"      # requests worked on at once, the whole server's (default 32)
# -- operations (docs/operations.md) -----------------------------------------------------------------
LOG_DIR = "SIKDANG_LOG_DIR"                  # the one folder every process writes its JSON lines to
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"     # prometheus-client's own: metrics of several processes
REPLICA = "SIKDANG_REPLICA"                  # which replica this process is (supervisor; the pod's name)
SUPERVISED = "SUPERVISOR_ENABLED"            # supervisord's own: set to 1 in the processes it starts
# -- a gateway worker's wiring, set by the process that starts it (services.ops.serve, run_server) ----
WORKER_DB = "SIKDANG_DB"                     # the shop's database file
WRITER_ADDRESS = "SIKDANG_WRITER_ADDRESS"    # the shop process's writer socket
WRITER_KEY = "SIKDANG_WRITER_KEY"            # its key, hex (run_server: the shop process is the parent)
WRITER_KEY_FILE = "SIKDANG_WRITER_KEY_FILE"  # or a file holding it (main.py serve: the shop may restart)
WRITER_WAIT = "SIKDANG_WRITER_WAIT_S"        # how long a command waits for a restarting shop process
WORKER_MAX_IN_FLIGHT = "SIKDANG_WORKER_MAX_IN_FLIGHT"   # this worker's share of MAX_IN_FLIGHT
READY_FILE = "SIKDANG_READY_FILE"            # where a process writes its pid once it serves
SUPERVISOR_SOCKET = "SIKDANG_SUPERVISOR_SOCKET"   # supervisord's control socket, to wake it
# -- the chain (services/chain, docs/chain.md; read by services.chain.settings) -------------------------
PG_DSN = "SIKDANG_PG_DSN"
NATS_URL = "SIKDANG_NATS_URL"
STREAM = "SIKDANG_STREAM"
SERVICE_URLS = "SIKDANG_SERVICE_URLS"        # JSON object: context -> URL
PG_POOL_MAX = "SIKDANG_PG_POOL_MAX"
CALL_HOLD_S = "SIKDANG_CALL_HOLD_S"
FAILPOINT = "SIKDANG_FAILPOINT"              # tests: the point at which a chain process kills itself
# -- the system's language (the terminal demo) --------------------------------------------------------
LANGUAGE = ("LC_ALL", "LC_MESSAGES", "LANG")

DEFAULT_WRITER_WAIT_S = 10.0   # WRITER_WAIT's default: then a command is answered 503 busy


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def _required(name: str) -> str:
    if not (value := _text(name)):
        raise RuntimeError(f"{name} is not set: this process is started by the shop server, which sets it")
    return value


def environment() -> Mapping[str, str]:
    """The environment as a mapping, for a reader that also takes a test's own (the chain's settings)."""
    return os.environ


def print_dir_setting() -> Path | None:
    return Path(_text(PRINT_DIR)) if _text(PRINT_DIR) else None


def staff_pin() -> tuple[str, str]:
    """``(SIKDANG_STAFF, SIKDANG_PIN)``, each "" when not set."""
    return _text(STAFF), _text(PIN)


def max_in_flight(default: int = 32) -> int:
    return int(_text(MAX_IN_FLIGHT) or default)


def log_dir() -> Path | None:
    return Path(_text(LOG_DIR)) if _text(LOG_DIR) else None


def default_replica() -> str:
    return _text(REPLICA) or "0"


def metrics_dir() -> Path | None:
    return Path(_text(METRICS_DIR)) if _text(METRICS_DIR) else None


def in_supervisor() -> bool:
    """True in a process supervisord started."""
    return _text(SUPERVISED) == "1"


def no_display() -> bool:
    """True on Linux when Qt would find no screen: its platform (Qt's own QT_QPA_PLATFORM, which the
    shop never sets or acts on) is a desktop one and neither DISPLAY nor WAYLAND_DISPLAY is set."""
    return (sys.platform.startswith("linux") and _text("QT_QPA_PLATFORM") in ("", "xcb", "wayland")
            and not (_text("DISPLAY") or _text("WAYLAND_DISPLAY")))


def system_is_korean() -> bool:
    language = next((_text(name) for name in LANGUAGE if _text(name)), "")
    return language.lower().startswith("ko") or (locale.getlocale()[0] or "").lower().startswith("ko")


def failpoint() -> str:
    return _text(FAILPOINT)


def ready_file() -> Path | None:
    return Path(_text(READY_FILE)) if _text(READY_FILE) else None


def supervisor_socket() -> str | None:
    return _text(SUPERVISOR_SOCKET) or None


def writer_address_setting() -> str | None:
    return _text(WRITER_ADDRESS) or None


@dataclass(frozen=True)
class WorkerWiring:
    """What a gateway worker needs from the process that started it."""
    db_path: Path
    writer_address: str
    writer_key: bytes | Path        # the key itself, or a file holding it (read again on every reconnect)
    writer_wait_s: float
    max_in_flight: int


def worker_wiring() -> WorkerWiring:
    key_file = _text(WRITER_KEY_FILE)
    return WorkerWiring(db_path=Path(_required(WORKER_DB)), writer_address=_required(WRITER_ADDRESS),
                        writer_key=Path(key_file) if key_file else bytes.fromhex(_required(WRITER_KEY)),
                        writer_wait_s=float(_text(WRITER_WAIT) or DEFAULT_WRITER_WAIT_S),
                        max_in_flight=int(_required(WORKER_MAX_IN_FLIGHT)))


def worker_environment(db_path: Path, address: str, authkey: bytes, max_in_flight: int) -> dict[str, str]:
    """``worker_wiring``'s variables for workers that are this process's children (``run_server``)."""
    return {WORKER_DB: str(db_path), WRITER_ADDRESS: address, WRITER_KEY: authkey.hex(),
            WORKER_MAX_IN_FLIGHT: str(max_in_flight)}


def hand_to_children(variables: dict[str, str]) -> None:
    """Set ``variables`` in this process's environment, which the children it starts next inherit:
    uvicorn's ``Multiprocess`` spawns its workers with no other way to pass them anything."""
    os.environ.update(variables)
