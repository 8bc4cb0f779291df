"""Shared fixtures: every test gets its own real SQLite file."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before anything imports Qt

import pytest  # noqa: E402

from services.local import open_local_shop  # noqa: E402

# The chain's session fixture, defined once for every folder that uses it (tests/chain, tests/contract).
pytest_plugins = ["tests.chain.fixtures"]


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "shop.sqlite"


@pytest.fixture
def local_shop(db_path):
    """A LocalShop on a real SQLite file with the demo menu, its scheduler running."""
    shop = open_local_shop(db_path)
    yield shop
    shop.close()


@pytest.fixture(autouse=True, scope="session")
def _one_qapplication():
    """A QApplication before the first test: the PDF exports and receipt previews make a bare
    QGuiApplication when there is none, and a widget test after them would abort the run (Qt allows
    one application object per process)."""
    from PySide6.QtWidgets import QApplication
    yield QApplication.instance() or QApplication([])
