"""The chain's settings: the environment read in one place, bad values named."""
from __future__ import annotations

import subprocess
import sys

import pytest

from services.chain.settings import DEFAULT_DSN, ChainSettings, context_name
from tests.chain_services.support import ROOT


def test_order_is_an_alias_of_ordering_and_unknown_contexts_are_named():
    assert context_name("order") == "ordering" and context_name("mypage") == "mypage"
    with pytest.raises(ValueError, match="unknown context 'billing'"):
        context_name("billing")


def test_settings_from_the_environment():
    settings = ChainSettings.from_env({"SIKDANG_STREAM": "S1", "SIKDANG_SERVICE_URLS": '{"gift": "http://g"}'})
    assert (settings.dsn, settings.stream, settings.service_urls) == (DEFAULT_DSN, "S1", {"gift": "http://g"})
    with pytest.raises(ValueError, match="SIKDANG_SERVICE_URLS"):
        ChainSettings.from_env({"SIKDANG_SERVICE_URLS": "gift=http://g"})
    assert ChainSettings.from_env({"SIKDANG_PG_POOL_MAX": "4"}).pg_pool_max == 4
    with pytest.raises(ValueError, match="SIKDANG_PG_POOL_MAX"):
        ChainSettings.from_env({"SIKDANG_PG_POOL_MAX": "1"})
    assert ChainSettings.from_env({}).call_hold_s == 30.0
    assert ChainSettings.from_env({"SIKDANG_CALL_HOLD_S": "2.5"}).call_hold_s == 2.5
    for wrong in ("soon", "0", "120"):     # past JetStream's 2-minute duplicate window the copies would both land
        with pytest.raises(ValueError, match="SIKDANG_CALL_HOLD_S"):
            ChainSettings.from_env({"SIKDANG_CALL_HOLD_S": wrong})


def test_the_service_command_names_a_wrong_context():
    done = subprocess.run([sys.executable, "main.py", "service", "billing", "--port", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "unknown context 'billing'" in done.stderr
