"""``python main.py`` opens the screens on a real database and keeps running (end to end)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("screen", ["all", "kitchen"])
def test_main_opens_the_screens_and_keeps_running(tmp_path, screen):
    db = tmp_path / "shop.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "main.py", "--db", str(db), "--screen", screen, "--lang", "ko"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(4)
        assert process.poll() is None, process.communicate()[1][-3000:]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr
    assert db.exists()
