"""``python main.py serve`` under supervisord, as real processes: a SIGKILLed shop process comes back
with every order it took, its log lines land in the folder, and /metrics sums every worker."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
from pathlib import Path

import httpx

from tests.contract.helpers import wait_until
from tests.http.conftest import an_item, order_body, sign_in
from tests.ops.serving import ready, serve

DEADLINE = 120   # a busy machine is 2-4x slower than a quiet one


def shop_process(launcher_pid: int) -> int | None:
    """The shop process (``python -m services.ops.serve``) somewhere under main.py serve."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"services.ops.serve" in (entry / "cmdline").read_bytes() and _under(int(entry.name), launcher_pid):
                    return int(entry.name)
            except OSError:
                continue
    return None


def _under(pid: int, ancestor: int) -> bool:
    while pid > 1:
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid == ancestor:
            return True
    return False


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_a_sigkilled_shop_process_is_back_with_the_orders_it_took(tmp_path):
    with serve(tmp_path, "--workers", "2") as (proc, url):
        port = int(url.rsplit(":", 1)[1])
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter)["code"]
            placed = client.post("/orders", json=order_body(code, clientRef="before-kill"), headers=counter)
            assert placed.status_code == 201
        victim = shop_process(proc.pid)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        wait_until(lambda: accepts(port), DEADLINE, interval=0.01)
        listening = time.monotonic() - killed
        wait_until(lambda: ready(url), DEADLINE, interval=0.01)
        serving = time.monotonic() - killed
        print(f"listening again after {listening:.2f} s, ready after {serving:.2f} s")
        new = shop_process(proc.pid)
        assert new and new != victim
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            order_id = placed.json()["orderId"]
            assert client.get(f"/mypages/{order_id}", headers=counter).status_code == 200
            again = client.post("/orders", json=order_body(code, clientRef="before-kill"), headers=counter)
            assert again.json()["orderId"] == order_id, "the order taken before the kill is still taken once"
        # the 3 s target: benchmarks/ops.py measures it (a busy machine may be 2-4x slower than a quiet one)


def test_serve_writes_the_shop_and_worker_logs_as_json_lines_in_one_folder(tmp_path):
    logs = tmp_path / "logs"
    with serve(tmp_path, "--workers", "2", "--log-level", "INFO", env={"SIKDANG_LOG_DIR": str(logs)}) as (proc, url):
        victim = shop_process(proc.pid)
        os.kill(victim, signal.SIGKILL)   # the workers log that their shop went away
        wait_until(lambda: ready(url), DEADLINE)
    lines = [json.loads(raw) for path in logs.glob("*.jsonl") for raw in path.read_text().splitlines()]
    assert lines and {ln["service"] for ln in lines} == {"shop"}
    assert len({ln["pid"] for ln in lines}) >= 2, "the shop process and its workers write the same folder"


def test_metrics_on_a_real_server_count_every_workers_requests(tmp_path):
    with serve(tmp_path, "--workers", "2") as (proc, url):
        for _ in range(30):   # a fresh connection each: both workers answer some
            assert httpx.get(url + "/health", timeout=10).status_code == 200
        httpx.get(url + "/no-such-route", timeout=10)
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter)["code"]
            assert client.post("/orders", json=order_body(code), headers=counter).status_code == 201
        for _ in range(4):   # whichever worker answers, it reports both
            text = httpx.get(url + "/metrics", timeout=10).text
            assert _sample(text, 'sikdang_http_requests_total{method="GET",route="/health",status="200"}') == 30
            assert _sample(text, 'sikdang_http_requests_total{method="GET",route="unmatched",status="404"}') == 1
            assert _sample(text, 'sikdang_http_requests_total{method="POST",route="/orders",status="201"}') == 1
            assert _sample(text, 'sikdang_http_request_duration_seconds_count{method="GET",route="/health"}') == 30


def _sample(text: str, name: str) -> float:
    match = re.search(re.escape(name) + r" ([0-9.e+-]+)", text)
    assert match, f"{name} not in\n{text}"
    return float(match.group(1))
