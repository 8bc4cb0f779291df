"""``python main.py chain``: the whole chain on this machine, under supervisord.

What it does, in order (each step idempotent, so running it again on the same data is safe):
1. creates the chain's database on the PostgreSQL server of ``SIKDANG_PG_DSN`` if it is missing (each
   service creates and migrates its own schema when it starts);
2. creates the JetStream stream (``services.chain.nats.ensure_stream``; each consuming service creates
   its durable consumer when it starts);
3. writes the HAProxy config (``launch_haproxy``): a frontend per context, the public port for the gateways
   (one file per HAProxy process: they differ only in their stats socket);
4. runs every process under supervisord (``services.ops.supervisor``): N replicas per context, the
   gateway replicas and ``HAPROXIES`` HAProxy processes on the same ports, each restarted when it dies.

Ports (``ChainLayout.at(base)``): the public port ``base``; the contexts' frontends ``base+1`` ..
``base+6`` (ordering, kitchen, delivery, gift, mypage, payments); gateway replicas from ``base+10``; the replicas
of the context number i from ``base+20+10*i``.
"""
from __future__ import annotations

import asyncio
import json
import random
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from services.chain.launch_haproxy import Backend, render
from services.chain.settings import CONTEXTS, ChainSettings

ROOT = Path(__file__).resolve().parents[2]
MAX_REPLICAS = 9   # each program has 10 ports: its replicas and the one a rolling restart adds
SLOTS = MAX_REPLICAS + 1
# HAProxy processes sharing every port (SO_REUSEPORT): one killed, the other still accepts, so the chain's
# single entry point is never closed while supervisord starts the dead one again (launch_haproxy).
HAPROXIES = 2


@dataclass(frozen=True)
class ChainLayout:
    public_port: int
    replicas: int = 2
    gateways: int = 1
    host: str = "127.0.0.1"

    @classmethod
    def at(cls, base: int, replicas: int = 2, gateways: int = 1) -> ChainLayout:
        if not 1 <= replicas <= MAX_REPLICAS or not 1 <= gateways <= MAX_REPLICAS:
            raise ValueError(f"replicas and gateways must be 1-{MAX_REPLICAS}")
        return cls(base, replicas, gateways)

    @classmethod
    def free(cls, replicas: int = 2, gateways: int = 1) -> ChainLayout:
        """A layout whose every port is free now (tests, benchmarks: never a fixed port)."""
        for _ in range(200):
            # below the kernel's ephemeral ports (from 32768): no outgoing connection takes one meanwhile
            layout = cls.at(random.randrange(20_000, 32_000 - 100), replicas, gateways)
            if all(_port_free(port) for port in layout.all_ports()):
                return layout
        raise RuntimeError("no free range of ports found for a chain")

    def frontend(self, context: str) -> int:
        return self.public_port + 1 + CONTEXTS.index(context)

    def gateway_base(self) -> int:
        return self.public_port + 10

    def service_base(self, context: str) -> int:
        return self.public_port + 20 + 10 * CONTEXTS.index(context)

    def service_urls(self) -> dict[str, str]:
        return {context: f"http://{self.host}:{self.frontend(context)}" for context in CONTEXTS}

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.public_port}"

    def all_ports(self) -> list[int]:
        ports = [self.public_port, *(self.frontend(c) for c in CONTEXTS)]
        ports += [self.gateway_base() + i for i in range(SLOTS)]
        ports += [self.service_base(c) + i for c in CONTEXTS for i in range(SLOTS)]
        return ports

    def backends(self) -> list[Backend]:
        """Every program's HAProxy backend lists all its SLOTS ports, not only the running replicas: a
        replica added by ``scale`` or a rolling restart's surge replica takes requests once HAProxy's
        checks find it up (the empty slots are DOWN), with no HAProxy reload."""
        backends = [Backend(c, self.frontend(c), tuple(self.service_base(c) + i for i in range(SLOTS)))
                    for c in CONTEXTS]
        return [*backends, Backend("gateway", self.public_port, tuple(self.gateway_base() + i for i in range(SLOTS)))]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Chain:
    """One chain: its settings (the service URLs are its HAProxy frontends), data folder and ports."""

    def __init__(self, settings: ChainSettings, data_dir: Path, layout: ChainLayout, *,
                 python: str = sys.executable, demo: bool = False) -> None:
        self.layout = layout
        self.demo = demo          # the gateway's staff file starts with the demo staff (published PINs)
        self.settings = replace(settings, service_urls=layout.service_urls())
        self.data_dir = Path(data_dir).resolve()
        self.python = python

    def environment(self) -> dict[str, str]:
        return {"SIKDANG_PG_DSN": self.settings.dsn, "SIKDANG_NATS_URL": self.settings.nats_url,
                "SIKDANG_STREAM": self.settings.stream, "SIKDANG_SERVICE_URLS": json.dumps(self.settings.service_urls),
                "SIKDANG_LOG_DIR": str(self.data_dir / "logs"), "PYTHONUNBUFFERED": "1"}

    # -- preparing ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        if not shutil.which("haproxy"):
            raise RuntimeError("haproxy is not installed: run ./dev chain (it installs it) or apt-get install haproxy")
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        create_database(self.settings.dsn)
        asyncio.run(create_stream(self.settings.nats_url, self.settings.stream))
        for instance in range(HAPROXIES):
            self.haproxy_config(instance).write_text(render(self.layout.backends(), self.layout.host,
                                                            stats_socket=self.haproxy_socket(instance)))
        from services.chain.control import record
        record(self)                     # for main.py chain restart / scale / status (services.chain.control)

    def haproxy_config(self, instance: int | str = 0) -> Path:
        return self.data_dir / f"haproxy-{instance}.cfg"

    def haproxy_socket(self, instance: int = 0) -> Path:
        """The stats socket of HAProxy process ``instance`` (``launch_haproxy.server_states``): which
        replicas it sends work to. In the data folder unless that path is too long for a Unix socket."""
        path = self.data_dir / f"haproxy-{instance}.sock"
        if len(str(path)) > 100:
            path = Path(tempfile.gettempdir()) / f"sikdang-haproxy-{self.layout.public_port}-{instance}.sock"
        return path

    def haproxy_sockets(self) -> list[Path]:
        """Every HAProxy process's stats socket: a change of rotation (DRAIN, READY) is made on each."""
        return [self.haproxy_socket(instance) for instance in range(HAPROXIES)]

    # -- running ------------------------------------------------------------------------------------
    def programs(self) -> list:
        from services.ops.supervisor import Program
        main, env = str(ROOT / "main.py"), self.environment()
        programs = [Program(context,
                            [self.python, main, "service", context, "--port", "{port}", "--replica", "{replica}"],
                            numprocs=self.layout.replicas, environment=env, directory=ROOT,
                            port=self.layout.service_base(context), stopwaitsecs=15, startsecs=1, startretries=100,
                            ready_url=f"http://{self.layout.host}:{{port}}/readyz", surge=True)
                    for context in CONTEXTS]
        programs.append(Program("gateway",
                                [self.python, main, "gateway", "--port", "{port}", "--data", str(self.data_dir),
                                 *(["--demo"] if self.demo else [])],
                                numprocs=self.layout.gateways, environment=env, directory=ROOT,
                                port=self.layout.gateway_base(), stopwaitsecs=15, startretries=100,
                                ready_url=f"http://{self.layout.host}:{{port}}/ready", surge=True))
        # TZ=UTC: its log lines' times then read as the services' JSON logs and the drills' stamps do
        programs.append(Program("haproxy", ["haproxy", "-db", "-f", str(self.haproxy_config("{replica}"))],
                                numprocs=HAPROXIES, startretries=100, environment={"TZ": "UTC"}))
        return programs

    def supervisor(self):
        from services.ops.supervisor import Supervisor
        return Supervisor(self.programs(), self.data_dir / "supervisor")


