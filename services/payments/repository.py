"""Payments tables (bills, tenders, refunds, business_days, payment_refs)."""
from __future__ import annotations

from services.infra.sql import Sql, from_json, to_json
from services.payments.context import PaymentsRepo
from services.payments.model import Bill, Day, Payment
from services.statuses import BillStatus, DayStatus, OrderType

_BILL = ('order_id, day_id, order_type, table_no AS "table", guests, total, lines, placed_at, status, paid, refunded,'
         " gift_kind, cancel_reason, cancelled_by, cancelled_at, cash_receipt")
_ADD_BILL = ("INSERT OR IGNORE INTO bills (order_id, day_id, order_type, table_no, guests, total, lines, placed_at,"
             " status, paid, refunded, gift_kind, cancel_reason, cancelled_by, cancelled_at, cash_receipt) VALUES"
             " (:order_id, :day_id, :order_type, :table, :guests, :total, :lines, :placed_at, :status, :paid,"
             " :refunded, :gift_kind, :cancel_reason, :cancelled_by, :cancelled_at, :cash_receipt)")
_SAVE_BILL = ("UPDATE bills SET status=:status, paid=:paid, refunded=:refunded, gift_kind=:gift_kind,"
              " cancel_reason=:cancel_reason, cancelled_by=:cancelled_by, cancelled_at=:cancelled_at,"
              " cash_receipt=:cash_receipt WHERE order_id=:order_id")
_TENDER = ("order_id, day_id, kind, amount, tendered, change, approval, last4, guest, staff, at")
_REFUND = ("order_id, day_id, kind, amount, approval, last4, staff, reason, at")
_DAY = "id, status, opened_at, opened_by, float_cash, closed_at, closed_by, counted_cash, report"


def _insert(columns: str) -> str:
    return ", ".join(f":{name.strip()}" for name in columns.split(","))


