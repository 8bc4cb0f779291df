"""Every chain test shares one chain, started once per session (tests/chain/fixtures.py)."""
from tests.chain.fixtures import running_chain  # noqa: F401 - the session fixture
