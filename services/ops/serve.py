"""``python main.py serve`` under supervisord: the shop process and its gateway workers, each restarted
on its own, the port never closed.

``serve`` (what main.py calls) starts supervisord with two programs and stays in the foreground:

- ``shop`` (``python -m services.ops.serve --db ...``): the shop process. It owns the database's
  writer (and its scheduler, checkpoints) and lets the workers send it commands over a Unix socket at
  a fixed path in the run folder, with a key from a file only this user can read
  (``services.infra.writer_key``). It serves no HTTP and imports no web framework, so it is back fast
  after a crash.
- ``gateway`` (``python -m services.http.workers``, ``--workers`` replicas and a surge slot): an
  ``[fcgi-program]``: supervisord holds the listening socket and hands it to each worker as fd 0
  (uvicorn's documented deployment under supervisor). The socket stays open while any worker runs,
  so a killed shop process closes nothing: workers go on answering reads from the file, and hold
  commands until the restarted shop process is back (``services.infra.writer_link``).

SIGTERM/SIGINT stop everything (the workers drain first, then the shop closes); SIGHUP replaces the
workers one at a time (``Supervisor.rolling_restart``), a surge worker serving first, so no request is
refused; if this process is killed, supervisord and both programs go with it.

Beside the database: ``<stem>.run/`` (supervisord's config, socket and log; the writer's socket and
key; the processes' ready files; the metrics files) and ``<stem>.logs/`` (JSON lines of every
process) unless SIKDANG_LOG_DIR says where.
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from services import settings
from services.http.workers import staff_db_path
from services.infra.writer_key import ensure_writer_key
from services.ops.settings import LOG_DIR, METRICS_DIR, in_supervisor, log_dir, metrics_dir, shop_log_dir
from services.settings import (READY_FILE, SUPERVISOR_SOCKET, WORKER_DB, WORKER_MAX_IN_FLIGHT, WRITER_ADDRESS,
                               WRITER_KEY_FILE)

log = logging.getLogger(__name__)
SHOP_PROGRAM, GATEWAY_PROGRAM = "shop", "gateway"
DRAIN_S = 30   # a worker finishes open requests (uvicorn: 3 s); the shop stops last
WRITER_SOCKET, WRITER_KEY = "writer.sock", "writer.key"
UNIX_PATH_MAX = 100   # sun_path is 108 bytes on Linux; keep a margin


def run_folder(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).stem + ".run")


def writer_address(folder: Path) -> str:
    """The shop process's socket for its workers: in the run folder, or somewhere short if that path
    is too long for a Unix socket (the same path for every process that asks)."""
    path = Path(folder).resolve() / WRITER_SOCKET
    if len(str(path)) <= UNIX_PATH_MAX:
        return str(path)
    short = Path(tempfile.gettempdir()) / f"sikdang-w-{hashlib.sha1(str(path).encode()).hexdigest()[:16]}"
    short.mkdir(mode=0o700, exist_ok=True)
    return str(short / WRITER_SOCKET)


NO_STAFF = ("No staff yet: nobody can sign in. On this machine, add the manager (it asks for the PIN):\n"
            "    python main.py staff add manager --role manager --name NAME --db {db}\n"
            "then the others from the manager's screen, or the same way. To try the server with the demo staff "
            "and their well-known PINs instead (never for a real shop): python main.py serve --demo")


def prepare_staff(db_path: Path, demo: bool) -> int:
    """Create the staff file beside ``db_path`` before any worker reads it, with the demo staff only if
    ``demo`` (their PINs are published); returns how many staff it holds."""
    from services.http.auth import StaffStore
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    store = StaffStore(staff_db_path(db_path), seed_demo=demo)
    try:
        return len(store.staff())
    finally:
        store.close()


def programs(db_path: Path, *, host: str, port: int, workers: int, log_level: str, demo: bool = False) -> list:
    """The supervisord programs of ``main.py serve`` (``services.ops.supervisor.Program``)."""
    from services.ops.program import Program   # not at the top: the shop process needs none of it
    from services.ops.supervisor import Supervisor
    db_path = Path(db_path).resolve()
    folder = run_folder(db_path)
    environment = {LOG_DIR: str(shop_log_dir(db_path).resolve()), METRICS_DIR: str(metrics_dir() or folder / "metrics"),
                   "PYTHONUNBUFFERED": "1", WORKER_DB: str(db_path), WRITER_ADDRESS: writer_address(folder),
                   WRITER_KEY_FILE: str(folder / WRITER_KEY)}
    max_in_flight = settings.max_in_flight()   # the whole server's
    shop = Program(SHOP_PROGRAM, [sys.executable, "-m", "services.ops.serve", "--db", str(db_path),
                                  "--log-level", log_level, *(["--demo"] if demo else [])],
                   environment={**environment, READY_FILE: str(folder / "shop-{replica}.ready")},
                   directory=Path.cwd(), console=True, stopwaitsecs=DRAIN_S, startsecs=1, startretries=5,
                   ready_file=str(folder / "shop-{replica}.ready"), priority=100)
    gateway = Program(GATEWAY_PROGRAM, [sys.executable, "-m", "services.http.workers", "--log-level", log_level],
                      numprocs=workers, surge=True, socket=f"tcp://{host}:{port}",
                      environment={**environment, WORKER_MAX_IN_FLIGHT: str(max(1, -(-max_in_flight // workers))),
                                   READY_FILE: str(folder / "gateway-{replica}.ready"),
                                   SUPERVISOR_SOCKET: str(Supervisor([], folder).socket_path)},
                      directory=Path.cwd(), console=True, stopwaitsecs=DRAIN_S, startsecs=1, startretries=5,
                      ready_file=str(folder / "gateway-{replica}.ready"), priority=200)
    return [shop, gateway]


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
          log_level: str = "INFO", demo: bool = False) -> int:
    """main.py serve: the shop process and its workers under supervisord, in the foreground. The demo
    staff (published PINs) are added only with ``demo``; a server without staff says how to add them."""
    if not prepare_staff(Path(db_path).resolve(), demo):
        print(NO_STAFF.format(db=Path(db_path).resolve()), flush=True)
    if in_supervisor():   # already under a supervisor (a container's): shop and workers in one tree
        return _run_all_in_one(Path(db_path), host=host, port=port, workers=workers, log_level=log_level, demo=demo)
    from services.ops.metrics import prepare_multiprocess_dir
    from services.ops.supervisor import Supervisor
    db_path = Path(db_path).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    folder = run_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    ensure_writer_key(folder / WRITER_KEY)
    shop, gateway = programs(db_path, host=host, port=port, workers=workers, log_level=log_level, demo=demo)
    prepare_multiprocess_dir(Path(gateway.environment[METRICS_DIR]))   # once: workers outlive shop restarts
    print(f"Sikdang shop server on http://{host}:{port} (OpenAPI at /docs), {workers} gateway worker(s), "
          f"shop: {db_path}", flush=True)
    return Supervisor([shop, gateway], folder).run_foreground(on_hangup=_replace_workers)


def _run_all_in_one(db_path: Path, *, host: str, port: int, workers: int, log_level: str, demo: bool) -> int:
    """The older layout, for a supervisor of one's own: the shop process with uvicorn's workers as its
    children (``run_server``); its JSON log and the workers', an empty metrics folder."""
    from services.http.server import run_server
    from services.ops.logs import configure_logging, excepthook_to_log, logging_config
    if folder := metrics_dir():
        from services.ops.metrics import prepare_multiprocess_dir
        prepare_multiprocess_dir(folder)
    folder = log_dir() or shop_log_dir(db_path)
    configure_logging("shop", "0", folder, level=log_level)
    excepthook_to_log()
    return run_server(db_path, host=host, port=port, workers=workers, demo=demo,
                      log_config=logging_config("shop", "0", folder, level=log_level))


