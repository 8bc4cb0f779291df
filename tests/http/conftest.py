"""Fixtures: a real LocalShop on a SQLite file served by a real uvicorn on loopback (no fakes)."""
from __future__ import annotations

import httpx
import pytest

from services.http.app import create_app
from services.http.auth import StaffStore
from services.http.server import ServerThread
from services.remote import open_remote_shop

PINS = {"counter": "1111", "kitchen": "2222", "rider": "3333", "manager": "9999"}


class Served:
    """A LocalShop behind the gateway; ``restart()`` stops the server and serves the same files again,
    on the same port, as a restarted server process would."""

    def __init__(self, tmp_path, **app_options) -> None:
        from services.local import open_local_shop
        self.db_path = tmp_path / "shop.sqlite"
        self._open_local_shop, self._options = open_local_shop, app_options
        self.shop = open_local_shop(self.db_path, scheduler=False)
        self.staff = StaffStore(tmp_path / "shop.staff.sqlite")
        self.app = create_app(self.shop, self.staff, **app_options)
        self.thread = ServerThread(self.app).start()
        self.url, self.port = self.thread.url, self.thread.port

    def stop(self) -> None:
        self.thread.stop()
        self.shop.close()

    def start(self) -> None:
        self.shop = self._open_local_shop(self.db_path, scheduler=False)
        self.app = create_app(self.shop, self.staff, **self._options)
        self.thread = ServerThread(self.app, port=self.port).start()

    def close(self) -> None:
        if self.thread.thread.is_alive():
            self.stop()
        self.staff.close()


@pytest.fixture
def served(tmp_path):
    s = Served(tmp_path)
    yield s
    s.close()


@pytest.fixture
def client(served):
    with httpx.Client(base_url=served.url, timeout=10) as c:
        yield c


def sign_in(client: httpx.Client, role: str) -> dict:
    r = client.post("/auth/sign-in", json={"staffId": role, "pin": PINS[role]})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture
def as_role(client):
    cache: dict[str, dict] = {}

    def headers(role: str) -> dict:
        if role not in cache:
            cache[role] = sign_in(client, role)
        return cache[role]
    return headers


@pytest.fixture
def remote(served, tmp_path):
    shop = open_remote_shop(served.url, "manager:9999", queue_path=tmp_path / "queue.sqlite")
    yield shop
    shop.close()


def an_item(client: httpx.Client, headers: dict, *, in_stock: int = 1) -> dict:
    """A menu item with at least ``in_stock`` units (the demo menu is the LocalShop's)."""
    menu = client.get("/cooks/menu", headers=headers).json()
    return next(m for m in menu if m["stock"] >= in_stock)


def order_body(item_code: str, quantity: int = 1, **extra) -> dict:
    return {"lines": [{"itemCode": item_code, "quantity": quantity}], "customerName": "홍길동",
            "phone": "010-1234-5678", "address": "서울시 중구 세종대로 110", **extra}
