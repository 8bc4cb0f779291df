"""Reading the log folder back: every file merged in time order, one order's lines, or following
them all as they are written (``python main.py logs [--follow] [--order ID]``)."""
from __future__ import annotations

import heapq
import json
import time
from pathlib import Path
from collections.abc import Callable, Iterator

PATTERN = "*.jsonl"


def _parse(raw: bytes) -> dict | None:
    try:
        line = json.loads(raw)
    except ValueError:
        return None          # a foreign or torn line: skipped, never fatal
    return line if isinstance(line, dict) and "time" in line else None


def _lines(path: Path) -> Iterator[dict]:
    with open(path, "rb") as f:
        for raw in f:
            if raw.endswith(b"\n") and (line := _parse(raw)) is not None:
                yield line


def _key(line: dict) -> str:
    return str(line["time"])   # ISO-8601 in UTC, one format for every writer: sorts as text


def matches(line: dict, order_id: int | None) -> bool:
    return order_id is None or line.get("order_id") == order_id


def merged(folder: Path, order_id: int | None = None) -> Iterator[dict]:
    """Every line of every file in the folder, oldest first (only ``order_id``'s, if given)."""
    files = sorted(Path(folder).glob(PATTERN))
    if order_id is not None:   # few lines: gather and sort exactly
        yield from sorted((ln for f in files for ln in _lines(f) if matches(ln, order_id)), key=_key)
        return
    # Each file is in time order (lines of one file's processes may be a few microseconds apart)
    yield from heapq.merge(*(_lines(f) for f in files), key=_key)


class Follower:
    """Reads what was appended to the folder's files since the last call, new files included."""

    def __init__(self, folder: Path, from_start: bool = False) -> None:
        self.folder = Path(folder)
        self.offsets: dict[Path, int] = {}
        if not from_start:
            for path in self.folder.glob(PATTERN):
                self.offsets[path] = path.stat().st_size

    def poll(self) -> list[dict]:
        """New complete lines, in time order."""
        new: list[dict] = []
        for path in sorted(self.folder.glob(PATTERN)):
            offset = self.offsets.get(path, 0)
            try:
                size = path.stat().st_size
                if size < offset:            # truncated or replaced (logrotate): start it again
                    offset = 0
                if size == offset:
                    continue
                with open(path, "rb") as f:
                    f.seek(offset)
                    chunk = f.read(size - offset)
            except FileNotFoundError:
                continue
            complete = chunk[:chunk.rfind(b"\n") + 1]   # a line still being written waits for its end
            self.offsets[path] = offset + len(complete)
            new += [line for raw in complete.splitlines() if (line := _parse(raw)) is not None]
        return sorted(new, key=_key)


def follow(folder: Path, order_id: int | None = None, *, last: int | None = None, poll_s: float = 0.2,
           keep_going: Callable[[], bool] = lambda: True) -> Iterator[dict]:
    """The lines already there (only the ``last`` ones, if given), then new ones as they are written,
    forever (or while ``keep_going()``). One reader for both, so no line is missed or shown twice."""
    follower = Follower(folder, from_start=True)
    past = [line for line in follower.poll() if matches(line, order_id)]
    yield from (past[-last:] if last else past)
    while keep_going():
        yield from (line for line in follower.poll() if matches(line, order_id))
        time.sleep(poll_s)


def human(line: dict) -> str:
    """``17:20:01.123 INFO  ordering/1 #12 message`` (the date is left out; --json keeps everything)."""
    clock = str(line.get("time", ""))[11:23]
    order = f" #{line['order_id']}" if line.get("order_id") is not None else ""
    text = f"{clock} {line.get('level', ''):<5} {line.get('service', '?')}/{line.get('replica', '?')}{order} " \
           f"{line.get('message', '')}"
    return text + ("\n" + line["exc"] if line.get("exc") else "")


def run(folder: Path, *, order_id: int | None, follow_: bool, as_json: bool, lines: int,
        out=None) -> int:
    """``main.py logs``: print the folder's lines; ``follow_``: the last ``lines`` (all of an order's),
    then new ones as they come, until interrupted."""
    import sys
    out = out or sys.stdout
    folder = Path(folder)
    if not folder.is_dir():
        print(f"no log folder at {folder} (set SIKDANG_LOG_DIR or --log-dir)", file=sys.stderr)
        return 2
    show = (lambda ln: json.dumps(ln, ensure_ascii=False)) if as_json else human
    try:
        if follow_:
            for line in follow(folder, order_id, last=lines if order_id is None else None):
                print(show(line), file=out, flush=True)
        else:
            for line in merged(folder, order_id):
                print(show(line), file=out)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    return 0
