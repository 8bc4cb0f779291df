"""Mypage table on a SQLAlchemy connection."""
from __future__ import annotations

from sqlalchemy import Connection, bindparam, text

from services.mypage.model import FIELDS

_COLUMNS = ", ".join(FIELDS)
_ROWS = text(f"SELECT {_COLUMNS} FROM mypage WHERE order_id IN :ids").bindparams(bindparam("ids", expanding=True))
_UPSERT = text(f"INSERT OR REPLACE INTO mypage ({_COLUMNS}) VALUES ({', '.join(':' + f for f in FIELDS)})")


class MypageRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(self, order_ids) -> dict[int, dict]:
        return {row.order_id: dict(row._mapping) for row in self.conn.execute(_ROWS, {"ids": sorted(order_ids)})}

    def upsert(self, rows: list[dict]) -> None:
        if rows:
            self.conn.execute(_UPSERT, rows)
