"""The HAProxy config of a chain: one frontend per context balancing its replicas, and the public port
balancing the gateway replicas (CHAIN.md, "Processes").

Balancing and ejection are HAProxy's, not ours (issue 12, point 5):
- active checks: every replica's readiness (``/readyz`` for a service, ``/ready`` for a gateway) every
  second; two failures take it out, two successes bring it back;
- passive ejection, the original's outlier detection: ``observe layer7`` counts 5xx answers and
  ``error-limit 5`` of them in a row ``on-error mark-down`` eject the replica until its checks pass;
- a connection refused (a replica just killed) or a 503 (a replica draining: nothing was done) is tried
  again on another replica (``retry-on conn-failure 503`` with ``option redispatch``). Nothing that may
  have been carried out is replayed: a request that got no answer is the caller's to judge.
"""
from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

HEALTH = {"gateway": "/ready"}   # everything else: /readyz


@dataclass(frozen=True)
class Backend:
    name: str                     # a context, or "gateway"
    frontend_port: int
    replica_ports: tuple[int, ...]


def render(backends: list[Backend], host: str = "127.0.0.1", public_host: str = "127.0.0.1",
           stats_socket: Path | None = None) -> str:
    stats = f"\n    stats socket {stats_socket} mode 600 level user" if stats_socket else ""
    parts = [f"""global
    maxconn 4096
    log stdout format raw local0 warning{stats}

defaults
    mode http
    log global
    option dontlognull
    timeout connect 2s
    timeout client 65s
    timeout server 65s
    timeout http-request 10s
    timeout http-keep-alive 30s
    timeout tunnel 1h
    retries 3
    option redispatch 1
    retry-on conn-failure 503
"""]
    for b in backends:
        bind = public_host if b.name == "gateway" else host
        parts.append(f"""frontend {b.name}
    bind {bind}:{b.frontend_port}
    default_backend {b.name}_replicas

backend {b.name}_replicas
    balance leastconn
    option httpchk GET {HEALTH.get(b.name, '/readyz')}
    http-check expect status 200
    default-server inter 1s fastinter 250ms downinter 500ms fall 2 rise 2 observe layer7 error-limit 5 on-error mark-down
""")
        for replica, port in enumerate(b.replica_ports):
            parts.append(f"    server {b.name}-{replica} {host}:{port} check\n")
        parts.append("\n")
    return "".join(parts)


def server_states(stats_socket: Path, timeout_s: float = 5.0) -> dict[str, str]:
    """What HAProxy thinks of each replica now: ``{"kitchen-0": "UP", "kitchen-1": "DOWN", ...}``
    (``show stat`` on its stats socket; the status column, e.g. UP, DOWN, "UP 1/2", MAINT)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout_s)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    name, status = header.index("svname"), header.index("status")
    return {row[name]: row[status] for row in (line.split(",") for line in lines[1:] if line)
            if row[name] not in ("FRONTEND", "BACKEND")}
