"""Staff: PIN sign-in, who am I, manager unlock, and the audit log."""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, ApiError, Gate, _bearer, roles_extra
from services.http.routes.cook import ALL_ROLES
from services.http.pos_schemas import StaffIn
from services.staff_commands import STAFF_ID_PATTERN, DeactivateStaff, SaveStaff
from services.http.schemas import AuditOut, ErrorOut, ManagerPinIn, OkOut, ReasonIn, SessionOut, SignInIn, StaffOut


def router(staff: StaffStore, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/auth", tags=["staff"], responses=COMMON_RESPONSES)
    anyone, manager = gate.allow(*ALL_ROLES), gate.allow("manager")

    @r.post("/sign-in", response_model=SessionOut,
            responses={403: {"description": "The account is deactivated (said only to whoever gave its PIN)",
                             "model": ErrorOut},
                       423: {"description": "Locked for 15 minutes after 5 wrong PINs", "model": ErrorOut},
                       429: {"description": "Too many wrong PINs from this address: wait Retry-After seconds",
                             "model": ErrorOut}},
            summary="Sign in with staff id and PIN; five wrong PINs lock the account for 15 minutes")
    def sign_in(body: SignInIn, request: Request):
        return _session(*staff.sign_in(body.staff_id, body.pin, request.client.host if request.client else None))

    @r.post("/sign-in/manager", response_model=SessionOut,
            responses={429: {"description": "Too many wrong PINs from this address: wait Retry-After seconds",
                             "model": ErrorOut}},
            summary="Sign in as whichever active manager has this PIN (a till's manager unlock names no one)")
    def manager_sign_in(body: ManagerPinIn, request: Request):
        if session := staff.manager_sign_in(body.pin, request.client.host if request.client else None):
            return _session(*session)
        raise ApiError(401, "bad_credentials", "That is not an active manager's PIN")

    @r.post("/sign-out", response_model=OkOut, openapi_extra=roles_extra(*ALL_ROLES))
    def sign_out(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
                 _: Principal = Depends(anyone)):
        if credentials:   # always, once ``anyone`` has let the request in
            staff.sign_out(credentials.credentials)
        return OkOut()

    @r.get("/me", response_model=StaffOut, openapi_extra=roles_extra(*ALL_ROLES))
    def me(who: Principal = Depends(anyone)):
        return StaffOut(staff_id=who.staff_id, name=who.name, role=who.role, failed_attempts=0, locked=False)

    @r.get("/staff", response_model=list[StaffOut], openapi_extra=roles_extra("manager"))
    def list_staff(_: Principal = Depends(manager)):
        return staff.staff()

    @r.post("/staff/{staffId}/unlock", response_model=OkOut, openapi_extra=roles_extra("manager"),
            summary="Unlock an account locked by wrong PINs (audited)")
    def unlock(body: ReasonIn | None = None, staff_id: str = Path(min_length=1, max_length=40, alias="staffId"),
               who: Principal = Depends(manager)):
        if not staff.unlock(staff_id, who, body.reason if body else ""):
            raise ApiError(404, "unknown_staff", f"No staff with id {staff_id!r}")
        return OkOut()

    @r.put("/staff/{staffId}", response_model=OkOut, openapi_extra=roles_extra("manager"),
           summary="Add a staff member or change their name, role or PIN (audited; the PIN is never logged); "
                   "a new PIN or role ends their sessions, and a new PIN makes a deactivated person active again")
    def save_staff(body: StaffIn, staff_id: str = Path(pattern=STAFF_ID_PATTERN, alias="staffId"),
                   who: Principal = Depends(manager)):
        staff.save_staff(SaveStaff(staff_id, body.name, body.role, body.pin or "", who.staff_id, body.reason), who)
        return OkOut()

    @r.post("/staff/{staffId}/deactivate", response_model=OkOut, openapi_extra=roles_extra("manager"),
            summary="Deactivate a staff member: they cannot sign in and their sessions end (audited)")
    def deactivate(body: ReasonIn | None = None, staff_id: str = Path(pattern=STAFF_ID_PATTERN, alias="staffId"),
                   who: Principal = Depends(manager)):
        staff.deactivate(DeactivateStaff(staff_id, who.staff_id, body.reason if body else ""), who)
        return OkOut()

    @r.get("/audit", response_model=list[AuditOut], openapi_extra=roles_extra("manager"),
           summary="Who cancelled, marked sold out, restocked or changed gift stock, when and why (newest first)")
    def audit(limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(manager)):
        return staff.audit_log(limit)

    return r


def _session(token: str, who: Principal) -> SessionOut:
    return SessionOut(token=token, staff_id=who.staff_id, name=who.name, role=who.role,
                      expires_at=datetime.fromtimestamp(who.expires_at, timezone.utc))
