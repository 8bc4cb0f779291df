"""English and Korean UI text: ``tr(key)`` looks a key up in the current language.

Switching language (``set_language``) emits ``language_changed`` on the ``translator`` object;
every screen connects it to its ``retranslate`` method. Unknown keys fall back to English, then to
the key itself, so a missing translation shows up as readable text rather than an error.
"""
from __future__ import annotations

import locale

from PySide6.QtCore import QObject, Signal

TEXT: dict[str, tuple[str, str]] = {   # key: (English, Korean)
    "app.title": ("Sikdang POS", "식당 POS"),
    "tab.counter": ("Counter", "카운터"),
    "tab.delivery": ("Delivery", "배달"),
    "tab.mypage": ("My page", "마이페이지"),
    "menu.language": ("Language", "언어"),
    "menu.manager": ("Manager…", "관리자…"),
    "menu.kitchen_window": ("Kitchen display", "주방 디스플레이"),
    "shop.open": ("Shop: {shop}", "매장: {shop}"),
    # counter
    "counter.cart": ("Cart", "장바구니"),
    "counter.customer": ("Customer", "고객"),
    "counter.name": ("Name", "이름"),
    "counter.phone": ("Phone", "전화번호"),
    "counter.address": ("Address", "주소"),
    "counter.note": ("Note for the selected line", "선택한 항목 메모"),
    "counter.later": ("Order for later:", "예약 주문:"),
    "counter.total": ("Total {total}", "합계 {total}"),
    "counter.place": ("Place order (Ctrl+Enter)", "주문하기 (Ctrl+Enter)"),
    "counter.clear": ("Clear", "비우기"),
    "counter.plus": ("+1", "+1"),
    "counter.minus": ("−1", "−1"),
    "counter.remove": ("Remove", "삭제"),
    "counter.sold_out": ("SOLD OUT", "품절"),
    "counter.left": ("{n} left", "재고 {n}"),
    "counter.queued": ("Offline — order {till} saved on this till ({total}). Tell the customer {till}; it is sent when the server is back.",
                       "오프라인 — 주문 {till}을(를) 이 단말에 저장했습니다 ({total}). 고객에게 {till}번을 알려 주세요. 서버가 돌아오면 전송됩니다."),
    "counter.queue_sent": ("Back online — every order kept on this till has been sent.",
                           "다시 연결됨 — 이 단말에 저장한 주문을 모두 전송했습니다."),
    "counter.stock_unknown": ("offline · stock ?", "오프라인 · 재고 ?"),
    "counter.only_left": ("Only {n} of {name} left: the cart already has them all.",
                          "{name} 재고는 {n}개뿐입니다. 장바구니에 모두 담겨 있습니다."),
    "counter.cancel_on_till": ("{till} is still on this till: cancel it once it has been sent.",
                               "{till}은(는) 아직 이 단말에 있습니다. 전송된 뒤에 취소하세요."),
    "counter.empty": ("The order is empty: add at least one item.", "장바구니가 비어 있습니다. 메뉴를 먼저 고르세요."),
    "counter.bad_phone": ("The phone number is not valid: 9-11 digits starting with 0, e.g. 010-1234-5678.",
                          "전화번호가 올바르지 않습니다. 0으로 시작하는 9-11자리 (예: 010-1234-5678)."),
    "counter.later_past": ("The time for a later order must be in the future.", "예약 시간은 지금보다 뒤여야 합니다."),
    "counter.sent_as": ("{till} → #{id}", "{till} → #{id}"),
    "role.not_for": ("Signed in as {role}: not opening the {screens} (ask for a PIN of that role).",
                     "{role} 권한으로 로그인했습니다: {screens} 화면은 열지 않습니다 (해당 역할의 PIN이 필요합니다)."),
    "screen.counter": ("counter", "카운터"),
    "screen.kitchen": ("kitchen display", "주방 디스플레이"),
    "screen.delivery": ("delivery board", "배달"),
    "screen.mypage": ("my page", "마이페이지"),
    "shop.local": ("Local shop · {where}", "로컬 매장 · {where}"),
    "shop.server": ("Server {where}", "서버 {where}"),
    "shop.server_as": ("Server {where} as {who}", "서버 {where} · {who}"),
    "conn.online": ("Server: online", "서버: 연결됨"),
    "conn.offline": ("Offline — {n} waiting", "오프라인 — {n}건 대기"),
    "conn.sending": ("Sending — {n} waiting", "전송 중 — {n}건 대기"),
    "conn.busy": ("Busy — try again shortly", "혼잡 — 잠시 후 다시 시도하세요"),
    "counter.placed": ("Order #{id} placed — {total}.", "주문 #{id} 접수 — {total}."),
    "counter.placed_later": ("Order #{id} scheduled for {at} — {total}.", "주문 #{id} {at} 예약 — {total}."),
    "counter.gift": ("Gift: {gift}", "사은품: {gift}"),
    "counter.no_gift": ("No gift (out of gift stock).", "사은품 없음 (재고 소진)."),
    "counter.gift_later": ("Gift will follow shortly.", "사은품은 잠시 후 지급됩니다."),
    "counter.refused": ("Order #{id} was cancelled: {reason}", "주문 #{id} 취소됨: {reason}"),
    "counter.today": ("Today's orders", "오늘의 주문"),
    "counter.reason": ("Cancel reason", "취소 사유"),
    "counter.cancel": ("Cancel order", "주문 취소"),
    "counter.cancelled": ("Order #{id} cancelled.", "주문 #{id} 취소되었습니다."),
    "counter.pick_order": ("Select an order in the list first.", "먼저 목록에서 주문을 선택하세요."),
    "counter.print": ("Print receipt…", "영수증 인쇄…"),
    "counter.receipt_sent": ("Receipt of order {id} sent to printer {printer}",
                             "주문 {id} 영수증을 {printer} 프린터로 보냈습니다"),
    "col.order": ("Order", "주문"),
    "col.time": ("Time", "시간"),
    "col.customer": ("Customer", "고객"),
    "col.item": ("Item", "메뉴"),
    "col.qty": ("Qty", "수량"),
    "col.note": ("Note", "메모"),
    "col.amount": ("Amount", "금액"),
    "col.total": ("Total", "합계"),
    "col.status": ("Status", "상태"),
    "col.event": ("Event", "이벤트"),
    "col.detail": ("Detail", "내용"),
    # statuses (order, ticket, delivery, gift)
    "status.placed": ("placed", "접수"),
    "status.scheduled": ("scheduled", "예약"),
    "status.queued": ("queued", "대기"),
    "status.waiting": ("waiting", "대기"),
    "status.cooking": ("cooking", "조리중"),
    "status.cooked": ("cooked", "조리완료"),
    "status.delivering": ("delivering", "배달중"),
    "status.on_the_way": ("on the way", "배달중"),
    "status.delivered": ("delivered", "배달완료"),
    "status.cancelled": ("cancelled", "취소"),
    "status.out_of_stock": ("out of stock", "재고없음"),
    "status.sent": ("sent", "지급"),
    "status.deferred": ("deferred", "지연"),
    "status.on_till": ("waiting to send", "전송 대기"),
    "status.rejected": ("rejected (out of stock)", "거부 (재고 없음)"),
    # cancel: the reasons offered (stored as "@" + key) and the confirmation
    "cancel.title": ("Cancel order {order}?", "주문 {order}을(를) 취소할까요?"),
    "cancel.why": ("Why?", "사유"),
    "cancel.other": ("Or type a reason", "또는 사유 직접 입력"),
    "cancel.confirm": ("Cancel the order", "주문 취소"),
    "cancel.keep": ("Keep the order", "취소하지 않음"),
    "reason.customer_request": ("Customer's request", "고객 요청"),
    "reason.customer_left": ("Customer left", "고객이 떠남"),
    "reason.duplicate": ("Duplicate order", "중복 주문"),
    "reason.wrong_order": ("Entered by mistake", "잘못 입력한 주문"),
    "reason.too_slow": ("Took too long", "너무 오래 걸림"),
    "reason.out_of_stock": ("Out of stock: {items}", "재료 소진: {items}"),   # "@out_of_stock:CODE,CODE"
    # In a list (about 11 letters wide at 1280x800): the whole reason is in the note under it.
    "reason.customer_request.short": ("By customer", "고객 요청"),
    "reason.customer_left.short": ("Walked out", "고객 떠남"),
    "reason.duplicate.short": ("Duplicate", "중복 주문"),
    "reason.wrong_order.short": ("Mistake", "잘못 입력"),
    "reason.too_slow.short": ("Too slow", "지연"),
    "reason.out_of_stock.short": ("Out of stock", "재료 소진"),
    "reason.in_stock": ("in stock", "재고 있음"),                               # a stock check's detail
    # errors by code: a Korean screen never shows the core's English sentence
    "error.invalid_input": ("{message}", "입력한 내용을 확인하세요."),
    "error.unknown_item": ("{message}", "메뉴에 없는 항목입니다."),
    "error.unknown_order": ("{message}", "없는 주문입니다."),
    "error.invalid_transition": ("{message}", "지금 상태에서는 할 수 없습니다."),
    "error.cancel_refused": ("{message}", "이미 조리가 끝난 주문은 취소할 수 없습니다."),
    "error.busy": ("{message}", "잠시 바쁩니다. 조금 뒤에 다시 시도하세요."),
    "error.overloaded": ("{message}", "서버가 혼잡합니다. 조금 뒤에 다시 시도하세요."),
    "error.closed": ("{message}", "매장이 닫혀 있습니다."),
    "error.outcome_unknown": ("{message}", "처리 결과를 알 수 없습니다. 주문 목록을 확인하세요."),
    "error.offline": ("{message}", "서버에 연결할 수 없습니다."),
    "error.forbidden": ("{message}", "이 직원 권한으로는 할 수 없습니다."),
    "error.bad_credentials": ("{message}", "로그인할 수 없습니다. PIN을 확인하세요."),
    "error.locked": ("{message}", "계정이 잠겼습니다. 잠시 후 다시 시도하세요."),
    "error.shop_error": ("{message}", "처리할 수 없습니다."),
    # kitchen
    "kds.title": ("Kitchen display", "주방 디스플레이"),
    "kds.start": ("Start (Space)", "조리 시작 (Space)"),
    "kds.bump": ("Done (Enter)", "완료 (Enter)"),
    "kds.recall": ("Recall (R)", "되돌리기 (R)"),
    "kds.print": ("Print ticket (P)", "티켓 인쇄 (P)"),
    "kds.all_day": ("All day", "조리할 수량"),
    "kds.stock": ("Stock", "재고"),
    "kds.sold_out": ("Sold out", "품절"),
    "kds.restock": ("Restock +{n}", "입고 +{n}"),
    "kds.new_ticket": ("New ticket #{id}", "새 주문 #{id}"),
    "kds.cancelled_ticket": ("Ticket #{id} cancelled", "주문 #{id} 취소됨"),
    "kds.cancelled_why": ("Ticket #{id} cancelled: {reason}", "주문 #{id} 취소됨: {reason}"),
    "kds.warn_after": ("Amber after (min)", "주의 (분)"),
    "kds.late_after": ("Red after (min)", "지연 (분)"),
    "kds.nothing": ("No open tickets", "대기 중인 주문 없음"),
    "kds.recalled": ("Ticket #{id} recalled", "주문 #{id} 되돌림"),
    "kds.no_recall": ("Nothing to recall yet", "되돌릴 주문이 없습니다"),
    "kds.placed": ("Placed {at}", "주문 {at}"),
    "kds.scheduled_flag": ("[Scheduled {at}]", "[예약 {at}]"),
    "kds.upcoming": ("Upcoming scheduled: {orders}", "예약 대기: {orders}"),
    "kds.upcoming_one": ("{at} #{id} {who}", "{at} #{id} {who}"),
    "kds.upcoming_none": ("Upcoming scheduled: none", "예약 대기: 없음"),
    # delivery
    "dlv.waiting": ("Waiting for pickup", "픽업 대기"),
    "dlv.on_the_way": ("On the way", "배달중"),
    "dlv.delivered": ("Delivered today", "오늘 배달완료"),
    "dlv.rider": ("Rider", "라이더"),
    "dlv.pick_up": ("Picked up", "픽업"),
    "dlv.deliver": ("Delivered", "배달완료"),
    "dlv.pick_card": ("Select a delivery first.", "먼저 배달을 선택하세요."),
    # mypage
    "my.lookup": ("Order number or phone", "주문번호 또는 전화번호"),
    "my.search": ("Look up", "조회"),
    "my.order": ("Order", "주문"),
    "my.cooking": ("Cooking", "조리"),
    "my.delivery": ("Delivery", "배달"),
    "my.gift": ("Gift", "사은품"),
    "my.timeline": ("Timeline", "진행 기록"),
    "stock.in": ("in stock", "재고 있음"),
    "stock.out": ("out of stock: {items}", "재고 없음: {items}"),
    "my.none": ("No orders found for {q}.", "{q}에 해당하는 주문이 없습니다."),
    # manager
    "mgr.title": ("Manager", "관리자"),
    "mgr.gift": ("Gift stock", "사은품 재고"),
    "mgr.gift_kind": ("Gift kind (blank: keep)", "사은품 종류 (빈칸: 유지)"),
    "mgr.set": ("Set", "설정"),
    "mgr.item": ("Item stock", "메뉴 재고"),
    "mgr.add": ("Add stock", "입고"),
    "mgr.sold_out": ("Mark sold out", "품절 처리"),
    "mgr.saved": ("Saved.", "저장되었습니다."),
    "mgr.saved_by": ("Saved, recorded as {who}.", "저장했습니다 ({who} 기록)."),
    "mgr.pin": ("Manager PIN", "관리자 PIN"),
    "mgr.reason": ("Why", "사유"),
    "mgr.reason_hint": ("e.g. delivery arrived", "예: 재료 입고"),
    "mgr.need_reason": ("Say why in a few words: it is recorded with your name.", "사유를 짧게 적어 주세요. 이름과 함께 기록됩니다."),
    "mgr.current_gift": ("Now: {kind} × {n}", "현재: {kind} × {n}"),
    # event names on the mypage timeline (Korean from the original system's event storming)
    "event.Ordered": ("Ordered", "주문됨"),
    "event.OrderCancelled": ("Order cancelled", "주문취소됨"),
    "event.StockChecked": ("Stock checked", "요리재고체크됨"),
    "event.TicketScheduled": ("Scheduled", "예약됨"),
    "event.TicketReleased": ("Sent to kitchen", "주방 전달됨"),
    "event.CookStarted": ("Cooking started", "조리 시작"),
    "event.Cooked": ("Cooked", "요리완료"),
    "event.CookRecalled": ("Recalled to kitchen", "조리 되돌림"),
    "event.CookCancelled": ("Cooking cancelled", "조리 취소됨"),
    "event.TicketLate": ("Running late", "조리 지연"),
    "event.DeliveryStarted": ("Delivery started", "배달"),
    "event.PickedUp": ("Picked up", "픽업됨"),
    "event.Delivered": ("Delivered", "배달완료"),
    "event.DeliveryCancelled": ("Delivery cancelled", "배달 취소됨"),
    "event.GiftSent": ("Gift sent", "사은품지급됨"),
    "event.GiftOutOfStock": ("Gift out of stock", "사은품 재고없음"),
    "event.GiftDeferred": ("Gift deferred", "사은품 지연"),
    "event.GiftSendCancelled": ("Gift cancelled", "사은품지급취소됨"),
    "err.title": ("Could not do that", "처리할 수 없습니다"),
    "err.unexpected": ("Unexpected error: {error}", "예기치 않은 오류: {error}"),
}

