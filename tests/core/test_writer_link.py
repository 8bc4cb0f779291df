"""The writer shared over a local socket: a worker process's commands get the owner's answers.

Both ends run here on a real LocalShop and a real Unix socket; tests/http/test_replicas.py runs them
as the server's real processes.
"""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from services import commands as c
from services.errors import OutcomeUnknown, ShopBusy, ShopClosed, ShopError, UnknownOrder
from services.infra.db import WriteLock
from services.infra.writer_link import WriterLink
from services.local import LocalShop
from services.local.shop import ReplicaShop
from tests.contract.helpers import order, wait_until


@pytest.fixture
def owner(db_path):
    shop = LocalShop(db_path)
    yield shop
    shop.close()


@pytest.fixture
def service(owner):
    return owner.share_writer()


def test_a_replica_places_and_cancels_through_the_owner_and_gets_its_errors(owner, service, db_path):
    replica = ReplicaShop(db_path, WriterLink(service.address, service.authkey))
    try:
        receipt = replica.place_order(order())
        assert receipt.status == "placed" and receipt.gift_status == "sent"
        assert owner.mypage(receipt.order_id).cook_status == "queued", "the owner's writer ran the saga"
        async_receipt = asyncio.run(replica.place_order_async(order()))
        assert async_receipt.order_id == receipt.order_id + 1
        with pytest.raises(UnknownOrder) as raised:
            replica.cancel_order(999_999, "typo")
        assert "999999" in str(raised.value)
        replica.cancel_order(receipt.order_id, "changed mind")
        assert replica.mypage(receipt.order_id).order_status == "cancelled", "the replica reads the same file"
    finally:
        replica.close()


def test_commands_sent_together_each_get_their_own_answer(owner, service, db_path):
    """A loop turn's commands leave as one message and a batch's answers come back as one: each
    caller still gets its own receipt or its own error."""
    replica = ReplicaShop(db_path, WriterLink(service.address, service.authkey))

    async def together():
        placing = [replica.place_order_async(order(client_ref=f"together-{i}")) for i in range(40)]
        placing.insert(20, replica.place_order_async(order(("no-such-dish", 1))))
        return await asyncio.gather(*placing, return_exceptions=True)
    try:
        answers = asyncio.run(together())
        refused = answers.pop(20)
        assert isinstance(refused, ShopError) and "no-such-dish" in str(refused)
        assert [receipt.client_ref for receipt in answers] == [f"together-{i}" for i in range(40)]
        assert len({receipt.order_id for receipt in answers}) == 40
        assert all(owner.mypage(receipt.order_id).order_status == receipt.status for receipt in answers)
    finally:
        replica.close()


def test_a_blocking_call_made_on_a_loop_thread_is_sent_at_once(service):
    """Only ``execute_async`` waits for the end of the loop's turn: a blocking call made on the loop's
    thread would otherwise wait for a send that can only happen after it returns."""
    link = WriterLink(service.address, service.authkey)

    async def blocking_on_the_loop():
        return link.execute(order(), timeout=5)
    try:
        started = time.monotonic()
        assert asyncio.run(blocking_on_the_loop()) is not None
        assert time.monotonic() - started < 2
    finally:
        link.close()


def test_commands_submitted_on_a_loop_after_the_owner_stopped_are_refused_as_not_done(service):
    lost = threading.Event()
    link = WriterLink(service.address, service.authkey, on_lost=lost.set)
    service.close()
    wait_until(lost.is_set, timeout=60)
    with pytest.raises(ShopClosed):
        asyncio.run(link.execute_async(order(), timeout=5))


def test_a_command_still_queued_when_the_worker_gives_up_never_runs_and_is_reported_busy(owner, service, db_path):
    link = WriterLink(service.address, service.authkey)
    before = len(owner.todays_orders())
    other_process = WriteLock(db_path)
    try:
        with other_process:
            stuck = owner._writer.submit(c.Restock("cola", 1))  # the writer waits on the lock with this one
            wait_until(owner._writer._queue.empty, timeout=60, interval=0.005)   # taken off the queue
            with pytest.raises(ShopBusy):
                link.execute(order(), timeout=0.3)
        stuck.result(5)
        assert len(owner.todays_orders()) == before, "the order told busy was not placed"
        assert link.execute(order()) is not None
    finally:
        other_process.close()
        link.close()


def test_when_the_owner_closes_a_waiting_command_fails_clearly_and_the_worker_is_told(db_path):
    owner = LocalShop(db_path)
    service = owner.share_writer()
    lost = threading.Event()
    link = WriterLink(service.address, service.authkey, on_lost=lost.set)
    other_process = WriteLock(db_path)
    try:
        with other_process:
            pending = link.submit(order())
            wait_until(lambda: any(channel.queued for channel in service._channels), timeout=60, interval=0.005)
            service.close()   # with the command in the owner's hands
            with pytest.raises(OutcomeUnknown, match="may or may not"):
                pending.result(5)   # it will in fact run once the lock is free: "busy" would be a lie
        wait_until(lost.is_set, timeout=60)
        with pytest.raises(ShopClosed):
            link.execute(order())
    finally:
        other_process.close()
        owner.close()


def _refuse_to_unpickle():
    raise RuntimeError("this process cannot read that")


class _Unreadable:
    """Pickles fine, fails to unpickle: a message from a worker running newer code, say."""
    def __reduce__(self):
        return (_refuse_to_unpickle, ())


def _an_answer_that_cannot_be_pickled(_uow, _result):
    return threading.Lock()


def test_a_message_the_owner_cannot_read_fails_the_worker_clearly_instead_of_hanging(service):
    lost = threading.Event()
    link = WriterLink(service.address, service.authkey, on_lost=lost.set)
    with pytest.raises(OutcomeUnknown):
        link.execute(_Unreadable(), timeout=5)
    wait_until(lost.is_set, timeout=60)


def test_an_answer_that_cannot_be_sent_back_becomes_an_error_not_a_wait(service):
    link = WriterLink(service.address, service.authkey)
    try:
        with pytest.raises(ShopError, match="could not carry this out"):
            link.execute(order(), _an_answer_that_cannot_be_pickled, timeout=5)
        assert link.execute(order()) is not None, "the link still works"
    finally:
        link.close()
