"""POST /orders is served by a lean ASGI handler; the FastAPI route documents it. Both must answer alike."""
from __future__ import annotations

import httpx
import pytest

from services.http.app import create_app
from services.http.server import ServerThread
from tests.http.conftest import an_item, order_body, sign_in


@pytest.fixture
def twin(served):
    """The same shop and staff served a second time, without the fast path."""
    thread = ServerThread(create_app(served.shop, served.staff, fast_path=False)).start()
    yield thread.url
    thread.stop()


def test_fast_path_and_fastapi_route_answer_alike(served, twin):
    with httpx.Client(base_url=served.url) as fast, httpx.Client(base_url=twin) as slow:
        counter, kitchen = sign_in(fast, "counter"), sign_in(fast, "kitchen")
        item = an_item(fast, counter)["code"]
        json_type = {"content-type": "application/json"}
        cases = [
            ({}, order_body(item)),
            ({"Authorization": "Bearer nope"}, order_body(item)),
            ({"Authorization": "Basic eDp5"}, order_body(item)),
            (kitchen, order_body(item)),
            (counter, {"lines": [{"itemCode": item, "quantity": "two"}]}),
            (counter, {"lines": [{"itemCode": item, "quantity": True}]}),
            (counter, {"lines": []}),
            (counter, {"lines": [{"itemCode": item, "quantity": 1}], "surprise": 1}),
            (counter, order_body("no-such-dish")),
            (counter, order_body(item, phone="12")),
            (counter, order_body(item, scheduledFor="2030-01-01T10:00:00")),
            (counter, [1, 2]),
        ]
        for headers, body in cases:
            a = fast.post("/orders", json=body, headers=headers)
            b = slow.post("/orders", json=body, headers=headers)
            assert (a.status_code, a.json()["code"]) == (b.status_code, b.json()["code"]), (headers, body)
            if isinstance(body, dict):   # pydantic words "not an object" differently in its JSON and Python modes
                assert a.json() == b.json(), (headers, body)
        a = fast.post("/orders", content=b'{"lines": [', headers={**counter, **json_type})
        b = slow.post("/orders", content=b'{"lines": [', headers={**counter, **json_type})
        assert a.status_code == b.status_code == 422 and a.json()["code"] == b.json()["code"] == "invalid_input"
        for client in (fast, slow):   # the same clientRef is the same order, whichever path took it
            r = client.post("/orders", json=order_body(item, clientRef="twin-1"), headers=counter)
            assert r.status_code == 201
        ids = {c.post("/orders", json=order_body(item, clientRef="twin-1"), headers=counter).json()["orderId"]
               for c in (fast, slow)}
        assert len(ids) == 1
        assert fast.post("/orders", json=order_body(item), headers=counter).json().keys() == \
            slow.post("/orders", json=order_body(item), headers=counter).json().keys()
