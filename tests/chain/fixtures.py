"""The one session-wide chain every chain test uses: a fresh database on the local PostgreSQL
(127.0.0.1:5432), a private nats-server on a free port, and ``main.py chain``'s own launch code
(HAProxy, two replicas per context, the gateway) under supervisord.

Imported by tests/chain/conftest.py and tests/contract/conftest.py (the contract suite's "chain").
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from services.chain.launch import Chain, ChainLayout, drop_database
from services.chain.launch_private import NatsServer, answers, free_port, wait_for
from services.chain.settings import CONTEXTS, ChainSettings

PG = "postgresql://postgres@127.0.0.1:5432/"
START_DEADLINE_S = 180.0        # eleven Python processes starting on a busy 2-core machine
DEMO_STOCK = 5_000              # enough of every dish for the whole session's orders


@dataclass
class RunningChain:
    chain: Chain
    supervisor: object
    nats: NatsServer

    @property
    def url(self) -> str:
        return self.chain.layout.url

    @property
    def settings(self) -> ChainSettings:
        return self.chain.settings

    def ready(self) -> bool:
        urls = [f"{self.url}/ready", *(f"{u}/readyz" for u in self.settings.service_urls.values())]
        return all(answers(url) for url in urls)

    def wait_ready(self, timeout: float = START_DEADLINE_S) -> None:
        wait_for(self.ready, timeout, 0.25, f"every service of the chain ready (see {self.chain.data_dir})")

    def shop(self, **kwargs):
        from services.chain.gateway_shop import ChainShop
        return ChainShop(self.settings, **kwargs)


def pg_reachable() -> bool:
    import psycopg
    try:
        psycopg.connect(PG + "postgres", connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def running_chain(tmp_path_factory):
    if not pg_reachable():
        pytest.fail("PostgreSQL does not answer on 127.0.0.1:5432: ./dev chain installs and starts it")
    folder = tmp_path_factory.mktemp("chain")
    (folder / "nats").mkdir()
    name = f"t{uuid.uuid4().hex[:10]}"
    nats = NatsServer(folder / "nats").start()
    settings = ChainSettings(dsn=PG + f"sikdang_{name}", nats_url=nats.url, stream=name.upper())
    chain = Chain(settings, folder / "data", ChainLayout.free(replicas=2, gateways=1), demo=True)
    supervisor = None
    try:
        chain.prepare()
        supervisor = chain.supervisor().start()
        running = RunningChain(chain, supervisor, nats)
        running.wait_ready()
        _stock_up(running)
        yield running
    finally:
        if supervisor is not None:
            supervisor.close()
        nats.stop()
        drop_database(settings.dsn)


@pytest.fixture(scope="session")
def private_chain(tmp_path_factory):
    """A chain on a PostgreSQL cluster and a nats-server of its own, for the tests that restart them
    (crash, chaos): the machine's PostgreSQL, which other work may be using, is never restarted."""
    from services.chain.launch_private import PrivateChain
    with PrivateChain(tmp_path_factory.mktemp("private-chain"), replicas=2, gateways=2) as chain:
        yield chain


def _stock_up(running: RunningChain) -> None:
    shop = running.shop()
    try:
        for item in shop.menu():
            shop.restock(item.code, DEMO_STOCK)
    finally:
        shop.close()


__all__ = ["running_chain", "private_chain", "RunningChain", "NatsServer", "wait_for", "answers", "free_port",
           "CONTEXTS"]
