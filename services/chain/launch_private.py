"""A chain's parts started privately, for the tests and the benchmark: a nats-server with JetStream on a
free port and a store of its own (restartable in place), a PostgreSQL cluster of its own (likewise), a
whole chain on both (``PrivateChain``), and waiting for a condition with a deadline.
``main.py chain`` itself uses the machine's nats-server and PostgreSQL (SIKDANG_NATS_URL, SIKDANG_PG_DSN)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
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


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb in a folder under /tmp, a free port), to stop and start
    at will without touching the machine's shared server. Run as the ``postgres`` user when we are root.
    ``fsync=off``: a test's throwaway data; stopping it (fast or smart) still writes everything out."""

    BIN = Path("/usr/lib/postgresql/15/bin")
    DEADLINE_S = 120

    def __init__(self, max_connections: int = 100) -> None:
        # Its own folder under /tmp: pytest's are private to root, and the server runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="sikdang-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.max_connections = max_connections

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(prefix + [str(self.BIN / command[0]), *command[1:]], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=self.DEADLINE_S)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")

    def init(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self) -> PrivatePostgres:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "server.log"), "-o",
                  f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
                  f" -c max_connections={self.max_connections}", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


class PrivateChain:
    """A whole chain of its own, started with ``main.py chain``'s launch code (services.chain.launch):
    its own PostgreSQL cluster and nats-server (both restartable: the chaos drill restarts them), HAProxy,
    ``replicas`` per context and ``gateways`` gateways under supervisord; the menu stocked up and the gift
    stock set. ``with PrivateChain(folder) as chain: ...`` stops and removes everything after."""

    def __init__(self, folder: Path, *, replicas: int = 2, gateways: int = 2, stock: int = 10_000,
                 start_deadline_s: float = 240.0) -> None:
        from services.chain.launch import Chain, ChainLayout
        from services.chain.settings import ChainSettings
        self.folder = Path(folder)
        (self.folder / "nats").mkdir(parents=True, exist_ok=True)
        self.postgres = PrivatePostgres(max_connections=300)
        self.nats = NatsServer(self.folder / "nats")
        settings = ChainSettings(dsn="", nats_url="", stream="SIKDANG")
        self.chain = Chain(settings, self.folder / "data", ChainLayout.free(replicas=replicas, gateways=gateways),
                           demo=True)      # the drills' tills sign in with the demo PINs
        self.supervisor = None
        self.stock, self.start_deadline_s = stock, start_deadline_s

    @property
    def url(self) -> str:
        return self.chain.layout.url

    @property
    def settings(self):
        return self.chain.settings

    def start(self) -> PrivateChain:
        from dataclasses import replace
        self.postgres.init().start()
        self.nats.start()
        self.chain.settings = replace(self.chain.settings, dsn=self.postgres.dsn("sikdang"), nats_url=self.nats.url)
        self.chain.prepare()
        self.supervisor = self.chain.supervisor().start()
        self.wait_ready(self.start_deadline_s)
        shop = self.shop()
        try:
            for item in shop.menu():
                shop.restock(item.code, self.stock)
            shop.set_gift_stock(100_000, "Candy")
        finally:
            shop.close()
        return self

    def ready(self) -> bool:
        urls = [f"{self.url}/ready", *(f"{u}/readyz" for u in self.settings.service_urls.values())]
        return all(answers(url) for url in urls)

    def wait_ready(self, timeout: float = 180.0) -> None:
        wait_for(self.ready, timeout, 0.25, f"every service of the chain ready (see {self.chain.data_dir})")

    def shop(self, **kwargs):
        from services.chain.gateway_shop import ChainShop
        return ChainShop(self.settings, **kwargs)

    def close(self) -> None:
        try:
            if self.supervisor is not None:
                self.supervisor.close()
        finally:
            self.nats.stop()
            try:
                self.postgres.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            self.postgres.remove()

    def __enter__(self) -> PrivateChain:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()
