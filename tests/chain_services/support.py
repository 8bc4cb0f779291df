"""Real servers for the chain's tests: a private nats-server, a fresh PostgreSQL database, service
processes. Importable by other test packages (the gateway's end-to-end tests use the same pieces).

PostgreSQL is the machine's (127.0.0.1:5432, trust auth; SIKDANG_TEST_PG_ADMIN overrides the admin DSN).
Every wait polls a condition under a generous deadline (the machine may be 2-4x slower under load).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from services.chain.launch_private import PrivatePostgres  # noqa: F401 - shared with the chaos drill

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("SIKDANG_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DEADLINE_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, deadline_s: float = DEADLINE_S, what: str = "condition", every_s: float = 0.05):
    """Poll ``condition`` until it returns something truthy (returned); AssertionError after the deadline."""
    end = time.monotonic() + deadline_s
    last_error = None
    while time.monotonic() < end:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - not yet
            last_error = exc
        time.sleep(every_s)
    raise AssertionError(f"timed out after {deadline_s} s waiting for {what} (last error: {last_error!r})")


def dsn_for(database: str) -> str:
    """The admin DSN (a URL, as SIKDANG_PG_DSN is) naming ``database`` instead."""
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + database


def create_database(name: str, template: str | None = None) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return dsn_for(name)


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class NatsServer:
    """A private nats-server with JetStream on a free port, its store in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = Path(folder), free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> NatsServer:
        binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        self.process = subprocess.Popen([binary, "-js", "-sd", str(self.folder / "store"), "-a", "127.0.0.1",
                                         "-p", str(self.port)], stdout=subprocess.DEVNULL,
                                        stderr=open(self.folder / "nats.log", "ab"))
        wait_for(self._answers, what=f"nats-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            return s.recv(4).startswith(b"INFO")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=DEADLINE_S)

    def restart(self, *, lose_store: bool = False) -> None:
        self.stop()
        if lose_store:
            shutil.rmtree(self.folder / "store", ignore_errors=True)
        self.start()


def run_async(coroutine_function, *args):
    return asyncio.run(coroutine_function(*args))


async def stream_messages(url: str, stream: str) -> list:
    """Every message the stream holds, in sequence order (RawStreamMsg: .seq, .subject, .headers, .data)."""
    import nats
    from nats.js.errors import NotFoundError
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        messages = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            try:
                messages.append(await js.get_msg(stream, seq=seq))
            except NotFoundError:
                pass
        return messages
    finally:
        await nc.close()


def order_events(url: str, stream: str, order_id: int) -> list[tuple[str, str, str]]:
    """(the subject's context, event name, message id) of ``order_id``'s events, in stream order."""
    from services.chain import wire
    return [(*m.subject.split(".")[1:3], m.headers[wire.MSG_ID])
            for m in run_async(stream_messages, url, stream) if m.headers.get(wire.ORDER_ID) == str(order_id)]


class ServiceProcess:
    """``python main.py service CONTEXT`` as a real process on a free port."""

    def __init__(self, context: str, env: dict[str, str], folder: Path, replica: str = "0") -> None:
        self.context, self.replica = context, replica
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.log = Path(folder) / f"{context}-{replica}.log"
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def start(self, **extra_env: str) -> ServiceProcess:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "service", self.context, "--port", str(self.port),
             "--replica", self.replica], cwd=ROOT, env={**self.env, **extra_env},
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        return self

    def wait_ready(self) -> ServiceProcess:
        def ready():
            assert self.process.poll() is None, f"{self.context} exited: {self.log.read_text()[-2000:]}"
            return self.http.get("/readyz").status_code == 200
        wait_for(ready, what=f"{self.context} /readyz")
        return self

    def readiness(self) -> dict:
        return self.http.get("/readyz").json()

    def command(self, name: str, body: dict) -> httpx.Response:
        return self.http.post(f"/commands/{name}", json=body)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=DEADLINE_S)

    def close(self) -> None:
        self.kill(signal.SIGTERM)
        self.http.close()


def query(dsn: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def scalar(dsn: str, sql: str, params=()):
    rows = query(dsn, sql, params)
    return rows[0][0] if rows else None


async def publish_raw(url: str, subject: str, body: bytes, headers: dict[str, str]) -> int:
    """Publish one message as a relay would (or would not); returns its stream sequence. A service is
    ready once its database is (the broker may still be connecting), so the stream it creates on
    connecting may not exist yet: publish again until it does."""
    import asyncio

    import nats
    from nats.js.errors import NoStreamResponseError
    nc = await nats.connect(url)
    deadline = time.monotonic() + DEADLINE_S
    try:
        while True:
            try:
                return (await nc.jetstream().publish(subject, body, headers=headers)).seq
            except NoStreamResponseError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    finally:
        await nc.close()


async def consumer_info(url: str, stream: str, name: str):
    """The server's ``ConsumerInfo`` of the durable consumer ``name``."""
    import nats
    nc = await nats.connect(url)
    try:
        return await nc.jetstream().consumer_info(stream, name)
    finally:
        await nc.close()


async def consumers_idle(url: str, stream: str, names) -> bool:
    """Whether each named consumer has delivered and seen acked everything in the stream."""
    import nats
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for name in names:
            info = await js.consumer_info(stream, name)
            if info.num_pending or info.num_ack_pending:
                return False
        return True
    finally:
        await nc.close()
