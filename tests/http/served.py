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


@contextmanager
def till_with_staff_file(mode: str, tmp_path, *, who: str = "counter:1111"):
    """(shop, staff file path, server url or None) for a manager's staff and menu changes: "local" is the
    embedded shop on its staff file (as main.py opens it); "remote" a till signed in as ``who`` over the
    real shop server on loopback, whose staff file it is."""
    from services.http.staff_file import StaffFile
    from services.local import open_local_shop
    staff_path = tmp_path / "shop.staff.sqlite"
    if mode == "local":
        shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(staff_path))
        try:
            yield shop, staff_path, None
        finally:
            shop.close()
        return
    served = open_local_shop(tmp_path / "shop.sqlite", scheduler=False)
    staff = StaffStore(staff_path)
    server = ServerThread(create_app(served, staff)).start()
    till = open_remote_shop(server.url, who, queue_path=tmp_path / "queue.sqlite")
    try:
        yield till, staff_path, server.url
    finally:
        till.close()
        server.stop()
        staff.close()
        served.close()
