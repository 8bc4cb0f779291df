"""Slips, their ESC/POS bytes and the printers file, without a shop or a printer."""
from __future__ import annotations

import time

import pytest

from services.errors import InvalidInput
from services.printing.config import ShopDetails, load_config, parse_config
from services.printing.escpos import columns, encode_cp949
from services.printing.layouts import PrintLine, PrintOrder, kitchen_ticket, receipt, supply_and_vat
from services.printing.slip import wrap
from tests.printing.conftest import SHOP
from tests.printing.escpos_reader import read_escpos

ORDER = PrintOrder(
    order_id=1234, placed_at=time.time(), total=2 * 9000 + 11000 + 3 * 2000, customer_name="김민수",
    phone="010-1234-5678",
    lines=(PrintLine("kimchi-jjigae", "김치찌개", "Kimchi stew", 2, 9000, "덜 맵게, 밥 많이 주세요 please more rice"),
           PrintLine("dolsot-bibimbap", "돌솥비빔밥", "Stone-pot bibimbap with a very long English name", 1, 11000),
           PrintLine("cola", "콜라", "Cola", 3, 2000)), gift_kind="Candy")


def test_korean_takes_two_columns_and_cp949_is_wrapped_in_kanji_mode():
    assert columns("김치찌개") == 8 and columns("Kimchi") == 6 and columns("※") == 2
    assert encode_cp949("2 x 김치") == b"2 x \x1c&" + "김치".encode("cp949") + b"\x1c."
    assert encode_cp949("🍜") == b"?"     # not in CP949: one column, as measured


@pytest.mark.parametrize("width", [42, 48])
def test_every_receipt_and_ticket_line_fits_the_paper(width):
    shop = ShopDetails(**SHOP)
    for slip in (receipt(ORDER, shop, width), receipt(ORDER, shop, width, copy=2),
                 kitchen_ticket(ORDER, ORDER.lines, "kitchen", width, banner="VOID")):
        for line in slip.lines:
            assert line.size * columns(line.text) <= width, line


def test_the_receipt_bytes_say_what_its_text_preview_says():
    slip = receipt(ORDER, ShopDetails(**SHOP))
    printed, cuts = read_escpos(slip.to_escpos())
    assert [line.text.strip() for line in printed] == [row.strip() for row in slip.to_text().splitlines()]
    assert cuts == 1


def test_vat_included_total_splits_into_supply_value_and_vat():
    assert supply_and_vat(20000) == (18182, 1818)
    assert supply_and_vat(ORDER.total) == (round(ORDER.total / 1.1), ORDER.total - round(ORDER.total / 1.1))
    assert supply_and_vat(0) == (0, 0)


def test_long_names_wrap_and_amounts_stay_on_the_first_line():
    rows = receipt(ORDER, ShopDetails(**SHOP)).to_text().splitlines()
    first = next(row for row in rows if row.startswith("돌솥비빔밥"))
    assert first.split()[-2:] == ["1", "11,000"]
    assert rows[rows.index(first) + 1].strip().endswith("name")
    assert wrap("  ※ 덜 맵게", 20) == ["  ※ 덜 맵게"]


def test_the_slip_is_drawn_as_a_png(tmp_path, qapp):
    from PySide6.QtGui import QImage
    from services.printing.preview import render_png
    path = render_png(receipt(ORDER, ShopDetails(**SHOP)), tmp_path / "receipt.png")
    image = QImage(str(path))
    assert image.width() == 48 * 12 + 32 and image.height() > 600


def test_kitchen_printers_take_categories_by_korean_english_or_whole_name():
    config = parse_config({"printer": [
        {"name": "grill", "role": "kitchen", "host": "h", "categories": ["고기", "Stews"]},
        {"name": "bar", "role": "kitchen", "host": "h", "categories": ["음료 Drinks"]},
        {"name": "main", "role": "kitchen", "host": "h"}]})
    assert config.kitchen_printer_for("고기 Grill").name == "grill"
    assert config.kitchen_printer_for("찌개 Stews").name == "grill"
    assert config.kitchen_printer_for("음료 Drinks").name == "bar"
    assert config.kitchen_printer_for("밥 Rice").name == "main"


@pytest.mark.parametrize("text, message", [
    ('[[printer]]\nname = "k"\nrole = "chef"\nhost = "h"\n', "role must be one of"),
    ('[[printer]]\nname = "k"\nrole = "kitchen"\n', "needs a host"),
    ('[[printer]]\nname = "k"\nrole = "kitchen"\nhost = "h"\nport = 0\n', "port must be"),
    ('[shop]\nbusiness = "1"\n', "unknown fields"),
    ('[[printer]\n', "not valid TOML"),
])
def test_a_bad_printers_file_is_refused_naming_the_mistake(tmp_path, text, message):
    path = tmp_path / "printers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
