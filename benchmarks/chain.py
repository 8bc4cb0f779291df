"""Chain benchmark: orders placed through the chain's gateway until mypage shows their ticket and gift.

    python -m benchmarks chain [--duration 10] [--connections 32] [--replicas 1]

Starts a whole chain with ``main.py chain``'s own launch code (a fresh database on the local
PostgreSQL, a private nats-server on a free port, HAProxy, the services and the gateway under
supervisord), then:
1. baselines, in the same run: single-row durable commits on one connection to the same PostgreSQL
   (``pg_commit_baseline_per_s``), and JetStream publish-and-wait-for-ack on one connection to the same
   nats-server (``nats_ack_baseline_per_s``);
2. load: ``--connections`` clients POST /orders (counter token, a unique clientRef each) through the
   public port for ``--duration`` seconds. An order's saga is done when mypage has committed both its
   StockChecked and its GiftSent: the benchmark follows the stream for those events' sequences and the
   mypage consumer's ack floor (mypage acks an event only after its own transaction commits), so the
   measurement adds no requests of its own;
3. CPU per order per process, from /proc (utime+stime) before and after. "postgres" counts every
   PostgreSQL backend on the machine: the server is shared, so other work there is counted too.
Ends with one JSON line (issue 12's keys, plus the baselines; "gateway" is the Python gateway,
"haproxy" the balancer in front of it and of the services). ``SIKDANG_BENCH_PROFILE=FOLDER`` records
each Python process with py-spy (if installed) during the load, a file of raw folded stacks each.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from services.chain.settings import CONTEXTS, ChainSettings

PG = "postgresql://postgres@127.0.0.1:5432/"
TICKS = os.sysconf("SC_CLK_TCK")
NAMES = {"ordering": "order", "kitchen": "kitchen", "gift": "gift", "delivery": "delivery", "mypage": "mypage",
         "payments": "payments"}


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])      # utime, stime
        except (OSError, IndexError):
            pass
    return total / TICKS


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-f", "^postgres"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def pg_commit_baseline(dsn: str, seconds: float) -> float:
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY, at double precision)")
        n, end = 0, time.monotonic() + seconds
        while time.monotonic() < end:
            conn.execute("INSERT INTO bench_commits (at) VALUES (%s)", (time.time(),))   # one durable commit each
            n += 1
        conn.execute("DROP TABLE bench_commits")
    return n / seconds


async def nats_ack_baseline(url: str, seconds: float) -> float:
    import nats
    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name="BENCHACKS", subjects=["benchacks.>"])
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        await js.publish("benchacks.x", b"{}", headers={"Nats-Msg-Id": uuid.uuid4().hex})
        n += 1
    await js.delete_stream("BENCHACKS")
    await nc.close()
    return n / seconds


class SagaWatch:
    """When mypage has committed each order's StockChecked and GiftSent, from the stream alone."""

    def __init__(self, url: str, stream: str) -> None:
        self.url, self.stream = url, stream
        self.needed: dict[int, dict[str, int]] = {}   # order id -> event name -> stream sequence
        self.done_at: dict[int, float] = {}

    async def run(self, stop: asyncio.Event) -> None:
        import nats
        from nats.js import api
        nc = await nats.connect(self.url)
        js = nc.jetstream()
        prefix = self.stream.lower()

        async def on_message(msg):
            body = json.loads(msg.data)
            if body["name"] in ("StockChecked", "GiftSent"):
                self.needed.setdefault(body["order_id"], {})[body["name"]] = msg.metadata.sequence.stream
        sub = await js.subscribe(f"{prefix}.>", stream=self.stream, ordered_consumer=True, cb=on_message,
                                 config=api.ConsumerConfig(deliver_policy=api.DeliverPolicy.NEW))
        while not stop.is_set():
            floor = (await js.consumer_info(self.stream, "mypage")).ack_floor.stream_seq
            now = time.monotonic()
            for order_id, seqs in self.needed.items():
                if order_id not in self.done_at and len(seqs) == 2 and max(seqs.values()) <= floor:
                    self.done_at[order_id] = now
            await asyncio.sleep(0.005)
        await sub.unsubscribe()
        await nc.close()


