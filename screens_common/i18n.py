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
    "counter.queued": ("Server unreachable — order saved on this till ({total}); it is sent when the server is back.",
                       "서버 연결 끊김 — 주문을 이 단말에 저장했습니다 ({total}). 서버가 돌아오면 전송됩니다."),
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
    "kds.warn_after": ("Amber after (min)", "주의 (분)"),
    "kds.late_after": ("Red after (min)", "지연 (분)"),
    "kds.nothing": ("No open tickets", "대기 중인 주문 없음"),
    "kds.recalled": ("Ticket #{id} recalled", "주문 #{id} 되돌림"),
    "kds.no_recall": ("Nothing to recall yet", "되돌릴 주문이 없습니다"),
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


def event_text(name: str) -> str:
    return tr(f"event.{name}") if f"event.{name}" in TEXT else name


def item_name(name_ko: str, name_en: str) -> str:
    """Korean first on a Korean UI; English UI shows both so staff can match the ticket to the menu."""
    if translator.language == "ko":
        return name_ko
    return f"{name_en} {name_ko}" if name_en and name_en != name_ko else name_ko
