"""``python main.py serve``: every context on one SQLite shop, one port, loopback unless told otherwise.

Under ``main.py serve`` supervisord runs the shop process and each gateway worker as programs of their
own (``services.ops.serve``); a worker builds its server with ``make_config``
(``services.http.uvicorn_config``). ``run_server`` is the older layout, kept for a supervisor of one's
own (``SUPERVISOR_ENABLED``): the shop process with uvicorn's workers as its children, blocking until
SIGINT/SIGTERM; on shutdown each worker's readiness turns 503 first (draining), open requests finish,
then the shop closes. ``ServerThread`` runs the gateway and a LocalShop in one process, in a thread,
for tests and the remote contract suite.
"""
from __future__ import annotations

import logging
import random
import socket
import threading
import time
from pathlib import Path

import uvicorn

from services import settings
from services.http.app import ServerState
from services.http.auth import StaffStore
from services.http.uvicorn_config import make_config
from services.http.workers import freeze_startup_heap, staff_db_path

log = logging.getLogger(__name__)


def run_server(db_path: Path, *, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
               log_config: dict | None = None, demo: bool = False) -> int:
    """The shop process: owns the database and its writer; ``workers`` gateway processes serve HTTP.

    It blocks until SIGINT/SIGTERM: the workers finish their open requests and stop, then the shop
    closes. SIGHUP replaces the workers one at a time (see ``services.http.workers``). ``log_config``
    (dictConfig) is applied in every worker too (``services.ops.logs.logging_config``).
    """
    from uvicorn.supervisors import Multiprocess

    from services.local import open_local_shop
    db_path = Path(db_path).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    max_in_flight = settings.max_in_flight()   # the whole server's
    config = make_config("services.http.workers:replica_app", host, port, factory=True, workers=workers,
                         **({"log_config": log_config} if log_config else {}))
    sock = config.bind_socket()   # first: a port in use is reported before anything is opened
    shop = open_local_shop(db_path)
    StaffStore(staff_db_path(db_path), seed_demo=demo).close()   # created before any worker reads it
    service = shop.share_writer()
    settings.hand_to_children(settings.worker_environment(db_path, service.address, service.authkey,
                                                          max(1, -(-max_in_flight // workers))))
    freeze_startup_heap()
    print(f"Sikdang shop server on http://{host}:{port} (OpenAPI at /docs), {workers} gateway worker(s), "
          f"shop: {shop.describe()}", flush=True)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        shop.close()
    return 0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# Below Linux's ephemeral range (32768 and up): the kernel never hands these to an outgoing connection,
# so a port found free stays free until someone binds it on purpose.
UNEPHEMERAL_PORTS = range(20_000, 32_000)


def free_port_block(count: int, host: str = "127.0.0.1") -> int:
    """The first of ``count`` consecutive ports free now (replicas listen on ``port + replica``)."""
    def free(port: int) -> bool:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
        return True
    for _ in range(200):
        base = random.randrange(UNEPHEMERAL_PORTS.start, UNEPHEMERAL_PORTS.stop - count)
        if all(free(port) for port in range(base, base + count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports found")


class ServerThread:
    """A real uvicorn server on loopback in a background thread (tests, the remote contract suite)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host, self.port = host, port or free_port(host)
        self.state = getattr(app, "state", None) or ServerState()
        self.server = uvicorn.Server(make_config(app, self.host, self.port, timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout_s: float = 10.0) -> ServerThread:
        self.state.draining = False      # the same app may be served again after a stop (restart tests)
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"test server on {self.url} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.state.draining = True
        self.server.should_exit = True
        self.thread.join(10)
