"""GET /days/{dayId}/z-report.csv on a real shop server on loopback: a day opened, sold, paid and closed
over HTTP, then its Z report downloaded as a spreadsheet reads it (UTF-8 with a BOM), every figure
checked against what this test did, who opened and closed it taken from the tokens."""
from __future__ import annotations

import csv
import io

from tests.http.conftest import order_body


def test_a_closed_days_z_report_downloads_as_csv(client, as_role):
    counter, manager = as_role("counter"), as_role("manager")
    day_id = client.post("/days", json={"floatCash": 30_000}, headers=counter).json()["dayId"]
    prices = {m["code"]: m["price"] for m in client.get("/cooks/menu", headers=counter).json()}
    orders = {code: client.post("/orders", json=order_body(code, 2, orderType="takeout", address=""),
                                headers=counter).json()["orderId"] for code in ("bibimbap", "gimbap")}
    cash, card = 2 * prices["bibimbap"], 2 * prices["gimbap"]
    for order_id, tender in ((orders["bibimbap"], {"kind": "cash", "amount": cash, "tendered": cash + 1_000}),
                             (orders["gimbap"], {"kind": "card", "amount": card, "approval": "30012345",
                                                 "last4": "4242"})):
        assert client.post("/payments", json={"orderId": order_id, "tenders": [tender]},
                           headers=counter).status_code == 200
    closed = client.post("/days/current/close", json={"countedCash": 30_000 + cash - 500}, headers=manager)
    assert closed.status_code == 200, closed.text

    got = client.get(f"/days/{day_id}/z-report.csv", headers=counter)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == f'attachment; filename="z-report-day-{day_id}.csv"'
    assert got.content.startswith(b"\xef\xbb\xbf")                     # a BOM: spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "key", "label", "count", "amount"]
    figures = {(row[0], row[1]): row for row in rows[1:]}
    assert figures["day", "kind"][4] == "Z" and figures["day", "day_id"][4] == str(day_id)
    assert figures["day", "opened"][4] == "counter" and figures["day", "closed"][4] == "manager"   # from the tokens
    assert figures["sales", "gross"][4] == str(cash + card) and figures["sales", "orders"][3] == "2"
    assert (figures["tender", "cash"][4], figures["tender", "card"][4]) == (str(cash), str(card))
    assert figures["item", "bibimbap"][2] == "비빔밥 Bibimbap" and figures["item", "bibimbap"][3] == "2"
    assert figures["type", "takeout"][4] == str(cash + card)
    assert figures["cash", "expected"][4] == str(30_000 + cash) and figures["cash", "over_short"][4] == "-500"
    # the same figures as the JSON route's, which is the kept report
    kept = client.get(f"/days/{day_id}/z-report", headers=counter).json()
    assert int(figures["sales", "gross"][4]) == kept["grossSales"]

    assert client.get(f"/days/{day_id}/z-report.csv", headers=as_role("kitchen")).status_code == 403
    assert client.get(f"/days/{day_id + 1}/z-report.csv", headers=counter).status_code in (404, 409)
