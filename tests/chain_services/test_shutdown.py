"""A service's background tasks end on SIGTERM even when one of them drops a cancellation, as a loop
around ``asyncio.wait_for`` does before Python 3.12 when the cancellation meets its inner call's end."""
from __future__ import annotations

import asyncio

from services.chain.tasks import cancel_all


def test_a_task_that_drops_the_first_cancellation_is_cancelled_again_and_ends():
    swallowed = []

    async def fetch_loop():
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed.append(True)      # the lost cancellation: the loop goes round again

    async def scenario():
        task = asyncio.create_task(fetch_loop(), name="consumer")
        await asyncio.sleep(0)
        await asyncio.wait_for(cancel_all([task], within_s=30), 60)
        return task

    task = asyncio.run(scenario())
    assert swallowed and task.cancelled()


def test_a_task_that_will_not_end_is_left_at_the_deadline_instead_of_holding_the_exit(caplog):
    released = []

    async def stubborn():
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if released:
                    raise

    async def scenario():
        task = asyncio.create_task(stubborn(), name="stubborn")
        await asyncio.sleep(0)
        await asyncio.wait_for(cancel_all([task], within_s=0.5), 60)
        ended = task.done()
        released.append(True)       # (so the test's own loop can end it)
        task.cancel()
        await asyncio.wait([task])
        return ended

    assert asyncio.run(scenario()) is False
    assert "stubborn" in caplog.text
