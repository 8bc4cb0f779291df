"""Sample slips for docs/printing.md, made the real way: a dine-in order (table 4, two guests) paid in
cash with change and a 현금영수증, on a throwaway local shop at a fixed time, read back through the
port, laid out and drawn. ``python -m services.printing.samples docs/printing``; a test checks the
committed text samples are what this makes now."""
from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from services.printing.config import ShopDetails

SAMPLE_SHOP = ShopDetails(name="식당 Sikdang", business_number="123-45-67890",
                          address="서울특별시 종로구 종로 1 (1층)", phone="02-123-4567")


def write_samples(folder: Path) -> list[Path]:
    from services.local import open_local_shop
    from services.port import OrderLine, PlaceOrder, Tender
    from services.printing.layouts import kitchen_ticket, receipt
    from services.printing.orders import OrderReader
    from services.printing.preview import render_png

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        at_lunch = datetime(2026, 11, 29, 12, 30).timestamp()   # a fixed time: the samples do not change per run
        shop = open_local_shop(Path(tmp) / "shop.sqlite", scheduler=False, clock=lambda: at_lunch)
        try:
            shop.open_day(100_000, "kim")
            order_id = shop.place_order(PlaceOrder(
                lines=(OrderLine("kimchi-jjigae", 2, "덜 맵게 less spicy"), OrderLine("dolsot-bibimbap", 1),
                       OrderLine("haemul-pajeon", 1), OrderLine("cola", 2)),
                customer_name="김민수", phone="010-1234-5678", order_type="dine_in", table=4, guests=2)).order_id
            total = shop.bill(order_id).total
            shop.take_payment(order_id, [Tender("cash", total, tendered=(total // 10_000 + 1) * 10_000)],
                              cash_receipt="010-1234-5678", staff="kim")     # cash with change, 현금영수증
            order = OrderReader(shop).order(order_id, with_card=True)
        finally:
            shop.close()
    food = tuple(line for line in order.lines if line.item_code != "cola")
    slips = {"receipt": receipt(order, SAMPLE_SHOP),
             "kitchen-ticket": kitchen_ticket(order, food, "kitchen"),
             "kitchen-void": kitchen_ticket(order, food, "kitchen", banner="VOID")}
    written = []
    for name, slip in slips.items():
        (folder / f"{name}.txt").write_text(slip.to_text(), encoding="utf-8")
        written.append(render_png(slip, folder / f"{name}.png"))
    return written


if __name__ == "__main__":
    for path in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/printing")):
        print(path)
