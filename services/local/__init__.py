"""The local adapter: the whole shop in one process on one SQLite file (the offline default)."""
from __future__ import annotations

from pathlib import Path

from services.local.shop import LocalShop


def open_local_shop(db_path: Path, *, scheduler: bool = True, **options) -> LocalShop:
    """Open (creating and seeding if new, upgrading if old) the shop database at ``db_path``.

    With ``scheduler`` the shop also runs its persisted jobs: scheduled orders reach the kitchen at
    their time, late tickets are flagged, deferred gifts are retried.
    """
    shop = LocalShop(Path(db_path), **options)
    if scheduler:
        from services.local.scheduling import attach_scheduler
        attach_scheduler(shop)
    return shop


__all__ = ["LocalShop", "open_local_shop"]
