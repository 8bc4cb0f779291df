"""Mypage table."""
from __future__ import annotations

from collections.abc import Collection

from services.infra.sql import Sql, placeholders
from services.mypage.model import FIELDS

_COLUMNS = ", ".join(FIELDS)
_UPSERT = f"INSERT OR REPLACE INTO mypage ({_COLUMNS}) VALUES ({', '.join(':' + f for f in FIELDS)})"


class MypageRepository:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def rows(self, order_ids: Collection[int]) -> dict[int, dict]:
        ids = sorted(order_ids)
        rows = self.sql.all(f"SELECT {_COLUMNS} FROM mypage WHERE order_id IN {placeholders(ids)}", ids)
        return {row["order_id"]: dict(row) for row in rows}

    def upsert(self, rows: list[dict]) -> None:
        if rows:
            self.sql.run_many(_UPSERT, rows)
