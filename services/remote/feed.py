"""Follows the server's event stream on one background thread and hands events to subscribers.

A subscription made while the server is unreachable starts when the stream first opens: the terminal
cannot know what happened before it ever reached the server (screens load their state at that point).
The stream is parsed by httpx-sse (a maintained SSE parser), and its fields are honoured: ``id:`` is
the position to resume after, sent back as ``Last-Event-ID`` on a reconnect, and anything at or
before the position last delivered is skipped, so a reconnect (network blip, server restart)
neither misses nor repeats an event; ``retry:`` is the pace of reconnecting while the server stays
away (the first attempt after a drop comes sooner: most drops are blips). Callbacks run on this
thread, in order.
A drop is logged once, and its return once (not a line per retry); ``on_drop`` lets the shop probe
the server at once instead of waiting for its next probe.
"""
from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable

import httpx
from httpx_sse import EventSource

from services.port import EventRecord
from services.remote import codec

log = logging.getLogger(__name__)


class EventFeed:
    def __init__(self, base_url: str, headers: Callable[[], dict], *, on_auth_failure: Callable[[], None],
                 on_drop: Callable[[], None] = lambda: None, connect_timeout_s: float = 3.0) -> None:
        self._client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(30.0, connect=connect_timeout_s))
        self._headers, self._on_auth_failure, self._on_drop = headers, on_auth_failure, on_drop
        self._dropped = False                  # logged as dropped; the next hello logs it back
        self._subscribers: list[Callable[[EventRecord], None]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tried = threading.Event()       # the first connection attempt is over, either way
        self._thread: threading.Thread | None = None
        self._response: httpx.Response | None = None
        self.position: int | None = None      # last event delivered (or the head at first connect)
        self.retry_s = 2.0                    # the server's ``retry:``: how often to try while it is away
        self.reconnects = 0

    def subscribe(self, callback: Callable[[EventRecord], None]) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sikdang-event-feed", daemon=True)
                self._thread.start()
        # "from now on": wait (briefly) until the stream is open, so an event committed after this
        # call returns is delivered. An unreachable server ends the wait at once (no frozen screen).
        self._tried.wait(5.0)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)
        return unsubscribe

    def _run(self) -> None:
        backoff = 0.1
        while not self._stop.is_set():
            try:
                self._follow()
                backoff = min(0.1, self.retry_s)
            except Exception as exc:   # any failure (network, server gone) means: reconnect after a pause
                if not self._dropped and not self._stop.is_set():
                    self._dropped = True
                    log.warning("event stream lost (%s); reconnecting quietly, resuming after position %s",
                                exc.__class__.__name__, self.position)
            if not self._stop.is_set():
                self._on_drop()
            self._tried.set()
            if self._stop.wait(backoff):
                return
            backoff = min(backoff * 2, self.retry_s)
            self.reconnects += 1

    def _follow(self) -> None:
        headers = dict(self._headers())
        if self.position is not None:
            headers["Last-Event-ID"] = str(self.position)
        with self._client.stream("GET", "/events/stream", headers=headers) as response:
            if response.status_code == 401:
                self._on_auth_failure()
                raise RuntimeError("event stream: token refused; signed in again")
            response.raise_for_status()
            self._response = response
            for sse in EventSource(response).iter_sse():
                if self._stop.is_set():
                    return
                if sse.retry is not None and sse.retry > 0:
                    self.retry_s = sse.retry / 1000
                self._dispatch(sse.event, sse.data, sse.id)

    def _dispatch(self, name: str, data: str, event_id: str) -> None:
        if not data:
            return
        payload = json.loads(data)
        if name == "hello":
            if self.position is None:     # the head when first connected: resume after it (its id)
                self.position = int(event_id) if event_id.isdigit() else payload["position"]
            if self._dropped:
                self._dropped = False
                log.warning("event stream back; resuming after position %s", self.position)
            self._tried.set()
            return
        record = codec.event(payload)
        if self.position is not None and record.position <= self.position:
            return                       # already delivered before a reconnect
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(record)
            except Exception:            # one bad subscriber must not stop the feed for the others
                log.exception("event subscriber failed on %s", record.name)
        self.position = int(event_id) if event_id.isdigit() else record.position

    def close(self) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            # Unblock the reader thread now: shutting the socket down wakes a blocked recv().
            stream = response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self._thread is not None:
            self._thread.join(3.0)
        self._client.close()
