"""A chain's parts started privately, for the tests and the benchmark: a nats-server with JetStream on a
free port and a store of its own (restartable in place), and waiting for a condition with a deadline.
``main.py chain`` itself uses the machine's nats-server (SIKDANG_NATS_URL)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float = 60.0, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met within {timeout:.0f} s")
        time.sleep(interval)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class NatsServer:
    """A private nats-server with JetStream on a free port and its own store, restartable in place."""

    def __init__(self, folder: Path) -> None:
        if not shutil.which("nats-server"):
            raise RuntimeError("nats-server is not installed: ./dev chain installs it (Debian package nats-server)")
        self.port, self.folder = free_port(), folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        self.process = subprocess.Popen(
            ["nats-server", "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=open(self.folder.parent / "nats-server.log", "ab"))
        wait_for(self._listening, 30, 0.05, "nats-server listening")
        return self

    def _listening(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)

    def restart(self) -> None:
        self.stop()
        self.start()
