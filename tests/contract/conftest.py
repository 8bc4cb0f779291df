"""The contract suite runs against every implementation of the Shop port.

Add an implementation by adding a parameter to ``shop``: the workflow tests are written against the
port only, so they must pass unchanged.
"""
from __future__ import annotations

import pytest


@pytest.fixture(params=["local", "remote", "chain"])
def shop(request, local_shop, tmp_path):
    if request.param == "local":
        yield local_shop
    elif request.param == "remote":
        # The same LocalShop served by the gateway on loopback, reached through RemoteShop over HTTP.
        from tests.http.served import remote_shop_over
        with remote_shop_over(local_shop, tmp_path) as remote:
            yield remote
    elif request.param == "chain":
        # ChainShop over the services of one session-wide chain; its queries read this test's own
        # writes (consistent_reads: they wait until every relay and consumer has caught up).
        shop = request.getfixturevalue("running_chain").shop(consistent_reads=True)
        yield shop
        shop.close()
    else:
        raise ValueError(request.param)
