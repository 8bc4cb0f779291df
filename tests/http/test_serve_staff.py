"""A real shop's server has no well-known PINs: ``main.py serve`` adds the demo staff only with
``--demo``, says how to add the first manager, and ``main.py staff add`` does it (real processes)."""
from __future__ import annotations

import subprocess
import sys

import httpx

from tests.http.serve_process import ROOT, serve_process


def _sign_in(url: str, staff_id: str, pin: str) -> int:
    return httpx.post(url + "/auth/sign-in", json={"staffId": staff_id, "pin": pin}, timeout=30).status_code


def _add_staff(db, *args: str, pin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "staff", "add", *args, "--db", str(db)], cwd=ROOT,
                          input=pin + "\n", capture_output=True, text=True, timeout=120)


def test_serve_without_demo_has_no_demo_pins_and_says_how_to_add_the_manager(tmp_path):
    with serve_process(tmp_path, demo=False) as (proc, url):
        assert _sign_in(url, "manager", "9999") == 401
        added = _add_staff(tmp_path / "shop.sqlite", "manager", "--role", "manager", "--name", "최지훈", pin="483920")
        assert added.returncode == 0, added.stdout + added.stderr
        assert "Added manager (manager)" in added.stdout
        assert _sign_in(url, "manager", "483920") == 200     # the running server reads the staff file
        assert _sign_in(url, "counter", "1111") == 401
        proc.kill()
        said = proc.communicate(timeout=30)[0]
    assert "No staff yet" in said and "main.py staff add manager --role manager" in said and "--demo" in said


def test_staff_add_refuses_a_bad_pin_and_role_naming_what_is_wrong(tmp_path):
    short = _add_staff(tmp_path / "shop.sqlite", "kim", "--role", "counter", "--name", "Kim", pin="12")
    assert short.returncode == 2 and "PIN must be 4-12 digits" in short.stdout
    role = _add_staff(tmp_path / "shop.sqlite", "kim", "--role", "boss", "--name", "Kim", pin="1234")
    assert role.returncode == 2 and "invalid choice: 'boss'" in role.stderr


def test_serve_with_demo_has_the_demo_staff(tmp_path):
    with serve_process(tmp_path) as (_, url):
        assert _sign_in(url, "manager", "9999") == 200
