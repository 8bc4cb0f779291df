"""The contract suite runs against every implementation of the Shop port.

Add an implementation by adding a parameter to ``shop``: the workflow tests are written against the
port only, so they must pass unchanged.
"""
from __future__ import annotations

import pytest

# In the chain the gift service commits GiftSent during ordering's transaction, so GiftSent reaches the
# stream before Ordered; these tests expect Ordered first. Owner: chain-services (issue 12).
CHAIN_KNOWN_FAILURES = {"test_a_subscriber_sees_the_saga_in_order_and_events_since_resumes",
                        "test_7_mypage_shows_order_cooking_delivery_and_gift_with_times_and_the_timeline",
                        "test_every_event_carries_its_typed_payload_live_and_in_the_log"}


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
        if request.node.originalname in CHAIN_KNOWN_FAILURES:
            request.node.add_marker(pytest.mark.xfail(reason="GiftSent is published before Ordered", strict=False))
        # ChainShop over the services of one session-wide chain; its queries read this test's own
        # writes (consistent_reads: they wait until every relay and consumer has caught up).
        shop = request.getfixturevalue("running_chain").shop(consistent_reads=True)
        yield shop
        shop.close()
    else:
        raise ValueError(request.param)
