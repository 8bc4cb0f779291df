"""The contract suite runs against every implementation of the Shop port.

Add an implementation by adding a parameter to ``shop``: the workflow tests are written against the
port only, so they must pass unchanged.
"""
from __future__ import annotations

import pytest


@pytest.fixture(params=["local", "remote"])
def shop(request, local_shop, tmp_path):
    if request.param == "local":
        yield local_shop
    elif request.param == "remote":
        # The same LocalShop served by the gateway on loopback, reached through RemoteShop over HTTP.
        from tests.http.served import remote_shop_over
        with remote_shop_over(local_shop, tmp_path) as remote:
            yield remote
    else:
        raise ValueError(request.param)
