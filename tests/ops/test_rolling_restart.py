"""rolling_restart under load, for real: two replicas (uvicorn) and a surge slot behind HAProxy, all
run by services.ops.supervisor; clients keep calling through HAProxy while every replica is replaced.
Zero failed requests: the surge replica is ready before the first one stops, each stopping replica
drains (SIGTERM), HAProxy's health checks and retries send new requests elsewhere."""
from __future__ import annotations

import shutil
import socket
import sys
import threading
from collections import Counter
from pathlib import Path

import httpx

from services.ops.supervisor import Program, Supervisor, answers_200
from tests.contract.helpers import wait_until

DEADLINE = 120
ROOT = Path(__file__).resolve().parents[2]
HAPROXY = shutil.which("haproxy")


def consecutive_free_ports(count: int) -> int:
    """A first port such that it and the next ``count - 1`` are free now."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            held = []
            for port in range(first, first + count):
                sock = socket.socket()
                held.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError("no run of free ports")


def haproxy_config(front: int, first: int, servers: int) -> str:
    lines = ["global", "    maxconn 1000", "defaults", "    mode http", "    timeout connect 2s",
             "    timeout client 30s", "    timeout server 30s", "    retries 3", "    option redispatch",
             "    retry-on conn-failure empty-response response-timeout",
             "frontend public", f"    bind 127.0.0.1:{front}", "    default_backend web",
             "backend web", "    balance roundrobin", "    option httpchk GET /readyz",
             "    default-server inter 100ms fall 1 rise 1"]
    lines += [f"    server web-{n} 127.0.0.1:{first + n} check" for n in range(servers)]
    return "\n".join(lines) + "\n"


def test_rolling_restart_under_load_fails_no_request(tmp_path):
    assert HAPROXY, "haproxy is not installed: ./dev setup installs it (SYSTEM_PACKAGES)"
    first, front = consecutive_free_ports(3), consecutive_free_ports(1)
    (tmp_path / "haproxy.cfg").write_text(haproxy_config(front, first, servers=3))   # 2 replicas + the surge slot
    web = Program("web", [sys.executable, "-m", "uvicorn", "tests.ops.replica_app:app", "--port", "{port}",
                          "--log-level", "warning"], numprocs=2, port=first, surge=True, stopwaitsecs=20,
                  ready_url="http://127.0.0.1:{port}/readyz", directory=ROOT)
    proxy = Program("proxy", [HAPROXY, "-f", str(tmp_path / "haproxy.cfg"), "-db"])
    sv = Supervisor([web, proxy], tmp_path / "sv").start()
    try:
        for n in (0, 1):
            sv.wait_ready(web, n, DEADLINE)
        url = f"http://127.0.0.1:{front}/work"
        wait_until(lambda: answers_200(url), DEADLINE)
        before = {sv.pid(f"web-{n}") for n in (0, 1)}
        served, failures, stop = Counter(), [], threading.Event()

        def client():
            with httpx.Client(timeout=10) as http:
                while not stop.is_set():
                    try:
                        response = http.get(url)
                        if response.status_code == 200:
                            served[int(response.text)] += 1
                        else:
                            failures.append(response.status_code)
                    except httpx.HTTPError as error:
                        failures.append(repr(error))
        clients = [threading.Thread(target=client) for _ in range(4)]
        for c in clients:
            c.start()
        try:
            wait_until(lambda: sum(served.values()) > 20, DEADLINE)
            sv.rolling_restart("web", DEADLINE)
            after = {sv.pid(f"web-{n}") for n in (0, 1)}
            count = sum(served.values())
            wait_until(lambda: sum(served.values()) > count + 20, DEADLINE)   # and it goes on after
        finally:
            stop.set()
            for c in clients:
                c.join(30)
        assert failures == [], failures[:5]
        assert not before & after, "every replica was replaced"
        assert after & set(served), "the new replicas took work"
    finally:
        sv.close()

