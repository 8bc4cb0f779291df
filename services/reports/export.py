"""A day's X or Z report as rows (one table for people and spreadsheets alike), as CSV, and as PDF.

The rows are the report's every figure, labelled in Korean with English. CSV is plain ``csv``; PDF
is drawn with Qt's ``QPdfWriter`` (works offscreen; Qt is imported only when a PDF is asked for, so
the shop server can serve CSV without it). Korean needs a CJK font (fonts-noto-cjk, in ``dev``).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from services.day_report import DayReport, Figure

HEADER = ("section", "key", "label", "count", "amount")


def _clock(value) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def report_rows(report: DayReport) -> list[tuple[str, str, str, str, str]]:
    """(section, key, label, count, amount) for every figure of ``report``, in reading order."""
    rows: list[tuple[str, str, str, str, str]] = []

    def add(section: str, key: str, label: str, count="", amount="") -> None:
        rows.append((section, key, label, str(count), str(amount)))

    title = "Z 마감 Z report" if report.kind == "Z" else "X 중간 X report"
    add("day", "kind", title, "", report.kind)
    add("day", "day_id", "영업일 Day", "", report.day_id)
    add("day", "opened", f"개점 Opened {_clock(report.opened_at)}", "", report.opened_by)
    if report.closed_at:
        add("day", "closed", f"마감 Closed {_clock(report.closed_at)}", "", report.closed_by)
    add("day", "printed", f"출력 Printed {_clock(report.printed_at)}")
    add("sales", "orders", "주문 Orders", report.orders)
    add("sales", "gross", "총매출 Gross sales", "", report.gross_sales)
    add("sales", "discounts", "할인 Discounts", "", report.discounts)
    add("sales", "net", "순매출 Net sales", "", report.net_sales)
    add("sales", "supply", "공급가액 Supply value", "", report.supply)
    add("sales", "vat", "부가세 VAT (10%)", "", report.vat)
    sections: list[tuple[str, str, tuple[Figure, ...]]] = [
        ("tender", "결제수단 By tender", report.by_tender),
        ("refund_tender", "환불 Refunds by tender", report.refunds_by_tender),
        ("type", "주문유형 By order type", report.by_order_type),
        ("hour", "시간대 By hour", report.by_hour),
        ("item", "품목 By item", report.by_item),
        ("gift", "사은품 Gifts given", report.gifts),
        ("unpaid", "미결제 Unpaid orders", report.unpaid),
    ]
    for section, heading, figures in sections:
        add(section, "", heading)
        for f in figures:
            label = f"{f.key}:00" if section == "hour" else f"#{f.key}" if section == "unpaid" else f.label
            add(section, f.key, label, f.count, f.amount)
    add("cancel", "", "취소 Cancellations")
    for c in report.cancellations:
        add("cancel", str(c.order_id), f"#{c.order_id} {c.staff}: {c.reason}", 1, c.amount)
    add("refund", "", "환불내역 Refunds")
    for r in report.refunds:
        add("refund", str(r.order_id), f"#{r.order_id} {r.kind} {r.staff}: {r.reason}", 1, r.amount)
    add("cash", "float", "준비금 Cash float", "", report.float_cash)
    add("cash", "sales", "현금매출 Cash sales", "", report.cash_sales)
    add("cash", "refunds", "현금환불 Cash refunds", "", report.cash_refunds)
    add("cash", "expected", "예상현금 Cash expected", "", report.expected_cash)
    if report.counted_cash is not None:
        add("cash", "counted", "실제현금 Cash counted", "", report.counted_cash)
        add("cash", "over_short", "과부족 Over (+) / short (-)", "", report.over_short)
    return rows


def report_csv(report: DayReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(report_rows(report))
    return out.getvalue()


def write_csv(report: DayReport, path: Path) -> Path:
    """UTF-8 with a BOM, so a spreadsheet opens the Korean as Korean."""
    Path(path).write_text(report_csv(report), encoding="utf-8-sig")
    return Path(path)


def write_pdf(report: DayReport, path: Path) -> Path:
    """The report on A4 pages, one figure a line. Needs a QGuiApplication (created if there is none;
    Qt's offscreen platform serves where there is no screen)."""
    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need an application
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    writer.setTitle(f"{report.kind} report, day {report.day_id}")
    painter = QPainter(writer)
    try:
        font = QFont("Noto Sans CJK KR", 10)
        painter.setFont(font)
        width = writer.width()
        line_height = painter.fontMetrics().height() * 1.4
        y = 0.0
        for section, key, label, count, amount in report_rows(report):
            if y + line_height > writer.height():
                writer.newPage()
                y = 0.0
            heading = not key
            font.setBold(heading or section == "day")
            painter.setFont(font)
            amount_text = f"{int(amount):,}" if amount.lstrip("-").isdigit() and key != "day_id" else amount
            painter.drawText(QRectF(0, y, width * 0.62, line_height), Qt.AlignmentFlag.AlignVCenter, label)
            painter.drawText(QRectF(width * 0.62, y, width * 0.13, line_height),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, count)
            painter.drawText(QRectF(width * 0.75, y, width * 0.25, line_height),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, amount_text)
            y += line_height
    finally:
        painter.end()
    return Path(path)
