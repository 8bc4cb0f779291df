"""The manager's side of the shop on this machine: the manager's PIN, the audit of the manager's actions,
the menu's categories and items, and the staff list, all kept in a ``StaffDirectory`` (main.py gives the
staff file the shop server would use: ``services.http.staff_file.StaffFile``)."""
from __future__ import annotations

from typing import Protocol, TypeVar

from services import menu_commands as menu
from services.errors import InvalidInput, PinRefused, ShopError
from services.port import StaffMember
from services.staff_commands import DeactivateStaff, SaveStaff

NO_STAFF_FILE = "This shop has no staff file: manager PINs and staff cannot be checked here"


class StaffDirectory(Protocol):
    def manager_with_pin(self, pin: str) -> str | None: ...     # PinsThrottled when guessed at
    def audit(self, staff_id: str, action: str, target: str, reason: str, outcome: str) -> None: ...
    def members(self) -> list[StaffMember]: ...
    def save(self, command: SaveStaff) -> None: ...
    def deactivate(self, command: DeactivateStaff) -> None: ...


class StaffList:
    """The manager's PIN check and the staff list on a staff file: the local shop's and the chain
    gateway's shop's (each sets ``_staff``, and says in ``_no_staff_file`` what it lacks without one)."""
    _staff: StaffDirectory | None = None
    _no_staff_file = NO_STAFF_FILE

    def verify_manager_pin(self, pin: str) -> str:
        """The manager's staff id if ``pin`` is an active manager's PIN; else PinRefused (PinsThrottled
        after too many wrong PINs from this till lately: then the PIN is not even checked)."""
        if self._staff is None:
            raise PinRefused(self._no_staff_file)
        manager = self._staff.manager_with_pin(pin) if isinstance(pin, str) and pin else None
        if manager is None:
            raise PinRefused("That is not a manager's PIN")
        return manager

    def _directory(self) -> StaffDirectory:
        if self._staff is None:
            raise ShopError(self._no_staff_file)
        return self._staff

    def staff_members(self) -> list[StaffMember]:
        return self._directory().members()

    def save_staff(self, command: SaveStaff) -> None:
        if not isinstance(command, SaveStaff):
            raise InvalidInput(f"save_staff takes a SaveStaff, got {type(command).__name__}")
        self._directory().save(_by_a_manager(command))

    def deactivate_staff(self, command: DeactivateStaff) -> None:
        if not isinstance(command, DeactivateStaff):
            raise InvalidInput(f"deactivate_staff takes a DeactivateStaff, got {type(command).__name__}")
        self._directory().deactivate(_by_a_manager(command))


class ManagerActions(StaffList):
    """Mixed into the local shop, which provides ``execute`` and sets ``_staff``."""

    def execute(self, command):
        raise NotImplementedError

    def _audited(self, staff: str, action: str, target: str, reason: str, command) -> None:
        """Run ``command``; a manager's action (``staff`` given) is written to the staff file's audit (as
        the shop server writes it), refused attempts included."""
        if not staff or self._staff is None:
            self.execute(command)
            return
        try:
            self.execute(command)
        except ShopError as exc:
            self._staff.audit(staff, action, target, reason, f"refused: {exc.code}")
            raise
        self._staff.audit(staff, action, target, reason, "ok")

    def save_category(self, category: menu.SaveCategory) -> None:
        if not isinstance(category, menu.SaveCategory):
            raise InvalidInput(f"save_category takes a SaveCategory, got {type(category).__name__}")
        self._audited(category.staff, "save_category", f"{category.code} {category.name_ko} {category.name_en}",
                      category.reason, category)

    def save_menu_item(self, item: menu.SaveMenuItem) -> None:
        if not isinstance(item, menu.SaveMenuItem):
            raise InvalidInput(f"save_menu_item takes a SaveMenuItem, got {type(item).__name__}")
        self._audited(item.staff, "save_menu_item", f"{item.code} ₩{item.price:,}"
                      f"{'' if item.available else ' unavailable'}", item.reason, item)



StaffCommand = TypeVar("StaffCommand", SaveStaff, DeactivateStaff)


def _by_a_manager(command: StaffCommand) -> StaffCommand:
    if not command.staff:
        raise PinRefused("Only a manager may change the staff: give the manager's PIN first")
    return command
