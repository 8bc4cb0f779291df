"""Create or upgrade a shop database with Alembic: opening a file made by an older version upgrades it.

The whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction (SQLite DDL is transactional): a failed
migration leaves the file as it was, and two processes opening a new file take turns.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from services.infra.db import writer_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(path: Path, revision: str = "head") -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = writer_engine(path)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()
