"""A worker's reconnecting WriterLink (``reconnect_wait_s``) against real shop owners at one fixed
Unix socket path, as ``main.py serve`` runs them: commands wait for an owner that is away, then go
through, or are answered busy (never "outcome unknown" for a command that was never sent)."""
from __future__ import annotations

import threading

import pytest

from services import commands as c
from services.errors import ShopBusy
from services.infra.writer_link import WriterLink
from services.local import LocalShop
from services.local.shop import ReplicaShop
from tests.contract.helpers import order, wait_until

KEY = b"k" * 32
DEADLINE = 60


@pytest.fixture
def address(tmp_path):
    return str(tmp_path / "writer.sock")


def start_owner(db_path, address: str) -> LocalShop:
    shop = LocalShop(db_path)
    shop.share_writer(address=address, authkey=KEY)
    return shop


def test_a_command_sent_before_the_owner_listens_goes_through_once_it_does(db_path, address):
    LocalShop(db_path).close()   # the database exists; no owner listens yet
    link = WriterLink(address, lambda: KEY, reconnect_wait_s=DEADLINE)
    replica = ReplicaShop(db_path, link)
    owner = None
    try:
        answer = {}
        placing = threading.Thread(target=lambda: answer.update(receipt=replica.place_order(order(client_ref="early"))))
        placing.start()
        owner = start_owner(db_path, address)
        placing.join(DEADLINE)
        assert answer["receipt"].order_id >= 1
    finally:
        replica.close()
        link.close()
        if owner:
            owner.close()


def test_with_no_owner_back_in_time_a_command_is_answered_busy_and_nothing_is_taken(db_path, address):
    LocalShop(db_path).close()
    link = WriterLink(address, lambda: KEY, reconnect_wait_s=0.3)
    replica = ReplicaShop(db_path, link)
    try:
        with pytest.raises(ShopBusy, match="not taken"):
            replica.place_order(order(client_ref="nobody-home"))
    finally:
        replica.close()
        link.close()
    owner = start_owner(db_path, address)
    try:
        assert owner.todays_orders() == [], "nothing was taken while no owner listened"
    finally:
        owner.close()


def test_a_link_reconnects_to_a_restarted_owner_at_the_same_address(db_path, address):
    first = start_owner(db_path, address)
    link = WriterLink(address, lambda: KEY, reconnect_wait_s=DEADLINE)
    replica = ReplicaShop(db_path, link)
    try:
        before = replica.place_order(order(client_ref="before")).order_id
        first.close()   # the owner goes away (supervisord restarts it: a new process, same address)
        wait_until(lambda: not link.connected, DEADLINE)
        second = start_owner(db_path, address)   # it replaces the socket file the first one left
        try:
            after = replica.place_order(order(client_ref="after")).order_id
            replica.execute(c.StartCooking(after))
            assert after != before
            assert replica.place_order(order(client_ref="before")).order_id == before, "taken once"
        finally:
            second.close()
    finally:
        replica.close()
        link.close()
