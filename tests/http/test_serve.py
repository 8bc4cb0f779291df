"""``python main.py serve`` as a real process: ready on loopback, serves orders, drains and exits 0 on SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from services.http.server import free_port
from tests.http.conftest import an_item, order_body, sign_in

ROOT = Path(__file__).resolve().parents[2]


def test_main_serve_runs_the_shop_server_and_stops_cleanly(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "serve", "--db", str(tmp_path / "shop.sqlite"),
                             "--port", str(port), "--log-level", "WARNING"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if httpx.get(url + "/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server not ready in 30 s"
            time.sleep(0.1)
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            item = an_item(client, counter)
            assert client.post("/orders", json=order_body(item["code"]), headers=counter).status_code == 201
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        output = proc.stdout.read()
        assert "Traceback" not in output, output
        assert (tmp_path / "shop.staff.sqlite").exists()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
