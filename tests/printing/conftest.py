"""Printing tests: a real LocalShop on a tmp SQLite file as the port, fake printers on loopback."""
from __future__ import annotations

import pytest

from services.local import open_local_shop
from services.printing.config import parse_config
from tests.printing.fake_printer import FakePrinter

SHOP = {"name": "식당 Sikdang", "business_number": "123-45-67890", "address": "서울특별시 종로구 종로 1",
        "phone": "02-123-4567"}


def printers_config(kitchen_port: int, receipt_port: int | None = None, bar_port: int | None = None, **retry):
    printers = [{"name": "kitchen", "role": "kitchen", "host": "127.0.0.1", "port": kitchen_port, "timeout_s": 20}]
    if receipt_port:
        printers.append({"name": "counter", "role": "receipt", "host": "127.0.0.1", "port": receipt_port})
    if bar_port:
        printers.append({"name": "bar", "role": "kitchen", "host": "127.0.0.1", "port": bar_port,
                         "categories": ["음료"]})
    return {"shop": SHOP, "printer": printers, "retry": {"first_s": 0.05, "max_s": 0.5, **retry}}


@pytest.fixture
def shop(tmp_path):
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False)
    yield shop
    shop.close()


@pytest.fixture
def printer():
    fake = FakePrinter()
    yield fake
    fake.close()


@pytest.fixture
def service_factory(shop, tmp_path):
    from services.printing import open_print_service
    opened = []

    def start(config: dict):
        service = open_print_service(shop, parse_config(config), tmp_path / "shop-printing.sqlite")
        opened.append(service)
        return service
    yield start
    for service in opened:
        service.close()
