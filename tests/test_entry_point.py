"""End to end through ``main.py``: the scripted demo day a new user runs first."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_day_prints_every_workflow_on_mypage(tmp_path):
    result = subprocess.run([sys.executable, "main.py", "demo", "--db", str(tmp_path / "demo.sqlite")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "order=placed    cook=cooked       delivery=delivered  gift=sent Candy" in out
    assert "Out of stock: Spicy chicken stir-fry" in out
    assert "customer called to cancel" in out and "CookCancelled" in out and "GiftSendCancelled" in out
    assert "is already cooked and can no longer be cancelled" in out
    assert "Traceback" not in result.stderr and "INFO alembic" not in result.stderr


def test_a_file_that_is_not_a_shop_database_gets_one_clear_line(tmp_path):
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("shopping list: rice, kimchi\n")
    result = subprocess.run([sys.executable, "main.py", "--db", str(not_a_db)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2
    assert "is not a Sikdang POS database" in result.stderr and "Traceback" not in result.stderr
    assert not_a_db.read_text() == "shopping list: rice, kimchi\n", "the file is left as it was"


def test_a_db_path_in_a_missing_folder_is_refused_not_created(tmp_path):
    missing = tmp_path / "typo" / "shop.sqlite"
    result = subprocess.run([sys.executable, "main.py", "--db", str(missing)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2 and "does not exist: check the --db path" in result.stderr
    assert not missing.parent.exists()


def test_without_a_display_the_app_says_so_and_points_to_the_demo(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "s.sqlite")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2 and "no display found" in result.stderr and "./dev demo" in result.stderr


def test_ctrl_c_closes_the_app_cleanly(tmp_path):
    import os
    import signal

    from tests.app_process import wait_until_the_app_is_up
    proc = subprocess.Popen([sys.executable, "main.py", "--db", str(tmp_path / "s.sqlite")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    wait_until_the_app_is_up(proc)       # its SIGINT/SIGTERM handler is installed: the window is up
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
