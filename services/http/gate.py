"""What every route shares: the role gate and the mapping of errors to JSON ``{code, message}``.

Every error the gateway sends, from any layer, has the same body shape so a client needs one parser:
domain errors keep their ``ShopError.code``; validation, auth, size and overload errors get theirs.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from services.errors import ShopError
from services.http.auth import AuthError, Principal, StaffStore
from services.http.schemas import ErrorOut

log = logging.getLogger(__name__)

STATUS_BY_CODE = {
    "invalid_input": 422, "unknown_item": 404, "unknown_category": 404, "unknown_order": 404,
    "pin_refused": 403, "slow_down": 429, "weak_pin": 422, "unknown_staff": 404, "pin_needed": 409,
    "invalid_transition": 409, "cancel_refused": 409, "payment_refused": 409,
    "busy": 503, "closed": 503,      # not carried out (writer overloaded, shop closing): safe to retry
    "outcome_unknown": 502,          # the shop process stopped before answering: check before retrying
    "not_saved": 507,                # the database refused the write (disk full, I/O): nothing taken, retry later
}
RETRY_AFTER = {"Retry-After": "1"}


def status_of(error: ShopError) -> int:
    """The HTTP status of a refusal: its own code's, else its nearest base class's (a DayNotOpen is
    an invalid transition: 409), else 400. The body's ``code`` stays the error's own."""
    codes = (getattr(cls, "code", "") for cls in type(error).__mro__)
    return next((STATUS_BY_CODE[code] for code in codes if code in STATUS_BY_CODE), 400)

# Every status a route may answer with besides its success, documented so clients (and schemathesis)
# know the error body. 408, 413, 415 and 503 come from the ASGI guards before any route runs.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body could not be read (e.g. not UTF-8)", "model": ErrorOut},
    401: {"description": "Missing, unknown or expired token", "model": ErrorOut},
    403: {"description": "Signed in, but this role may not use this route", "model": ErrorOut},
    404: {"description": "Unknown order, item or route", "model": ErrorOut},
    409: {"description": "Not allowed in the current state (e.g. cancel after cooking)", "model": ErrorOut},
    408: {"description": "The request body did not arrive in time", "model": ErrorOut},
    413: {"description": "Request body too large", "model": ErrorOut},
    415: {"description": "The body is not JSON in UTF-8 (Content-Type: application/json)", "model": ErrorOut},
    422: {"description": "Malformed request: the message names the field", "model": ErrorOut},
    502: {"description": "The shop stopped before answering: check before retrying (an order with the same "
                          "clientRef is never taken twice)", "model": ErrorOut},
    503: {"description": "Server busy: retry after the Retry-After header", "model": ErrorOut},
    507: {"description": "The shop could not save it (disk full, I/O error): nothing was taken, safe to retry",
          "model": ErrorOut},
}

_bearer = HTTPBearer(auto_error=False, description="Token from POST /auth/sign-in")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def authorize(staff: StaffStore, token: str | None, allowed: frozenset[str]) -> Principal:
    """The signed-in staff behind ``token`` if their role is in ``allowed``; else ApiError 401/403."""
    if not token:
        raise ApiError(401, "unauthenticated", "Sign in first: send 'Authorization: Bearer <token>' "
                                               "from POST /auth/sign-in", {"WWW-Authenticate": "Bearer"})
    principal = staff.principal(token)
    if principal is None:
        raise ApiError(401, "unauthenticated", "Your session has expired or is unknown: sign in again",
                       {"WWW-Authenticate": "Bearer"})
    if principal.role not in allowed:
        raise ApiError(403, "forbidden", f"Staff with role '{principal.role}' may not do this "
                                         f"(allowed: {', '.join(sorted(allowed))})")
    return principal


def admitted(*roles: str) -> frozenset[str]:
    """The roles a route for ``roles`` admits: those, and the manager, who is admitted everywhere."""
    return frozenset(roles) | {"manager"}


class Gate:
    """Builds route dependencies that admit only some roles (and the manager: see ``admitted``)."""

    def __init__(self, staff: StaffStore) -> None:
        self.staff = staff

    def allow(self, *roles: str):
        allowed = admitted(*roles)
        staff = self.staff

        def dependency(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
            return authorize(staff, credentials.credentials if credentials else None, allowed)

        return dependency


def roles_extra(*roles: str) -> dict:
    """OpenAPI extension naming the roles a route admits, so the docs and the auth tests share one table."""
    return {"x-roles": sorted(admitted(*roles))}


def validation_message(errors) -> str:
    """One line naming up to five offending fields, e.g. "lines.0.quantity: Input should be ..."."""
    problems = []
    for err in list(errors)[:5]:
        if err.get("type") == "json_invalid":
            problems.append(f"malformed JSON ({err.get('ctx', {}).get('error', 'cannot parse')})")
            continue
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request — " + "; ".join(problems)


def _methods_for(request: Request) -> set[str]:
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"}) if isinstance(route, APIRoute) else (Match.NONE, 0)
        if match != Match.NONE:
            methods |= route.methods or set()
    return methods


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(AuthError)
    async def _auth(_: Request, exc: AuthError):
        headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(ShopError)
    async def _shop(_: Request, exc: ShopError):
        status = status_of(exc)
        return error_response(status, exc.code, exc.message, RETRY_AFTER if status == 503 else None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError):
        return error_response(422, "invalid_input", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = {400: "invalid_input", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; HTTP wants every method
            # the resource supports (GET and POST /orders are two routes).
            headers = {**(headers or {}), "Allow": ", ".join(sorted(_methods_for(request)))}
        return error_response(exc.status_code, code, str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "The shop server hit an unexpected error; it was logged")
