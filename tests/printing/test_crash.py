"""The print service as a real process (``main.py printers run``), SIGKILLed in the middle of a job.

Killed while the printer is being asked whether it is ready (the job recorded, none of it sent): after
a restart the ticket prints exactly once. Killed after the printer has the job's bytes but before it
was seen to finish reading them (the window raw TCP cannot close, docs/printing.md): with a printer
that reports its cut counter, once; without one, the ticket is not lost, and the second copy says it
may repeat the first.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.printing.jobs import PRINTING, WAITING, JobStore
from tests.printing.conftest import printers_config
from tests.printing.escpos_reader import read_escpos, texts
from tests.printing.test_print_service import order, wait_until

MAIN = Path(__file__).resolve().parents[2] / "main.py"


class PrintProcess:
    def __init__(self, db: Path, printers: Path, state: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(MAIN), "printers", "run", "--db", str(db), "--printers", str(printers),
             "--state", str(state)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        line = self.proc.stdout.readline()   # printed once it follows the feed: the signal it is ready
        assert line.startswith("printing for"), f"print process did not start: {line!r}"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=60)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            assert self.proc.wait(timeout=60) == 0


@pytest.fixture
def files(tmp_path, printer):
    return write_files(tmp_path, printers_config(printer.port))


def write_files(tmp_path: Path, config: dict) -> tuple[Path, Path, Path]:
    printers = tmp_path / "printers.json"
    printers.write_text(json.dumps(config), encoding="utf-8")
    return tmp_path / "shop.sqlite", printers, tmp_path / "state.sqlite"


def job_statuses(state: Path) -> list[str]:
    store = JobStore(state)
    try:
        return [job.status for job in store.jobs()]
    finally:
        store.close()


@pytest.mark.slow
def test_killed_before_the_job_was_sent_it_prints_exactly_once(shop, printer, files):
    db, printers, state = files
    printer.answer_status.clear()              # the printer hears "are you ready?" and holds its answer
    process = PrintProcess(db, printers, state)
    placed = order(shop, ("kimchi-jjigae", 2, "덜 맵게"))
    assert printer.status_asked.wait(60)
    process.kill()
    assert job_statuses(state) == [WAITING]
    printer.answer_status.set()
    process = PrintProcess(db, printers, state)
    try:
        [job] = printer.wait_for_jobs(1)
        lines = texts(job)
        assert lines[0].startswith(f"#{placed}") and "2 x 김치찌개" in lines and "REPRINT" not in job.decode("cp949", "replace")
        latest = order(shop, ("bibimbap", 1))   # its ticket coming next shows nothing else was on its way
        jobs = printer.wait_for_jobs(2)
        assert len(jobs) == 2 and texts(jobs[1])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_while_the_printer_was_reading_it_is_not_lost_and_the_copy_says_so(shop, printer, files):
    db, printers, state = files
    printer.finish_reading.clear()             # the printer has the bytes but has not closed its end yet
    process = PrintProcess(db, printers, state)
    placed = order(shop, ("bulgogi", 1))
    assert printer.job_received.wait(60)
    wait_until(lambda: job_statuses(state) == [PRINTING])
    process.kill()
    printer.finish_reading.set()
    process = PrintProcess(db, printers, state)
    try:
        first, second = printer.wait_for_jobs(2)
        assert texts(first)[0].startswith(f"#{placed}")
        lines, _ = read_escpos(second)
        assert lines[0].reverse and "REPRINT" in lines[0].text and "may repeat" in lines[1].text
        assert any(line.text.strip().startswith(f"#{placed}") for line in lines)
        wait_until(lambda: job_statuses(state) == ["printed"])
        latest = order(shop, ("gimbap", 1))
        jobs = printer.wait_for_jobs(3)
        assert len(jobs) == 3 and texts(jobs[2])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_while_the_printer_was_reading_a_printer_with_a_cut_counter_prints_it_once(shop, printer, tmp_path):
    config = printers_config(printer.port)
    config["printer"][0]["cut_counter"] = True
    db, printers, state = write_files(tmp_path, config)
    printer.finish_reading.clear()
    process = PrintProcess(db, printers, state)
    placed = order(shop, ("bulgogi", 1))
    assert printer.job_received.wait(60)
    wait_until(lambda: job_statuses(state) == [PRINTING])
    process.kill()
    printer.finish_reading.set()
    [first] = printer.wait_for_jobs(1)        # it came out (and was cut) as the process died
    process = PrintProcess(db, printers, state)
    try:
        wait_until(lambda: job_statuses(state) == ["printed"])
        latest = order(shop, ("gimbap", 1))   # the next ticket comes straight after the first
        jobs = printer.wait_for_jobs(2)
        assert len(jobs) == 2
        assert texts(jobs[0])[0].startswith(f"#{placed}") and texts(jobs[1])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_with_the_job_half_sent_a_printer_with_a_cut_counter_gets_it_whole_once(shop, printer, tmp_path):
    """The cut count did not move: the job never came out, so it is printed as new, with no banner."""
    config = printers_config(printer.port)
    config["printer"][0]["cut_counter"] = True
    db, printers, state = write_files(tmp_path, config)
    printer.answer_status.clear()
    process = PrintProcess(db, printers, state)
    placed = order(shop, ("kimchi-jjigae", 1))
    assert printer.status_asked.wait(60)
    process.kill()
    printer.answer_status.set()
    store = JobStore(state)                   # as if the kill had come after mark_printing
    store.mark_printing(store.jobs()[0].id, cuts_before=printer.cuts)
    store.close()
    process = PrintProcess(db, printers, state)
    try:
        [job] = printer.wait_for_jobs(1)
        assert texts(job)[0].startswith(f"#{placed}") and b"REPRINT" not in job
        wait_until(lambda: job_statuses(state) == ["printed"])
    finally:
        process.stop()
