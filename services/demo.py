"""``python main.py demo``: a short scripted day on a fresh shop, printed as mypage sees it.

Its words follow the system language (``LANG=ko_KR.UTF-8 ./dev demo`` prints Korean throughout: the
script's lines, statuses, event names, reasons and errors, and its customers); the field names of the
mypage lines (order=, cook=...) stay as they are, for scripts that read them. Statuses, events, reasons
and errors are worded from the screens' own table (``screens_common.i18n_text``, plain data), so the
demo and the screens say the same thing."""
from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from screens_common.i18n_text import SCREEN_TEXT
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
    "Counter: cancelling Kim's order is refused: {error}": "카운터: 김민지 주문 취소 거부: {error}",
    "  {label}: order #{id} {status}, ₩{total:,}, gift: {gift}{reason}":
        "  {label}: 주문 #{id} {status}, ₩{total:,}, 사은품: {gift}{reason}",
    "Sikdang POS demo on {path}\n": "식당 POS 데모: {path}\n",
    "\nMypage - every order's status at a glance, with its saga:": "\n마이페이지 - 주문별 진행 상태와 기록:",
    "      reason: {reason}": "      사유: {reason}",
    "\nGift stock left: {n} x {kind}": "\n남은 사은품: {kind} {n}개",
}


# The script's customers, notes and riders: Korean ones on a Korean demo.
DATA_KO = {
    "Kim Minji": "김민지", "12 Sejong-daero, Jongno-gu": "종로구 세종대로 12", "one without egg": "하나는 계란 빼고",
    "Park Jisoo": "박지수", "7 Teheran-ro, Gangnam-gu": "강남구 테헤란로 7",
    "Lee Seojun": "이서준", "3 Itaewon-ro, Yongsan-gu": "용산구 이태원로 3",
    "Choi Yuna": "최유나", "21 Hongik-ro, Mapo-gu": "마포구 홍익로 21",
    "customer called to cancel": "고객이 전화로 취소", "Jung": "정", "too late?": "너무 늦었나요?",
}


def _data(text: str) -> str:
    return DATA_KO.get(text, text) if _korean() else text


def _table(key: str, fallback: str, **fields) -> str:
    """The screens' words for ``key``, in the system language; ``fallback`` where they have none."""
    english, korean = SCREEN_TEXT.get(key, (fallback, fallback))
    text = korean if _korean() else english
    return text.format(**fields) if fields else text


def _status(word: str) -> str:
    """A status as the screens word it on a Korean demo; the English demo prints the status itself."""
    return _table(f"status.{word}", word) if _korean() and word else word


def _event(name: str) -> str:
    return _table(f"event.{name}", name) if _korean() else name


def _error(error: ShopError) -> str:
    """The refusal in the system language: the English message, or the Korean words for its code."""
    if not _korean():
        return str(error)
    codes = (getattr(c, "code", "") for c in type(error).__mro__)
    code = next((c for c in codes if f"error.{c}" in SCREEN_TEXT), "shop_error")
    return _table(f"error.{code}", str(error), message=str(error))


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns: a Hangul letter takes two."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


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
    if not reason.startswith("@") or f"reason.{reason[1:].partition(':')[0]}" not in SCREEN_TEXT:
        return reason
    key, _, codes = reason[1:].partition(":")
    names = [_menu_names.get(c, (c, c))[0 if _korean() else 1] for c in codes.split(",") if c]
    return _table(f"reason.{key}", reason, items=", ".join(names))


def _line(card: MypageCard) -> str:
    gift = f"{_status(card.gift_status)} {card.gift_kind}".strip() or "-"
    return (f"#{card.order_id:<3} {_pad(card.customer_name, 10)} {_pad(card.summary, 22)} ₩{card.total:>7,}  "
            f"order={_pad(_status(card.order_status), 9)} cook={_pad(_status(card.cook_status) or '-', 12)} "
            f"delivery={_pad(_status(card.delivery_status) or '-', 10)} gift={gift}")


def _print_card(card: MypageCard) -> None:
    print(_line(card))
    if card.reason:
        print(say("      reason: {reason}", reason=_reason(card.reason)))
    for entry in card.timeline:
        detail = f"  ({_reason(entry.detail)})" if entry.detail else ""
        print(f"      {entry.at.astimezone():%H:%M:%S.%f}"[:-3] + f"  {_event(entry.event)}{detail}")


def _place(shop, label: str, *lines, **customer):
    receipt = shop.place_order(PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), **customer))
    gift = receipt.gift_kind or _status(receipt.gift_status)
    reason = f" - {_reason(receipt.reason)}" if receipt.reason else ""
    print(say("  {label}: order #{id} {status}, ₩{total:,}, gift: {gift}{reason}", label=say(label),
              id=receipt.order_id, status=_status(receipt.status), total=receipt.total, gift=gift, reason=reason))
    return receipt


def script(shop) -> list[int]:
    def customer(name: str, phone: str, address: str) -> dict:
        return {"customer_name": _data(name), "phone": phone, "address": _data(address)}
    print(say("Counter:"))
    delivered = _place(shop, "Kim orders", ("bibimbap", 2, _data("one without egg")), ("cola", 1),
                       **customer("Kim Minji", "010-1234-5678", "12 Sejong-daero, Jongno-gu"))
    too_many = _place(shop, "Park orders 6 dakgalbi (5 left)", ("dakgalbi", 6),
                      **customer("Park Jisoo", "010-2222-3333", "7 Teheran-ro, Gangnam-gu"))
    cancelled = _place(shop, "Lee orders", ("bulgogi", 1), ("gongibap", 2),
                       **customer("Lee Seojun", "010-4444-5555", "3 Itaewon-ro, Yongsan-gu"))
    cooking = _place(shop, "Choi orders", ("kimchi-jjigae", 1), ("gimbap", 1),
                     **customer("Choi Yuna", "010-6666-7777", "21 Hongik-ro, Mapo-gu"))
    print(say("Kitchen: cooks Kim's order; Lee cancels; Choi's order goes on the stove"))
    shop.start_cooking(delivered.order_id)
    shop.finish_cooking(delivered.order_id)
    shop.cancel_order(cancelled.order_id, _data("customer called to cancel"))
    shop.start_cooking(cooking.order_id)
    print(say("Delivery: rider Jung picks up Kim's order and delivers it"))
    shop.pick_up(delivered.order_id, _data("Jung"))
    shop.deliver(delivered.order_id)
    try:
        shop.cancel_order(delivered.order_id, _data("too late?"))
    except ShopError as refused:
        print(say("Counter: cancelling Kim's order is refused: {error}", error=_error(refused)))
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
