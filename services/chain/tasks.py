"""Ending a process's background tasks: on SIGTERM every task must end, and in bounded time."""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


async def cancel_all(tasks: list[asyncio.Task], within_s: float) -> None:
    """Cancel ``tasks`` and wait until they end, cancelling again any that goes on: before Python 3.12,
    ``asyncio.wait_for`` drops a cancellation that arrives just as its inner call finishes (bpo-42130),
    and a loop around it (the consumer's fetch) then runs on and holds the process past SIGTERM."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    pending = {task for task in tasks if not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.2)
        if pending and loop.time() > deadline:
            log.warning("tasks still running at exit: %s", ", ".join(sorted(t.get_name() for t in pending)))
            return
