"""A closed day's Z report exported as CSV (every figure, Korean intact) and as PDF (drawn by Qt
offscreen: a real PDF whose text holds the figures)."""
from __future__ import annotations

import csv

from services.port import OrderLine, PlaceOrder, Tender
from services.reports.export import HEADER, report_rows, write_csv, write_pdf


def _closed_day(shop):
    shop.open_day(20_000, "kim")
    paid = shop.place_order(PlaceOrder((OrderLine("bibimbap", 2),), order_type="takeout")).order_id
    shop.take_payment(paid, [Tender("cash", 19_000, tendered=20_000)])
    shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="dine_in", table=3))
    return shop.close_day(39_000, "boss")


def test_the_csv_has_every_figure_and_reads_back_in_korean(local_shop, tmp_path):
    report = _closed_day(local_shop)
    path = write_csv(report, tmp_path / "z.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")        # a BOM: spreadsheets read it as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == HEADER and [tuple(r) for r in rows[1:]] == report_rows(report)
    figures = {(r[0], r[1]): r for r in rows[1:]}
    assert figures["sales", "gross"][4] == str(report.gross_sales) == "23500"
    assert figures["tender", "cash"][4] == "19000"
    assert figures["item", "bibimbap"][2] == "비빔밥 Bibimbap" and figures["item", "bibimbap"][3] == "2"
    assert figures["cash", "over_short"][4] == "0"
    assert figures["unpaid", next(k for s, k in figures if s == "unpaid" and k)][4] == "4500"


def test_the_pdf_is_a_pdf_with_the_figures_in_it(local_shop, tmp_path):
    report = _closed_day(local_shop)
    path = write_pdf(report, tmp_path / "z.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 2_000
    from pypdf import PdfReader
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    assert "Gross sales" in text and "23,500" in text and "비빔밥" in text
