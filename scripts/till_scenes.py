"""The till's warnings for docs/screenshots (run by scripts/screenshots.py): offline from its shop
server, and a kitchen printer that is off."""
from __future__ import annotations

import time
from pathlib import Path

from scripts.grab import SIZE, grab_in_both_languages, settle


def offline_till(folder: Path, out: Path, app) -> None:
    """A till on a shop server: it sees the menu once, the server goes, it takes an order as T-1."""
    from pos_app.app import build_shop_app
    from services.http.app import create_app
    from services.http.auth import StaffStore
    from services.http.server import ServerThread
    from services.local import open_local_shop
    from services.remote import open_remote_shop
    served = open_local_shop(folder / "server-shop.sqlite", scheduler=False)
    staff = StaffStore(folder / "server-shop.staff.sqlite")
    server = ServerThread(create_app(served, staff)).start()
    till = open_remote_shop(server.url, "counter:1111", queue_path=folder / "till-queue.sqlite")
    try:
        till.menu()                                   # seen once while online: kept beside the queue
        built = build_shop_app(till, "counter", "en")
        built.show(kitchen_full_screen=False)
        main_window = built.main
        main_window.resize(*SIZE)
        while not built.events.is_subscribed:
            settle(app, 0.1)
        server.stop()
        while built.events.connection.state != "offline":
            settle(app, 0.1)
        counter = main_window.counter
        first = list(counter.menu_panel.buttons)[0]
        counter.add_to_cart(counter.menu_panel.buttons[first].item)
        counter.name.setText("김민수")
        counter.phone.setText("010-1234-5678")
        counter.place_order()
        while counter.orders.rowCount() == 0:
            settle(app, 0.1)
        grab_in_both_languages(app, main_window, lambda language: out / f"counter-offline-{language}.png")
        built.close()
    finally:
        till.close()
        staff.close()
        served.close()


def printer_off(folder: Path, out: Path, app) -> None:
    """A till whose kitchen printer is off: two tickets wait, and the status bar says so."""
    import socket

    from pos_app.app import build_shop_app
    from services.commands import OrderLine, PlaceOrder
    from services.local import open_local_shop
    from services.printing import open_print_service
    from services.printing.config import parse_config
    from services.printing.samples import SAMPLE_SHOP
    with socket.socket() as probe:                    # a port nothing listens on: the printer is off
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shop = open_local_shop(folder / "printer-shop.sqlite", scheduler=False)
    config = {"shop": {"name": SAMPLE_SHOP.name}, "retry": {"first_s": 0.2, "max_s": 2},
              "printer": [{"name": "주방", "role": "kitchen", "host": "127.0.0.1", "port": port}]}
    service = open_print_service(shop, parse_config(config), folder / "printer-shop-printing.sqlite")
    try:
        built = build_shop_app(shop, "counter", "en", receipt_printer=service)
        built.show(kitchen_full_screen=False)
        main_window = built.main
        main_window.resize(*SIZE)
        codes = [item.code for item in shop.menu()][:2]
        for code in codes:
            shop.place_order(PlaceOrder((OrderLine(code, 1),), customer_name="김민수"))
        sign, deadline = main_window.printer_sign, time.monotonic() + 60
        while sign.held is None or sign.held.slips < len(codes):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the printer sign did not show {len(codes)} waiting slips within 60 s")
            settle(app, 0.2)
        grab_in_both_languages(app, main_window, lambda language: out / f"counter-printer-off-{language}.png")
        built.close()
    finally:
        service.close()
        shop.close()
