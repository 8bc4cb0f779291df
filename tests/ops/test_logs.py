"""JSON log lines from real processes into one folder, read back merged by ``main.py logs``; the order
id carried across a real HTTP call on loopback."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
from fastapi import FastAPI, Request

from services.http.server import ServerThread
from services.ops.logs import (ORDER_HEADER, JsonFormatter, OrderIdMiddleware, order_context, order_event_hooks,
                               order_headers, order_id_from_headers)
from services.ops.logread import Follower

ROOT = Path(__file__).resolve().parents[2]
WRITER = textwrap.dedent("""
    import logging, sys
    from services.ops.logs import configure_logging, order_context
    service, replica, folder, *lines = sys.argv[1:]
    configure_logging(service, replica, folder)
    log = logging.getLogger("services.test")
    for line in lines:
        message, _, order = line.partition("@")
        if order:
            with order_context(int(order)):
                log.info(message)
        else:
            log.info(message)
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed once")
""")


def write(folder: Path, service: str, replica: str, *lines: str) -> None:
    subprocess.run([sys.executable, "-c", WRITER, service, replica, str(folder), *lines], cwd=ROOT, check=True)


def main_logs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "logs", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_every_process_writes_json_lines_into_the_folder(tmp_path):
    write(tmp_path, "ordering", "1", "placed@7", "idle")
    lines = [json.loads(raw) for raw in (tmp_path / "ordering-1.jsonl").read_text().splitlines()]
    assert [ln["message"] for ln in lines] == ["placed", "idle", "failed once"]
    placed, idle, failed = lines
    assert {k: placed[k] for k in ("level", "service", "replica", "order_id", "logger")} == {
        "level": "INFO", "service": "ordering", "replica": "1", "order_id": 7, "logger": "services.test"}
    assert placed["time"].endswith("+00:00") and isinstance(placed["pid"], int)
    assert "order_id" not in idle, "a line about no order has no order id"
    assert failed["level"] == "ERROR" and "ValueError: boom" in failed["exc"]


def test_logs_order_merges_one_orders_lines_from_every_file_in_time_order(tmp_path):
    write(tmp_path, "ordering", "0", "order placed@7", "order placed@8")
    write(tmp_path, "kitchen", "1", "ticket opened@7", "ticket opened@8")
    write(tmp_path, "ordering", "0", "gift sent@7")     # the first file again, later
    (tmp_path / "kitchen-1.jsonl").open("a").write('not json\n{"time": "torn')   # never fatal
    result = main_logs("--log-dir", str(tmp_path), "--order", "7")
    assert result.returncode == 0, result.stderr
    shown = result.stdout.splitlines()
    assert [line.split(" ", 3)[3] for line in shown] == [
        "ordering/0 #7 order placed", "kitchen/1 #7 ticket opened", "ordering/0 #7 gift sent"]
    as_json = [json.loads(line) for line in main_logs("--log-dir", str(tmp_path), "--json").stdout.splitlines()]
    assert len(as_json) == 8 and [ln["time"] for ln in as_json] == sorted(ln["time"] for ln in as_json)


def test_logs_follow_prints_new_lines_of_every_process_as_they_come(tmp_path):
    write(tmp_path, "gift", "0", "before@1")
    follower = subprocess.Popen([sys.executable, "main.py", "logs", "--follow", "--log-dir", str(tmp_path)],
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert "gift/0 #1 before" in follower.stdout.readline()          # the last lines first
        assert "failed once" in follower.stdout.readline()
        write(tmp_path, "delivery", "2", "after@3")             # a new file, after it started
        shown = iter(follower.stdout.readline, "")
        assert next(line for line in shown if "delivery/2" in line).split(" ", 3)[3].strip() == "delivery/2 #3 after"
    finally:
        follower.terminate()
        follower.wait(30)


def test_a_line_still_being_written_waits_for_its_end(tmp_path):
    path = tmp_path / "x-0.jsonl"
    path.write_text("")
    follower = Follower(tmp_path)
    with path.open("a") as f:
        f.write('{"time": "2026-01-01T00:00:00+00:00", "message": "ha')
        f.flush()
        assert follower.poll() == []
        f.write('lf"}\n')
    assert [ln["message"] for ln in follower.poll()] == ["half"]


def test_the_order_id_travels_over_http_and_lands_on_the_servers_lines(tmp_path):
    """A caller inside order_context(5) sends X-Order-Id (httpx hook); the server's middleware puts it
    on every line it logs while handling that request."""
    api = FastAPI()
    log = logging.getLogger("tests.ops.server")
    handler = logging.FileHandler(tmp_path / "svc-0.jsonl")
    handler.setFormatter(JsonFormatter("kitchen", "0"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    @api.post("/commands/OpenTicket")
    async def open_ticket(request: Request):
        log.info("ticket opened")
        return {"seen": request.headers.get(ORDER_HEADER)}

    server = ServerThread(OrderIdMiddleware(api)).start()
    try:
        with httpx.Client(base_url=server.url, event_hooks=order_event_hooks()) as client:
            with order_context(5):
                assert client.post("/commands/OpenTicket").json() == {"seen": "5"}
            assert client.post("/commands/OpenTicket").json() == {"seen": None}
    finally:
        server.stop()
        log.removeHandler(handler)
        handler.close()
    lines = [json.loads(raw) for raw in (tmp_path / "svc-0.jsonl").read_text().splitlines()]
    assert [ln.get("order_id") for ln in lines] == [5, None]


def test_header_helpers():
    assert order_headers(12) == {ORDER_HEADER: "12"} and order_headers() == {}
    with order_context("9"):
        assert order_headers() == {"X-Order-Id": "9"}
    assert order_id_from_headers({"Sikdang-Order-Id": "44"}) == 44
    assert order_id_from_headers({"x-order-id": "nope"}) is None and order_id_from_headers(None) is None
