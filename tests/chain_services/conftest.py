"""Fixtures of the chain services' tests: a database migrated once per session (a template), a fresh
copy of it per test, a private nats-server per test, a unique stream name per test."""
from __future__ import annotations

import pytest

from services.chain import schema
from services.chain.settings import CONTEXTS
from tests.chain_services.support import NatsServer, ServiceProcess, create_database, drop_database, unique


@pytest.fixture(scope="session")
def template_db():
    """A database with every context's schema migrated and seeded, copied by each test."""
    name = unique("sikdang_tpl")
    dsn = create_database(name)
    for context in CONTEXTS:
        schema.upgrade(dsn, context)
    yield name
    drop_database(name)


@pytest.fixture
def pg_dsn(template_db):
    name = unique("sikdang_test")
    dsn = create_database(name, template=template_db)
    yield dsn
    drop_database(name)


@pytest.fixture
def nats_server(tmp_path):
    server = NatsServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def stream():
    return unique("T").upper()


@pytest.fixture
def chain_env(pg_dsn, nats_server, stream):
    return {"SIKDANG_PG_DSN": pg_dsn, "SIKDANG_NATS_URL": nats_server.url, "SIKDANG_STREAM": stream}


@pytest.fixture
def services(chain_env, tmp_path):
    """``services(*contexts, **extra_env)`` starts those services (gift first, so ordering can call it)
    and waits until each is ready; all are stopped at the end."""
    started: list[ServiceProcess] = []

    def start(*contexts: str, **extra_env: str) -> dict[str, ServiceProcess]:
        processes = {c: ServiceProcess(c, chain_env, tmp_path) for c in contexts}
        if "gift" in processes:
            extra_env.setdefault("SIKDANG_SERVICE_URLS", f'{{"gift": "{processes["gift"].url}"}}')
        for process in processes.values():
            process.start(**extra_env)
            started.append(process)
        for process in processes.values():
            process.wait_ready()
        return processes

    yield start
    for process in started:
        process.close()
