"""Errors only the remote adapter can meet. They are ShopErrors, so screens show ``str(error)`` as they
do for any refusal; the texts are what the counter displays."""
from __future__ import annotations

from services import errors as domain
from services.errors import ShopError

BUSY = "busy — try again shortly"


class ServerUnreachable(ShopError):
    code = "offline"


class ServerBusy(domain.ShopBusy):
    """The server shed the request (503): nothing was done, try again shortly. A ShopBusy, so screens
    treat a busy server like a busy local shop."""
    code = "overloaded"


class NotAllowed(ShopError):
    """Signed in, but this staff role may not do that (HTTP 403)."""
    code = "forbidden"


class SignInFailed(ShopError):
    code = "bad_credentials"


def _all_subclasses(cls: type[ShopError]) -> list[type[ShopError]]:
    return [cls, *[s for sub in cls.__subclasses__() for s in _all_subclasses(sub)]]


def error_for(code: str, message: str, status: int) -> ShopError:
    """The ShopError subclass the server raised (matched by ``code``), so callers catch what LocalShop raises."""
    for cls in _all_subclasses(ShopError):
        if getattr(cls, "code", None) == code:
            return cls(message)
    if status == 422 or status == 413:
        return domain.InvalidInput(message)
    if status == 404:
        return domain.UnknownOrder(message)
    if status == 409:
        return domain.InvalidTransition(message)
    return ShopError(message)


class AccountLocked(SignInFailed):
    code = "locked"
