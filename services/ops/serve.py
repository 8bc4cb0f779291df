"""``python main.py serve`` under supervisord: a killed shop process is back in a second or two.

``serve`` (what main.py calls) starts supervisord with one program, the shop process
(``python -m services.ops.serve ...``, which runs ``services.http.server.run_server``), and stays in
the foreground: SIGTERM/SIGINT stop it (the shop drains, as before), SIGHUP reaches the shop process
(its gateway workers are replaced one by one, as before), and if this process is killed supervisord and
the shop go with it. The shop process's output goes to this process's stdout.

Beside the database: ``<stem>.run/`` (supervisord's config, socket and log; the metrics files) and
``<stem>.logs/`` (JSON lines of the shop process and its workers) unless SIKDANG_LOG_DIR says where.
"""
from __future__ import annotations

import argparse
import errno
import socket
import sys
import time
from pathlib import Path

from services.ops.settings import LOG_DIR, METRICS_DIR, in_supervisor, log_dir, metrics_dir, shop_log_dir

# uvicorn's spawned workers import this module again (it is their parent's __main__): keep its
# top-level imports light; the supervisor (httpx, supervisor's XML-RPC) is imported where it is used.
SHOP_PROGRAM = "shop"
DRAIN_S = 30   # the shop's workers finish open requests (uvicorn: 3 s), then the writer closes


def run_folder(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).stem + ".run")


def shop_program(db_path: Path, *, host: str, port: int, workers: int, log_level: str):
    """The supervisord program of the shop process (``services.ops.supervisor.Program``)."""
    from services.ops.supervisor import Program   # not at the top: the shop's workers import this module
    db_path = Path(db_path).resolve()
    environment = {LOG_DIR: str(shop_log_dir(db_path).resolve()),
                   METRICS_DIR: str(metrics_dir() or run_folder(db_path) / "metrics"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "services.ops.serve", "--db", str(db_path), "--host", host,
               "--port", str(port), "--workers", str(workers), "--log-level", log_level]
    return Program(SHOP_PROGRAM, command, environment=environment, directory=Path.cwd(), console=True,
                   stopwaitsecs=DRAIN_S, startsecs=1, startretries=5,
                   ready_url=f"http://{_client_host(host)}:{port}/ready")


def _client_host(host: str) -> str:
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
          log_level: str = "INFO") -> int:
    """main.py serve: the shop process under supervisord, in the foreground. Returns the exit code."""
    if in_supervisor():   # already under a supervisor (a container's): be the shop process itself
        return run_shop_process(db_path, host=host, port=port, workers=workers, log_level=log_level)
    from services.ops.supervisor import Supervisor
    program = shop_program(db_path, host=host, port=port, workers=workers, log_level=log_level)
    return Supervisor([program], run_folder(Path(db_path).resolve())).run_foreground()


def run_shop_process(db_path: Path, *, host: str, port: int, workers: int, log_level: str) -> int:
    """The shop process: its JSON log and the workers', an empty metrics folder, then the server."""
    from services.ops.logs import configure_logging, excepthook_to_log, logging_config
    if folder := metrics_dir():
        from services.ops.metrics import prepare_multiprocess_dir
        prepare_multiprocess_dir(folder)   # this run's processes only (a killed run's files are gone)
    folder = log_dir() or shop_log_dir(db_path)
    configure_logging("shop", "0", folder, level=log_level)
    excepthook_to_log()
    wait_until_port_free(host, port)
    from services.http.server import run_server
    return run_server(Path(db_path), host=host, port=port, workers=workers,
                      log_config=logging_config("shop", "0", folder, level=log_level))


def wait_until_port_free(host: str, port: int, timeout_s: float = 10.0) -> None:
    """After a SIGKILL the old shop's workers still hold the listening socket until they notice
    their shop is gone (a fraction of a second): wait for them rather than fail on EADDRINUSE
    (supervisord would back off a second, then two)."""
    deadline = time.monotonic() + timeout_s
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    while True:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
                return
            except OSError as error:
                if error.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                    return   # run_server reports it
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.ops.serve",
                                     description="The shop process (supervisord runs it for main.py serve)")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    return run_shop_process(args.db, host=args.host, port=args.port, workers=args.workers,
                            log_level=args.log_level)


if __name__ == "__main__":
    sys.exit(main())
