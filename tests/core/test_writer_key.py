"""The shop server's writer key (``writer.key``): made once, atomically, mode 0600; a damaged one is
replaced and logged; a worker whose key is refused or unreadable says so in the log.

A real process is killed for real while it writes the key, at the worst moment (written, not yet
renamed): what it leaves must not be a key file that locks every worker out."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from services.infra.writer_key import DamagedKey, ensure_writer_key, read_writer_key
from services.infra.writer_link import WriterLink
from services.local import LocalShop
from tests.contract.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_the_key_is_made_once_readable_by_this_user_only(tmp_path):
    key = ensure_writer_key(tmp_path / "writer.key")
    assert len(key) == 32 and ensure_writer_key(tmp_path / "writer.key") == key
    assert stat.S_IMODE(os.stat(tmp_path / "writer.key").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["writer.key"]


@pytest.mark.parametrize("left", ["", "3fa9", "not a key at all"])
def test_a_damaged_key_is_replaced_and_logged(tmp_path, caplog, left):
    path = tmp_path / "writer.key"
    path.write_text(left)
    with pytest.raises(DamagedKey, match="hex digits"):
        read_writer_key(path)
    with caplog.at_level(logging.ERROR, logger="services.infra.writer_key"):
        key = ensure_writer_key(path)
    assert len(key) == 32 and read_writer_key(path) == key
    assert "not the 64 hex digits" in caplog.text and "making a new one" in caplog.text


def test_a_process_killed_while_writing_the_key_leaves_no_damaged_key(tmp_path):
    path = tmp_path / "writer.key"
    crash = ("import os, signal, sys\n"
             "from services.infra.writer_key import ensure_writer_key\n"
             "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)   # dies with the key written, not renamed\n"
             "ensure_writer_key(sys.argv[1])\n")
    done = subprocess.run([sys.executable, "-c", crash, str(path)], cwd=ROOT, timeout=60)
    assert done.returncode == -9
    assert not path.exists()                         # no key rather than a broken one
    key = ensure_writer_key(path)                    # the next start makes one, and clears the leftover
    assert read_writer_key(path) == key and [p.name for p in tmp_path.iterdir()] == ["writer.key"]


def test_a_worker_with_the_wrong_key_says_so_and_so_does_the_writer(tmp_path, caplog):
    owner = LocalShop(tmp_path / "shop.sqlite")
    service = owner.share_writer(authkey=ensure_writer_key(tmp_path / "writer.key"))
    wrong = tmp_path / "other.key"
    ensure_writer_key(wrong)
    try:
        with caplog.at_level(logging.ERROR):
            link = WriterLink(service.address, lambda: read_writer_key(wrong), reconnect_wait_s=5)
            wait_until(lambda: "refused this process's key" in caplog.text
                       and "offered the writer a wrong key" in caplog.text, timeout=30)
            assert not link.connected
            wrong.write_text("")                      # and a damaged key file on the worker's side
            wait_until(lambda: "cannot read the key" in caplog.text, timeout=30)
            refusals = [r for r in caplog.records if "refused this process's key" in r.getMessage()]
            assert len(refusals) == 1, "logged once while it lasts, not at every retry"
            link.close()
    finally:
        owner.close()
