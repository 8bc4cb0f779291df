"""The owner's end of the shared writer (``WriterService``): it accepts workers on a Unix socket and
runs their commands on this process's ``CommandWriter``. The protocol and the worker's end are in
``services.infra.writer_link``.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, Listener

from services.errors import ShopBusy, ShopError
from services.infra.writer import BUSY, CommandWriter

log = logging.getLogger(__name__)
CANCEL = "cancel"


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

    def __init__(self, writer: CommandWriter, address: str | None = None, authkey: bytes | None = None) -> None:
        """``address``: a Unix socket path the workers know (a killed owner's leftover is replaced);
        by default a fresh one in a private directory. ``authkey``: by default a fresh random one."""
        self._writer = writer
        self.authkey = authkey or secrets.token_bytes(32)
        if address and os.path.exists(address):
            os.unlink(address)   # left by an owner that was killed: nothing listens there any more
        self._listener = Listener(address, authkey=self.authkey)   # a Unix socket (a named pipe on Windows)
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
            except AuthenticationError:
                if not self._closed:
                    log.error("a process offered the writer a wrong key and was refused (does its writer.key "
                              "differ from this process's?)")
                continue
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


def _portable(error: BaseException) -> Exception:
    """What crosses the socket: the shop's own errors as they are; anything else, by name only."""
    if isinstance(error, ShopError):
        return error
    return ShopError(f"The shop could not carry this out ({type(error).__name__}): please try again")

