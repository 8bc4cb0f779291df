"""The chain's HAProxy config, run for real by two HAProxy processes in front of two small HTTP servers
standing in for gateway replicas: one HAProxy killed, the other still answers on the same port; with no
gateway up, HAProxy's own 503 says Retry-After; a request a gateway dropped unanswered is sent to the
other gateway only when replaying it is harmless (a read, or a body with a clientRef); what went wrong
is in HAProxy's log, and only that."""
from __future__ import annotations

import collections
import os
import shutil
import signal
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from services.chain.launch_haproxy import Backend, render, server_states
from services.chain.launch_private import free_port, wait_for

pytestmark = pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is installed by ./dev chain")


class FakeGateway(ThreadingHTTPServer):
    """Answers ``/ready`` 200; every other request 200 with its name, or, with ``drops``, closes the
    connection without an answer (a gateway SIGKILLed while it held the request)."""

    def __init__(self, name: str, drops: bool = False) -> None:
        self.name, self.drops = name, drops
        self.seen: collections.Counter[str] = collections.Counter()
        self.forwarded_for: set[str | None] = set()
        super().__init__(("127.0.0.1", free_port()), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _Handler(BaseHTTPRequestHandler):
    server: FakeGateway

    def log_message(self, *args) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path != "/ready":
            self.server.seen[self.command] += 1
            self.server.forwarded_for.add(self.headers.get("X-Forwarded-For"))
            if self.server.drops:
                self.close_connection = True
                self.connection.close()
                return
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture
def balancer(tmp_path):
    """Start two HAProxy processes on the public port in front of ``gateways``; yields a starter."""
    processes = []

    def start(gateways: list[FakeGateway]) -> tuple[str, list[subprocess.Popen], list]:
        public = free_port()
        sockets = [tmp_path / f"haproxy-{n}.sock" for n in range(2)]
        backend = Backend("gateway", public, tuple(g.server_address[1] for g in gateways) or (free_port(),))
        for n, stats in enumerate(sockets):
            config = tmp_path / f"haproxy-{n}.cfg"
            config.write_text(render([backend], stats_socket=stats))
            with open(tmp_path / f"haproxy-{n}.out", "ab") as out:   # its log, as supervisord keeps it
                processes.append(subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=out,
                                                  stderr=subprocess.STDOUT))
        wanted = "UP" if gateways else "DOWN"
        for stats in sockets:   # each balances on its own: both must see the gateways as they are
            wait_for(lambda s=stats: _states(s) and all(v.startswith(wanted) for v in _states(s).values()),
                     60, 0.1, f"HAProxy at {stats} seeing every gateway {wanted}")
        return f"http://127.0.0.1:{public}", processes, sockets

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _states(stats_socket) -> dict[str, str]:
    try:
        return server_states(stats_socket)
    except OSError:
        return {}


def test_one_haproxy_killed_the_other_keeps_the_public_port_open(balancer):
    url, processes, _ = balancer([FakeGateway("gateway-0"), FakeGateway("gateway-1")])
    assert all(p.poll() is None for p in processes), "both HAProxy processes bound the same port"
    os.kill(processes[0].pid, signal.SIGKILL)
    processes[0].wait(10)
    # new connections, one per request, straight after the kill: none refused
    answers = [httpx.get(f"{url}/orders", timeout=10).status_code for _ in range(50)]
    assert answers == [200] * 50


def _request_lines(folder) -> list[str]:
    """HAProxy's httplog lines (one per request it logged) from both processes' output."""
    return [line for path in folder.glob("haproxy-*.out") for line in path.read_text().splitlines()
            if '"POST ' in line or '"GET ' in line or "<BADREQ>" in line]


def test_the_gateway_hears_the_tills_address(balancer, tmp_path):
    gateway = FakeGateway("gateway-0")
    url, _, _ = balancer([gateway])
    assert httpx.post(f"{url}/auth/sign-in", json={}, timeout=10).status_code == 200
    assert gateway.forwarded_for == {"127.0.0.1"}      # the client's address, which the sign-in limiter counts
    # then one that goes wrong, logged after it: once its line is there, the success's would be too
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=10) as raw:
        raw.sendall(b"NOT HTTP\r\n\r\n")
        assert raw.recv(1024).startswith(b"HTTP/1.1 400")
    wait_for(lambda: _request_lines(tmp_path), 30, 0.05, "the bad request logged")
    assert ["<BADREQ>" in line for line in _request_lines(tmp_path)] == [True], "a success is not logged"


def test_haproxys_own_503_says_retry_after(balancer):
    url, _, _ = balancer([])
    r = httpx.post(f"{url}/orders", json={"clientRef": "r1"}, timeout=10)
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.json()["code"] == "busy"


def test_a_dropped_request_is_replayed_only_when_replaying_is_harmless(balancer, tmp_path):
    dropping, answering = FakeGateway("gateway-0", drops=True), FakeGateway("gateway-1")
    url, _, sockets = balancer([dropping, answering])
    with httpx.Client(base_url=url, timeout=10) as http:
        keyed = [http.post("/orders", json={"lines": [], "clientRef": f"ref-{n}"}) for n in range(8)]
        reads = [http.get("/orders") for _ in range(8)]
        assert [r.status_code for r in keyed + reads] == [200] * 16
        assert {r.text for r in keyed + reads} == {"gateway-1"}
        assert dropping.seen["POST"] > 0 and dropping.seen["GET"] > 0, "some went to the dropping gateway first"

        # its dropped answers may have ejected it (observe layer7): wait until its checks bring it back
        for stats in sockets:
            wait_for(lambda s=stats: _states(s).get("gateway-0", "").startswith("UP"), 60, 0.1, "gateway-0 UP again")
        dropped_before = dropping.seen["POST"]
        # no clientRef (or one only inside a string value): may have been done, so never replayed
        unkeyed = [http.post("/orders/1/cancel", json={"reason": 'said "clientRef": "x"'}) for _ in range(6)]
    codes = collections.Counter(r.status_code for r in unkeyed)
    assert codes[502] == dropping.seen["POST"] - dropped_before > 0
    assert codes[502] + codes[200] == 6
    # every request that went wrong is in HAProxy's log with why: the 502s as closed by the gateway before
    # it answered (SH), the replays with their retry count (+1 and more: redispatched)
    cut_short = lambda: [line for line in _request_lines(tmp_path) if " 502 " in line and " SH-- " in line]  # noqa: E731
    wait_for(lambda: len(cut_short()) == codes[502], 30, 0.05, "every 502 logged as cut short")
    assert any("/+" in line and '"POST /orders ' in line for line in _request_lines(tmp_path))
