"""Shared fixtures: every test gets its own real SQLite file."""
from __future__ import annotations

import pytest

from services.local import open_local_shop

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
