"""The live event feed: ``GET /events`` (a page after a position) and ``GET /events/stream`` (SSE).

Resume: the stream sends each event with ``id: <position>``; a client that reconnects with
``Last-Event-ID`` (or ``?after=``) gets every later event once, from the shop's log, then live ones.
The subscription is only a wake-up (plus a look at the log every half second, for commits made by
another process on the same shop file): every event is read from ``events_since`` in position order, so a
burst, a slow client or a lost wake-up can delay an event but never drop or double it.
A fresh connection without a position starts with a ``hello`` event whose id is the current head,
so even a client that saw no event yet resumes from the right place.
"""
from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from services.http.auth import Principal
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.routes.cook import ALL_ROLES
from services.http.schemas import EventOut, PositionOut
from services.port import EventRecord, Shop

KEEPALIVE_S = 10.0
POLL_S = 0.5
PAGE = 500


def event_json(record: EventRecord) -> str:
    return json.dumps({"position": record.position, "name": record.name, "orderId": record.order_id,
                       "at": record.at.isoformat(), "data": record.data}, ensure_ascii=False, default=str)


def sse_frame(record: EventRecord) -> str:
    return f"id: {record.position}\nevent: {record.name}\ndata: {event_json(record)}\n\n"


def router(shop: Shop, gate: Gate, state) -> APIRouter:
    r = APIRouter(prefix="/events", tags=["events"], responses=COMMON_RESPONSES)
    anyone = gate.allow(*ALL_ROLES)

    @r.get("", response_model=list[EventOut], openapi_extra=roles_extra(*ALL_ROLES),
           summary="Events after a position, oldest first (for catching up without a stream)")
    def page(after: int = Query(0, ge=0, le=2**53), limit: int = Query(PAGE, ge=1, le=PAGE),
             _: Principal = Depends(anyone)):
        return shop.events_since(after, limit)

    @r.get("/latest", response_model=PositionOut, openapi_extra=roles_extra(*ALL_ROLES),
           summary="The position of the newest event (0 if none): GET /events?after= it is empty")
    def latest(_: Principal = Depends(anyone)):
        return PositionOut(position=shop.latest_position())

    @r.get("/stream", openapi_extra=roles_extra(*ALL_ROLES),
           responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"}},
           summary="Live events as server-sent events; resume with Last-Event-ID")
    async def stream(request: Request, after: int | None = Query(None, ge=0, le=2**53),
                     last_event_id: str | None = Header(None, max_length=20),
                     _: Principal = Depends(anyone)):
        start = after
        if last_event_id and last_event_id.strip().isdigit():
            start = int(last_event_id.strip())
        return StreamingResponse(_frames(request, shop, state, start), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return r


async def _frames(request: Request, shop: Shop, state, last: int | None):
    """Everything lives inside the generator, so the subscription exists exactly while it runs."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def woken(_record: EventRecord) -> None:
        loop.call_soon_threadsafe(wake.set)
    unsubscribe = shop.subscribe(woken)
    try:
        # Subscribed before reading the head: an event committed in between is both in the log (read
        # below) and a wake-up, and the position check keeps it from being sent twice.
        if last is None:
            last = await run_in_threadpool(shop.latest_position)
        yield f"retry: 1000\nid: {last}\nevent: hello\ndata: {{\"position\": {last}}}\n\n"
        idle = 0.0
        while not state.draining:
            wake.clear()
            while True:   # drain the log after `last` in pages
                records = await run_in_threadpool(shop.events_since, last, PAGE)
                for record in records:
                    if record.position > last:
                        last = record.position
                        yield sse_frame(record)
                if len(records) < PAGE:
                    break
            # Wake on this process's commits at once; otherwise look at the log every POLL_S anyway:
            # another process on the same shop file (the embedded app, a second server) commits
            # without waking us. The short slices also end streams soon after the server drains.
            try:
                await asyncio.wait_for(wake.wait(), POLL_S)
                idle = 0.0
            except TimeoutError:
                idle += POLL_S
                if idle >= KEEPALIVE_S:
                    if await request.is_disconnected():
                        return
                    yield ": keepalive\n\n"
                    idle = 0.0
    finally:
        unsubscribe()
