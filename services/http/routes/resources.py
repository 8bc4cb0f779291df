"""The original system's Spring Data REST resources: the collection and the item of each, paged.

``GET /orders``, ``/cooks``, ``/gifts``, ``/mypages`` are collections: ``?page=`` (0-based, as Spring
Data REST counts) and ``?size=`` (default 100, at most 500). The body is the page's items (a JSON
array, as this API's own clients read it); the paging is in headers: ``X-Total-Count`` (items in
the whole collection), ``X-Page``, ``X-Page-Size``, ``X-Total-Pages`` and ``Link`` (``first``,
``prev``, ``next``, ``last``, RFC 8288). Items: ``/orders/{orderId}``, ``/cooks/{orderId}``,
``/deliveries/{orderId}``, ``/gifts/{orderId}``, ``/mypages/{orderId}`` (in ``mypage.py``), and
``/mypages/search/findByOrderId?orderId=``. ``POST /gifts`` is the order -> gift call the original
made, idempotent per order; ``DELETE /orders/{orderId}`` cancels, as ``POST /cancellations`` does.

A client that asks for ``Accept: application/hal+json`` (Spring's own clients do) gets a collection
as Spring Data REST wrote it: ``{"_embedded": {"orders": [...]}, "_links": {...}, "page": {"size",
"totalElements", "totalPages", "number"}}``.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from services.errors import UnknownOrder
from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.routes.cook import ALL_ROLES, audited
from services.http.schemas import (PHONE_PATTERN, DeliveryCardOut, GiftIn, GiftOut, MypageOut, OkOut,
                                   OrderSummaryOut, TicketOut)
from services.port import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, Page, Shop

OrderId = Path(ge=1, le=2**53, alias="orderId")
PAGE_HEADERS = {
    "X-Total-Count": {"description": "Items in the whole collection", "schema": {"type": "integer"}},
    "X-Total-Pages": {"description": "Pages of this size", "schema": {"type": "integer"}},
    "X-Page": {"description": "This page's number (0-based)", "schema": {"type": "integer"}},
    "X-Page-Size": {"description": "Items per page", "schema": {"type": "integer"}},
    "Link": {"description": "first, prev, next and last pages (RFC 8288)", "schema": {"type": "string"}},
}
HAL = "application/hal+json"


def paged_responses(name: str) -> dict:
    """The OpenAPI of a paged route: the items as JSON, or (``Accept: application/hal+json``) Spring
    Data REST's page."""
    link = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
    page_fields = ("size", "totalElements", "totalPages", "number")
    hal = {"type": "object", "required": ["_embedded", "_links", "page"], "properties": {
        "_embedded": {"type": "object", "properties": {name: {"type": "array", "items": {"type": "object"}}}},
        "_links": {"type": "object", "additionalProperties": link},
        "page": {"type": "object", "required": list(page_fields),
                 "properties": {key: {"type": "integer"} for key in page_fields}}}}
    return {200: {"description": "One page; paging in the headers", "headers": PAGE_HEADERS,
                  "content": {HAL: {"schema": hal}}}}


class Paging:
    """``?page=&size=`` as a route dependency."""

    def __init__(self, page: int = Query(0, ge=0, le=MAX_PAGE, description="Page number, from 0"),
                 size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                                   description=f"Items per page (default {DEFAULT_PAGE_SIZE}, "
                                               f"at most {MAX_PAGE_SIZE})")):
        self.page, self.size = page, size


def paged(page: Page, request: Request, response: Response, name: str, model):
    """The page's items as the body, its place in the collection in the headers; Spring Data REST's
    page (items as ``model``) for a client that accepts HAL."""
    last = max(page.total_pages - 1, 0)
    links = {"first": 0, "last": last}
    if page.number > 0:
        links["prev"] = min(page.number - 1, last)
    if page.number < last:
        links["next"] = page.number + 1
    response.headers["X-Total-Count"] = str(page.total)
    response.headers["X-Total-Pages"] = str(page.total_pages)
    response.headers["X-Page"] = str(page.number)
    response.headers["X-Page-Size"] = str(page.size)
    urls = {rel: str(request.url.include_query_params(page=n, size=page.size)) for rel, n in links.items()}
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in urls.items())
    if HAL not in request.headers.get("accept", ""):
        return list(page.items)
    items = [model.model_validate(item).model_dump(mode="json", by_alias=True) for item in page.items]
    body = {"_embedded": {name: items},
            "_links": {"self": {"href": str(request.url)}, **{rel: {"href": url} for rel, url in urls.items()}},
            "page": {"size": page.size, "totalElements": page.total, "totalPages": page.total_pages,
                     "number": page.number}}
    return JSONResponse(body, media_type=HAL, headers=dict(response.headers))


