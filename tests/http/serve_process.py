"""``python main.py serve`` as a real process (the shop process and its gateway workers), for tests."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from services.http.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_ready(url: str, proc: subprocess.Popen, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if httpx.get(url + "/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"server not ready in {timeout_s} s"
        time.sleep(0.1)


def gateway_workers(server_pid: int) -> set[int]:
    """The server's gateway worker processes (``python -m services.http.workers``), however deep under
    ``server_pid`` (main.py serve -> supervisord -> each worker, a supervisord program of its own)."""
    return {pid for pid, cmdline in descendants(server_pid).items() if b"services.http.workers" in cmdline}


def descendants(server_pid: int) -> dict[int, bytes]:
    """Every process however deep under ``server_pid``, with its command line."""
    parents, cmdlines = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdlines[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = set(), {server_pid}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return {pid: cmdlines.get(pid, b"") for pid in found}


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@contextmanager
def serve_process(tmp_path, *options: str, demo: bool = True):
    """Yield ``(process, url)`` for a running server (with the demo staff unless ``demo`` is false);
    kill whatever is left at the end."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "serve", "--db", str(tmp_path / "shop.sqlite"),
                             "--port", str(port), "--log-level", "WARNING", *(["--demo"] if demo else []),
                             *options], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
        yield proc, url
    finally:
        leftovers = gateway_workers(proc.pid)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
