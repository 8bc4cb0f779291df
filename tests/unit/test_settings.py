"""The environment is read in one place (services/settings.py), at call time; nothing else in the
product reads it, and no behaviour hangs on Qt's QT_QPA_PLATFORM outside the one display check."""
from __future__ import annotations

import re
from pathlib import Path

from services import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["services", "pos_app", "kitchen_display", "screens_common", "main.py"]
# a parent process handing its own children their wiring (not configuration), and the chain's own settings
HANDOFF = {"services/settings.py", "services/http/workers.py", "services/http/server.py", "services/ops/serve.py"}


def _product_files():
    for top in PRODUCT:
        path = ROOT / top
        for file in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
            relative = file.relative_to(ROOT).as_posix()
            if not relative.startswith("services/chain/"):
                yield relative, file.read_text(encoding="utf-8")


def test_only_the_settings_module_reads_the_environment():
    readers = [name for name, text in _product_files()
               if name not in HANDOFF and re.search(r"os\.environ|os\.getenv|getenv\(", text)]
    assert readers == []
    qt_platform = [name for name, text in _product_files()
                   if "QT_QPA_PLATFORM" in text and name != "services/settings.py"]
    assert qt_platform == []


def test_settings_are_read_when_asked(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.MAX_IN_FLIGHT, raising=False)
    assert settings.max_in_flight() == 32
    monkeypatch.setenv(settings.MAX_IN_FLIGHT, "8")
    assert settings.max_in_flight() == 8
    monkeypatch.setenv(settings.PRINT_DIR, str(tmp_path))
    assert settings.print_dir_setting() == tmp_path
    monkeypatch.setenv(settings.STAFF, "counter")
    monkeypatch.setenv(settings.PIN, " 1111 ")
    assert settings.staff_pin() == ("counter", "1111")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert settings.system_is_korean()


def test_no_display_only_when_qt_would_look_for_one(monkeypatch):
    import sys
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not settings.no_display()
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert settings.no_display()
    monkeypatch.setenv("DISPLAY", ":0")
    assert not settings.no_display()