async def load(url: str, connections: int, seconds: float, watch: SagaWatch) -> dict:
    # aiohttp, not httpx: the load shares the machine's cores with the chain, and httpx's async client
    # spends about twenty times the CPU per request at 32 at once (docs/chain.md, "Benchmark").
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as client:
        async with client.post("/auth/sign-in", json={"staffId": "counter", "pin": "1111"}) as r:
            token = (await r.json())["token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        placed: dict[int, float] = {}
        errors = 0
        end = time.monotonic() + seconds

        async def till():
            nonlocal errors
            while time.monotonic() < end:
                body = {"lines": [{"itemCode": "bibimbap", "quantity": 1, "note": ""}], "customerName": "Bench",
                        "phone": "010-1234-5678", "address": "1 Bench-ro", "clientRef": uuid.uuid4().hex}
                start = time.monotonic()
                try:
                    async with client.post("/orders", data=json.dumps(body), headers=headers) as r:
                        status, answer = r.status, await r.json()
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                    continue
                if status == 201 and answer["status"] in ("placed", "checking"):
                    placed[answer["orderId"]] = start
                else:
                    errors += 1
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch.run(stop))
        began = time.monotonic()
        await asyncio.gather(*(till() for _ in range(connections)))
        elapsed = time.monotonic() - began
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(o in watch.done_at for o in placed):
            await asyncio.sleep(0.05)
        stop.set()
        await watcher
    sagas = sorted((watch.done_at[o] - t) * 1000 for o, t in placed.items() if o in watch.done_at)
    errors += len(placed) - len(sagas)          # a saga not done within a minute counts as an error
    return {"orders": len(placed), "elapsed": elapsed, "sagas": sagas, "errors": errors}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks chain")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--replicas", type=int, default=1)
    args = parser.parse_args(argv)
    from services.chain.launch import Chain, ChainLayout, drop_database
    from services.chain.launch_private import NatsServer, answers, wait_for
    folder = Path(tempfile.mkdtemp(prefix="sikdang-bench-chain-"))
    (folder / "nats").mkdir()
    nats_server = NatsServer(folder / "nats").start()
    name = f"bench{uuid.uuid4().hex[:8]}"
    chain = Chain(ChainSettings(dsn=PG + f"sikdang_{name}", nats_url=nats_server.url, stream=name.upper()),
                  folder / "data", ChainLayout.free(replicas=args.replicas), demo=True)
    supervisor = None
    try:
        chain.prepare()
        supervisor = chain.supervisor().start()
        urls = [f"{chain.layout.url}/ready", *(f"{u}/readyz" for u in chain.settings.service_urls.values())]
        wait_for(lambda: all(answers(u) for u in urls), 180, 0.25, "the chain ready")
        from services.chain.gateway_shop import ChainShop
        shop = ChainShop(chain.settings)
        shop.restock("bibimbap", 10_000)
        shop.set_gift_stock(100_000, "Candy")
        shop.close()
        pg_baseline = pg_commit_baseline(chain.settings.dsn, 3.0)
        nats_baseline = asyncio.run(nats_ack_baseline(nats_server.url, 3.0))

        info = supervisor.info()
        pids = {NAMES[c]: [p["pid"] for n, p in info.items() if n.startswith(c + "-")] for c in CONTEXTS}
        pids["gateway"] = [p["pid"] for n, p in info.items() if n.startswith("gateway-")]
        pids["haproxy"] = [p["pid"] for n, p in info.items() if n.startswith("haproxy-")]
        pids["nats"] = [nats_server.process.pid]
        pids["postgres"] = postgres_pids()
        cpu_before = {k: cpu_seconds(v) for k, v in pids.items()}
        commits_before = _pg_commits(chain.settings.dsn)
        last_seq_before = asyncio.run(_last_seq(nats_server.url, chain.settings.stream))
        if os.environ.get("SIKDANG_BENCH_PROFILE"):   # py-spy over each Python process while the load runs
            _profile(Path(os.environ["SIKDANG_BENCH_PROFILE"]), pids, args.duration)
        watch = SagaWatch(nats_server.url, chain.settings.stream)
        result = asyncio.run(load(chain.layout.url, args.connections, args.duration, watch))
        cpu = {k: cpu_seconds(v) - cpu_before[k] for k, v in pids.items()}
        commits = _pg_commits(chain.settings.dsn) - commits_before
        acks = asyncio.run(_last_seq(nats_server.url, chain.settings.stream)) - last_seq_before
    finally:
        if supervisor is not None:
            supervisor.close()
        nats_server.stop()
        drop_database(chain.settings.dsn)
    orders, elapsed, sagas = result["orders"], result["elapsed"], result["sagas"]
    q = statistics.quantiles(sagas, n=100) if len(sagas) >= 2 else [0.0] * 99
    print(f"chain, {args.replicas} replica(s) per context, {args.connections} clients, {elapsed:.1f} s: "
          f"{orders} orders, baselines: {pg_baseline:.0f} PostgreSQL commits/s, {nats_baseline:.0f} JetStream acks/s",
          file=sys.stderr)
    print(json.dumps({
        "orders_per_s": round(orders / elapsed, 1), "saga_p50_ms": round(q[49], 1), "saga_p99_ms": round(q[98], 1),
        "errors": result["errors"], "pg_commits_per_s": round(commits / elapsed, 1),
        "nats_acks_per_s": round(acks / elapsed, 1),
        "cpu_us_per_order": {k: round(v / max(orders, 1) * 1e6) for k, v in cpu.items()},
        "pg_commit_baseline_per_s": round(pg_baseline, 1), "nats_ack_baseline_per_s": round(nats_baseline, 1),
    }))
    return 0


def _profile(folder: Path, pids: dict[str, list[int]], seconds: float) -> None:
    """py-spy (if installed) over each Python process for ``seconds``: what holds the GIL, as raw folded stacks."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, group in pids.items():
        if name in ("haproxy", "nats", "postgres"):
            continue
        for pid in group:
            subprocess.Popen(["py-spy", "record", "-d", str(int(seconds)), "-r", "50", "--gil", "-f", "raw",
                              "-o", str(folder / f"{name}-{pid}.txt"), "-p", str(pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _pg_commits(dsn: str) -> int:
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


async def _last_seq(url: str, stream: str) -> int:
    import nats
    nc = await nats.connect(url)
    try:
        return (await nc.jetstream().stream_info(stream)).state.last_seq
    finally:
        await nc.close()
