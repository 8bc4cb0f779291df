"""The key with which a shop server's gateway workers authenticate to the shop process's writer
(``<stem>.run/writer.key``: 64 hex digits, mode 0600, made once and kept across restarts).

It is written to a temporary file beside it, flushed to disk and renamed over the key (``os.replace``),
so a crash while writing leaves the old key or none, never an empty or half-written one: with one, the
shop process listened with a key no worker could read and every worker was refused, in silence. A key
that is damaged all the same (left by an older version) is replaced, and says so in the log.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
KEY_BYTES = 32
_KEY = re.compile(rf"[0-9a-f]{{{2 * KEY_BYTES}}}")


class DamagedKey(ValueError):
    """The key file is there but holds no key (empty, cut short, not hex)."""


def read_writer_key(path: Path) -> bytes:
    """The key in ``path``; FileNotFoundError if there is none, DamagedKey if it is not a whole key."""
    text = Path(path).read_text(encoding="ascii", errors="replace").strip()
    if not _KEY.fullmatch(text):
        raise DamagedKey(f"the writer key {path} holds {len(text)} characters, not the {2 * KEY_BYTES} hex digits "
                         "of a key (a crash while it was written?)")
    return bytes.fromhex(text)


def ensure_writer_key(path: Path) -> bytes:
    """The key in ``path``, made first if there is none or it is damaged (which is logged)."""
    path = Path(path)
    try:
        return read_writer_key(path)
    except FileNotFoundError:
        pass
    except DamagedKey as damaged:
        log.error("%s: making a new one (workers read it again at their next connect)", damaged)
    _write_atomically(path, secrets.token_hex(KEY_BYTES))
    return read_writer_key(path)


def _write_atomically(path: Path, text: str) -> None:
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):   # from a crash between write and rename
        leftover.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")   # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)   # the rename itself survives a power cut
    finally:
        os.close(directory)
