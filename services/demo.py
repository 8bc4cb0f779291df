"""``python main.py demo``: a short scripted day on a fresh shop, printed as mypage sees it."""
from __future__ import annotations

import tempfile
from pathlib import Path

from services.errors import ShopError
from services.local import open_local_shop
from services.port import MypageCard, OrderLine, PlaceOrder


def _line(card: MypageCard) -> str:
    gift = f"{card.gift_status} {card.gift_kind}".strip() or "-"
    return (f"#{card.order_id:<3} {card.customer_name:<10} {card.summary:<22} ₩{card.total:>7,}  "
            f"order={card.order_status:<9} cook={card.cook_status or '-':<12} "
            f"delivery={card.delivery_status or '-':<10} gift={gift}")


def _print_card(card: MypageCard) -> None:
    print(_line(card))
    if card.reason:
        print(f"      reason: {card.reason}")
    for entry in card.timeline:
        detail = f"  ({entry.detail})" if entry.detail else ""
        print(f"      {entry.at.astimezone():%H:%M:%S.%f}"[:-3] + f"  {entry.event}{detail}")


def _place(shop, label: str, *lines, **customer):
    receipt = shop.place_order(PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), **customer))
    gift = receipt.gift_kind or receipt.gift_status
    reason = f" - {receipt.reason}" if receipt.reason else ""
    print(f"  {label}: order #{receipt.order_id} {receipt.status}, ₩{receipt.total:,}, gift: {gift}{reason}")
    return receipt


def script(shop) -> list[int]:
    print("Counter:")
    delivered = _place(shop, "Kim orders", ("bibimbap", 2, "one without egg"), ("cola", 1),
                       customer_name="Kim Minji", phone="010-1234-5678", address="12 Sejong-daero, Jongno-gu")
    too_many = _place(shop, "Park orders 6 dakgalbi (5 left)", ("dakgalbi", 6),
                      customer_name="Park Jisoo", phone="010-2222-3333", address="7 Teheran-ro, Gangnam-gu")
    cancelled = _place(shop, "Lee orders", ("bulgogi", 1), ("gongibap", 2),
                       customer_name="Lee Seojun", phone="010-4444-5555", address="3 Itaewon-ro, Yongsan-gu")
    cooking = _place(shop, "Choi orders", ("kimchi-jjigae", 1), ("gimbap", 1),
                     customer_name="Choi Yuna", phone="010-6666-7777", address="21 Hongik-ro, Mapo-gu")
    print("Kitchen: cooks Kim's order; Lee cancels; Choi's order goes on the stove")
    shop.start_cooking(delivered.order_id)
    shop.finish_cooking(delivered.order_id)
    shop.cancel_order(cancelled.order_id, "customer called to cancel")
    shop.start_cooking(cooking.order_id)
    print("Delivery: rider Jung picks up Kim's order and delivers it")
    shop.pick_up(delivered.order_id, "Jung")
    shop.deliver(delivered.order_id)
    try:
        shop.cancel_order(delivered.order_id, "too late?")
    except ShopError as refused:
        print(f"Counter: cancelling Kim's order is refused: {refused}")
    return [delivered.order_id, too_many.order_id, cancelled.order_id, cooking.order_id]


def run_demo(db_path: Path | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = db_path or Path(tmp) / "demo.sqlite"
        shop = open_local_shop(path, scheduler=False)
        try:
            print(f"Sikdang POS demo on {path}\n")
            order_ids = script(shop)
            print("\nMypage - every order's status at a glance, with its saga:")
            for order_id in order_ids:
                _print_card(shop.mypage(order_id))
            stock = shop.gift_stock()
            print(f"\nGift stock left: {stock.quantity} x {stock.kind}")
        finally:
            shop.close()
    return 0
