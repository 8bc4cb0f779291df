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


def kill_while_asked_if_ready(shop, printer, files, line) -> int:
    """Place an order and SIGKILL the print process while the printer holds its answer to "ready?"."""
    printer.answer_status.clear()
    process = PrintProcess(*files)
    placed = order(shop, line)
    assert printer.status_asked.wait(60)
    process.kill()
    printer.answer_status.set()
    return placed


def kill_while_reading(shop, printer, files, line) -> int:
    """Place an order and SIGKILL the print process once the printer has the ticket's bytes but has not
    yet closed its end (the job is recorded as printing)."""
    printer.finish_reading.clear()
    process = PrintProcess(*files)
    placed = order(shop, line)
    assert printer.job_received.wait(60)
    wait_until(lambda: job_statuses(files[2]) == [PRINTING])
    process.kill()
    printer.finish_reading.set()
    return placed


def with_cut_counter(tmp_path, printer) -> tuple[Path, Path, Path]:
    config = printers_config(printer.port)
    config["printer"][0]["cut_counter"] = True
    return write_files(tmp_path, config)


@pytest.mark.slow
def test_killed_before_the_job_was_sent_it_prints_exactly_once(shop, printer, files):
    placed = kill_while_asked_if_ready(shop, printer, files, ("kimchi-jjigae", 2, "덜 맵게"))
    assert job_statuses(files[2]) == [WAITING]
    process = PrintProcess(*files)
    try:
        [job] = printer.wait_for_jobs(1)
        lines = texts(job)
        assert lines[0].startswith(f"#{placed}") and "2 x 김치찌개" in lines and b"REPRINT" not in job
        latest = order(shop, ("bibimbap", 1))   # its ticket coming next shows nothing else was on its way
        jobs = printer.wait_for_jobs(2)
        assert len(jobs) == 2 and texts(jobs[1])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_while_the_printer_was_reading_it_is_not_lost_and_the_copy_says_so(shop, printer, files):
    placed = kill_while_reading(shop, printer, files, ("bulgogi", 1))
    process = PrintProcess(*files)
    try:
        first, second = printer.wait_for_jobs(2)
        assert texts(first)[0].startswith(f"#{placed}")
        lines, _ = read_escpos(second)
        assert lines[0].reverse and "REPRINT" in lines[0].text and "may repeat" in lines[1].text
        assert any(line.text.strip().startswith(f"#{placed}") for line in lines)
        wait_until(lambda: job_statuses(files[2]) == ["printed"])
        latest = order(shop, ("gimbap", 1))
        jobs = printer.wait_for_jobs(3)
        assert len(jobs) == 3 and texts(jobs[2])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_while_the_printer_was_reading_a_printer_with_a_cut_counter_prints_it_once(shop, printer, tmp_path):
    files = with_cut_counter(tmp_path, printer)
    placed = kill_while_reading(shop, printer, files, ("bulgogi", 1))
    printer.wait_for_jobs(1)                  # it came out (and was cut) as the process died
    process = PrintProcess(*files)
    try:
        wait_until(lambda: job_statuses(files[2]) == ["printed"])
        latest = order(shop, ("gimbap", 1))   # the next ticket comes straight after the first
        jobs = printer.wait_for_jobs(2)
        assert len(jobs) == 2
        assert texts(jobs[0])[0].startswith(f"#{placed}") and texts(jobs[1])[0].startswith(f"#{latest}")
    finally:
        process.stop()


@pytest.mark.slow
def test_killed_with_the_job_half_sent_a_printer_with_a_cut_counter_gets_it_whole_once(shop, printer, tmp_path):
    """The cut count did not move: the job never came out, so it is printed as new, with no banner."""
    files = with_cut_counter(tmp_path, printer)
    placed = kill_while_asked_if_ready(shop, printer, files, ("kimchi-jjigae", 1))
    store = JobStore(files[2])                # as if the kill had come just after it was marked printing
    store.mark_printing(store.jobs()[0].id, cuts_before=printer.cuts)
    store.close()
    process = PrintProcess(*files)
    try:
        [job] = printer.wait_for_jobs(1)
        assert texts(job)[0].startswith(f"#{placed}") and b"REPRINT" not in job
        wait_until(lambda: job_statuses(files[2]) == ["printed"])
    finally:
        process.stop()
