"""The gateway's surface: the seed's prefixes, camelCase JSON, OpenAPI, and 4xx with a message for bad requests."""
from __future__ import annotations

import socket

from tests.http.conftest import an_item, order_body

SEED_PREFIXES = ("/orders", "/cooks", "/cancellations", "/deliveries", "/mypages", "/gifts")


def test_openapi_lists_every_seed_prefix_with_roles(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for prefix in SEED_PREFIXES:
        assert any(p == prefix or p.startswith(prefix + "/") for p in paths), prefix
    assert client.get("/docs").status_code == 200
    for path, operations in paths.items():
        for method, op in operations.items():
            if path.startswith(("/health", "/ready", "/shop", "/openapi", "/docs", "/auth/sign-in")):
                continue
            assert op.get("x-roles"), f"{method.upper()} {path} names no roles"


def test_place_order_and_read_it_back_in_camel_case(client, as_role):
    counter = as_role("counter")
    item = an_item(client, counter)
    r = client.post("/orders", json=order_body(item["code"], 2, clientRef="till-1-0001"), headers=counter)
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert {"orderId", "status", "total", "giftKind", "giftStatus", "clientRef"} <= receipt.keys()
    assert receipt["status"] == "placed" and receipt["total"] == 2 * item["price"]
    again = client.post("/orders", json=order_body(item["code"], 2, clientRef="till-1-0001"), headers=counter)
    assert again.json()["orderId"] == receipt["orderId"], "the same clientRef must return the same order"
    card = client.get(f"/mypages/{receipt['orderId']}", headers=counter).json()
    assert card["orderId"] == receipt["orderId"] and "giftStatus" in card and "orderStatus" in card
    todays = client.get("/orders", headers=counter).json()
    assert [o["orderId"] for o in todays].count(receipt["orderId"]) == 1


def _assert_error(r, status: int, code: str | None = None):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["message"], body
    if code:
        assert body["code"] == code, body


def test_malformed_json_is_422_with_a_message(client, as_role):
    headers = {**as_role("counter"), "content-type": "application/json"}
    r = client.post("/orders", content=b'{"lines": [', headers=headers)
    _assert_error(r, 422, "invalid_input")
    assert "JSON" in r.json()["message"]


def test_wrong_types_and_missing_fields_name_the_field(client, as_role):
    counter = as_role("counter")
    r = client.post("/orders", json={"lines": [{"itemCode": "X", "quantity": "two"}]}, headers=counter)
    _assert_error(r, 422, "invalid_input")
    assert "quantity" in r.json()["message"]
    _assert_error(client.post("/orders", json={"lines": []}, headers=counter), 422)
    _assert_error(client.post("/orders", json=[1, 2], headers=counter), 422)
    _assert_error(client.post("/orders", json={"lines": [{"itemCode": "X", "quantity": 1}], "bogus": 1},
                              headers=counter), 422)
    _assert_error(client.post("/orders", json=order_body("X", phone="12"), headers=counter), 422)


def test_unknown_ids_are_4xx(client, as_role):
    manager = as_role("manager")
    _assert_error(client.post("/orders", json=order_body("NO-SUCH-ITEM"), headers=manager), 404, "unknown_item")
    _assert_error(client.get("/mypages/987654", headers=manager), 404, "unknown_order")
    _assert_error(client.post("/cancellations", json={"orderId": 987654}, headers=manager), 404, "unknown_order")
    _assert_error(client.post("/cooks/987654/start", headers=manager), 404, "unknown_order")
    _assert_error(client.get("/mypages/not-a-number", headers=manager), 422)
    _assert_error(client.get("/no/such/route", headers=manager), 404)


def test_huge_bodies_are_413(client, served, as_role):
    counter = as_role("counter")
    _assert_error(client.post("/orders", content=b"x" * 200_000,
                              headers={**counter, "content-type": "application/json"}), 413, "too_large")

    def chunks():   # no Content-Length: the limit is enforced while reading
        for _ in range(100):
            yield b"x" * 4096
    _assert_error(client.post("/orders", content=chunks(), headers={**counter, "content-type": "application/json"}),
                  413, "too_large")
    # A lying Content-Length is refused as well.
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
        s.sendall(b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
        assert b" 413 " in s.recv(4096).split(b"\r\n", 1)[0] + b" "


def test_cancel_after_cooking_is_409_with_the_reason(client, as_role):
    counter, kitchen = as_role("counter"), as_role("kitchen")
    item = an_item(client, counter)
    order_id = client.post("/orders", json=order_body(item["code"]), headers=counter).json()["orderId"]
    assert client.post(f"/cooks/{order_id}/start", headers=kitchen).status_code == 200
    assert client.post(f"/cooks/{order_id}/finish", headers=kitchen).status_code == 200
    r = client.post("/cancellations", json={"orderId": order_id, "reason": "too late"}, headers=counter)
    _assert_error(r, 409, "cancel_refused")


def test_health_and_readiness(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}
