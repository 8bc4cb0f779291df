"""Staff: PIN sign-in, who am I, manager unlock, and the audit log."""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, ApiError, Gate, _bearer, roles_extra
from services.http.routes.cook import ALL_ROLES
from services.http.pos_schemas import StaffIn
from services.http.schemas import AuditOut, ErrorOut, OkOut, ReasonIn, SessionOut, SignInIn, StaffOut


def router(staff: StaffStore, gate: Gate) -> APIRouter:
    r = APIRouter(prefix="/auth", tags=["staff"], responses=COMMON_RESPONSES)
    anyone, manager = gate.allow(*ALL_ROLES), gate.allow("manager")

    @r.post("/sign-in", response_model=SessionOut,
            responses={423: {"description": "Locked for 15 minutes after 5 wrong PINs", "model": ErrorOut},
                       429: {"description": "Too many wrong PINs from this address: wait Retry-After seconds",
                             "model": ErrorOut}},
            summary="Sign in with staff id and PIN; five wrong PINs lock the account for 15 minutes")
    def sign_in(body: SignInIn, request: Request):
        token, who = staff.sign_in(body.staff_id, body.pin, request.client.host if request.client else None)
        return SessionOut(token=token, staff_id=who.staff_id, name=who.name, role=who.role,
                          expires_at=datetime.fromtimestamp(who.expires_at, timezone.utc))

    @r.post("/sign-out", response_model=OkOut, openapi_extra=roles_extra(*ALL_ROLES))
    def sign_out(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
                 _: Principal = Depends(anyone)):
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
           summary="Add a staff member or change their name, role or PIN (audited; the PIN is never logged)")
    def save_staff(body: StaffIn, staff_id: str = Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", alias="staffId"),
                   who: Principal = Depends(manager)):
        if staff_id == who.staff_id and body.role != "manager":
            raise ApiError(409, "invalid_transition", "A manager cannot take away their own manager role")
        staff.add_staff(staff_id, body.name, body.role, body.pin)
        staff.audit(who, "save_staff", f"{staff_id} ({body.role})", body.reason, "ok")
        return OkOut()

    @r.get("/audit", response_model=list[AuditOut], openapi_extra=roles_extra("manager"),
           summary="Who cancelled, marked sold out, restocked or changed gift stock, when and why (newest first)")
    def audit(limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(manager)):
        return staff.audit_log(limit)

    return r
