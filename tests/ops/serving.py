"""``python main.py serve`` as a real process for the ops tests, with deadlines for a busy machine
(under supervisord there is one more process to start before the shop answers)."""
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
READY_DEADLINE_S = 120


@contextmanager
def serve(tmp_path: Path, *options: str, env: dict[str, str] | None = None):
    """Yield ``(process, url)`` once /ready answers 200; stop it (SIGTERM, then SIGKILL) at the end."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "serve", "--db", str(tmp_path / "shop.sqlite"),
                             "--port", str(port), "--log-level", "WARNING", "--demo", *options], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_DEADLINE_S
        while not ready(url):
            assert proc.poll() is None, f"serve exited with {proc.returncode}"
            assert time.monotonic() < deadline, f"server not ready in {READY_DEADLINE_S} s"
            time.sleep(0.05)
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)   # supervisord stops the shop, which drains
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()                    # supervisord and the shop follow (parent-death signal)
                proc.wait()


def ready(url: str) -> bool:
    try:
        return httpx.get(url + "/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
