"""GUI tests: real widgets, offscreen, on a real LocalShop over a SQLite file in tmp_path."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before anything imports Qt

from pathlib import Path

import pytest


@pytest.fixture
def shop(tmp_path: Path):
    from services.local import open_local_shop
    opened = open_local_shop(tmp_path / "shop.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def staffed_shop(tmp_path: Path):
    """A shop whose manager PINs are checked against, and whose manager actions are audited in, a real
    staff file (``tmp_path / "staff.sqlite"``; demo manager: 9999, demo counter: 1111)."""
    from services.http.staff_file import StaffFile
    from services.local import open_local_shop
    opened = open_local_shop(tmp_path / "shop.sqlite", staff=StaffFile(tmp_path / "staff.sqlite"))
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _print_dir(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SIKDANG_PRINT_DIR", str(tmp_path / "prints"))


@pytest.fixture
def shop_app(qtbot, shop):
    """Every screen, built exactly as ``run_gui`` builds them, in English."""
    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language
    built = build_shop_app(shop, "all", "en")
    for window in built.windows:
        qtbot.addWidget(window)
    built.show(kitchen_full_screen=False)
    wait_settled(qtbot, built)
    yield built
    built.close()
    set_language("en")


def wait_settled(qtbot, built, timeout: int = 5000) -> None:
    """Wait until no port call is in flight on any screen (live updates have been applied)."""
    from screens_common.runner import PortRunner

    def idle() -> None:
        qtbot.wait(30)    # let queued events and coalescing timers fire first
        assert built.events.is_subscribed
        for window in built.windows:
            for runner in window.findChildren(PortRunner):
                assert runner.busy == 0
    qtbot.waitUntil(idle, timeout=timeout)


def menu_items(shop, count: int = 2):
    """Items in stock from the demo menu (the test decides quantities, not the demo data)."""
    items = [item for item in shop.menu() if not item.sold_out]
    assert len(items) >= count, "the demo menu should have items in stock"
    return items[:count]


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path):
    """QSettings (e.g. the kitchen's colour thresholds) go to tmp_path, not the user's config."""
    from pos_app.app import isolate_settings
    isolate_settings(tmp_path / "settings")
