"""What a receipt and a kitchen ticket say, laid out on an 80 mm roll (48 Font A columns by default).

Receipt: the shop's details (set by the manager in the printers file), order number and time, one
line per item with quantity and amount, the total with VAT included shown as supply value + VAT (10%),
the gift, the customer; Korean with English. Kitchen ticket: large and plain (double size), order
number, time, each line's quantity, name and note; a REPRINT or VOID banner when it is one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from services.day_report import supply_and_vat
from services.printing.config import ShopDetails
from services.printing.escpos import columns
from services.printing.slip import Line, Slip, rule, spread, wrap

QTY_COLUMNS, AMOUNT_COLUMNS = 4, 10


@dataclass(frozen=True)
class PrintLine:
    item_code: str
    name_ko: str
    name_en: str
    quantity: int
    unit_price: int
    note: str = ""
    category: str = ""


@dataclass(frozen=True)
class PrintOrder:
    """One order as the slips need it, gathered from the port's queries (``services.printing.orders``)."""
    order_id: int
    placed_at: float                 # epoch seconds
    lines: tuple[PrintLine, ...]
    total: int
    customer_name: str = ""
    phone: str = ""
    address: str = ""
    scheduled_for: float | None = None
    gift_kind: str = ""
    cancelled: bool = False
    reason: str = ""
    extra: dict = field(default_factory=dict)
    order_type: str = "delivery"     # dine_in | takeout | delivery (orders before types: delivery)
    table: int | None = None
    guests: int = 0
    tenders: tuple[dict, ...] = ()   # {"kind", "amount", "tendered", "change", "last4", "approval"}
    balance: int = 0                 # still due (a dine-in order not paid yet, a split part-paid)
    cash_receipt: str = ""
    till_number: str = ""            # taken offline on a till ("T-3"): what the customer was told


ORDER_TYPES = {"dine_in": "매장 Dine-in", "takeout": "포장 Takeout", "delivery": "배달 Delivery"}


def order_type_text(order: PrintOrder) -> str:
    """"매장 Dine-in · 테이블 Table 7 (3)", "포장 Takeout", "배달 Delivery"."""
    text = ORDER_TYPES.get(order.order_type, order.order_type)
    if order.table is not None:
        text += f" · 테이블 Table {order.table}" + (f" ({order.guests})" if order.guests else "")
    return text


def masked(number: str) -> str:
    """A cash-receipt number with its middle hidden, as receipts print it: 010-****-5678."""
    parts = number.split("-")
    return "-".join([parts[0], *("*" * len(p) for p in parts[1:-1]), parts[-1]]) if len(parts) > 2 else number


def won(amount: int) -> str:
    return f"{amount:,}"


