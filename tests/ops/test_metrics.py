"""services.ops.metrics on real HTTP on loopback: shed requests, the chain's gauges, the order id."""
from __future__ import annotations

import re

import httpx

from services.http.server import ServerThread
from services.ops import metrics
from services.ops.logs import current_order_id


def sample(text: str, name: str) -> float | None:
    match = re.search(re.escape(name) + r" ([0-9.e+-]+)", text)
    return float(match.group(1)) if match else None


async def busy_app(scope, receive, send):
    """Answers like the LoadShedder when it turns a request away, and echoes the order id it sees."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/busy":
        await send({"type": "http.response.start", "status": 503, "headers": [(b"retry-after", b"1")]})
    else:
        await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(current_order_id()).encode()})


def test_shed_requests_gauges_and_order_ids_on_a_real_server():
    server = ServerThread(metrics.instrument(busy_app)).start()
    try:
        with httpx.Client(base_url=server.url) as client:
            for _ in range(3):
                assert client.get("/busy").status_code == 503
            assert client.get("/orders/17", headers={"X-Order-Id": "17"}).text == "17"
            metrics.RELAY_LAG.labels("ordering").set(4)
            metrics.CONSUMER_LAG.labels("kitchen", "kitchen").set(2)
            metrics.REDELIVERIES.labels("kitchen", "kitchen").inc()
            metrics.PARKED.labels("gift").set(1)
            metrics.set_breaker_state("gift", "open")
            text = client.get("/metrics").text
    finally:
        server.stop()
    assert sample(text, 'sikdang_http_shed_requests_total{route="/busy"}') >= 3
    assert sample(text, 'sikdang_http_requests_total{method="GET",route="/orders/{id}",status="200"}') >= 1
    assert sample(text, 'sikdang_relay_lag_events{context="ordering"}') == 4
    assert sample(text, 'sikdang_consumer_lag_events{consumer="kitchen",context="kitchen"}') == 2
    assert sample(text, 'sikdang_redeliveries_total{consumer="kitchen",context="kitchen"}') >= 1
    assert sample(text, 'sikdang_parked_events{context="gift"}') == 1
    assert sample(text, 'sikdang_breaker_state{breaker="gift"}') == 2