_replacing = threading.Lock()


def _replace_workers(supervisor) -> None:
    """SIGHUP: the workers one at a time, in a thread (a signal handler must not block); one at once."""
    def replace():
        if not _replacing.acquire(blocking=False):
            return
        try:
            supervisor.rolling_restart(GATEWAY_PROGRAM, timeout_s=120)
        except Exception:  # noqa: BLE001 - reported, and the workers that run go on serving
            import logging
            logging.getLogger(__name__).exception("replacing the gateway workers failed")
        finally:
            _replacing.release()
    threading.Thread(target=replace, name="sighup-rolling-restart", daemon=True).start()


def run_shop_process(db_path: Path, *, log_level: str = "INFO", demo: bool = False) -> int:
    """The shop process: the writer for the workers at the run folder's address, until SIGTERM/SIGINT."""
    from services.local import open_local_shop
    from services.ops.logs import configure_logging, excepthook_to_log
    configure_logging("shop", "0", log_dir() or shop_log_dir(db_path), level=log_level)
    excepthook_to_log()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    db_path = Path(db_path).resolve()
    folder = run_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    shop = open_local_shop(db_path)
    try:
        if not prepare_staff(db_path, demo):   # before any worker reads it
            log.warning(NO_STAFF.format(db=db_path))
        key = ensure_writer_key(folder / WRITER_KEY)
        shop.share_writer(address=settings.writer_address_setting() or writer_address(folder), authkey=key)
        _mark_ready()
        print(f"Sikdang shop process {os.getpid()}: {shop.describe()}", flush=True)
        while not stop.wait(3600):
            pass
    finally:
        shop.close()   # the workers have drained first (supervisord stops them before this program)
    return 0


def _mark_ready() -> None:
    """Tell whoever waits for this process (Supervisor.wait_ready) that it serves: its pid in a file."""
    if path := settings.ready_file():
        tmp = Path(f"{path}.{os.getpid()}")
        tmp.write_text(str(os.getpid()))
        tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.ops.serve",
                                     description="The shop process (supervisord runs it for main.py serve)")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--demo", action="store_true", help="add the demo staff (published PINs)")
    args = parser.parse_args(argv)
    return run_shop_process(args.db, log_level=args.log_level, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
