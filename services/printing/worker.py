"""One thread per printer: prints its jobs one at a time, in the order they were made.

A printer that is off (or offline, or out of paper) keeps its jobs waiting: the worker tries again
with a doubling back-off (``retry_first_s`` up to ``retry_max_s``) and, once the printer answers,
prints every waiting job, oldest first.

A job whose earlier attempt was cut off after its bytes started to go (status printing: a crash, a
dropped connection) may already be on paper. A printer that reports its cut counter settles it: the
count moved since the job started, so it came out and is not sent again; it did not, so it is sent
as new. Without a counter nobody can know: it is sent again under a REPRINT banner saying it may
repeat the last slip, because a kitchen can throw away a marked duplicate but cannot cook a lost ticket.
"""
from __future__ import annotations

import logging
import threading

from services.printing.config import PrinterConfig
from services.printing.jobs import PRINTING, Job, JobStore
from services.printing.slip import Line, Slip, wrap
from services.printing.transport import JobInterrupted, PrinterConnection, PrinterUnavailable

log = logging.getLogger(__name__)
IDLE_POLL_S = 2.0   # also notices jobs another process added to the same file (e.g. `printers reprint`)


def maybe_repeated(slip: Slip) -> Slip:
    """``slip`` under a banner saying it may repeat one the printer already printed."""
    marked = slip.with_banner_first("재출력 REPRINT")
    notice = "앞 장과 중복일 수 있음 / may repeat the last slip"
    warning = [Line(part, align="center") for part in wrap(notice, slip.width)]
    return Slip(lines=(marked.lines[0], *warning, *marked.lines[1:]), width=slip.width)


class PrinterWorker:
    def __init__(self, printer: PrinterConfig, store: JobStore, retry_first_s: float, retry_max_s: float) -> None:
        self.printer = printer
        self._store = store
        self._first, self._max = retry_first_s, retry_max_s
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"printer-{printer.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._stopped.set()
        self._wake.set()
        self._thread.join(timeout=self.printer.timeout_s * 3 + 5)

    def _run(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            job = self._store.next_job(self.printer.name)
            if job is None:
                self._wake.wait(IDLE_POLL_S)
                self._wake.clear()
                continue
            try:
                self.print(job)
            except Exception as error:  # noqa: BLE001 - the printer's thread must outlive any one job
                failures += 1
                if not isinstance(error, (PrinterUnavailable, JobInterrupted, OSError)):
                    log.exception("printing %s %d on %s failed", job.kind, job.order_id, self.printer.name)
                self._store.note_error(job.id, str(error) or error.__class__.__name__)
                delay = min(self._max, self._first * 2 ** (failures - 1))
                if failures == 1:
                    log.warning("%s; its jobs wait (retrying, at most every %.1f s)", error, self._max)
                self._stopped.wait(delay)   # a new job does not cut the wait short: the printer is still off
                continue
            if failures:
                log.info("printer %s is back after %d failed attempts", self.printer.name, failures)
            failures = 0

    def print(self, job: Job) -> None:
        """Send ``job`` once; it is marked printing just before its bytes go and printed once taken."""
        with PrinterConnection(self.printer) as link:
            if self.printer.status_check:
                link.check_ready()
            cuts = link.cut_count() if self.printer.cut_counter else None
            interrupted = job.status == PRINTING
            if interrupted and cuts is not None and job.cuts_before is not None:
                if cuts > job.cuts_before:
                    self._store.mark_printed(job.id)
                    log.info("%s %d v%d had come out on %s before the interruption: not sent again",
                             job.kind, job.order_id, job.version, self.printer.name)
                    return
                interrupted = False   # the counter says it never came out: print it as it is
            slip = maybe_repeated(job.slip) if interrupted else job.slip
            self._store.mark_printing(job.id, cuts)
            link.send(slip.to_escpos())
        self._store.mark_printed(job.id)
        log.info("printed %s %d v%d on %s", job.kind, job.order_id, job.version, self.printer.name)