def router(shop: Shop, gate: Gate, staff: StaffStore) -> APIRouter:
    r = APIRouter(responses=COMMON_RESPONSES)
    counter, kitchen, anyone = gate.allow("counter"), gate.allow("kitchen"), gate.allow(*ALL_ROLES)
    board_viewers = gate.allow("rider", "counter")

    # -- orders --------------------------------------------------------------------------------------
    @r.get("/orders", response_model=list[OrderSummaryOut], tags=["order"], openapi_extra=roles_extra("counter"),
           responses=paged_responses("orders"), summary="Today's orders, newest first, one page at a time")
    def todays_orders(request: Request, response: Response, paging: Paging = Depends(),
                      _: Principal = Depends(counter)):
        return paged(shop.orders_page(paging.page, paging.size), request, response, "orders", OrderSummaryOut)

    @r.get("/orders/{orderId}", response_model=OrderSummaryOut, tags=["order"], openapi_extra=roles_extra("counter"),
           summary="One order (any day) and where it is now")
    def one_order(order_id: int = OrderId, _: Principal = Depends(counter)):
        return shop.order_summary(order_id)

    @r.delete("/orders/{orderId}", response_model=OkOut, tags=["order"], openapi_extra=roles_extra("counter"),
              summary="Cancel an order before it is cooked (as POST /cancellations; audited)")
    def delete_order(order_id: int = OrderId, reason: str = Query("", max_length=200),
                     who: Principal = Depends(counter)):
        audited(staff, who, "cancel", f"order {order_id}", reason,
                lambda: shop.cancel_order(order_id, reason, who.staff_id))
        return OkOut()

    # -- cooks ---------------------------------------------------------------------------------------
    @r.get("/cooks", response_model=list[TicketOut], tags=["cook"], openapi_extra=roles_extra("kitchen"),
           responses=paged_responses("cooks"), summary="Open kitchen tickets in arrival order, one page at a time")
    def tickets(request: Request, response: Response, paging: Paging = Depends(), _: Principal = Depends(kitchen)):
        return paged(shop.tickets_page(paging.page, paging.size), request, response, "cooks", TicketOut)

    @r.get("/cooks/{orderId}", response_model=TicketOut, tags=["cook"], openapi_extra=roles_extra("kitchen"),
           summary="One order's kitchen ticket, whatever its status")
    def one_ticket(order_id: int = OrderId, _: Principal = Depends(kitchen)):
        return shop.ticket(order_id)

    # -- deliveries (the collection is the board: GET /deliveries) -----------------------------------
    @r.get("/deliveries/{orderId}", response_model=DeliveryCardOut, tags=["delivery"],
           openapi_extra=roles_extra("rider", "counter"), summary="One order's delivery")
    def one_delivery(order_id: int = OrderId, _: Principal = Depends(board_viewers)):
        return shop.delivery(order_id)

    # -- gifts ---------------------------------------------------------------------------------------
    @r.get("/gifts", response_model=list[GiftOut], tags=["gift"], openapi_extra=roles_extra(*ALL_ROLES),
           responses=paged_responses("gifts"), summary="Gifts issued, newest order first, one page at a time")
    def gifts(request: Request, response: Response, paging: Paging = Depends(), _: Principal = Depends(anyone)):
        return paged(shop.gifts_page(paging.page, paging.size), request, response, "gifts", GiftOut)

    @r.get("/gifts/{orderId}", response_model=GiftOut, tags=["gift"], openapi_extra=roles_extra(*ALL_ROLES),
           summary="One order's gift")
    def one_gift(order_id: int = OrderId, _: Principal = Depends(anyone)):
        return shop.gift(order_id)

    @r.post("/gifts", response_model=GiftOut, tags=["gift"], openapi_extra=roles_extra("counter"),
            summary="The order -> gift call of the original system; idempotent per order")
    def send_gift(body: GiftIn, _: Principal = Depends(counter)):
        # Here the gift is issued in the same transaction as the order (or deferred and retried by
        # the shop itself), so this call issues nothing new: it answers with the order's gift, the
        # same one every time it is asked.
        return shop.gift(body.order_id)

    # -- mypages -------------------------------------------------------------------------------------
    @r.get("/mypages/search/findByOrderId", response_model=list[MypageOut], tags=["mypage"],
           openapi_extra=roles_extra("counter"), summary="Spring Data REST search: the cards of one order")
    def find_by_order_id(order_id: int = Query(ge=1, le=2**53, alias="orderId"), _: Principal = Depends(counter)):
        try:
            return [shop.mypage(order_id)]
        except UnknownOrder:
            return []

    @r.get("/mypages", response_model=list[MypageOut], tags=["mypage"], openapi_extra=roles_extra("counter"),
           responses=paged_responses("mypages"),
           summary="Mypage cards, newest first, one page at a time; ?phone= for one customer's")
    def mypages(request: Request, response: Response, paging: Paging = Depends(),
                phone: str | None = Query(None, min_length=1, max_length=20, pattern=PHONE_PATTERN),
                _: Principal = Depends(counter)):
        if phone is not None:
            cards = shop.mypage_by_phone(phone)    # at most 50, newest first
            start = paging.page * paging.size
            return paged(Page(tuple(cards[start:start + paging.size]), paging.page, paging.size, len(cards)),
                         request, response, "mypages", MypageOut)
        return paged(shop.mypages_page(paging.page, paging.size), request, response, "mypages", MypageOut)

    return r
