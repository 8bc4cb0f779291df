"""``main.py`` with printers: a bad printers file stops it with one clear line; the printers commands."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.printing.conftest import printers_config
from tests.printing.fake_printer import free_port
from tests.printing.test_print_service import order, wait_until

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def run_main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_a_bad_printers_file_stops_the_app_with_one_line_naming_it(tmp_path):
    printers = tmp_path / "printers.toml"
    printers.write_text('[[printer]]\nname = "kitchen"\nrole = "kitchen"\nhost = "10.0.0.9"\nport = 99999\n',
                        encoding="utf-8")
    result = run_main("--db", str(tmp_path / "shop.sqlite"), "--printers", str(printers))
    assert result.returncode == 2
    assert "cannot start printing" in result.stderr and str(printers) in result.stderr
    assert "port must be 1-65535" in result.stderr and "Traceback" not in result.stderr


def test_waiting_lists_the_jobs_a_printer_that_is_off_holds(shop, service_factory, tmp_path):
    service = service_factory(printers_config(free_port()))
    placed = order(shop, ("kimchi-jjigae", 1))
    wait_until(lambda: service.waiting() and service.waiting()[0].last_error)
    result = run_main("printers", "waiting", "--state", str(service.state_path))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.split()[:5] == ["kitchen", "order", str(placed), "ticket", "v1"] and "does not answer" in line


def test_preview_shows_the_receipt_and_draws_it(shop, tmp_path):
    placed = order(shop, ("bibimbap", 2))
    printers = tmp_path / "printers.json"
    printers.write_text(json.dumps(printers_config(free_port(), receipt_port=free_port())),
                        encoding="utf-8")
    png = tmp_path / "receipt.png"
    result = run_main("printers", "preview", str(placed), "--db", str(shop.path), "--printers", str(printers),
                      "--png", str(png))
    assert result.returncode == 0, result.stderr
    assert "식당 Sikdang" in result.stdout and "19,000" in result.stdout and png.stat().st_size > 1000
