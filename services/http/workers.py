"""The shop server's gateway workers: processes that serve HTTP and send commands to the shop's writer.

Under ``python main.py serve`` each worker is a supervisord process of its own
(``python -m services.http.workers``, program ``gateway``): supervisord holds the listening socket and
hands it to every worker as fd 0, so the port stays open while any worker runs, whatever happens to
the shop process. A worker is the whole gateway over a ``ReplicaShop``: it reads the database itself
and sends its commands through a ``WriterLink`` to the shop process at a fixed address; when the shop
process is restarted the link reconnects, reads go on being served meanwhile, and commands wait a
bounded time (``settings.WRITER_WAIT``, 10 s) before being answered 503 busy. SIGHUP to ``serve``
replaces the workers one by one (``Supervisor.rolling_restart``), a surge worker serving first.

Under a supervisor of one's own (``SUPERVISOR_ENABLED``) ``run_server`` runs the shop and uvicorn's
``Multiprocess`` workers in one process tree instead, as before. Either way what a worker needs is in
its environment. HTTP and the writer are in processes apart so each has a core of its own, not one
GIL between them (docs/decisions/0015-gateway-workers-in-their-own-processes.md).
"""
from __future__ import annotations

import argparse
import gc
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from services import settings

if TYPE_CHECKING:   # the app (FastAPI) is imported by the worker only: the shop process imports this module
    from services.http.app import ServerState

WAKE_AFTER_S = (0.0, 0.1, 0.3)   # a few nudges: one of them comes after supervisord has reaped the shop


def staff_db_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".staff.sqlite")


def freeze_startup_heap() -> None:
    """Keep what startup built (modules, the app, the shop: a few hundred thousand objects) out of
    the collector's full passes, whose pauses over them were the server's p99
    (docs/decisions/0016-freeze-the-startup-heap.md). ``gc.freeze()`` moves them to a permanent
    generation, so a full pass sees only newer objects."""
    gc.collect()
    gc.freeze()


def _stop_this_worker() -> None:
    # The shop process is gone: answer nothing more (its supervisor is gone too, or restarting).
    os.kill(os.getpid(), signal.SIGTERM)


def _wake_supervisor() -> None:
    """The shop process is gone: nudge supervisord so it restarts it now. supervisord notices a dead
    child at once but starts its replacement on its main loop's next turn, which waits for activity
    on its sockets for up to 1 s (docs/decisions/0017-wake-supervisord.md). A connection to its
    control socket is such activity; the restart itself is supervisord's. In a thread: the link goes
    on reconnecting meanwhile."""
    path = settings.supervisor_socket()
    if not path:
        return

    def nudge() -> None:
        for pause in WAKE_AFTER_S:
            time.sleep(pause)
            try:
                with socket.socket(socket.AF_UNIX) as control:
                    control.connect(path)
            except OSError:
                return   # supervisord is gone too: nothing to wake
    threading.Thread(target=nudge, name="wake-supervisord", daemon=True).start()


def replica_app():
    """uvicorn factory, called in each worker process."""
    from services.http.app import ServerState, create_app
    from services.http.auth import StaffStore
    from services.infra.writer_key import read_writer_key
    from services.infra.writer_link import WriterLink
    from services.local.shop import ReplicaShop
    wiring = settings.worker_wiring()
    if isinstance(key := wiring.writer_key, Path):   # main.py serve: the shop process may be restarted
        link = WriterLink(wiring.writer_address, lambda: read_writer_key(key),
                          on_lost=_wake_supervisor, reconnect_wait_s=wiring.writer_wait_s)
    else:   # run_server: the shop process is this worker's parent; without it there is nothing to do
        link = WriterLink(wiring.writer_address, key, on_lost=_stop_this_worker)
    db_path = wiring.db_path
    shop = ReplicaShop(db_path, link)
    # Nothing to close at exit: the worker never writes the shop, and uvicorn ends it with SIGTERM's
    # default action (so atexit would not run anyway); its read connections go with the process.
    staff = StaffStore(staff_db_path(db_path), seed_demo=False)
    state = ServerState()
    _drain_on_exit_signal(state)
    app = create_app(shop, staff, max_in_flight=wiring.max_in_flight, state=state)
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


def main(argv: list[str] | None = None) -> int:
    """One gateway worker on the listening socket supervisord passed as fd 0 (``[fcgi-program]``)."""
    parser = argparse.ArgumentParser(prog="python -m services.http.workers")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--fd", type=int, default=0, help="the listening socket's file descriptor")
    args = parser.parse_args(argv)
    import uvicorn

    from services.http.uvicorn_config import make_config
    from services.ops.logs import excepthook_to_log, logging_config
    from services.ops.settings import default_replica, log_dir
    listening = socket.socket(fileno=os.dup(args.fd))   # its family (TCP) read from the descriptor
    host, port = listening.getsockname()[:2]
    config = make_config("services.http.workers:replica_app", host, port, factory=True,
                         log_config=logging_config("shop", f"gateway-{default_replica()}", log_dir(),
                                                   level=args.log_level))
    excepthook_to_log()

    class Worker(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if (path := settings.ready_file()) and not self.should_exit:
                Path(f"{path}.tmp").write_text(str(os.getpid()))
                Path(f"{path}.tmp").replace(path)   # Supervisor.wait_ready: this pid serves

    Worker(config).run(sockets=[listening])
    return 0


if __name__ == "__main__":
    sys.exit(main())
