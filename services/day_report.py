"""The X and Z reports of a business day: what they contain, and how they are summed. Pure Python.

The payments context sums them from its own rows (bills, tenders, refunds); the port returns them
as ``DayReport``; a closed day's Z report is kept as ``to_dict()`` JSON and read back with
``from_dict``, so reprinting it years later shows exactly what was printed at close.

What counts where: an order belongs to the day open when it was placed (an order placed while no
day was open, to the next day opened); money belongs to the day it moved in (a payment or a refund
counts in the day it was taken or given, whichever day its order belongs to).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import overload

VAT_RATE = 0.10


def supply_and_vat(total: int) -> tuple[int, int]:
    """A VAT-inclusive total in whole won, split as Korean receipts show it: supply = round(total / 1.1)."""
    supply = round(total / (1 + VAT_RATE))
    return supply, total - supply


@dataclass(frozen=True)
class Figure:
    """One row of a breakdown: ``key`` (tender, item code, hour "09", order type, gift kind, order
    number), a label for people, how many and how much (won)."""
    key: str
    label: str
    count: int
    amount: int


@dataclass(frozen=True)
class Cancellation:
    order_id: int
    amount: int
    staff: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Refund:
    order_id: int
    kind: str
    amount: int
    staff: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class DayReport:
    """``kind`` "X" (the open day so far, changes nothing) or "Z" (the day as closed)."""
    kind: str
    day_id: int
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str
    printed_at: datetime
    orders: int                   # orders of the day not cancelled
    gross_sales: int              # their totals, VAT included
    discounts: int                # none yet
    net_sales: int
    supply: int
    vat: int
    by_tender: tuple[Figure, ...]         # payments taken in the day
    refunds_by_tender: tuple[Figure, ...]
    by_item: tuple[Figure, ...]           # count = units
    by_hour: tuple[Figure, ...]           # key "00".."23", the shop's local hour the order was placed
    by_order_type: tuple[Figure, ...]
    cancellations: tuple[Cancellation, ...]
    refunds: tuple[Refund, ...]
    gifts: tuple[Figure, ...]             # gifts given with the day's orders (not cancelled)
    unpaid: tuple[Figure, ...]            # the day's orders with money still due (key: order number)
    float_cash: int
    cash_sales: int
    cash_refunds: int
    expected_cash: int                    # float + cash sales - cash refunds
    counted_cash: int | None = None       # Z only
    over_short: int | None = None         # counted - expected: + over, - short

    def to_dict(self) -> dict:
        return _plain(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: Mapping) -> DayReport:
        fields = dict(data)
        for key in ("opened_at", "closed_at", "printed_at"):
            fields[key] = _when(fields[key])
        for key in ("by_tender", "refunds_by_tender", "by_item", "by_hour", "by_order_type", "gifts", "unpaid"):
            fields[key] = tuple(Figure(**f) for f in fields[key])
        fields["cancellations"] = tuple(Cancellation(**{**c, "at": _when(c["at"])}) for c in fields["cancellations"])
        fields["refunds"] = tuple(Refund(**{**r, "at": _when(r["at"])}) for r in fields["refunds"])
        return cls(**fields)


@overload
def _when(value: float | str | datetime) -> datetime: ...
@overload
def _when(value: None) -> None: ...
def _when(value: float | str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    return datetime.fromisoformat(value)


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


TYPE_LABELS = {"dine_in": "매장 Dine-in", "takeout": "포장 Takeout", "delivery": "배달 Delivery"}
TENDER_LABELS = {"cash": "현금 Cash", "card": "카드 Card"}


def _figures(totals: Mapping[str, list[int]], labels: Mapping[str, str]) -> tuple[Figure, ...]:
    return tuple(Figure(key, labels.get(key, key), count, amount) for key, (count, amount) in sorted(totals.items()))


def _add(totals: dict[str, list[int]], key: str, count: int, amount: int) -> None:
    entry = totals.setdefault(key, [0, 0])
    entry[0] += count
    entry[1] += amount


def build_report(kind: str, day: Mapping, bills: Iterable[Mapping], tenders: Iterable[Mapping],
                 refunds: Iterable[Mapping], now: float, counted_cash: int | None = None,
                 closed_by: str = "") -> DayReport:
    """Sum a day's report. ``day``: id, opened_at, opened_by, float_cash; ``bills``: the day's orders
    (order_id, order_type, total, lines, placed_at, status, paid, refunded, gift_kind, cancel_reason,
    cancelled_by, cancelled_at); ``tenders`` and ``refunds``: the money moved in the day."""
    items: dict[str, list[int]] = {}
    item_labels: dict[str, str] = {}
    hours: dict[str, list[int]] = {}
    types: dict[str, list[int]] = {}
    gifts: dict[str, list[int]] = {}
    unpaid: dict[str, list[int]] = {}
    cancellations = []
    for bill in bills:
        if bill["status"] == "cancelled":
            cancellations.append(Cancellation(bill["order_id"], bill["total"], bill["cancelled_by"],
                                              bill["cancel_reason"], _when(bill["cancelled_at"] or now)))
            continue
        hour = datetime.fromtimestamp(bill["placed_at"]).strftime("%H")   # the shop's local hour
        _add(hours, hour, 1, bill["total"])
        _add(types, bill["order_type"], 1, bill["total"])
        for line in bill["lines"]:
            _add(items, line["item_code"], line["quantity"], line["quantity"] * line["unit_price"])
            item_labels[line["item_code"]] = f"{line['name_ko']} {line['name_en']}"
        if bill["gift_kind"]:
            _add(gifts, bill["gift_kind"], 1, 0)
        due = bill["total"] - bill["paid"]
        if due > 0:
            _add(unpaid, str(bill["order_id"]), 1, due)
    by_tender: dict[str, list[int]] = {}
    for tender in tenders:
        _add(by_tender, tender["kind"], 1, tender["amount"])
    refunds_by_tender: dict[str, list[int]] = {}
    refund_lines = []
    for refund in refunds:
        _add(refunds_by_tender, refund["kind"], 1, refund["amount"])
        refund_lines.append(Refund(refund["order_id"], refund["kind"], refund["amount"], refund["staff"],
                                   refund["reason"], _when(refund["at"])))
    gross = sum(amount for _, amount in types.values())
    supply, vat = supply_and_vat(gross)
    cash_sales = by_tender.get("cash", [0, 0])[1]
    cash_refunds = refunds_by_tender.get("cash", [0, 0])[1]
    expected = day["float_cash"] + cash_sales - cash_refunds
    return DayReport(
        kind=kind, day_id=day["id"], opened_at=_when(day["opened_at"]), opened_by=day["opened_by"],
        closed_at=_when(now) if kind == "Z" else None, closed_by=closed_by, printed_at=_when(now),
        orders=sum(count for count, _ in types.values()), gross_sales=gross, discounts=0, net_sales=gross,
        supply=supply, vat=vat, by_tender=_figures(by_tender, TENDER_LABELS),
        refunds_by_tender=_figures(refunds_by_tender, TENDER_LABELS), by_item=_figures(items, item_labels),
        by_hour=_figures(hours, {}), by_order_type=_figures(types, TYPE_LABELS),
        cancellations=tuple(cancellations), refunds=tuple(refund_lines), gifts=_figures(gifts, {}),
        unpaid=tuple(sorted(_figures(unpaid, {}), key=lambda f: int(f.key))), float_cash=day["float_cash"],
        cash_sales=cash_sales, cash_refunds=cash_refunds, expected_cash=expected, counted_cash=counted_cash,
        over_short=None if counted_cash is None else counted_cash - expected)