from screens_common.i18n_pos import POS_TEXT  # noqa: E402 - the point of sale's words, in their own module

TEXT.update(POS_TEXT)
from screens_common.i18n_staff import STAFF_TEXT  # noqa: E402 - the manager's back office, in its own module
TEXT.update(STAFF_TEXT)

LANGUAGES = ("en", "ko")


class Translator(QObject):
    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = "en"


translator = Translator()


def system_language() -> str:
    lang = (locale.getlocale()[0] or "").lower()
    return "ko" if lang.startswith("ko") else "en"


def set_language(language: str | None) -> None:
    language = language or system_language()
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {LANGUAGES}")
    if language != translator.language:
        translator.language = language
        translator.language_changed.emit(language)


def tr(key: str, **fields: object) -> str:
    english, korean = TEXT.get(key, (key, key))
    text = korean if translator.language == "ko" else english
    return text.format(**fields) if fields else text


def status_text(status: str) -> str:
    return tr(f"status.{status}") if f"status.{status}" in TEXT else status


# Menu names by item code, as the screens last read them: a coded reason names items by code
# ("@out_of_stock:kimchi_stew") and is worded from these in the reader's language.
_item_names: dict[str, tuple[str, str]] = {}


def remember_items(items) -> None:
    """Keep the names of ``items`` (anything with code, name_ko, name_en: menu items, ticket lines)."""
    for item in items:
        _item_names[item.item_code if hasattr(item, "item_code") else item.code] = (item.name_ko, item.name_en)


