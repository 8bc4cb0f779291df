"""The payments repository in the chain: ``services.payments.repository`` unchanged (over ``PgSql``),
plus one thing only the chain needs. A gift is issued inside ordering's transaction; ordering publishes
its ``GiftSent`` after ``Ordered`` (services/chain/gift_client.py), but if ordering's relay is down past
the gift's hold, gift's relay publishes it before the ``Ordered`` that makes the bill (the local shop's
outbox is one log in causal order: there the bill always comes first). The gift
noted for an order with no bill yet is kept in ``early_gifts`` and given to the bill when it comes.
"""
from __future__ import annotations

from services.payments.model import Bill
from services.payments.repository import PaymentsRepository

_KEEP = ("INSERT INTO early_gifts (order_id, gift_kind) VALUES (?, ?)"
         " ON CONFLICT (order_id) DO UPDATE SET gift_kind = excluded.gift_kind")


class ChainPaymentsRepository(PaymentsRepository):
    def note_gift(self, order_id: int, gift_kind: str) -> None:
        if self.sql.run("UPDATE bills SET gift_kind = ? WHERE order_id = ?", (gift_kind, order_id)).rowcount == 0:
            self.sql.run(_KEEP, (order_id, gift_kind))

    def add_bill_if_new(self, bill: Bill) -> None:
        early = self.sql.one("DELETE FROM early_gifts WHERE order_id = ? RETURNING gift_kind", (bill.order_id,))
        if early is not None:
            bill.gift_kind = early["gift_kind"]
        super().add_bill_if_new(bill)
