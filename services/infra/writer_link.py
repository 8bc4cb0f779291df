"""The writer shared with other processes: gateway workers send it commands over a local socket.

One process owns the shop's writer (group commit, the sagas, the scheduler). The shop server's
gateway workers, each a process of its own so HTTP and the writer no longer share one GIL, hand it
their commands through ``WriterLink`` and get the same answers ``CommandWriter`` gives: the result
after the commit, or the error. Queries and the live feed need no link: every process reads the
database file itself.

The socket and its framing are the standard library's ``multiprocessing.connection`` (a Unix socket
in a private directory, an auth key checked at connect, pickled messages). A message is
``(request_id, command, finish)`` or ``(request_id, CANCEL)``; an answer ``(request_id, ok, value)``.
A worker that gives up waiting asks for a cancel and then still waits for the final answer, so it
says "busy" only for a command that never ran, as ``CommandWriter.execute`` does.
"""
from __future__ import annotations

import itertools
import logging
import os
import secrets
import socket
import threading
from concurrent.futures import Future
from functools import partial
from multiprocessing.connection import Client, Connection, Listener
from typing import Callable

from services.errors import OutcomeUnknown, ShopBusy, ShopClosed, ShopError
from services.infra.writer import BUSY, CHECK_FIRST, CommandWriter, Finisher, Submitting

log = logging.getLogger(__name__)
CANCEL = "cancel"
UNANSWERED = "The shop stopped before answering: this may or may not have been done; " + CHECK_FIRST


class WriterService:
    """In the process that owns the writer: accepts workers and runs their commands."""

    def __init__(self, writer: CommandWriter) -> None:
        self._writer = writer
        self.authkey = secrets.token_bytes(32)
        self._listener = Listener(authkey=self.authkey)   # a Unix socket (a named pipe on Windows)
        self.address: str = self._listener.address
        self._closed = False
        self._connections: list[Connection] = []
        threading.Thread(target=self._accept, name="writer-link", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except Exception:  # noqa: BLE001 - a bad handshake must not stop the others; closing ends it
                if not self._closed:
                    log.warning("a process failed to connect to the writer", exc_info=True)
                continue
            self._connections = [c for c in self._connections if not c.closed] + [conn]
            threading.Thread(target=self._serve, args=(conn,), name="writer-link-conn", daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        send_lock = threading.Lock()
        running: dict[int, Future] = {}

        def answer(request_id: int, future: Future) -> None:
            # Runs on the writer's thread, which resolves the future. The send cannot block it for
            # long: a worker has at most its shedding limit of commands waiting, so their answers fit
            # in the socket's buffer even if the worker has stopped reading.
            running.pop(request_id, None)
            if future.cancelled():
                payload = (request_id, False, ShopBusy(BUSY))
            elif (error := future.exception()) is not None:
                payload = (request_id, False, _portable(error))
            else:
                payload = (request_id, True, future.result())
            with send_lock:
                try:
                    conn.send(payload)
                except OSError:
                    pass  # the worker is gone; the command's outcome stands in the database
                except Exception as exc:  # noqa: BLE001 - e.g. an answer that cannot be pickled
                    log.exception("answer to request %s could not be sent", request_id)
                    conn.send((request_id, False, _portable(exc)))

        try:
            while True:
                request_id, *message = conn.recv()
                if message[0] == CANCEL:
                    if future := running.get(request_id):
                        future.cancel()  # only a still-queued command can be: the answer says which
                    continue
                command, finish = message
                try:
                    future = self._writer.submit(command, finish)
                except ShopError as error:
                    future = Future()
                    future.set_exception(error)
                running[request_id] = future
                future.add_done_callback(partial(answer, request_id))
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001 - a message this process cannot read (e.g. from newer code)
            log.exception("unreadable message from a worker; dropping its connection")
        conn.close()  # the worker fails what it was waiting for and stops; a fresh one reconnects

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for conn in self._connections:
            # shutdown, not just close: it wakes this end's reader and tells the worker at once
            # (its own thread then closes it: closing here too could close a reused descriptor)
            try:
                with socket.socket(fileno=os.dup(conn.fileno())) as sock:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # that worker had already gone


class WriterLink(Submitting):
    """In a worker: the owner's writer, with ``CommandWriter``'s ``submit``/``execute``/``execute_async``."""

    def __init__(self, address: str, authkey: bytes, on_lost: Callable[[], None] = lambda: None) -> None:
        self._conn = Client(address, authkey=authkey)
        self._on_lost = on_lost
        self._ids = itertools.count(1)
        self._pending: dict[int, Future] = {}
        self._send_lock = threading.Lock()
        self._closing = False
        threading.Thread(target=self._receive, name="writer-link", daemon=True).start()

    def submit(self, command, finish: Finisher | None = None) -> Future:
        future: Future = Future()
        request_id = next(self._ids)
        future.request_id = request_id  # type: ignore[attr-defined]
        self._pending[request_id] = future
        try:
            self._send((request_id, command, finish))
        except OSError:
            self._pending.pop(request_id, None)
            raise ShopClosed("The shop is closed (its writer process has stopped)") from None
        return future

    def _withdraw(self, future: Future) -> bool:
        """Ask the owner to drop the command; its answer (busy, or the result) still comes back."""
        try:
            self._send((future.request_id, CANCEL))  # type: ignore[attr-defined]
        except OSError:
            pass
        return False

    def _send(self, message: tuple) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _receive(self) -> None:
        try:
            while True:
                request_id, ok, value = self._conn.recv()
                future = self._pending.pop(request_id, None)
                if future is not None:
                    future.set_result(value) if ok else future.set_exception(value)
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001 - an answer this process cannot read: the link is unusable
            log.exception("unreadable answer from the shop's writer")
            self._conn.close()
        for future in list(self._pending.values()):
            if not future.done():
                future.set_exception(OutcomeUnknown(UNANSWERED))
        self._pending.clear()
        if not self._closing:
            log.warning("the link to the shop's writer is gone")
            self._on_lost()

    def close(self) -> None:
        self._closing = True
        self._conn.close()


def _portable(error: BaseException) -> Exception:
    """What crosses the socket: the shop's own errors as they are; anything else, by name only."""
    if isinstance(error, ShopError):
        return error
    return ShopError(f"The shop could not carry this out ({type(error).__name__}): please try again")

