"""``python main.py`` opens the screens on a real database and keeps running (end to end)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_process import wait_until_the_app_is_up

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("screen", ["all", "kitchen"])
def test_main_opens_the_screens_and_keeps_running(tmp_path, screen):
    db = tmp_path / "shop.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "main.py", "--db", str(db), "--screen", screen, "--lang", "ko"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_the_app_is_up(process)
        assert process.poll() is None, process.communicate()[1][-3000:]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr
    assert db.exists()


@pytest.mark.parametrize("screen", ["counter", "kitchen", "delivery", "mypage"])
def test_each_screen_runs_alone(qtbot, shop, screen):
    from pos_app.app import build_shop_app
    built = build_shop_app(shop, screen, "ko")
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        qtbot.waitUntil(lambda: built.events.is_subscribed, timeout=30000)
        if screen == "kitchen":
            assert built.main is None and built.kitchen is not None
        else:
            assert built.kitchen is None and built.main.tabs.count() == 1
            assert getattr(built.main, screen) is not None
    finally:
        built.close()
        from screens_common.i18n import set_language
        set_language("en")