class PaymentsRepository(PaymentsRepo):
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    # -- bills ------------------------------------------------------------------------------------
    def bill(self, order_id: int) -> Bill | None:
        row = self.sql.one(f"SELECT {_BILL} FROM bills WHERE order_id = ?", (order_id,))
        if row is None:
            return None
        fields = dict(row)
        fields.update(lines=from_json(fields["lines"]), status=BillStatus(fields["status"]),
                      order_type=OrderType(fields["order_type"]))
        fields["tenders"] = [dict(r) for r in self.sql.all(
            f"SELECT {_TENDER} FROM tenders WHERE order_id = ? ORDER BY id", (order_id,))]
        fields["refunds"] = [dict(r) for r in self.sql.all(
            f"SELECT {_REFUND} FROM refunds WHERE order_id = ? ORDER BY id", (order_id,))]
        return Bill(**fields)

    def add_bill_if_new(self, bill: Bill) -> None:
        self.sql.run(_ADD_BILL, {**_bill_params(bill), "lines": to_json(bill.lines), "placed_at": bill.placed_at,
                                 "day_id": bill.day_id, "order_type": bill.order_type, "table": bill.table,
                                 "guests": bill.guests, "total": bill.total})

    def save_bill(self, bill: Bill) -> None:
        self.sql.run(_SAVE_BILL, _bill_params(bill))
        new_tenders = [t for t in bill.tenders if t.pop("new", False)]
        if new_tenders:
            self.sql.run_many(f"INSERT INTO tenders ({_TENDER}) VALUES ({_insert(_TENDER)})",
                              [{**t, "order_id": bill.order_id} for t in new_tenders])
        new_refunds = [r for r in bill.refunds if r.pop("new", False)]
        if new_refunds:
            self.sql.run_many(f"INSERT INTO refunds ({_REFUND}) VALUES ({_insert(_REFUND)})",
                              [{**r, "order_id": bill.order_id} for r in new_refunds])

    # -- payments taken under a client_ref (so a retry is answered the same) --------------------------
    def payment(self, client_ref: str) -> Payment | None:
        row = self.sql.one("SELECT order_id, amount, change, balance, status, tenders, client_ref FROM payment_refs"
                           " WHERE client_ref = ?", (client_ref,))
        if row is None:
            return None
        return Payment(**{**dict(row), "status": BillStatus(row["status"]),
                          "tenders": tuple(from_json(row["tenders"]))})

    def add_payment(self, payment: Payment, at: float) -> None:
        self.sql.run("INSERT INTO payment_refs (client_ref, order_id, amount, change, balance, status, tenders, at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (payment.client_ref, payment.order_id, payment.amount,
                                                          payment.change, payment.balance, payment.status,
                                                          to_json(list(payment.tenders)), at))

    def note_gift(self, order_id: int, gift_kind: str) -> None:
        self.sql.run("UPDATE bills SET gift_kind = ? WHERE order_id = ?", (gift_kind, order_id))

    # -- days -------------------------------------------------------------------------------------
    def open_day(self) -> Day | None:
        row = self.sql.one(f"SELECT {_DAY} FROM business_days WHERE status = 'open'")
        return _day(row) if row else None

    def add_day(self, day: Day) -> int:
        return self.sql.insert("INSERT INTO business_days (status, opened_at, opened_by, float_cash)"
                               " VALUES (?, ?, ?, ?)", (day.status, day.opened_at, day.opened_by, day.float_cash))

    def save_day(self, day: Day) -> None:
        self.sql.run("UPDATE business_days SET status=?, closed_at=?, closed_by=?, counted_cash=?, report=?"
                     " WHERE id=?", (day.status, day.closed_at, day.closed_by, day.counted_cash,
                                     None if day.report is None else to_json(day.report), day.id))

    def adopt_strays(self, day_id: int) -> None:
        self.sql.run("UPDATE bills SET day_id = ? WHERE day_id IS NULL", (day_id,))
        self.sql.run("UPDATE refunds SET day_id = ? WHERE day_id IS NULL", (day_id,))

    def day_rows(self, day_id: int) -> tuple[list[dict], list[dict], list[dict]]:
        bills = [{**dict(row), "lines": from_json(row["lines"])} for row in
                 self.sql.all(f"SELECT {_BILL} FROM bills WHERE day_id = ? ORDER BY order_id", (day_id,))]
        tenders = [dict(row) for row in self.sql.all(f"SELECT {_TENDER} FROM tenders WHERE day_id = ? ORDER BY id",
                                                     (day_id,))]
        refunds = [dict(row) for row in self.sql.all(f"SELECT {_REFUND} FROM refunds WHERE day_id = ? ORDER BY id",
                                                     (day_id,))]
        return bills, tenders, refunds

    # -- read side (the port's queries; not used by the handlers) ---------------------------------
    def day(self, day_id: int) -> Day | None:
        row = self.sql.one(f"SELECT {_DAY} FROM business_days WHERE id = ?", (day_id,))
        return _day(row) if row else None

    def days(self, limit: int = 100) -> list[Day]:
        return [_day(row) for row in self.sql.all(f"SELECT {_DAY} FROM business_days ORDER BY id DESC LIMIT ?",
                                                  (limit,))]

    def unpaid_order_ids(self) -> list[int]:
        return [row[0] for row in self.sql.all("SELECT order_id FROM bills INDEXED BY ix_bills_open"
                                               " WHERE status = 'open' ORDER BY order_id")]


def _bill_params(bill: Bill) -> dict:
    return {"order_id": bill.order_id, "status": bill.status, "paid": bill.paid, "refunded": bill.refunded,
            "gift_kind": bill.gift_kind, "cancel_reason": bill.cancel_reason, "cancelled_by": bill.cancelled_by,
            "cancelled_at": bill.cancelled_at, "cash_receipt": bill.cash_receipt}


def _day(row) -> Day:
    fields = dict(row)
    fields["status"] = DayStatus(fields["status"])
    fields["report"] = from_json(fields["report"]) if fields["report"] else None
    return Day(**fields)
