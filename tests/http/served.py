"""A RemoteShop over a real gateway on loopback, wrapping a given LocalShop: the contract suite's
"remote" implementation (tests/contract/conftest.py)."""
from __future__ import annotations

from contextlib import contextmanager

from services.http.app import create_app
from services.http.auth import StaffStore
from services.http.server import ServerThread
from services.remote import open_remote_shop


@contextmanager
def remote_shop_over(local_shop, tmp_path, *, who: str = "manager:9999"):
    staff = StaffStore(tmp_path / "remote-contract.staff.sqlite")
    server = ServerThread(create_app(local_shop, staff)).start()
    remote = open_remote_shop(server.url, who, queue_path=tmp_path / "remote-contract.queue.sqlite")
    try:
        yield remote
    finally:
        remote.close()
        server.stop()
        staff.close()
