"""The environment operations read: kept in ``services.settings`` (every variable in one place);
this module names the operations' part of it, and where the shop server's logs go by default."""
from __future__ import annotations

from pathlib import Path

from services.settings import (LOG_DIR, METRICS_DIR, REPLICA, default_replica, in_supervisor, log_dir,
                               metrics_dir)

__all__ = ["LOG_DIR", "METRICS_DIR", "REPLICA", "default_replica", "in_supervisor", "log_dir", "metrics_dir",
           "shop_log_dir"]


def shop_log_dir(db_path: Path) -> Path:
    """Where the shop server's logs go when SIKDANG_LOG_DIR is not set: beside its database."""
    return log_dir() or Path(db_path).with_name(Path(db_path).stem + ".logs")
