"""``python main.py demo``: a short scripted day on a fresh shop, printed as mypage sees it.

Its words follow the system language (``LANG=ko_KR.UTF-8 ./dev demo`` prints Korean); the field names
of the mypage lines (order=, cook=...) stay as they are, for scripts that read them."""
from __future__ import annotations

import tempfile
from pathlib import Path

from services import settings
from services.errors import ShopError
from services.local import open_local_shop
from services.port import MypageCard, OrderLine, PlaceOrder


KOREAN = {
    "Counter:": "카운터:",
    "Kim orders": "김민지 주문", "Park orders 6 dakgalbi (5 left)": "박지수 닭갈비 6개 주문 (재고 5)",
    "Lee orders": "이서준 주문", "Choi orders": "최유나 주문",
    "Kitchen: cooks Kim's order; Lee cancels; Choi's order goes on the stove":
        "주방: 김민지 주문 조리 완료, 이서준 주문 취소, 최유나 주문 조리 시작",
    "Delivery: rider Jung picks up Kim's order and delivers it": "배달: 라이더 정이 김민지 주문을 픽업해 배달",
    "Counter: cancelling Kim's order is refused: {error}": "카운터: 김민지 주문 취소 거부: 이미 조리가 끝난 주문입니다",
    "  {label}: order #{id} {status}, ₩{total:,}, gift: {gift}{reason}":
        "  {label}: 주문 #{id} {status}, ₩{total:,}, 사은품: {gift}{reason}",
    "Sikdang POS demo on {path}\n": "식당 POS 데모: {path}\n",
    "\nMypage - every order's status at a glance, with its saga:": "\n마이페이지 - 주문별 진행 상태와 기록:",
    "      reason: {reason}": "      사유: {reason}",
    "\nGift stock left: {n} x {kind}": "\n남은 사은품: {kind} {n}개",
}


STATUS_KO = {"placed": "접수", "cancelled": "취소", "queued": "대기", "sent": "지급", "out_of_stock": "재고없음",
             "deferred": "지연"}


def _status(word: str) -> str:
    return STATUS_KO.get(word, word) if _korean() else word


def _korean() -> bool:
    return settings.system_is_korean()


def say(text: str, **fields) -> str:
    """``text`` in the system language (English unless it is Korean)."""
    if _korean():
        text = KOREAN.get(text, text)
    return text.format(**fields) if fields else text


_menu_names: dict[str, tuple[str, str]] = {}    # code: (Korean, English), read once the shop is open


def _reason(reason: str) -> str:
    """A coded reason or stock check (see screens_common.i18n.reason_text) in the system language."""
    if reason == "@customer_request":
        return "고객 요청" if _korean() else "Customer's request"
    if reason == "@in_stock":
        return "재고 있음" if _korean() else "in stock"
    if reason.startswith("@out_of_stock:"):
        codes = [c for c in reason.removeprefix("@out_of_stock:").split(",") if c]
        names = [_menu_names.get(c, (c, c))[0 if _korean() else 1] for c in codes]
        return ("재료 소진: " if _korean() else "Out of stock: ") + ", ".join(names)
    return reason


def _line(card: MypageCard) -> str:
    gift = f"{card.gift_status} {card.gift_kind}".strip() or "-"
    return (f"#{card.order_id:<3} {card.customer_name:<10} {card.summary:<22} ₩{card.total:>7,}  "
            f"order={card.order_status:<9} cook={card.cook_status or '-':<12} "
            f"delivery={card.delivery_status or '-':<10} gift={gift}")


def _print_card(card: MypageCard) -> None:
    print(_line(card))
    if card.reason:
        print(say("      reason: {reason}", reason=_reason(card.reason)))
    for entry in card.timeline:
        detail = f"  ({_reason(entry.detail)})" if entry.detail else ""
        print(f"      {entry.at.astimezone():%H:%M:%S.%f}"[:-3] + f"  {entry.event}{detail}")


def _place(shop, label: str, *lines, **customer):
    receipt = shop.place_order(PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), **customer))
    gift = receipt.gift_kind or _status(receipt.gift_status)
    reason = f" - {_reason(receipt.reason)}" if receipt.reason else ""
    print(say("  {label}: order #{id} {status}, ₩{total:,}, gift: {gift}{reason}", label=say(label),
              id=receipt.order_id, status=_status(receipt.status), total=receipt.total, gift=gift, reason=reason))
    return receipt


def script(shop) -> list[int]:
    print(say("Counter:"))
    delivered = _place(shop, "Kim orders", ("bibimbap", 2, "one without egg"), ("cola", 1),
                       customer_name="Kim Minji", phone="010-1234-5678", address="12 Sejong-daero, Jongno-gu")
    too_many = _place(shop, "Park orders 6 dakgalbi (5 left)", ("dakgalbi", 6),
                      customer_name="Park Jisoo", phone="010-2222-3333", address="7 Teheran-ro, Gangnam-gu")
    cancelled = _place(shop, "Lee orders", ("bulgogi", 1), ("gongibap", 2),
                       customer_name="Lee Seojun", phone="010-4444-5555", address="3 Itaewon-ro, Yongsan-gu")
    cooking = _place(shop, "Choi orders", ("kimchi-jjigae", 1), ("gimbap", 1),
                     customer_name="Choi Yuna", phone="010-6666-7777", address="21 Hongik-ro, Mapo-gu")
    print(say("Kitchen: cooks Kim's order; Lee cancels; Choi's order goes on the stove"))
    shop.start_cooking(delivered.order_id)
    shop.finish_cooking(delivered.order_id)
    shop.cancel_order(cancelled.order_id, "customer called to cancel")
    shop.start_cooking(cooking.order_id)
    print(say("Delivery: rider Jung picks up Kim's order and delivers it"))
    shop.pick_up(delivered.order_id, "Jung")
    shop.deliver(delivered.order_id)
    try:
        shop.cancel_order(delivered.order_id, "too late?")
    except ShopError as refused:
        print(say("Counter: cancelling Kim's order is refused: {error}", error=refused))
    return [delivered.order_id, too_many.order_id, cancelled.order_id, cooking.order_id]


def run_demo(db_path: Path | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = db_path or Path(tmp) / "demo.sqlite"
        shop = open_local_shop(path, scheduler=False)
        try:
            print(say("Sikdang POS demo on {path}\n", path=path))
            _menu_names.update({item.code: (item.name_ko, item.name_en) for item in shop.menu()})
            order_ids = script(shop)
            print(say("\nMypage - every order's status at a glance, with its saga:"))
            for order_id in order_ids:
                _print_card(shop.mypage(order_id))
            stock = shop.gift_stock()
            print(say("\nGift stock left: {n} x {kind}", n=stock.quantity, kind=stock.kind))
        finally:
            shop.close()
    return 0
