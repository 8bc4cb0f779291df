"""The staff list against the chain: its gateway is the shop server's app over the gateway's own staff
file, so a till pointed at the chain manages the chain's staff through the same port calls and routes
(the staff is the gateway's, not a context's: no service is involved)."""
from __future__ import annotations

import httpx
import pytest

from services.errors import WeakPin
from services.port import DeactivateStaff, SaveStaff
from services.remote import open_remote_shop


def test_a_till_on_the_chain_adds_and_deactivates_a_person_as_the_manager(running_chain, tmp_path):
    till = open_remote_shop(running_chain.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        manager = till.verify_manager_pin("9999")
        assert {"counter", "kitchen", "rider", "manager"} <= {m.staff_id for m in till.staff_members()}
        with pytest.raises(WeakPin):
            till.save_staff(SaveStaff("chainrider", "오하준 Oh Hajun", "rider", "99", staff=manager))
        till.save_staff(SaveStaff("chainrider", "오하준 Oh Hajun", "rider", "6042", staff=manager, reason="new rider"))
        rider = {"staffId": "chainrider", "pin": "6042"}
        signed = httpx.post(f"{running_chain.url}/auth/sign-in", json=rider, timeout=30)
        assert signed.status_code == 200 and signed.json()["role"] == "rider"
        till.deactivate_staff(DeactivateStaff("chainrider", staff=manager, reason="season over"))
        again = httpx.post(f"{running_chain.url}/auth/sign-in", json=rider, timeout=30)
        assert again.status_code == 403 and again.json()["code"] == "deactivated"
        me = httpx.get(f"{running_chain.url}/auth/me", timeout=30,
                       headers={"Authorization": f"Bearer {signed.json()['token']}"})
        assert me.status_code == 401, "deactivating ended the session"
    finally:
        till.close()


def test_a_real_chain_has_no_demo_pins_and_its_first_manager_is_added_on_the_machine(tmp_path):
    """Without ``--demo`` (``main.py chain --demo``) the gateway's new staff file is empty: nobody signs in
    with a published PIN; ``main.py staff add --chain-data`` adds the first manager to the file every
    gateway of that chain reads. (A gateway alone: signing in needs no service.)"""
    import asyncio
    import json
    import os
    import subprocess
    import sys

    import nats

    from services.chain.launch import Chain, ChainLayout
    from services.chain.launch_private import NatsServer, answers, free_port, wait_for
    from services.chain.nats import ensure_stream
    from services.chain.settings import CONTEXTS, ChainSettings
    from tests.http.serve_process import ROOT

    programs = {demo: {p.name: p for p in Chain(ChainSettings(), tmp_path, ChainLayout.at(18080), demo=demo).programs()}
                for demo in (False, True)}
    assert "--demo" not in programs[False]["gateway"].command and "--demo" in programs[True]["gateway"].command

    (tmp_path / "nats").mkdir()
    broker = NatsServer(tmp_path / "nats").start()

    async def make_stream():
        nc = await nats.connect(broker.url)
        await ensure_stream(nc.jetstream(), "DEMOLESS")
        await nc.close()
    asyncio.run(make_stream())
    port, data = free_port(), tmp_path / "chain-data"
    env = {**os.environ, "SIKDANG_NATS_URL": broker.url, "SIKDANG_STREAM": "DEMOLESS",
           "SIKDANG_SERVICE_URLS": json.dumps({context: "http://127.0.0.1:9" for context in CONTEXTS})}
    gateway = subprocess.Popen([sys.executable, "main.py", "gateway", "--port", str(port), "--data", str(data)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(url + "/health"), 120, 0.2, "the gateway answering")
        sign_in = lambda pin: httpx.post(url + "/auth/sign-in", json={"staffId": "manager", "pin": pin},  # noqa: E731
                                         timeout=30).status_code
        assert sign_in("9999") == 401
        added = subprocess.run([sys.executable, "main.py", "staff", "add", "manager", "--role", "manager", "--name",
                                "최지훈", "--chain-data", str(data)], cwd=ROOT, input="572913\n", capture_output=True,
                               text=True, timeout=120)
        assert added.returncode == 0 and str(data / "staff.sqlite") in added.stdout, added.stdout + added.stderr
        assert sign_in("572913") == 200
    finally:
        gateway.kill()
        gateway.wait(60)
        broker.stop()
