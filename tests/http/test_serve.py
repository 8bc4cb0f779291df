"""``python main.py serve`` as a real process: ready on loopback, serves orders, drains and exits 0 on SIGTERM."""
from __future__ import annotations

import signal

import httpx

from tests.http.conftest import an_item, order_body, sign_in
from tests.http.serve_process import gateway_workers, running, serve_process


def test_main_serve_runs_the_shop_server_and_stops_cleanly(tmp_path):
    with serve_process(tmp_path) as (proc, url):
        workers = gateway_workers(proc.pid)
        assert len(workers) == 1, "one gateway worker beside the shop process by default"
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            item = an_item(client, counter)
            assert client.post("/orders", json=order_body(item["code"]), headers=counter).status_code == 201
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        output = proc.stdout.read()
        assert "Traceback" not in output, output
        assert not gateway_workers(proc.pid) and all(not running(pid) for pid in workers), "workers stopped too"
        assert (tmp_path / "shop.staff.sqlite").exists()

