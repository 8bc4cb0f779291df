"""The remote adapter: the ``Shop`` port over HTTP to a shop server (``python main.py --server URL``)."""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from services.remote.errors import SignInFailed
from services.remote.shop import RemoteShop

__all__ = ["RemoteShop", "open_remote_shop", "default_queue_path"]


def default_queue_path(url: str) -> Path:
    from platformdirs import user_data_dir
    name = re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")
    return Path(user_data_dir("sikdang-pos", appauthor=False)) / f"offline-queue-{name}.sqlite"


def open_remote_shop(url: str, pin: str | None = None, *, staff_id: str | None = None,
                     queue_path: Path | None = None, timeout_s: float = 5.0) -> RemoteShop:
    """Sign in to the shop server at ``url`` and return a RemoteShop.

    ``pin`` is ``"STAFF:PIN"`` (e.g. ``"counter:1111"``) or a bare PIN with ``staff_id`` given or
    ``SIKDANG_STAFF`` set; without ``pin``, ``SIKDANG_PIN`` is read. Raises SignInFailed on a wrong PIN
    or a locked account. An unreachable server is not an error: the shop starts offline and queues orders.
    """
    pin = pin if pin is not None else os.environ.get("SIKDANG_PIN")
    if pin and ":" in pin:
        staff_id, pin = pin.split(":", 1)
    staff_id = staff_id or os.environ.get("SIKDANG_STAFF")
    if not pin or not staff_id:
        raise SignInFailed("Sign in to the shop server with --pin STAFF:PIN, e.g. --pin counter:1111 "
                           "(demo staff are listed in docs/server.md)")
    # httpx logs every request at INFO: a till probing twice a second would fill the terminal
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger("httpx").level))
    return RemoteShop(url, staff_id, pin, queue_path=queue_path or default_queue_path(url), timeout_s=timeout_s)
