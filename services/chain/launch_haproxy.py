"""The HAProxy config of a chain: one frontend per context balancing its replicas, and the public port
balancing the gateway replicas (CHAIN.md, "Processes").

Balancing and ejection are HAProxy's, not ours (issue 12, point 5):
- active checks: every replica's readiness (``/readyz`` for a service, ``/ready`` for a gateway) every
  second; two failures take it out, two successes bring it back;
- passive ejection, the original's outlier detection: ``observe layer7`` counts 5xx answers and
  ``error-limit 5`` of them in a row ``on-error mark-down`` eject the replica until its checks pass;
- a connection refused (a replica just killed) or a 503 (a replica draining: nothing was done) is tried
  again on another replica (``retry-on conn-failure 503`` with ``option redispatch``).

What HAProxy answers by itself (issue 13, availability under chaos):
- its own 503 (no replica UP, every retry refused, a queue timeout: nothing was forwarded, so nothing was
  done) carries ``Retry-After: 1`` and the gateway's JSON error shape, like every other "come back
  shortly" of the chain. Its 502 and 504 do not: the request reached a replica and may have been done;
- a public request a gateway held when it died (closed with no answer: ``empty-response``) is sent again
  to another gateway only if replaying it is harmless: a read (GET, HEAD), or a request whose JSON body
  carries a ``clientRef`` (placing an order, taking a payment: the gateway and ordering take a clientRef
  once, and a second copy waits on the first's lock and is answered the same). That is the resend a till
  makes itself, a few milliseconds sooner (HAProxy's ``retry-on`` notes: safe only with "a replay
  protection mechanism ... such as unique transaction IDs"). Any other request that got no answer is the
  caller's to judge: no L7 retry at all (``disable-l7-retry``; connection failures are still retried).

What it logs (to its output, ``supervisor/haproxy-N.out``): the warnings (a replica down or up) and,
with ``log-separate-errors`` raising them to the err level, every request that did not simply succeed —
retried, redispatched, answered 5xx, or cut short — one ``httplog`` line each with its time to the
millisecond (UTC: its program runs with ``TZ=UTC``, like every log of the chain) and its termination
state: ``SH`` the replica closed before answering, ``SD`` mid-answer, ``SC`` no replica could be
connected to (refused, or none up: HAProxy's own 503), ``sC`` the connect timed out, ``CD`` the client
went away. "Only": successes are logged at the info level, below the ``warning`` threshold of ``log``.

Several HAProxy processes run the same config at once (``launch.HAPROXIES``), each with its own stats
socket: they bind the same ports with SO_REUSEPORT (HAProxy's default on Linux), so the kernel spreads
new connections over them and, when one is killed, gives them all to the others; only the connections
the dead one held are lost.
"""
from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

HEALTH = {"gateway": "/ready"}   # everything else: /readyz
# every replica's health checks: out after two failed checks or five errors, back after two good ones
SERVER_CHECKS = "inter 1s fastinter 250ms downinter 500ms fall 2 rise 2 observe layer7 error-limit 5 on-error mark-down"
BUSY_BODY = '{"code": "busy", "message": "No replica can take the request now; nothing was done. Retry shortly."}'
# An unescaped "clientRef" key with a string value: in JSON a key cannot be spelt so inside a string value
# (its quotes would be escaped), so a note or a name holding these characters does not match.
KEYED_BODY = r'\"clientRef\"[[:space:]]*:[[:space:]]*\"[^\"]'


@dataclass(frozen=True)
class Backend:
    name: str                     # a context, or "gateway"
    frontend_port: int
    replica_ports: tuple[int, ...]


def render(backends: list[Backend], host: str = "127.0.0.1", public_host: str = "127.0.0.1",
           stats_socket: Path | None = None) -> str:
    # admin: a rolling restart sets a replica to DRAIN before stopping it (``set_server_state``)
    stats = f"\n    stats socket {stats_socket} mode 600 level admin" if stats_socket else ""
    parts = [f"""global
    maxconn 4096
    log stdout format raw local0 warning{stats}

defaults
    mode http
    log global
    option dontlognull
    option httplog
    option log-separate-errors
    timeout connect 2s
    timeout client 65s
    timeout server 65s
    timeout http-request 10s
    timeout http-keep-alive 30s
    timeout tunnel 1h
    retries 3
    option redispatch 1
    retry-on conn-failure 503
    http-error status 503 content-type application/json string '{BUSY_BODY}' hdr Retry-After 1
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
    default-server {SERVER_CHECKS}
""")
        if b.name == "gateway":   # the public side: replay what is harmless to replay (module docstring)
            # The till's address for the gateway (uvicorn trusts X-Forwarded-For from 127.0.0.1): the
            # sign-in's slowdown counts wrong PINs per till, not for every till behind this proxy at once.
            parts.append(f"""    option forwardfor
    option http-buffer-request
    retry-on conn-failure empty-response 503
    acl replayable method GET HEAD
    acl replayable req.body -m reg {KEYED_BODY}
    http-request disable-l7-retry unless replayable
""")
        for replica, port in enumerate(b.replica_ports):
            parts.append(f"    server {b.name}-{replica} {host}:{port} check\n")
        parts.append("\n")
    return "".join(parts)


def _ask(stats_socket: Path, command: str, timeout_s: float) -> str:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout_s)
        s.connect(str(stats_socket))
        s.sendall(command.encode() + b"\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode()


def server_stats(stats_socket: Path, timeout_s: float = 5.0) -> dict[str, dict[str, str]]:
    """``show stat`` by replica (``"kitchen-0"``): every column, e.g. ``status`` (UP, DOWN, DRAIN,
    "UP 1/2", MAINT) and ``scur`` (requests it holds now)."""
    lines = _ask(stats_socket, "show stat", timeout_s).splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
    return {row["svname"]: row for row in rows if row["svname"] not in ("FRONTEND", "BACKEND")}


def server_states(stats_socket: Path, timeout_s: float = 5.0) -> dict[str, str]:
    """What HAProxy thinks of each replica now: ``{"kitchen-0": "UP", "kitchen-1": "DOWN", ...}``."""
    return {name: row["status"] for name, row in server_stats(stats_socket, timeout_s).items()}


def set_server_state(stats_socket: Path, replica: str, state: str, timeout_s: float = 5.0) -> None:
    """``state``: ``drain`` (no new requests; the ones it holds finish; checks go on) or ``ready``.
    ``replica`` is the process name (``ordering-1``), which is also its server name in the backend."""
    backend = f"{replica.rpartition('-')[0]}_replicas"
    answer = _ask(stats_socket, f"set server {backend}/{replica} state {state}", timeout_s).strip()
    if answer:   # HAProxy says nothing when it did it
        raise RuntimeError(f"HAProxy refused 'set server {backend}/{replica} state {state}': {answer}")
