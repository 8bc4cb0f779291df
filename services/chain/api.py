"""The internal HTTP API of one context service (CHAIN.md): health, commands and views.

Called by the gateway's ChainShop (and ordering's gift call); not public: no auth here, the gateway
signs staff in. Errors have the gateway's shape ``{"code", "message"}`` and its status mapping
(``services.http.gate.status_of``), so the caller rebuilds the same ShopError from ``code``.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import orjson
import psycopg
from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.concurrency import run_in_threadpool

from services.chain import pages, pos_views, views
from services.chain.command_path import CommandPath, database_unavailable
from services.errors import ShopError
from services.http.gate import RETRY_AFTER, error_response, status_of
from services.ops.metrics import instrument
from services.port import DEFAULT_PAGE_SIZE

log = logging.getLogger(__name__)


class ORJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return orjson.dumps(content)


def create_app(service):
    """The API over ``service`` (a ``services.chain.service.ChainService``), which it starts and stops: an
    ASGI app (the FastAPI app, instrumented; its attributes reachable through it)."""

    @asynccontextmanager
    async def lifespan(_app):
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    name = service.spec.name
    app = FastAPI(title=f"Sikdang {name} service (internal)", lifespan=lifespan, default_response_class=ORJSONResponse)

    @app.exception_handler(ShopError)
    async def shop_error(_request, error: ShopError):
        return error_response(status_of(error), error.code, str(error))

    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(PoolTimeout)
    async def database_down(_request, error: Exception):
        log.warning("%s: database unavailable: %s", name, error)
        return error_response(503, **database_unavailable(name), headers=RETRY_AFTER)

    @app.get("/livez")
    async def livez():
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz():
        report = await service.readiness()
        return ORJSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    def view(work, *args):
        return run_in_threadpool(service.store.read, lambda sql: work(sql, *args))

    def paged(collection: str, work):
        """``GET /views/pages/<collection>?page=&size=``: one page and the total (services.chain.pages)."""
        @app.get(f"/views/pages/{collection}", name=f"{collection}_page")
        async def one_page(page: int = Query(0), size: int = Query(DEFAULT_PAGE_SIZE)):
            return await view(work, page, size)

    def item(collection: str, work):
        """``GET /views/<collection>/{order_id}``: one order's item, 404 unknown_order when it has none."""
        @app.get(f"/views/{collection}/{{order_id}}", name=f"one_of_{collection}")
        async def one(order_id: int):
            return await view(work, order_id)

    if name == "ordering":
        @app.get("/views/menu")
        async def menu():
            return await view(views.menu)

        @app.get("/views/categories")
        async def categories():
            return await view(views.categories)
    elif name == "kitchen":
        @app.get("/views/stock")
        async def stock():
            return await view(views.kitchen_stock)

        @app.get("/views/tickets")
        async def tickets():
            return await view(views.kitchen_tickets)

        paged("tickets", pages.tickets_page)
        item("tickets", pages.ticket)
    elif name == "delivery":
        @app.get("/views/board")
        async def board(since: float = Query(0.0)):
            return await view(views.delivery_board, since)

        paged("deliveries", pages.deliveries_page)
        item("deliveries", pages.delivery)
    elif name == "gift":
        @app.get("/views/stock")
        async def gift_stock():
            return await view(views.gift_stock)

        paged("gifts", pages.gifts_page)
        item("gifts", pages.gift)
    elif name == "mypage":
        @app.get("/views/mypage/{order_id}")
        async def mypage(order_id: int):
            return await view(views.mypage, order_id)

        @app.get("/views/mypage")
        async def by_phone(phone: str = Query(min_length=1, max_length=20)):
            return await view(views.mypage_by_phone, phone)

        @app.get("/views/today")
        async def today(since: float = Query(0.0)):
            return await view(views.todays_orders, since)

        @app.get("/views/pages/orders")
        async def orders_page(page: int = Query(0), size: int = Query(DEFAULT_PAGE_SIZE), since: float = Query(0.0)):
            return await view(pages.orders_page, page, size, since)

        item("orders", pages.order_summary)
        paged("mypages", pages.mypages_page)

    elif name == "payments":
        add_payment_views(app, view)

    @app.get("/views/parked")
    async def parked():
        """Poison events this context parked (newest first): what an operator looks at."""
        return await view(lambda sql: [dict(r) for r in sql.conn.execute(
            "SELECT event_id, seq, subject, error, deliveries, at FROM parked ORDER BY at DESC LIMIT 100")])

    # GET /metrics (prometheus-client, services.ops.metrics: every series labelled with this context and
    # replica, the gauges refreshed at each scrape), request counts and latencies, the X-Order-Id log context
    # POST /commands/{name} (services/chain/command_path.py) in front of FastAPI, inside the instrumentation
    return instrument(CommandPath(app, service), labels={"context": name, "replica": str(service.replica)},
                      refresh=service.refresh_metrics)


def add_payment_views(app: FastAPI, view) -> None:
    """Payments' views (services/chain/pos_views.py): bills, business days, the X and Z reports."""
    @app.get("/views/bills/unpaid")
    async def unpaid():
        return await view(pos_views.unpaid_bills)

    @app.get("/views/bills/{order_id}")
    async def bill(order_id: int):
        return await view(pos_views.bill, order_id)

    @app.post("/views/bill-notes")
    async def bill_notes(order_ids: list[int]):
        """Read-only (a POST only because the list of orders may be long)."""
        return await view(pos_views.bill_notes, order_ids)

    @app.get("/views/days")
    async def days():
        return await view(pos_views.days)

    @app.get("/views/days/current")
    async def current_day():
        return await view(pos_views.current_day)

    @app.get("/views/days/current/x-report")
    async def x_report():
        return await view(pos_views.x_report)

    @app.get("/views/days/{day_id}")
    async def day(day_id: int):
        return await view(pos_views.day, day_id)

    @app.get("/views/days/{day_id}/z-report")
    async def z_report(day_id: int):
        return await view(pos_views.z_report, day_id)
