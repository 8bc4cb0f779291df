"""The environment variables the shop reads, in one place: a name, what it is for, its default.

Code elsewhere asks here (``settings.max_in_flight()``) instead of reading ``os.environ`` itself, so the
whole configuration surface is this page. Read at call time, not at import, so a test (or a
supervisor) may set a variable before the thing that uses it starts. Process plumbing passed from a
parent to its own children (``services.http.workers``' handoff) and the chain's settings
(``services.chain.settings``) are not configuration and stay with their code.
"""
from __future__ import annotations

import locale
import os
import sys
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
# -- the system's language (the terminal demo) --------------------------------------------------------
LANGUAGE = ("LC_ALL", "LC_MESSAGES", "LANG")


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


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
