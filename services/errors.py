"""Domain errors. Each names what is wrong in words a cashier can act on.

``code`` is a stable machine-readable tag (the REST layer maps it to a status code);
``str(error)`` is the message shown to the user.
"""
from __future__ import annotations


class ShopError(Exception):
    code = "shop_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ShopError):
    """The request itself is malformed: nothing was written."""
    code = "invalid_input"


class UnknownItem(InvalidInput):
    code = "unknown_item"


class UnknownCategory(InvalidInput):
    code = "unknown_category"


class UnknownOrder(ShopError):
    code = "unknown_order"


class InvalidTransition(ShopError):
    """The command is well-formed but not allowed in the current state (e.g. bump a cancelled ticket)."""
    code = "invalid_transition"


class PaymentRefused(InvalidTransition):
    """The payment does not add up (cash tendered short of what it pays, more than is due): nothing was taken."""
    code = "payment_refused"


class CancelRefused(InvalidTransition):
    code = "cancel_refused"


class DayNotOpen(InvalidTransition):
    """No business day is open: payments, closing and the X report wait for its opening (개점)."""
    code = "day_not_open"


class DayAlreadyOpen(InvalidTransition):
    code = "day_already_open"


class AlreadyPaid(InvalidTransition):
    code = "already_paid"


class PinRefused(ShopError):
    """A manager's PIN was asked for and the one given is not a manager's."""
    code = "pin_refused"


class PinsThrottled(PinRefused):
    """Too many wrong PINs from this terminal lately: the PIN was not even checked. ``fields``: what a
    translated message may name (the seconds to wait)."""
    code = "slow_down"

    def __init__(self, message: str, retry_after_s: int = 1) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.fields = {"seconds": retry_after_s}


class WeakPin(InvalidInput):
    """A PIN a staff member would be given is too easy to guess or not digits."""
    code = "weak_pin"


class PinNeeded(InvalidTransition):
    """A new staff member was saved without a PIN (a known one keeps theirs)."""
    code = "pin_needed"


class UnknownStaff(ShopError):
    code = "unknown_staff"


class ShopBusy(ShopError):
    """The request was not carried out (database locked, writer overloaded): safe to try again."""
    code = "busy"


class NotSaved(ShopError):
    """The database refused the write (disk full, an I/O error, a transaction it undid on its own):
    none of it was kept, so the same request may safely be sent again once the cause is fixed."""
    code = "not_saved"

    @classmethod
    def because(cls, detail: str) -> NotSaved:
        return cls(f"The shop could not save this ({detail}): nothing was taken, so it is safe to try again")


class ShopClosed(ShopError):
    code = "closed"


class OutcomeUnknown(ShopError):
    """The shop stopped before answering: what was asked may or may not have been done. Not "busy":
    a blind retry could do it twice (an order is safe only with the same clientRef)."""
    code = "outcome_unknown"
