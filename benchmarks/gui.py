"""GUI benchmark: ``python -m benchmarks gui [--orders N] [--tickets N]``; the last line is JSON.

- order_to_kds_p50/p99_ms: an order placed at the port (from another thread, as a second terminal
  would) until its card is in the kitchen display's model and painted. Every screen is open (the
  default ``python main.py``), and after each order an older ticket is bumped, so the kitchen,
  delivery board and counter are all updating too.
- kds_300_tickets_update_ms: with 300 open tickets, the GUI-thread time of one update (patch the
  model from a fresh ``kitchen_tickets()``, recount all-day, lay out and synchronously repaint the
  board); median of 20.
- cold_start_s: a fresh process from launch to its first painted window, on a new database.
- rss_mb: resident memory of this process with 300 open tickets on the display.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SIKDANG_PRINT_DIR", tempfile.gettempdir())
ROOT = Path(__file__).resolve().parents[1]


class _PaintWatch(dict):
    """The delegate's ``painted_at``: records the first paint of each order and wakes the waiter."""

    def __init__(self) -> None:
        super().__init__()
        self.events: dict[int, threading.Event] = {}
        self.lock = threading.Lock()

    def event_for(self, order_id: int) -> threading.Event:
        with self.lock:
            return self.events.setdefault(order_id, threading.Event())

    def __setitem__(self, order_id: int, at: float) -> None:
        super().__setitem__(order_id, at)
        self.event_for(order_id).set()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_until(app, done: threading.Event, timeout_s: float) -> None:
    """Run the GUI event loop (idle between events, as in the app) until ``done`` is set."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop, deadline = QEventLoop(), time.monotonic() + timeout_s
    check = QTimer(interval=20)
    check.timeout.connect(lambda: loop.quit() if done.is_set() or time.monotonic() > deadline else None)
    check.start()
    loop.exec()
    check.stop()
    if not done.is_set():
        raise TimeoutError("benchmark step did not finish in time")


def measure_cold_start() -> float:
    with tempfile.TemporaryDirectory() as folder:
        probe = [sys.executable, "-m", "benchmarks.gui", "--cold-start-probe", str(Path(folder) / "s.sqlite")]
        started = time.perf_counter()
        child = subprocess.run(probe, cwd=ROOT, capture_output=True, text=True, timeout=60,
                               env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
        elapsed = time.perf_counter() - started
        if "PAINTED" not in child.stdout:
            raise RuntimeError(f"cold start probe failed: {child.stderr[-2000:]}")
        return elapsed


def cold_start_probe(db_path: Path) -> int:
    """Child process: open the shop and every screen, exit at the first paint of the main window."""
    from PySide6.QtCore import QEvent, QObject
    from pos_app.app import build_shop_app
    from services.local import open_local_shop
    shop = open_local_shop(db_path)
    built = build_shop_app(shop, "all", "en")

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("PAINTED", flush=True)
                os._exit(0)       # the measurement ends here; skip an orderly teardown
            return False
    probe = FirstPaint()
    built.main.installEventFilter(probe)
    built.show(kitchen_full_screen=False)
    from PySide6.QtWidgets import QApplication
    return QApplication.instance().exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks gui", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200, help="orders timed from port to painted card")
    parser.add_argument("--tickets", type=int, default=300, help="open tickets for the update figure")
    parser.add_argument("--gap-ms", type=int, default=60, help="pause between timed orders")
    parser.add_argument("--cold-start-probe", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_start_probe:
        return cold_start_probe(args.cold_start_probe)

    from PySide6.QtWidgets import QApplication
    from pos_app.app import build_shop_app
    from services.commands import OrderLine, PlaceOrder
    from services.local import open_local_shop

    cold_start_s = measure_cold_start()
    print(f"cold start: {cold_start_s:.2f} s (fresh process, new database, to first painted window)")

    with tempfile.TemporaryDirectory() as folder:
        from pos_app.app import isolate_settings
        isolate_settings(Path(folder) / "settings")
        shop = open_local_shop(Path(folder) / "bench.sqlite")
        try:
            for item in shop.menu():
                shop.restock(item.code, 5_000)
            item = shop.menu()[0].code
            built = build_shop_app(shop, "all", "en")
            app = QApplication.instance()
            built.show(kitchen_full_screen=False)
            kitchen = built.kitchen
            kitchen.resize(1600, 900)
            while not built.events.is_subscribed:     # the live feed is up before we time it
                app.processEvents()
                time.sleep(0.005)
            watch = _PaintWatch()
            kitchen.delegate.painted_at = watch
            # the counter's list of today's orders, for a second figure: every screen is live too
            on_counter = _PaintWatch()
            orders = built.main.counter.orders
            orders.rowsInserted.connect(lambda _parent, first, last: [
                on_counter.__setitem__(orders.row_at(row).order_id, time.perf_counter())
                for row in range(first, last + 1)])

            # 1. latency: one order at a time from another thread; keep the board to a few cards
            latencies: list[float] = []
            place_calls: list[float] = []      # how much of it is the core's own place_order call
            counter_latencies: list[float] = []
            failures: list[BaseException] = []
            done = threading.Event()

            def place_orders() -> None:
                try:
                    placed: list[int] = []
                    for _ in range(args.orders):
                        started = time.perf_counter()
                        order_id = shop.place_order(PlaceOrder((OrderLine(item, 1),))).order_id
                        place_calls.append((time.perf_counter() - started) * 1000)
                        if not watch.event_for(order_id).wait(5):
                            raise TimeoutError(f"order {order_id} never painted on the kitchen display")
                        latencies.append((watch[order_id] - started) * 1000)
                        if on_counter.event_for(order_id).wait(5):
                            counter_latencies.append((on_counter[order_id] - started) * 1000)
                        placed.append(order_id)
                        if len(placed) > 8:
                            shop.finish_cooking(placed.pop(0))
                        # let the bump's own updates (kitchen, delivery board, counter) settle, so each
                        # sample is one order's latency on a live shop rather than a queue behind a flood
                        time.sleep(args.gap_ms / 1000)
                    for order_id in placed:
                        shop.finish_cooking(order_id)
                except BaseException as exc:  # reported below; the GUI loop must still stop
                    failures.append(exc)
                finally:
                    done.set()

            worker = threading.Thread(target=place_orders, name="bench-orders")
            worker.start()
            _run_until(app, done, 300)
            worker.join()
            if failures:
                raise failures[0]
            p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
            print(f"order -> painted card: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms "
                  f"over {len(latencies)} orders")
            print(f"  of which the core's place_order call: p50 {statistics.median(place_calls):.1f} ms, "
                  f"p99 {_percentile(place_calls, 0.99):.1f} ms")
            print(f"order -> row in the counter's today's orders: p50 {statistics.median(counter_latencies):.1f} ms, "
                  f"p99 {_percentile(counter_latencies, 0.99):.1f} ms")

            # 2. one update with N open tickets
            filled = threading.Event()
            threading.Thread(target=lambda: ([shop.place_order(PlaceOrder((OrderLine(item, 1),)))
                                              for _ in range(args.tickets)], filled.set())).start()
            _run_until(app, filled, 300)
            deadline = time.monotonic() + 30
            while kitchen.model.rowCount() < args.tickets and time.monotonic() < deadline:
                _run_until(app, _timer_event(0.05), 5)
            open_ids = [t.order_id for t in kitchen.model.tickets()]
            updates: list[float] = []
            for step in range(20):
                shop.start_cooking(open_ids[step])        # one ticket changes, as in a real service
                fetched = kitchen._fetch_tickets()         # fetched off the GUI thread in the app too
                started = time.perf_counter()
                kitchen._apply_tickets(fetched.value)    # what the app does with a fetch result
                kitchen._refresh_all_day()                # the deferred all-day recount
                kitchen.board.doItemsLayout()             # the view's deferred layout
                kitchen.board.viewport().repaint()
                updates.append((time.perf_counter() - started) * 1000)
            update_ms = statistics.median(updates)
            print(f"update with {kitchen.model.rowCount()} open tickets: median {update_ms:.2f} ms, "
                  f"max {max(updates):.2f} ms (patch, all-day recount, layout, synchronous repaint; GUI thread)")
            rss_mb = _rss_mb()
            print(f"RSS with {kitchen.model.rowCount()} open tickets and every screen open: {rss_mb:.0f} MB")
            built.close()
        finally:
            shop.close()

    print(json.dumps({"order_to_kds_p50_ms": round(p50, 2), "order_to_kds_p99_ms": round(p99, 2),
                      "kds_300_tickets_update_ms": round(update_ms, 2), "cold_start_s": round(cold_start_s, 3),
                      "rss_mb": round(rss_mb, 1)}))
    return 0


def _timer_event(seconds: float) -> threading.Event:
    event = threading.Event()
    threading.Timer(seconds, event.set).start()
    return event


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