def _item_word(code: str) -> str:
    name_ko, name_en = _item_names.get(code, (code, code))
    return name_ko if translator.language == "ko" else (name_en or name_ko)


def reason_text(reason: str, short: bool = False) -> str:
    """A reason as the reader should see it: a code ("@duplicate", "@out_of_stock:CODE,CODE") in their
    language, with item codes as menu names (``short``: without them); typed text as typed."""
    if not reason.startswith("@"):
        return reason
    key, _, codes = reason[1:].partition(":")
    if f"reason.{key}" not in TEXT:
        return reason
    if short and f"reason.{key}.short" in TEXT:
        return tr(f"reason.{key}.short")
    if key == "out_of_stock":
        return tr("reason.out_of_stock", items=", ".join(_item_word(c) for c in codes.split(",") if c))
    return tr(f"reason.{key}")


class ReasonField:
    """A reason as a message field, worded when the message is shown: a message shown again after a
    language switch (``MessageBar.error_key``) gives it in the new language."""
    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __format__(self, spec: str) -> str:
        return format(reason_text(self.reason), spec)

    def __str__(self) -> str:
        return reason_text(self.reason)


def shop_text(description: str) -> str:
    """``Shop.describe()`` for the shop sign: its two known forms in the reader's language."""
    for prefix, key in (("Local shop · ", "shop.local"), ("server ", "shop.server")):
        if description.startswith(prefix):
            where, _, who = description[len(prefix):].partition(" as ")
            return tr("shop.server_as", where=where, who=who) if who else tr(key, where=where)
    return description


def event_text(name: str) -> str:
    return tr(f"event.{name}") if f"event.{name}" in TEXT else name


def item_name(name_ko: str, name_en: str) -> str:
    """Korean first on a Korean UI; English UI shows both so staff can match the ticket to the menu."""
    if translator.language == "ko":
        return name_ko
    return f"{name_en} {name_ko}" if name_en and name_en != name_ko else name_ko
