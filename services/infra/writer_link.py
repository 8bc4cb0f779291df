"""The writer shared with other processes: gateway workers send it commands over a local socket.

One process owns the shop's writer (group commit, the sagas, the scheduler). The shop server's
gateway workers, each a process of its own so HTTP and the writer no longer share one GIL, hand it
their commands through ``WriterLink`` and get the same answers ``CommandWriter`` gives: the result
after the commit, or the error. Queries and the live feed need no link: every process reads the
database file itself.

The socket and its framing are the standard library's ``multiprocessing.connection`` (a Unix socket
in a private directory, an auth key checked at connect, pickled messages). A message is a list of
requests, ``(request_id, command, finish)`` or ``(request_id, CANCEL)``: a worker sends what one turn
of its event loop submitted as one message. The owner answers with a list of ``(request_id, ok,
value)``: a batch's answers to one worker leave together, once the batch is committed
(docs/decisions/0007).
A worker that gives up waiting asks for a cancel and then still waits for the final answer, so it
says "busy" only for a command that never ran, as ``CommandWriter.execute`` does.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import secrets
import socket
import threading
from concurrent.futures import Future, InvalidStateError
from multiprocessing.connection import Client, Connection, Listener
from collections.abc import Callable

from services.errors import OutcomeUnknown, ShopBusy, ShopClosed, ShopError
from services.infra.writer import BUSY, CHECK_FIRST, CommandWriter, Finisher, Submitting

log = logging.getLogger(__name__)
CANCEL = "cancel"
_CLOSED = "The shop is closed (its writer process has stopped)"
UNANSWERED = "The shop stopped before answering: this may or may not have been done; " + CHECK_FIRST


class _Channel:
    """The owner's end of one worker's connection: what it sends back, and its commands not yet run."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()        # guards the commands' states and the answers waiting
        self._send_lock = threading.Lock()  # two threads answer (flush, cancel): one message at a time
        self.waiting: list[tuple] = []      # answers of the batch being run, sent when it is answered
        self.queued: dict[int, _Reply] = {}

    def answer(self, request_id: int, ok: bool, value) -> None:
        with self.lock:
            self.queued.pop(request_id, None)
            self.waiting.append((request_id, ok, value))

    def flush(self) -> None:
        """Send the answers waiting as one message (after each batch, on the thread that answers the
        writer's callers). It cannot block that thread for long: a worker has at most its shedding
        limit of commands waiting, so their answers fit in the socket's buffer even if the worker has
        stopped reading."""
        with self.lock:
            answers, self.waiting = self.waiting, []
        if answers:
            self.send(answers)

    def send(self, answers: list[tuple]) -> None:
        with self._send_lock:
            try:
                self.conn.send(answers)
            except OSError:
                pass  # the worker is gone; the commands' outcomes stand in the database
            except Exception:  # noqa: BLE001 - e.g. an answer that cannot be pickled: send them one by one
                for request_id, ok, value in answers:
                    try:
                        self._send_one(request_id, ok, value)
                    except OSError:
                        return

    def _send_one(self, request_id: int, ok: bool, value) -> None:
        try:
            self.conn.send([(request_id, ok, value)])
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001
            log.exception("answer to request %s could not be sent", request_id)
            self.conn.send([(request_id, False, _portable(exc))])


class _Reply:
    """A worker's command as the writer sees it: the methods of ``Future`` it calls, answering into
    the worker's channel instead of waking a thread."""
    __slots__ = ("request_id", "channel", "state")

    def __init__(self, request_id: int, channel: _Channel) -> None:
        self.request_id, self.channel, self.state = request_id, channel, "queued"

    def set_running_or_notify_cancel(self) -> bool:
        with self.channel.lock:
            if self.state == "cancelled":
                return False
            self.state = "running"
            return True

    def cancel(self) -> None:
        """Drop the command if it is still queued: its answer is then "busy" (it will never run)."""
        with self.channel.lock:
            if self.state != "queued":
                return  # running or done: its own answer comes
            self.state = "cancelled"
            self.channel.queued.pop(self.request_id, None)
        self.channel.send([(self.request_id, False, ShopBusy(BUSY))])

    def done(self) -> bool:
        return self.state in ("done", "cancelled")

    def set_result(self, value) -> None:
        self.state = "done"
        self.channel.answer(self.request_id, True, value)

    def set_exception(self, error: BaseException) -> None:
        self.state = "done"
        self.channel.answer(self.request_id, False, _portable(error))


