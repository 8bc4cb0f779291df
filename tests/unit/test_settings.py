"""The environment is read in one place (services/settings.py), at call time; nothing else in the
product reads it, and no behaviour hangs on Qt's QT_QPA_PLATFORM outside the one display check."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from services import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["services", "pos_app", "kitchen_display", "screens_common", "main.py"]
SETTINGS = "services/settings.py"
# os.environ, os.getenv, "from os import environ, getenv", os.putenv/unsetenv
ENVIRONMENT = re.compile(r"\benviron\b|\b(get|put|unset)env\b")


def _product_files():
    for top in PRODUCT:
        path = ROOT / top
        for file in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
            yield file.relative_to(ROOT).as_posix(), file.read_text(encoding="utf-8")


def test_only_the_settings_module_reads_the_environment():
    readers = [f"{name}:{number}" for name, text in _product_files() if name != SETTINGS
               for number, line in enumerate(text.splitlines(), 1) if ENVIRONMENT.search(line)]
    assert readers == []
    qt_platform = [name for name, text in _product_files()
                   if "QT_QPA_PLATFORM" in text and name != SETTINGS]
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


def test_a_worker_reads_the_wiring_its_parent_hands_it(monkeypatch, tmp_path):
    handed = settings.worker_environment(tmp_path / "shop.sqlite", "/run/writer.sock", b"\x01\xff", 4)
    for name, value in handed.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(settings.WRITER_KEY_FILE, raising=False)
    monkeypatch.delenv(settings.WRITER_WAIT, raising=False)
    assert settings.worker_wiring() == settings.WorkerWiring(
        tmp_path / "shop.sqlite", "/run/writer.sock", b"\x01\xff", settings.DEFAULT_WRITER_WAIT_S, 4)
    monkeypatch.setenv(settings.WRITER_KEY_FILE, str(tmp_path / "writer.key"))
    monkeypatch.setenv(settings.WRITER_WAIT, "2.5")
    wiring = settings.worker_wiring()
    assert (wiring.writer_key, wiring.writer_wait_s) == (tmp_path / "writer.key", 2.5)
    monkeypatch.delenv(settings.WORKER_DB)
    with pytest.raises(RuntimeError, match=settings.WORKER_DB):
        settings.worker_wiring()


def test_the_chain_settings_read_through_the_settings_module(monkeypatch):
    from services.chain.settings import ChainSettings
    monkeypatch.setenv(settings.STREAM, "S2")
    monkeypatch.setenv(settings.FAILPOINT, " relay-after-publish ")
    assert ChainSettings.from_env().stream == "S2"
    assert ChainSettings.from_env({settings.STREAM: "S3"}).stream == "S3"
    assert settings.failpoint() == "relay-after-publish"
