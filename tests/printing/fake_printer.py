"""A network receipt printer on loopback for tests: raw TCP like port 9100, capturing every job's bytes.

It answers the real-time status queries (DLE EOT n) as an online printer with paper does, and its
autocutter count (GS g 2) as an Epson TM does, and keeps what each connection sent after them.
Gates let a test hold it at a point of a job: ``answer_status``
(cleared: it hears the status query and does not answer) and ``finish_reading`` (cleared: it has the
job but does not close its end).
"""
from __future__ import annotations

import socket
import threading
import time

DLE_EOT = b"\x10\x04"
CUT_COUNTER = b"\x1dg2"
CUT = b"\x1dV"
ONLINE = 0x12          # fixed bits only: online, paper present


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakePrinter:
    def __init__(self, port: int = 0, status: int = ONLINE) -> None:
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(8)
        self.port = self._server.getsockname()[1]
        self.status = status
        self.jobs: list[bytes] = []          # one per connection that sent a job and closed its side
        self.cuts = 0                        # what a job's cut adds to once the printer has it all
        self.status_asked = threading.Event()
        self.job_received = threading.Event()
        self.answer_status = threading.Event()
        self.answer_status.set()
        self.finish_reading = threading.Event()
        self.finish_reading.set()
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._stopped = True
        self.answer_status.set()
        self.finish_reading.set()
        self._server.close()

    def wait_for_jobs(self, count: int, timeout: float = 60) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.jobs) >= count:
                    return list(self.jobs)
            time.sleep(0.02)
        raise AssertionError(f"printer got {len(self.jobs)} jobs, expected {count} within {timeout} s")

    def _accept(self) -> None:
        while not self._stopped:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        with conn:
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    while True:   # questions come before the job
                        if data.startswith(DLE_EOT) and len(data) >= 3:
                            data = data[3:]
                            self.status_asked.set()
                            self.answer_status.wait()
                            conn.sendall(bytes([self.status]))
                        elif data.startswith(CUT_COUNTER) and len(data) >= 6:
                            data = data[6:]
                            with self._lock:
                                conn.sendall(b"_" + str(self.cuts).encode() + b"\x00")
                        else:
                            break
                    if data:
                        self.job_received.set()
            except OSError:
                return
            self.finish_reading.wait()
        if data:
            with self._lock:
                self.jobs.append(data)
                self.cuts += data.count(CUT)
