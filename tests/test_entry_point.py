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
    assert "order=placed    cook=cooked       delivery=delivered  gift=sent 사탕" in out
    assert "Out of stock: Spicy chicken stir-fry" in out
    assert "customer called to cancel" in out and "CookCancelled" in out and "GiftSendCancelled" in out
    assert "is already cooked and can no longer be cancelled" in out
    assert "Traceback" not in result.stderr and "INFO alembic" not in result.stderr


def test_the_korean_demo_day_is_korean_throughout_and_keeps_the_refusals_words(tmp_path):
    """Issue 11 point 6: event names, statuses and customers in Korean, and the refusal says what the
    shop said (it printed a fixed sentence instead of the error)."""
    import os
    import re
    env = {**os.environ, "LC_ALL": "ko_KR.UTF-8", "LANG": "ko_KR.UTF-8"}
    result = subprocess.run([sys.executable, "main.py", "demo", "--db", str(tmp_path / "demo.sqlite")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.replace(str(tmp_path / "demo.sqlite"), "")
    assert "카운터: 김민지 주문 취소 거부: 이미 조리가 끝난 주문은 취소할 수 없습니다." in out
    assert "order=접수" in out and "cook=조리완료" in out and "delivery=배달완료" in out
    for event in ("주문됨", "요리재고체크됨", "조리 시작", "요리완료", "픽업됨", "주문취소됨", "조리 취소됨",
                  "사은품지급취소됨"):
        assert f"  {event}" in out, event
    # the mypage lines' field names stay English for scripts that read them; nothing else does
    english = [line for line in out.splitlines()
               if re.search("[A-Za-z]", re.sub(r"\b(order|cook|delivery|gift)=|식당 POS| x\d", "", line))]
    assert not english, english


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
