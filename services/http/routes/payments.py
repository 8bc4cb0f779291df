"""Payments context: ``/payments`` (take payment, an order's bill, unpaid orders) and ``/days``
(open the day, the X report, close it with the Z report — a manager's — and read a closed day's
Z report again, as JSON or CSV). Who did it is the signed-in staff, never a field of the body."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.pos_schemas import (BillOut, BusinessDayOut, CloseDayIn, DayReportOut, OpenDayIn, PaymentIn,
                                       PaymentReceiptOut)
from services.http.routes.cook import audited
from services.payment_commands import Tender
from services.port import Shop
from services.reports.export import report_csv

OrderId = Path(ge=1, le=2**53, alias="orderId")
DayId = Path(ge=1, le=2**53, alias="dayId")


def router(shop: Shop, gate: Gate, staff: StaffStore) -> APIRouter:
    r = APIRouter(tags=["payments"], responses=COMMON_RESPONSES)
    counter, manager = gate.allow("counter"), gate.allow("manager")

    @r.post("/payments", response_model=PaymentReceiptOut, openapi_extra=roles_extra("counter"),
            summary="Take payment for an order: one or more tenders (cash with change, card recorded); "
                    "part of the balance for a split (idempotent by clientRef: the same ref is taken once "
                    "and answered the same)")
    def take_payment(body: PaymentIn, who: Principal = Depends(counter)):
        tenders = [Tender(t.kind, t.amount, t.tendered, t.approval, t.last4, t.guest) for t in body.tenders]
        return shop.take_payment(body.order_id, tenders, body.cash_receipt, who.staff_id, client_ref=body.client_ref)

    @r.get("/payments/unpaid", response_model=list[BillOut], openapi_extra=roles_extra("counter"),
           summary="Every order with money still due (dine-in paid at the end, a split part-paid)")
    def unpaid(_: Principal = Depends(counter)):
        return shop.unpaid_bills()

    @r.get("/payments/{orderId}", response_model=BillOut, openapi_extra=roles_extra("counter"),
           summary="An order's bill: tenders, refunds, what is still due")
    def bill(order_id: int = OrderId, _: Principal = Depends(counter)):
        return shop.bill(order_id)

    @r.get("/days", response_model=list[BusinessDayOut], openapi_extra=roles_extra("counter"),
           summary="Business days, newest first")
    def days(_: Principal = Depends(counter)):
        return shop.days()

    @r.get("/days/current", response_model=BusinessDayOut | None, openapi_extra=roles_extra("counter"),
           summary="The open day, or null when the day is closed")
    def current(_: Principal = Depends(counter)):
        return shop.current_day()

    @r.post("/days", response_model=BusinessDayOut, status_code=201, openapi_extra=roles_extra("counter"),
            summary="Open the day (개점) with the cash float (audited)")
    def open_day(body: OpenDayIn, who: Principal = Depends(counter)):
        return audited(staff, who, "open_day", f"float {body.float_cash}", "",
                       lambda: shop.open_day(body.float_cash, who.staff_id))

    @r.get("/days/current/x-report", response_model=DayReportOut, openapi_extra=roles_extra("counter"),
           summary="The X report: the open day so far (changes nothing)")
    def x_report(_: Principal = Depends(counter)):
        return shop.x_report()

    @r.post("/days/current/close", response_model=DayReportOut, openapi_extra=roles_extra("manager"),
            summary="Close the day (마감) with the cash counted; answers the Z report, which is kept (audited)")
    def close_day(body: CloseDayIn, who: Principal = Depends(manager)):
        return audited(staff, who, "close_day", f"counted {body.counted_cash}", "",
                       lambda: shop.close_day(body.counted_cash, who.staff_id))

    @r.get("/days/{dayId}/z-report", response_model=DayReportOut, openapi_extra=roles_extra("counter"),
           summary="A closed day's Z report, exactly as it was closed")
    def z_report(day_id: int = DayId, _: Principal = Depends(counter)):
        return shop.z_report(day_id)

    @r.get("/days/{dayId}/z-report.csv", response_class=Response, openapi_extra=roles_extra("counter"),
           responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                            "description": "The Z report as CSV (UTF-8 with BOM, for spreadsheets)"}},
           summary="A closed day's Z report as CSV")
    def z_report_csv(day_id: int = DayId, _: Principal = Depends(counter)):
        return Response(report_csv(shop.z_report(day_id)).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="z-report-day-{day_id}.csv"'})

    return r