def clock(epoch: float, with_date: bool = True) -> str:
    at = datetime.fromtimestamp(epoch, tz=timezone.utc).astimezone()
    return at.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def receipt(order: PrintOrder, shop: ShopDetails, width: int = 48, copy: int = 1) -> Slip:
    lines: list[Line] = []
    if copy > 1:
        lines.append(Line(f"재발행 REPRINT {copy}", align="center", size=2, bold=True, banner=True))
    lines += [Line(part, align="center", size=2, bold=True) for part in wrap(shop.name, width // 2)]
    if shop.business_number:
        lines += _para(f"사업자번호 Business No. {shop.business_number}", width, align="center")
    lines += _para(shop.address, width, align="center") if shop.address else []
    lines += _para(f"전화 Tel. {shop.phone}", width, align="center") if shop.phone else []
    lines += [rule(width, "="), *_order_number(order, width),
              Line(spread("일시 Date", clock(order.placed_at), width)),
              *_para(order_type_text(order), width)]
    if order.scheduled_for:
        lines.append(Line(spread("예약 For", clock(order.scheduled_for), width)))
    if order.cancelled:
        lines.append(Line("취소된 주문 CANCELLED", align="center", size=2, bold=True, banner=True))
    lines += [rule(width), Line(_item_row("품목 Item", "수량", "금액", width)), rule(width)]
    for item in order.lines:
        name = wrap(f"{item.name_ko} {item.name_en}", width - QTY_COLUMNS - AMOUNT_COLUMNS)
        lines.append(Line(_item_row(name[0], str(item.quantity), won(item.unit_price * item.quantity), width)))
        lines += [Line(part) for part in name[1:]]
        lines += _para(f"  ※ {item.note}", width) if item.note else []
    supply, vat = supply_and_vat(order.total)
    lines += [rule(width),
              Line(spread("합계 Total", won(order.total), width // 2), size=2, bold=True),
              Line(spread("공급가액 Supply value", won(supply), width)),
              Line(spread("부가세 VAT (10%)", won(vat), width)),
              rule(width)]
    lines += _tenders(order, width)
    if order.gift_kind:
        lines += _para(f"사은품 Gift: {order.gift_kind}", width)
    if order.customer_name or order.phone:
        lines += _para(f"고객 Customer: {order.customer_name} {order.phone}".rstrip(), width)
    lines += _para(f"배달 Address: {order.address}", width) if order.address else []
    if shop.footer:
        lines += [Line(), *_para(shop.footer, width, align="center")]
    return Slip(lines=tuple(lines), width=width)


def _order_number(order: PrintOrder, width: int) -> list[Line]:
    """The number the customer was told, large: "#12"; an order taken offline, still on its till, has
    only its till number ("T-3"), and once the shop has it both ("#12", then "단말 Till T-3")."""
    if order.order_id < 0:
        return [Line(spread("주문번호 Order No.", order.till_number, width // 2), size=2, bold=True),
                *_para("단말 대기: 아직 전송 전 Waiting on this till, not sent yet", width)]
    number = [Line(spread("주문번호 Order No.", f"#{order.order_id}", width // 2), size=2, bold=True)]
    if order.till_number:
        number.append(Line(spread("단말번호 Till No.", order.till_number, width)))
    return number


def _tenders(order: PrintOrder, width: int) -> list[Line]:
    """How it was paid: each tender, cash tendered and the change; what is still due; the 현금영수증."""
    out: list[Line] = []
    for tender in order.tenders:
        if tender["kind"] == "card":
            out.append(Line(spread(f"카드 Card ****{tender.get('last4', '')}", won(tender["amount"]), width)))
            out += _para(f"  승인 Approval {tender.get('approval', '')}", width)
        else:
            out.append(Line(spread("현금 Cash", won(tender["amount"]), width)))
            if tender.get("change"):
                out += [Line(spread("  받은 돈 Tendered", won(tender["tendered"]), width)),
                        Line(spread("거스름돈 Change", won(tender["change"]), width // 2), size=2, bold=True)]
    if order.balance and not order.cancelled:
        out.append(Line(spread("미결제 Due", won(order.balance), width // 2), size=2, bold=True))
    if order.cash_receipt:
        out += _para(f"현금영수증 Cash receipt: {masked(order.cash_receipt)}", width)
    return [*out, rule(width)] if out else []


def _para(text: str, width: int, **style) -> list[Line]:
    """Free text (names, notes, the shop's details) wrapped to the paper, one Line per printed line."""
    size = style.get("size", 1)
    return [Line(part, **style) for part in wrap(text, width // size)]


def _item_row(name: str, quantity: str, amount: str, width: int) -> str:
    left = width - QTY_COLUMNS - AMOUNT_COLUMNS
    name = spread(name, "", left) if columns(name) > left else name + " " * (left - columns(name))
    return name + " " * (QTY_COLUMNS - columns(quantity)) + quantity + " " * (AMOUNT_COLUMNS - columns(amount)) + amount


def ticket_maker(order: PrintOrder, lines: tuple[PrintLine, ...], printer: str, width: int,
                 banner: str = "") -> Callable[[int], Slip]:
    """A print job's ``make_slip(version)`` for one printer's ticket, bound to that printer's lines now
    (a lambda written in a loop over printers would see the loop's last printer when called later)."""
    return lambda _version: kitchen_ticket(order, lines, printer, width, banner=banner)


def kitchen_ticket(order: PrintOrder, lines: tuple[PrintLine, ...], printer: str, width: int = 48,
                   banner: str = "") -> Slip:
    """The ticket for one kitchen printer (only its lines). ``banner``: "" | "REPRINT" | "VOID"."""
    big = width // 2
    out: list[Line] = []
    if banner == "VOID":
        out.append(Line("주문취소 VOID", align="center", size=2, bold=True, banner=True))
    elif banner:
        out.append(Line(f"재출력 {banner}", align="center", size=2, bold=True, banner=True))
    out += [Line(spread(f"#{order.order_id}", clock(order.placed_at, with_date=False), big), size=2, bold=True),
            *_para(ORDER_TYPES.get(order.order_type, order.order_type)
                   + (f" · T{order.table}" if order.table is not None else ""), width, size=2, bold=True),
            *_para(f"주방 Kitchen: {printer}  {clock(order.placed_at)}", width)]
    if order.scheduled_for:
        out.append(Line(f"예약 For {clock(order.scheduled_for, with_date=False)}", size=2, bold=True))
    out.append(rule(width, "="))
    for item in lines:
        out += [Line(part, size=2, bold=True) for part in wrap(f"{item.quantity} x {item.name_ko}", big)]
        out += _para(f"    {item.name_en}", width)
        out += _para(f"  ※ {item.note}", width, size=2) if item.note else []
    out.append(rule(width, "="))
    if banner == "VOID" and order.reason:
        out += _para(f"사유 Reason: {order.reason}", width)
    if order.customer_name:
        out += _para(f"고객 Customer: {order.customer_name}", width)
    return Slip(lines=tuple(out), width=width)
