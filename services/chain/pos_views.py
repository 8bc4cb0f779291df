"""The payments service's views for the gateway, as the gateway's own wire JSON (``pos_schemas``
models, camelCase), decoded there by ``services/remote/codec.py``. Every query is the local shop's
own (``services.local.payment_views.PaymentViews`` over the payments repository), run here on the
request's PostgreSQL connection: one implementation of each query, two infrastructures.

``bill_notes``: for the counter's order list, each order's type, table and bill (the local shop joins
them to mypage's rows in SQL; in the chain the gateway joins this answer to mypage's page).
"""
from __future__ import annotations

import time
from typing import Any

from services.chain.pg import PgSql
from services.http import pos_schemas as ps
from services.local.payment_views import PaymentViews

_NOTES = "SELECT order_id, order_type, table_no, status, total - paid AS due FROM bills WHERE order_id = ANY(%s)"


def _dump(model, value) -> Any:
    return model.model_validate(value).model_dump(mode="json", by_alias=True)


def _views(sql: PgSql) -> PaymentViews:
    return PaymentViews(lambda work: work(sql), time.time)


def bill(sql: PgSql, order_id: int) -> dict:
    return _dump(ps.BillOut, _views(sql).bill(order_id))


def unpaid_bills(sql: PgSql) -> list[dict]:
    return [_dump(ps.BillOut, b) for b in _views(sql).unpaid_bills()]


def current_day(sql: PgSql) -> dict | None:
    day = _views(sql).current_day()
    return None if day is None else _dump(ps.BusinessDayOut, day)


def day(sql: PgSql, day_id: int) -> dict:
    return _dump(ps.BusinessDayOut, _views(sql).day(day_id))


def days(sql: PgSql) -> list[dict]:
    return [_dump(ps.BusinessDayOut, d) for d in _views(sql).days()]


def x_report(sql: PgSql) -> dict:
    return _dump(ps.DayReportOut, _views(sql).x_report())


def z_report(sql: PgSql, day_id: int) -> dict:
    return _dump(ps.DayReportOut, _views(sql).z_report(day_id))


def bill_notes(sql: PgSql, order_ids: list[int]) -> list[dict]:
    """``[{"orderId", "orderType", "table", "billStatus", "balance"}]`` of those orders that have a bill
    (balance: what is still due on an open bill, else 0, as the local shop's order list says)."""
    return [{"orderId": r.order_id, "orderType": r.order_type, "table": r.table_no, "billStatus": r.status,
             "balance": r.due if r.status == "open" else 0}
            for r in sql.conn.execute(_NOTES, ([int(i) for i in order_ids],))]
