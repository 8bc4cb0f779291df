"""``main.py chain``'s plan: ports that do not overlap, and an HAProxy config HAProxy itself accepts."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from services.chain.launch import Chain, ChainLayout
from services.chain.launch_haproxy import render
from services.chain.settings import CONTEXTS, ChainSettings


def test_every_process_has_a_port_of_its_own():
    layout = ChainLayout.at(8080, replicas=9, gateways=9)
    ports = layout.all_ports()
    assert len(ports) == len(set(ports)) and min(ports) == 8080
    assert layout.service_urls()["kitchen"] == "http://127.0.0.1:8082"
    with pytest.raises(ValueError):
        ChainLayout.at(8080, replicas=10)


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is installed by ./dev chain")
def test_haproxy_accepts_the_config_with_checks_and_ejection(tmp_path):
    layout = ChainLayout.at(18080, replicas=3)
    config = tmp_path / "haproxy.cfg"
    config.write_text(render(layout.backends()))
    checked = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = config.read_text()
    for context in CONTEXTS:
        assert f"frontend {context}\n    bind 127.0.0.1:{layout.frontend(context)}" in text
        assert f"server {context}-2 127.0.0.1:{layout.service_base(context) + 2} check" in text
    assert "observe layer7 error-limit 5 on-error mark-down" in text and "GET /readyz" in text


def test_the_processes_run_the_services_the_gateway_and_haproxy(tmp_path):
    chain = Chain(ChainSettings(), tmp_path, ChainLayout.at(18080, replicas=2))
    programs = {p.name: p for p in chain.programs()}
    assert set(programs) == {*CONTEXTS, "gateway", "haproxy"}
    assert programs["kitchen"].numprocs == 2 and programs["kitchen"].command[2:5] == ["service", "kitchen", "--port"]
    haproxy = programs["haproxy"]       # two on the same ports, each with a config (a stats socket) of its own
    assert haproxy.numprocs == 2 and haproxy.expand(haproxy.command[-1], 1) == str(chain.haproxy_config(1))
    assert len(set(chain.haproxy_sockets())) == 2
    env = programs["gateway"].environment
    assert '"gift": "http://127.0.0.1:18084"' in env["SIKDANG_SERVICE_URLS"]
