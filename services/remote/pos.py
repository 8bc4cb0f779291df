"""The point of sale over HTTP (``RemoteShop``'s payments, day and menu calls). Each command is built
as the domain command first: the same checks and messages as the local shop, before any network.
Who did it is the signed-in staff (the server takes it from the token); ``staff`` is not sent."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from services import commands as C
from services import payment_commands as P
from services.day_report import DayReport
from services.errors import InvalidInput, PinRefused, PinsThrottled, ShopError
from services.menu_commands import SaveCategory, SaveMenuItem
from services.port import BillView, BusinessDay, Category, PaymentReceipt, StaffMember
from services.staff_commands import DeactivateStaff, SaveStaff
from services.remote import codec
from services.remote.errors import ServerBusy, ServerUnreachable
from services.remote.queue import OfflineQueue


class PointOfSaleCalls:
    queue: OfflineQueue
    _manager_token = ""   # after verify_manager_pin: the manager's own session, for the manager's calls
    _categories_seen: list[Category] | None = None   # the last categories seen, once read

    def _call(self, method: str, path: str, *, json: dict | None = None, params: dict | None = None,
              token: str | None = None):
        raise NotImplementedError

    def verify_manager_pin(self, pin: str) -> str:
        """Sign in as the active manager whose PIN is ``pin``: the till's manager-only calls (closing the
        day, the menu, the staff) then go as that manager, whatever role the till itself signed in with."""
        if not isinstance(pin, str) or not pin:
            raise PinRefused("Enter the manager's PIN")
        try:
            session = self._call("POST", "/auth/sign-in/manager", json={"pin": pin}, token="-")
        except (InvalidInput, ShopError) as error:
            if isinstance(error, (ServerUnreachable, PinsThrottled)):
                raise
            raise PinRefused(f"That is not a manager's PIN ({error})") from None
        if session.get("role") != "manager":
            raise PinRefused("That is not a manager's PIN")
        self._manager_token = session["token"]
        return session["staffId"]

    def _as_manager(self) -> str | None:
        return self._manager_token or None

    def take_payment(self, order_id: int, tenders: Sequence[P.Tender], cash_receipt: str = "",
                     staff: str = "", client_ref: str | None = None) -> PaymentReceipt:
        """Without a ``client_ref`` one is made here, so the server's own resend (a worker's to a
        restarted shop process) is safe too; a caller that may retry passes its own, the same each time."""
        command = P.TakePayment(order_id, tuple(tenders or ()), cash_receipt, staff,
                                uuid.uuid4().hex if client_ref is None else client_ref)
        return codec.payment_receipt(self._call("POST", "/payments", json={
            "orderId": command.order_id, "tenders": [codec.tender_json(t) for t in command.tenders],
            "cashReceipt": command.cash_receipt, "clientRef": command.client_ref}))

    def open_day(self, float_cash: int, staff: str = "") -> BusinessDay:
        command = P.OpenDay(float_cash, staff)
        day = codec.business_day(self._call("POST", "/days", json={"floatCash": command.float_cash}))
        assert day is not None
        return day

    def close_day(self, counted_cash: int, staff: str = "") -> DayReport:
        command = P.CloseDay(counted_cash, staff)
        return codec.day_report(self._call("POST", "/days/current/close", json={"countedCash": command.counted_cash},
                                           token=self._as_manager()))

    def save_category(self, category: SaveCategory) -> None:
        if not isinstance(category, SaveCategory):
            raise InvalidInput(f"save_category takes a SaveCategory, got {type(category).__name__}")
        self._call("PUT", f"/menu/categories/{category.code}", json={
            "nameKo": category.name_ko, "nameEn": category.name_en, "sort": category.sort,
            "reason": category.reason}, token=self._as_manager())

    def save_menu_item(self, item: SaveMenuItem) -> None:
        if not isinstance(item, SaveMenuItem):
            raise InvalidInput(f"save_menu_item takes a SaveMenuItem, got {type(item).__name__}")
        self._call("PUT", f"/menu/items/{item.code}", json={
            "nameKo": item.name_ko, "nameEn": item.name_en, "price": item.price, "category": item.category,
            "printer": item.printer, "available": item.available, "initialStock": item.initial_stock,
            "reason": item.reason}, token=self._as_manager())

    # The staff list, as the manager verified by PIN (else as the till's own staff, who must be a manager).
    def staff_members(self) -> list[StaffMember]:
        return [codec.staff_member(j) for j in self._call("GET", "/auth/staff", token=self._as_manager())]

    def save_staff(self, command: SaveStaff) -> None:
        if not isinstance(command, SaveStaff):
            raise InvalidInput(f"save_staff takes a SaveStaff, got {type(command).__name__}")
        body = {"name": command.name, "role": command.role, "reason": command.reason}
        if command.pin:
            body["pin"] = command.pin
        self._call("PUT", f"/auth/staff/{command.staff_id}", json=body, token=self._as_manager())

    def deactivate_staff(self, command: DeactivateStaff) -> None:
        if not isinstance(command, DeactivateStaff):
            raise InvalidInput(f"deactivate_staff takes a DeactivateStaff, got {type(command).__name__}")
        self._call("POST", f"/auth/staff/{command.staff_id}/deactivate", json={"reason": command.reason},
                   token=self._as_manager())

    def bill(self, order_id: int) -> BillView:
        return codec.bill(self._call("GET", f"/payments/{C.order_id(order_id)}"))

    def unpaid_bills(self) -> list[BillView]:
        return [codec.bill(j) for j in self._call("GET", "/payments/unpaid")]

    def current_day(self) -> BusinessDay | None:
        return codec.business_day(self._call("GET", "/days/current"))

    def days(self) -> list[BusinessDay]:
        return [day for j in self._call("GET", "/days") if (day := codec.business_day(j)) is not None]

    def x_report(self) -> DayReport:
        return codec.day_report(self._call("GET", "/days/current/x-report"))

    def z_report(self, day_id: int) -> DayReport:
        day_id = C.position(day_id, "Day number")
        if day_id < 1:
            raise InvalidInput("Day number must be at least 1")
        return codec.day_report(self._call("GET", f"/days/{day_id}/z-report"))

    def categories(self) -> list[Category]:
        """The server's categories; while it is away or shedding load, those last seen (kept beside the
        queue, so a till started offline has them too); the error if none were ever seen."""
        if self._categories_seen is None:
            self._categories_seen = self.queue.cached_categories()
        try:
            categories = [codec.category(j) for j in self._call("GET", "/menu/categories")]
        except (ServerUnreachable, ServerBusy):
            if self._categories_seen:
                return self._categories_seen
            raise
        if categories != self._categories_seen:
            self.queue.save_categories(categories)
            self._categories_seen = categories
        return categories
