"""The environment operations read, in one place (CHAIN.md "Environment")."""
from __future__ import annotations

import os
from pathlib import Path

LOG_DIR = "SIKDANG_LOG_DIR"                  # the one folder every process writes its JSON lines to
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"     # prometheus-client's own: metrics of several processes
REPLICA = "SIKDANG_REPLICA"                  # which replica this process is (supervisor; the pod's name)


def log_dir() -> Path | None:
    value = os.environ.get(LOG_DIR, "").strip()
    return Path(value) if value else None


def default_replica() -> str:
    return os.environ.get(REPLICA, "").strip() or "0"


def metrics_dir() -> Path | None:
    value = os.environ.get(METRICS_DIR, "").strip()
    return Path(value) if value else None


def shop_log_dir(db_path: Path) -> Path:
    """Where the shop server's logs go when SIKDANG_LOG_DIR is not set: beside its database."""
    return log_dir() or Path(db_path).with_name(Path(db_path).stem + ".logs")


def in_supervisor() -> bool:
    """True in a process supervisord started (it sets SUPERVISOR_ENABLED)."""
    return os.environ.get("SUPERVISOR_ENABLED") == "1"