def create_database(dsn: str) -> bool:
    """Create the DSN's database on its server if it is missing; True if it was created."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    params = conninfo_to_dict(dsn)
    name = str(params.get("dbname") or "sikdang")
    with psycopg.connect(make_conninfo(dsn, dbname="postgres"), autocommit=True, connect_timeout=10) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(dsn: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    name = conninfo_to_dict(dsn).get("dbname")
    if not name:
        raise ValueError("The DSN names no database to drop")
    with psycopg.connect(make_conninfo(dsn, dbname="postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(name))))


async def create_stream(nats_url: str, stream: str) -> None:
    import nats

    from services.chain.nats import ensure_stream
    nc = await nats.connect(nats_url, connect_timeout=5, max_reconnect_attempts=3)
    try:
        await ensure_stream(nc.jetstream(), stream)
    finally:
        await nc.close()


def main(argv: list[str]) -> int:
    import argparse
    from services.chain.gateway import default_data_dir
    if argv and argv[0] in ("restart", "scale", "status"):   # operate a running chain (services.chain.control)
        from services.chain.control import main as control
        return control(argv)
    parser = argparse.ArgumentParser(prog="main.py chain", description="Run the whole chain on this machine")
    parser.add_argument("--replicas", type=int, default=2, help=f"replicas per context, 1-{MAX_REPLICAS} (default 2)")
    parser.add_argument("--gateways", type=int, default=1, help="gateway replicas (default 1)")
    parser.add_argument("--port", type=int, default=8080, help="public port (default 8080); the chain uses the next 70")
    parser.add_argument("--data", type=Path, default=None, help="data folder: staff, logs, configs")
    parser.add_argument("--demo", action="store_true",
                        help="a new staff file gets the demo staff (published PINs: for trying it out only)")
    args = parser.parse_args(argv)
    try:
        layout = ChainLayout.at(args.port, args.replicas, args.gateways)
    except ValueError as exc:
        parser.error(str(exc))
    chain = Chain(ChainSettings.from_env(), args.data or default_data_dir(), layout, demo=args.demo)
    try:
        chain.prepare()
    except Exception as exc:  # noqa: BLE001 - one clear line: which part of the machine is missing
        print(f"Sikdang chain cannot start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(f"Sikdang chain on {layout.url} (OpenAPI at /docs): {layout.replicas} replica(s) per context, "
          f"{layout.gateways} gateway(s); database {chain.settings.dsn}, stream {chain.settings.stream} on "
          f"{chain.settings.nats_url}; logs in {chain.data_dir / 'logs'}. Ctrl-C stops it.", flush=True)
    return chain.supervisor().run_foreground()
