"""Core benchmark: orders per second end to end on SQLite, against raw durable commits on the same disk.

    python -m benchmarks core [--orders 6000] [--clients 32] [--latency-orders 1000]

1. Baseline: single-row INSERT + COMMIT with sqlite3 directly, same pragmas (WAL, synchronous=FULL).
2. Throughput: ``--clients`` threads place orders through the port until ``--orders`` are placed; the
   clock stops when every order's mypage row shows its kitchen ticket and its gift.
   This disk's fsync rate drifts by tens of percent within a minute, and the baseline is nothing but
   fsyncs, so 1 and 2 alternate over ``--rounds`` rounds (each a share of the commits and orders) and
   the figures are the medians: both sides of the ratio are measured under the same conditions.
3. Latency: one client placing orders one after another (place_order until the receipt).
Ends with one JSON line.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

from services.commands import OrderLine, PlaceOrder
from services.infra.db import DURABLE_PRAGMAS
from services.local import open_local_shop

ITEMS = ("bibimbap", "kimchi-jjigae", "cola", "gimbap", "tteokbokki")


def baseline_commits_per_s(path: Path, commits: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in DURABLE_PRAGMAS:
        conn.execute(pragma)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for i in range(commits):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return commits / elapsed


def order(i: int) -> PlaceOrder:
    return PlaceOrder(lines=(OrderLine(ITEMS[i % len(ITEMS)], 1 + i % 2, "mild" if i % 3 else ""),
                             OrderLine("cola", 1)),
                      customer_name=f"Guest {i}", phone=f"010-{1000 + i % 9000:04d}-{i % 10000:04d}",
                      address=f"{i} Sejong-daero, Seoul")


def open_stocked_shop(path: Path, orders: int):
    """A shop with stock and gifts for every order the run will place (cola is on every one)."""
    shop = open_local_shop(path, scheduler=False)
    for code in ITEMS:
        for _ in range(orders * 2 // 10_000 + 1):  # at most 10,000 units per restock
            shop.restock(code, 10_000)
    shop.set_gift_stock(min(100_000, orders + 1000))
    return shop


def throughput(shop, db_path: Path, orders: int, clients: int, already_placed: int = 0) -> float:
    receipts: list = []
    lock = threading.Lock()
    counter = iter(range(already_placed, already_placed + orders))

    def client() -> None:
        mine = []
        for i in counter:  # iterators are thread-safe enough under the GIL for next()
            mine.append(shop.place_order(order(i)))
        with lock:
            receipts.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    complete = sagas_complete(db_path) - already_placed
    elapsed = time.perf_counter() - start
    if complete != orders or len(receipts) != orders:
        raise SystemExit(f"only {complete} of {orders} orders completed their saga")
    return orders / elapsed


def sagas_complete(db_path: Path) -> int:
    """Orders whose mypage row shows their kitchen ticket and their gift (read as another process would)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM mypage WHERE cook_status = 'queued' AND gift_status = 'sent'"
                            ).fetchone()[0]
    finally:
        conn.close()


def latency_ms(shop, orders: int) -> list[float]:
    samples = []
    for i in range(orders):
        start = time.perf_counter()
        shop.place_order(order(i))
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _share(total: int, rounds: int, n: int) -> int:
    """Round ``n``'s share of ``total``: the shares add up to it exactly."""
    return total // rounds + (n < total % rounds)


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks core")
    parser.add_argument("--orders", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--latency-orders", type=int, default=1000)
    parser.add_argument("--baseline-commits", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 10), metavar="1-9",
                        help="alternating baseline/throughput rounds")
    parser.add_argument("--dir", type=Path, default=None, help="where the databases go (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        directory = Path(tmp)
        shop = open_stocked_shop(directory / "shop.sqlite", args.orders + args.latency_orders)
        baselines, rates, placed = [], [], 0
        try:
            for n in range(args.rounds):
                baselines.append(baseline_commits_per_s(directory / f"baseline{n}.sqlite",
                                                        _share(args.baseline_commits, args.rounds, n)))
                orders = _share(args.orders, args.rounds, n)
                rates.append(throughput(shop, directory / "shop.sqlite", orders, args.clients, placed))
                placed += orders
                print(f"round {n + 1}: baseline {baselines[-1]:,.0f} single-row commits/s (WAL, synchronous=FULL), "
                      f"end to end {rates[-1]:,.0f} orders/s ({orders} orders, {args.clients} clients)")
            samples = latency_ms(shop, args.latency_orders)
        finally:
            shop.close()
    baseline, rate = statistics.median(baselines), statistics.median(rates)
    print(f"baseline: {baseline:,.0f} commits/s; end to end: {rate:,.0f} orders/s (medians of {args.rounds} rounds)")
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    print(f"place_order latency, one client: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(f"ratio orders/s : baseline commits/s = {rate / baseline:.2f}")
    print(json.dumps({"orders_per_s": round(rate, 1), "baseline_commits_per_s": round(baseline, 1),
                      "ratio": round(rate / baseline, 3), "place_order_p50_ms": round(p50, 3),
                      "place_order_p99_ms": round(p99, 3)}))
    return 0
