"""The remote feed honours the stream's ``id:`` and ``retry:`` fields (parsed by httpx-sse): against a
plain SSE server on loopback that drops the stream after each event, the feed resumes with
``Last-Event-ID`` = the last ``id:`` it saw, and reconnects at the pace ``retry:`` asked for."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from services.remote.feed import EventFeed
from tests.contract.helpers import wait_until


def _frame(position: int) -> str:
    payload = {"position": position, "name": "GiftStockSet", "orderId": 0, "at": "2026-11-29T10:00:00+00:00",
               "data": {"order_id": 0, "gift_kind": "Candy", "quantity": position}}
    return f"id: {position}\nevent: GiftStockSet\ndata: {json.dumps(payload)}\n\n"


class _Stream(BaseHTTPRequestHandler):
    asked: list[str | None] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).asked.append(self.headers.get("Last-Event-ID"))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        last = int(self.headers.get("Last-Event-ID") or 6)
        body = ("retry: 300\n" + f"id: {last}\nevent: hello\ndata: {{\"position\": {last}}}\n\n"
                if len(type(self).asked) == 1 else "") + _frame(last + 1)
        self.wfile.write(body.encode())
        self.wfile.flush()              # then the connection closes: a drop after every event

    def log_message(self, *args):
        pass


def test_the_feed_resumes_after_the_last_id_at_the_pace_retry_asks():
    _Stream.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed = EventFeed(f"http://127.0.0.1:{server.server_port}", dict, on_auth_failure=lambda: None)
    seen: list[int] = []
    try:
        feed.subscribe(lambda record: seen.append(record.position))
        wait_until(lambda: len(seen) >= 3)
        assert seen[:3] == [7, 8, 9], "every event once, in order, across the drops"
        assert _Stream.asked[:3] == [None, "7", "8"], "each reconnect resumes after the last id seen"
        assert feed.retry_s == 0.3 and feed.position >= 9
    finally:
        feed.close()
        server.shutdown()
        server.server_close()
