"""The shop server's gateway workers: processes that serve HTTP and send commands to the shop's writer.

``python main.py serve`` runs one shop process (the writer, its scheduler and checkpoints) and
``--workers`` gateway processes on one listening socket, supervised by uvicorn: a worker that dies is
replaced, and SIGHUP replaces them one by one, each new one serving before its old one stops. The
socket never closes, so new connections are always taken; a request caught on a connection the old
worker is closing fails at the connection level, and clients send it again (the remote app does;
an order carries its clientRef, so it is never taken twice). Each worker is the whole gateway over a ``ReplicaShop``: it reads the
database itself and sends its commands through a ``WriterLink``. Measured here, HTTP and the writer
in one process were held to one core by the GIL; apart, each has its own.

uvicorn starts workers by importing ``replica_app`` (a factory), so what a worker needs is passed in
the environment, which a spawned process inherits.
"""
from __future__ import annotations

import gc
import os
import signal
from pathlib import Path

from services.http.app import ServerState, create_app
from services.http.auth import StaffStore


ENV_DB, ENV_ADDRESS, ENV_KEY, ENV_IN_FLIGHT = ("SIKDANG_DB", "SIKDANG_WRITER_ADDRESS", "SIKDANG_WRITER_KEY",
                                               "SIKDANG_WORKER_MAX_IN_FLIGHT")


def worker_environment(db_path: Path, address: str, authkey: bytes, max_in_flight: int) -> dict[str, str]:
    return {ENV_DB: str(db_path), ENV_ADDRESS: address, ENV_KEY: authkey.hex(), ENV_IN_FLIGHT: str(max_in_flight)}


def staff_db_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".staff.sqlite")


def freeze_startup_heap() -> None:
    """Keep what startup built (modules, the app, the shop: a few hundred thousand objects) out of
    the collector's full passes. Measured here under load, each full pass over them took 60-80 ms,
    several times in 10 s, in the shop process and in each worker: that pause was the server's p99.
    ``gc.freeze()`` moves them to a permanent generation, so a full pass sees only newer objects."""
    gc.collect()
    gc.freeze()


def _stop_this_worker() -> None:
    # The shop process is gone: answer nothing more (its supervisor is gone too, or restarting).
    os.kill(os.getpid(), signal.SIGTERM)


def replica_app():
    """uvicorn factory, called in each worker process."""
    from services.infra.writer_link import WriterLink
    from services.local.shop import ReplicaShop
    db_path = Path(os.environ[ENV_DB])
    link = WriterLink(os.environ[ENV_ADDRESS], bytes.fromhex(os.environ[ENV_KEY]), on_lost=_stop_this_worker)
    shop = ReplicaShop(db_path, link)
    # Nothing to close at exit: the worker never writes the shop, and uvicorn ends it with SIGTERM's
    # default action (so atexit would not run anyway); its read connections go with the process.
    staff = StaffStore(staff_db_path(db_path), seed_demo=False)
    state = ServerState()
    _drain_on_exit_signal(state)
    app = create_app(shop, staff, max_in_flight=int(os.environ[ENV_IN_FLIGHT]), state=state)
    freeze_startup_heap()
    return app


def _drain_on_exit_signal(state: ServerState) -> None:
    """Readiness says 503 and event streams end as soon as the worker is told to stop, so its
    graceful shutdown is quick. uvicorn has installed its handlers when it calls the factory; this
    runs ours first, then its."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        uvicorn_handler = signal.getsignal(sig)
        if callable(uvicorn_handler):
            def handler(signum, frame, then=uvicorn_handler):
                state.draining = True
                then(signum, frame)
            signal.signal(sig, handler)
