"""A chain service's ``/metrics`` (prometheus-client, services.ops.metrics) scraped from real service
processes on a real PostgreSQL and a private nats-server, parsed with prometheus_client's own parser:
every series carries the replica's context and number, and the values move with the work done."""
from __future__ import annotations

import math

from prometheus_client.parser import text_string_to_metric_families

from services.chain import wire
from tests.chain_services.support import ServiceProcess, free_port, publish_raw, run_async, wait_for

KIMCHI = [{"item_code": "kimchi-jjigae", "quantity": 1}]


def scrape(service: ServiceProcess) -> dict[tuple[str, frozenset], float]:
    """Every sample: (name, its labels) -> value."""
    response = service.http.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples, name: str, **labels: str) -> float | None:
    wanted = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and wanted <= ls]
    return sum(found) if found else None


def test_requests_latency_relay_lag_and_the_gift_breaker_of_ordering(chain_env, nats_server, tmp_path):
    gift_down = f'{{"gift": "http://127.0.0.1:{free_port()}"}}'   # nothing listens there
    ordering = ServiceProcess("ordering", {**chain_env, "SIKDANG_SERVICE_URLS": gift_down}, tmp_path, "1").start()
    try:
        ordering.wait_ready()
        before = scrape(ordering)
        assert all(dict(labels).get("replica") == "1" and dict(labels).get("context") == "ordering"
                   for _, labels in before), "every series says which context and replica answered"
        assert value(before, "sikdang_breaker_state", breaker="gift") == 0          # closed: never called yet
        assert value(before, "sikdang_relay_lag_events") == 0
        wait_for(lambda: value(scrape(ordering), "sikdang_leader") == 1, what="the only replica leading")

        placed = ordering.command("PlaceOrder", {"lines": KIMCHI})
        assert placed.status_code == 200 and placed.json()["result"]["gift_status"] == "deferred"
        after = scrape(ordering)
        route = {"method": "POST", "route": "/commands/{command_name}"}
        assert value(after, "sikdang_http_requests_total", status="200", **route) == 1
        assert value(after, "sikdang_http_request_duration_seconds_count", **route) == 1
        assert value(after, "sikdang_http_request_duration_seconds_sum", **route) > 0
        assert value(after, "sikdang_breaker_state", breaker="gift") == 2           # open: the gift call failed
        wait_for(lambda: value(scrape(ordering), "sikdang_relay_published_total") >= 1, what="Ordered published")

        nats_server.stop()                     # the relay cannot publish: the outbox keeps what is ordered
        wait_for(lambda: ordering.readiness()["broker"] == "down", what="the broker outage noticed")
        assert ordering.command("PlaceOrder", {"lines": KIMCHI}).status_code == 200
        assert value(scrape(ordering), "sikdang_relay_lag_events") > 0
        nats_server.start()
        wait_for(lambda: value(scrape(ordering), "sikdang_relay_lag_events") == 0, what="relay lag back to 0")
    finally:
        ordering.close()


def test_redeliveries_parked_events_and_consumer_lag_of_kitchen(services, nats_server, stream):
    kitchen = services("kitchen")["kitchen"]
    before = scrape(kitchen)
    assert value(before, "sikdang_parked_events", context="kitchen") == 0
    assert not value(before, "sikdang_redeliveries_total")     # none yet (the series may not exist)
    # an Ordered whose lines the handler cannot read: it fails on every delivery and is parked after the last
    poison = wire.event_message(stream, "ordering", 2, 1.0, "Ordered", 71, {
        "order_id": 71, "customer_name": "", "phone": "", "address": "", "lines": [{"what": 1}], "total": 1,
        "placed_at": 1.0, "scheduled_for": None})
    # published once the service has made its stream (it connects to NATS after it is ready for commands)
    wait_for(lambda: run_async(publish_raw, nats_server.url, poison.subject, poison.body, poison.headers),
             what="the poison event published")

    wait_for(lambda: value(scrape(kitchen), "sikdang_parked_events", context="kitchen") == 1, what="parked")
    after = scrape(kitchen)
    assert value(after, "sikdang_redeliveries_total", context="kitchen", consumer="kitchen") >= 4   # 5 deliveries
    assert value(after, "sikdang_consumer_lag_events", context="kitchen", consumer="kitchen") == 0
    assert value(after, "sikdang_http_requests_total", method="GET", route="/readyz", status="200") >= 1
    assert not math.isnan(value(after, "sikdang_relay_lag_events"))
