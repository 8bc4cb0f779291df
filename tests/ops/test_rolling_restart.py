"""Restarts and scaling under load, for real: replicas (uvicorn) behind HAProxy, all run by
services.ops.supervisor, while clients keep calling through HAProxy. Zero failed requests: a surge
replica is ready before the first one stops, a stopping replica drains (SIGTERM), HAProxy's health
checks and retries send new requests elsewhere; a replica added gets its share once it is up."""
from __future__ import annotations

import shutil
import socket
import sys
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest

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


class Load:
    """Clients calling through HAProxy until stopped: what each replica (pid) served, what failed."""

    def __init__(self, url: str, clients: int = 4) -> None:
        self.url, self.served, self.failures = url, Counter(), []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._client) for _ in range(clients)]

    def _client(self) -> None:
        with httpx.Client(timeout=10) as http:
            while not self.stop.is_set():
                try:
                    response = http.get(self.url)
                    if response.status_code == 200:
                        self.served[int(response.text)] += 1
                    else:
                        self.failures.append(response.status_code)
                except httpx.HTTPError as error:
                    self.failures.append(repr(error))

    def total(self) -> int:
        return sum(self.served.values())

    def more(self, count: int = 20) -> None:
        """Wait until ``count`` more requests were served."""
        start = self.total()
        wait_until(lambda: self.total() >= start + count, DEADLINE)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        self.more()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


@pytest.fixture
def behind_haproxy(tmp_path):
    """Program ``web`` (2 replicas, a surge slot) and HAProxy over 4 slots (the last two down until
    something listens there), all under one Supervisor. Yields ``(supervisor, url)``."""
    assert HAPROXY, "haproxy is not installed: ./dev setup installs it (SYSTEM_PACKAGES)"
    first, front = consecutive_free_ports(4), consecutive_free_ports(1)
    (tmp_path / "haproxy.cfg").write_text(haproxy_config(front, first, servers=4))
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
        yield sv, url
    finally:
        sv.close()


def test_rolling_restart_under_load_fails_no_request(behind_haproxy):
    sv, url = behind_haproxy
    before = {sv.pid(f"web-{n}") for n in (0, 1)}
    with Load(url) as load:
        sv.rolling_restart("web", DEADLINE)
        after = {sv.pid(f"web-{n}") for n in (0, 1)}
        load.more()   # and it goes on after
    assert load.failures == [], load.failures[:5]
    assert not before & after, "every replica was replaced"
    assert after & set(load.served), "the new replicas took work"


def test_a_replica_added_under_load_takes_its_share_and_one_removed_loses_nothing(behind_haproxy):
    sv, url = behind_haproxy
    with Load(url) as load:
        sv.scale("web", 3, DEADLINE)
        added = sv.pid("web-2")
        wait_until(lambda: load.served[added] >= 10, DEADLINE)   # HAProxy sends it work once it is up
        kept = {sv.pid("web-0"), sv.pid("web-1")}
        sv.scale("web", 2, DEADLINE)
        load.more()
        assert {sv.pid("web-0"), sv.pid("web-1")} == kept, "the others were not restarted"
    assert load.failures == [], load.failures[:5]
