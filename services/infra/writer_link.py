"""The writer shared with other processes: gateway workers send it commands over a local socket.

One process owns the shop's writer (group commit, the sagas, the scheduler). The shop server's
gateway workers, each a process of its own so HTTP and the writer no longer share one GIL, hand it
their commands through ``WriterLink`` and get the same answers ``CommandWriter`` gives: the result
after the commit, or the error. Queries and the live feed need no link: every process reads the
database file itself.

The owner's end is ``services.infra.writer_service``. The socket and its framing are the standard
library's ``multiprocessing.connection`` (a Unix socket in a private directory, or at a path given by
the owner; an auth key checked at connect; pickled messages). A message is a list of
requests, ``(request_id, command, finish)`` or ``(request_id, CANCEL)``: a worker sends what one turn
of its event loop submitted as one message. The owner answers with a list of ``(request_id, ok,
value)``: a batch's answers to one worker leave together, once the batch is committed
(docs/decisions/0007).
A worker that gives up waiting asks for a cancel and then still waits for the final answer, so it
says "busy" only for a command that never ran, as ``CommandWriter.execute`` does.

Under ``main.py serve`` the owner (the shop process) may be killed and restarted by supervisord while
its workers live on: the owner then listens at a fixed path with a key from a file, and a link made
with ``reconnect_wait_s`` reconnects instead of giving up. While it is away, commands are held (not
sent) up to ``reconnect_wait_s``, then answered "busy" (nothing was taken: safe to retry); commands
that were sent and not answered are "outcome unknown", except those carrying a ``client_ref`` (an
order: the writer takes a clientRef once), which are sent again to the new owner.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from concurrent.futures import Future, InvalidStateError
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection
from collections.abc import Callable

from services.errors import OutcomeUnknown, ShopBusy, ShopClosed
from services.infra.writer import BUSY, CHECK_FIRST, Finisher, Submitting
from services.infra.writer_service import CANCEL, WriterService, _portable

__all__ = ["WriterLink", "WriterService"]   # WriterService: the owner's end, in writer_service

log = logging.getLogger(__name__)
_CLOSED = "The shop is closed (its writer process has stopped)"
UNANSWERED = "The shop stopped before answering: this may or may not have been done; " + CHECK_FIRST
WRITER_AWAY = ("The shop's writer is restarting and was not back in time: this was not taken; "
               "please send it again in a moment")
RESEND_AWAY = ("The shop's writer is restarting and was not back in time: send this again with the same "
               "clientRef (it is never taken twice)")
RECONNECT_POLL_S = 0.05
KEY_REFUSED = ("the shop's writer at %s refused this process's key (%s): this process and the shop process "
               "read different writer keys (writer.key changed or damaged?); still trying")
KEY_UNREADABLE = "cannot read the key for the shop's writer at %s: %s; still trying"


class WriterLink(Submitting):
    """In a worker: the owner's writer, with ``CommandWriter``'s ``submit``/``execute``/``execute_async``.

    ``authkey``: the key, or a function reading it (called at each connect: a restarted owner may have
    a new one). ``on_lost`` is called (on the link's thread) when the connection is lost. Without
    ``reconnect_wait_s`` the link then ends; with it, the link reconnects to ``address`` and holds
    commands meanwhile (see the module's doc).
    """

    def __init__(self, address: str, authkey: bytes | Callable[[], bytes],
                 on_lost: Callable[[], None] = lambda: None, reconnect_wait_s: float | None = None) -> None:
        self._address, self._key = address, authkey if callable(authkey) else (lambda: authkey)
        self._wait_s = reconnect_wait_s
        self._conn: Connection | None = None if reconnect_wait_s else Client(address, authkey=self._key())
        self._on_lost = on_lost
        self._ids = itertools.count(1)
        self._pending: dict[int, Future] = {}
        self._send_lock = threading.Lock()
        self._outgoing: list[tuple] = []   # what this turn of the event loop submitted, sent at its end
        self._flush_scheduled = False
        self._held: dict[int, tuple[tuple, float, bool]] = {}   # id -> (message, give up at, was sent)
        self._resendable: dict[int, tuple] = {}   # sent commands with a client_ref, until answered
        self._closing = False
        threading.Thread(target=self._run, name="writer-link", daemon=True).start()

    @property
    def connected(self) -> bool:
        return self._conn is not None

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
        message = (request_id, command, finish)
        if self._wait_s and getattr(command, "client_ref", None):
            self._resendable[request_id] = message
        try:
            self._send(message, deferred)
        except OSError:
            self._pending.pop(request_id, None)
            raise ShopClosed(_CLOSED) from None
        return future

    def _withdraw(self, future: Future) -> bool:
        """Ask the owner to drop the command; its answer (busy, or the result) still comes back."""
        request_id = future.request_id  # type: ignore[attr-defined]
        with self._send_lock:
            if self._held.pop(request_id, None) is not None:   # never reached this owner: drop it here
                self._forget(request_id, ShopBusy(BUSY))
                return False
        try:
            self._send((request_id, CANCEL), deferred=False)
        except OSError:
            pass
        return False

    def _send(self, message: tuple, deferred: bool) -> None:
        with self._send_lock:
            if self._conn is None and self._wait_s:   # the owner is away: hold the command until it is back
                if message[1] != CANCEL:
                    self._held[message[0]] = (message, time.monotonic() + self._wait_s, False)
                return
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
        if not messages:
            return
        try:
            if self._conn is None:
                raise BrokenPipeError("the owner went away before this turn's commands were sent")
            self._conn.send(messages)
        except OSError:
            if not self._wait_s:
                raise
            # not (wholly) sent, so not taken: the owner reads whole messages only. Hold them.
            deadline = time.monotonic() + self._wait_s
            self._held.update({m[0]: (m, deadline, False) for m in messages if m[1] != CANCEL})

    def _run(self) -> None:
        while not self._closing:
            conn = self._conn or self._connect()
            if conn is None:
                return
            self._receive(conn)
            if self._closing:
                return
            log.warning("the link to the shop's writer is gone%s", "; reconnecting" if self._wait_s else "")
            self._on_lost()
            if not self._wait_s:
                return

    def _connect(self) -> Connection | None:
        """Connect to the owner at its address, as soon as it listens; meanwhile expire held commands.
        A key that cannot be read or is refused is logged as an error, once for as long as it lasts:
        unlike an owner that is not back yet, it will not pass by itself."""
        logged = ""
        while not self._closing:
            self._expire_held()
            try:
                key = self._key()
            except (OSError, ValueError) as problem:   # no key file, or a damaged one
                logged = _log_once(logged, KEY_UNREADABLE, self._address, problem)
                time.sleep(RECONNECT_POLL_S)
                continue
            try:
                conn = Client(self._address, authkey=key)
            except AuthenticationError as problem:
                logged = _log_once(logged, KEY_REFUSED, self._address, problem)
                time.sleep(RECONNECT_POLL_S)
                continue
            except (OSError, EOFError):   # the owner is not listening yet
                time.sleep(RECONNECT_POLL_S)
                continue
            with self._send_lock:
                self._conn = conn
                held, self._held = self._held, {}
                self._outgoing = [m for _, (m, _, _) in sorted(held.items())] + self._outgoing
                self._send_outgoing()
            log.info("connected to the shop's writer at %s", self._address)
            return conn
        return None

    def _expire_held(self) -> None:
        now = time.monotonic()
        with self._send_lock:
            expired = [(rid, sent) for rid, (_, give_up_at, sent) in self._held.items() if give_up_at <= now]
            for request_id, sent in expired:
                del self._held[request_id]
                self._forget(request_id, ShopBusy(RESEND_AWAY if sent else WRITER_AWAY))

    def _forget(self, request_id: int, error: Exception) -> None:
        self._resendable.pop(request_id, None)
        _settle(self._pending.pop(request_id, None), error)

    def _receive(self, conn: Connection) -> None:
        try:
            while True:
                for request_id, ok, value in conn.recv():
                    self._resendable.pop(request_id, None)
                    future = self._pending.pop(request_id, None)
                    if future is not None:
                        future.set_result(value) if ok else future.set_exception(value)
        except (EOFError, OSError):
            pass
        except Exception:  # noqa: BLE001 - an answer this process cannot read: the link is unusable
            log.exception("unreadable answer from the shop's writer")
            conn.close()
        with self._send_lock:
            self._conn = None if self._wait_s else self._conn
            deadline = time.monotonic() + (self._wait_s or 0)
            for request_id in list(self._pending):
                if request_id in self._held:
                    continue   # never sent: it waits for the next owner
                if (message := self._resendable.get(request_id)) and not self._closing:
                    self._held[request_id] = (message, deadline, True)   # taken at most once: send again
                else:
                    self._forget(request_id, OutcomeUnknown(UNANSWERED))

    def close(self) -> None:
        self._closing = True
        if self._conn is not None:
            self._conn.close()


def _log_once(logged: str, message: str, address: str, problem: Exception) -> str:
    """Log ``message`` as an error unless it is the one logged last; returns what is logged now."""
    text = message % (address, problem)
    if text != logged:
        log.error(text)
    return text


def _settle(future: Future | None, error: Exception) -> None:
    """Fail ``future`` unless another thread has just answered it."""
    if future is None:
        return
    try:
        future.set_exception(error)
    except InvalidStateError:
        pass
