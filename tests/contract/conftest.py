"""The contract suite runs against every implementation of the Shop port.

Add an implementation by adding a parameter to ``shop``: the workflow tests are written against the
port only, so they must pass unchanged.
"""
from __future__ import annotations

import pytest


@pytest.fixture(params=["local"])
def shop(request, local_shop):
    if request.param == "local":
        return local_shop
    raise ValueError(request.param)
