"""The original system's Spring Data REST resources, paged; what its clients call finds its way."""
from __future__ import annotations

import re

import pytest

from services.port import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tests.http.conftest import an_item, order_body


@pytest.fixture
def orders(client, as_role):
    """Three orders; returns their ids, oldest first."""
    counter = as_role("counter")
    code = an_item(client, counter, in_stock=3)["code"]
    return [client.post("/orders", json=order_body(code, clientRef=f"res-{n}"), headers=counter).json()["orderId"]
            for n in range(3)]


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])}


def test_collections_are_paged_with_the_total_and_links(client, as_role, orders):
    counter = as_role("counter")
    first = client.get("/orders", params={"size": 2}, headers=counter)
    assert first.status_code == 200
    assert [o["orderId"] for o in first.json()] == orders[::-1][:2], "newest first"
    assert first.headers["x-total-count"] == "3" and first.headers["x-total-pages"] == "2"
    assert first.headers["x-page"] == "0" and first.headers["x-page-size"] == "2"
    links = _links(first)
    assert set(links) == {"first", "next", "last"}
    second = client.get(links["next"], headers=counter)
    assert [o["orderId"] for o in second.json()] == [orders[0]] and "next" not in _links(second)
    default = client.get("/orders", headers=counter)
    assert default.headers["x-page-size"] == str(DEFAULT_PAGE_SIZE) and len(default.json()) == 3
    too_big = client.get("/orders", params={"size": MAX_PAGE_SIZE + 1}, headers=counter)
    assert too_big.status_code == 422 and "size" in too_big.json()["message"]
    beyond = client.get("/orders", params={"page": 7}, headers=counter)
    assert beyond.status_code == 200 and beyond.json() == [] and beyond.headers["x-total-count"] == "3"


@pytest.mark.parametrize("path, role", [("/orders", "counter"), ("/cooks", "kitchen"), ("/gifts", "counter"),
                                        ("/mypages", "counter")])
def test_every_collection_route_answers_one_bounded_page(client, as_role, orders, path, role):
    r = client.get(path, params={"size": 1}, headers=as_role(role))
    assert r.status_code == 200, r.text
    assert len(r.json()) == 1 and int(r.headers["x-total-count"]) >= 3 and "next" in _links(r)


def test_the_item_of_each_resource(client, as_role, orders):
    counter, kitchen, rider = as_role("counter"), as_role("kitchen"), as_role("rider")
    order_id = orders[0]
    assert client.get(f"/orders/{order_id}", headers=counter).json()["orderId"] == order_id
    assert client.get(f"/cooks/{order_id}", headers=kitchen).json()["status"] == "queued"
    gift = client.get(f"/gifts/{order_id}", headers=counter).json()
    assert gift["orderId"] == order_id and gift["status"] == "sent" and gift["kind"]
    assert client.get(f"/mypages/{order_id}", headers=counter).json()["orderId"] == order_id
    found = client.get("/mypages/search/findByOrderId", params={"orderId": order_id}, headers=counter).json()
    assert [card["orderId"] for card in found] == [order_id]
    assert client.get("/mypages/search/findByOrderId", params={"orderId": 987654}, headers=counter).json() == []
    client.post(f"/cooks/{order_id}/start", headers=kitchen)
    client.post(f"/cooks/{order_id}/finish", headers=kitchen)
    delivery = client.get(f"/deliveries/{order_id}", headers=rider).json()
    assert delivery["orderId"] == order_id and delivery["status"] == "waiting"
    for path in ("/orders/987654", "/cooks/987654", "/deliveries/987654", "/gifts/987654"):
        r = client.get(path, headers=as_role("manager"))
        assert r.status_code == 404 and r.json()["code"] == "unknown_order", path
    assert client.get("/cooks/menu", headers=kitchen).status_code == 200, "the menu is not an order id"


def test_post_gifts_is_the_order_to_gift_call_and_is_idempotent(client, as_role, orders):
    counter = as_role("counter")
    stock = client.get("/gifts/stock", headers=counter).json()["quantity"]
    answers = [client.post("/gifts", json={"orderId": orders[1]}, headers=counter) for _ in range(3)]
    assert {r.status_code for r in answers} == {200}
    assert all(r.json() == answers[0].json() for r in answers) and answers[0].json()["orderId"] == orders[1]
    assert client.get("/gifts/stock", headers=counter).json()["quantity"] == stock, "no second gift"
    assert client.post("/gifts", json={"orderId": 987654}, headers=counter).status_code == 404


def test_delete_order_cancels_it_and_is_audited(client, as_role, orders):
    counter, manager = as_role("counter"), as_role("manager")
    r = client.delete(f"/orders/{orders[2]}", params={"reason": "customer left"}, headers=counter)
    assert r.status_code == 200, r.text
    assert client.get(f"/orders/{orders[2]}", headers=counter).json()["status"] == "cancelled"
    assert client.get(f"/gifts/{orders[2]}", headers=counter).json()["status"] == "cancelled"
    audit = client.get("/auth/audit", headers=manager).json()
    assert any(a["action"] == "cancel" and a["target"] == f"order {orders[2]}" and a["reason"] == "customer left"
               for a in audit)
    assert client.delete("/orders/987654", headers=counter).status_code == 404


def test_the_original_routes_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [("/orders", "get"), ("/orders/{orderId}", "get"), ("/orders/{orderId}", "delete"),
                         ("/cooks", "get"), ("/cooks/{orderId}", "get"), ("/deliveries", "get"),
                         ("/deliveries/{orderId}", "get"), ("/gifts", "get"), ("/gifts", "post"),
                         ("/gifts/{orderId}", "get"), ("/mypages", "get"), ("/mypages/{orderId}", "get"),
                         ("/mypages/search/findByOrderId", "get")]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
    assert "X-Total-Count" in paths["/orders"]["get"]["responses"]["200"]["headers"]


def test_a_spring_client_asking_for_hal_gets_spring_data_rests_page(client, as_role, orders):
    r = client.get("/orders", params={"size": 2}, headers={**as_role("counter"), "Accept": "application/hal+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/hal+json")
    body = r.json()
    assert [o["orderId"] for o in body["_embedded"]["orders"]] == orders[::-1][:2]
    assert body["page"] == {"size": 2, "totalElements": 3, "totalPages": 2, "number": 0}
    assert {"self", "first", "next", "last"} <= set(body["_links"]) and r.headers["x-total-count"] == "3"
    gifts = client.get("/gifts", headers={**as_role("counter"), "Accept": "application/hal+json"}).json()
    assert {g["orderId"] for g in gifts["_embedded"]["gifts"]} == set(orders)


def test_deliveries_are_the_board_or_for_a_hal_client_every_delivery_paged(client, as_role, orders):
    kitchen, rider = as_role("kitchen"), as_role("rider")
    for order_id in orders:
        client.post(f"/cooks/{order_id}/start", headers=kitchen)
        client.post(f"/cooks/{order_id}/finish", headers=kitchen)
    board = client.get("/deliveries", headers=rider).json()
    assert {c["orderId"] for c in board["waiting"]} == set(orders)
    page = client.get("/deliveries", params={"size": 2}, headers={**rider, "Accept": "application/hal+json"}).json()
    assert [c["orderId"] for c in page["_embedded"]["deliveries"]] == orders[::-1][:2]
    assert page["page"]["totalElements"] == 3