class WriterService:
    """In the process that owns the writer: accepts workers and runs their commands."""

    def __init__(self, writer: CommandWriter) -> None:
        self._writer = writer
        self.authkey = secrets.token_bytes(32)
        self._listener = Listener(authkey=self.authkey)   # a Unix socket (a named pipe on Windows)
        self.address: str = self._listener.address
        self._closed = False
        self._lock = threading.Lock()
        self._channels: list[_Channel] = []
        writer.add_batch_listener(self._flush)
        threading.Thread(target=self._accept, name="writer-link", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except Exception:  # noqa: BLE001 - a bad handshake must not stop the others; closing ends it
                if not self._closed:
                    log.warning("a process failed to connect to the writer", exc_info=True)
                continue
            channel = _Channel(conn)
            with self._lock:   # a worker accepted while closing is told at once, not left waiting
                if self._closed:
                    conn.close()
                    return
                self._channels = [c for c in self._channels if not c.conn.closed] + [channel]
            threading.Thread(target=self._serve, args=(channel,), name="writer-link-conn", daemon=True).start()

    def _flush(self) -> None:
        for channel in self._channels:
            channel.flush()

    def _serve(self, channel: _Channel) -> None:
        try:
            while True:
                for request_id, *message in channel.conn.recv():
                    if message[0] == CANCEL:
                        if reply := channel.queued.get(request_id):
                            reply.cancel()
                        continue
                    command, finish = message
                    reply = _Reply(request_id, channel)
                    channel.queued[request_id] = reply
                    try:
                        self._writer.enqueue(command, finish, reply)
                    except ShopError as error:
                        channel.queued.pop(request_id, None)
                        channel.send([(request_id, False, error)])
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001 - a message this process cannot read (e.g. from newer code)
            log.exception("unreadable message from a worker; dropping its connection")
        channel.conn.close()  # the worker fails what it was waiting for and stops; a fresh one reconnects

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._listener.close()
        for channel in self._channels:
            # shutdown, not just close: it wakes this end's reader and tells the worker at once
            # (its own thread then closes it: closing here too could close a reused descriptor)
            try:
                with socket.socket(fileno=os.dup(channel.conn.fileno())) as sock:
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
        self._outgoing: list[tuple] = []   # what this turn of the event loop submitted, sent at its end
        self._flush_scheduled = False
        self._closing = False
        threading.Thread(target=self._receive, name="writer-link", daemon=True).start()

    def submit(self, command, finish: Finisher | None = None) -> Future:
        return self._submit(command, finish, deferred=False)

    def submit_from_loop(self, command, finish: Finisher | None = None) -> Future:
        """Sent at the end of this turn of the loop, with the turn's other commands: one message."""
        return self._submit(command, finish, deferred=True)

    def _submit(self, command, finish: Finisher | None, deferred: bool) -> Future:
        future: Future = Future()
        request_id = next(self._ids)
        future.request_id = request_id  # type: ignore[attr-defined]
        self._pending[request_id] = future
        try:
            self._send((request_id, command, finish), deferred)
        except OSError:
            self._pending.pop(request_id, None)
            raise ShopClosed(_CLOSED) from None
        return future

    def _withdraw(self, future: Future) -> bool:
        """Ask the owner to drop the command; its answer (busy, or the result) still comes back."""
        try:
            self._send((future.request_id, CANCEL), deferred=False)  # type: ignore[attr-defined]
        except OSError:
            pass
        return False

    def _send(self, message: tuple, deferred: bool) -> None:
        with self._send_lock:
            self._outgoing.append(message)
            if not deferred:
                self._send_outgoing()   # with whatever a loop's turn has queued, in order
            elif not self._flush_scheduled:
                self._flush_scheduled = True
                asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        with self._send_lock:
            messages = self._outgoing
            try:
                self._send_outgoing()
            except Exception as exc:  # noqa: BLE001 - these commands never left: they were not done
                error = ShopClosed(_CLOSED) if isinstance(exc, OSError) else _portable(exc)
                if not isinstance(exc, OSError):
                    log.exception("commands could not be sent to the shop's writer")
                for request_id, *message in messages:
                    future = self._pending.pop(request_id, None) if message[0] != CANCEL else None
                    _settle(future, error)

    def _send_outgoing(self) -> None:
        messages, self._outgoing, self._flush_scheduled = self._outgoing, [], False
        if messages:
            self._conn.send(messages)

    def _receive(self) -> None:
        try:
            while True:
                for request_id, ok, value in self._conn.recv():
                    future = self._pending.pop(request_id, None)
                    if future is not None:
                        future.set_result(value) if ok else future.set_exception(value)
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001 - an answer this process cannot read: the link is unusable
            log.exception("unreadable answer from the shop's writer")
            self._conn.close()
        for future in list(self._pending.values()):
            _settle(future, OutcomeUnknown(UNANSWERED))
        self._pending.clear()
        if not self._closing:
            log.warning("the link to the shop's writer is gone")
            self._on_lost()

    def close(self) -> None:
        self._closing = True
        self._conn.close()


def _settle(future: Future | None, error: Exception) -> None:
    """Fail ``future`` unless another thread has just answered it."""
    if future is None:
        return
    try:
        future.set_exception(error)
    except InvalidStateError:
        pass


def _portable(error: BaseException) -> Exception:
    """What crosses the socket: the shop's own errors as they are; anything else, by name only."""
    if isinstance(error, ShopError):
        return error
    return ShopError(f"The shop could not carry this out ({type(error).__name__}): please try again")

