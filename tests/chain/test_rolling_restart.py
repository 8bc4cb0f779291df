"""Zero-downtime operations on the chain, under load (issue 13, points 2 and 3): ``main.py chain restart``'s
engine (services.chain.control.ChainControl over services.ops.supervisor) restarts every service and the
gateway one replica at a time while two tills place orders through the public port: no request fails
(not even a 503), no order is lost or taken twice. A replica added under load takes its share of the
requests and events; one removed hands its share back with nothing lost.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from services.chain.control import PROGRAMS, ChainControl
from services.chain.drill import Load, check_sagas, rolling_restart_under_load
from services.chain.launch import ROOT
from tests.chain.fixtures import wait_for

pytestmark = pytest.mark.slow


def logged(data_dir, process_name: str, text: str) -> int:
    """How many lines of this replica's JSON log (services.ops.logs) say ``text``."""
    path = data_dir / "logs" / f"{process_name}.jsonl"
    return path.read_text().count(text) if path.exists() else 0


@pytest.mark.timeout(900)
def test_every_replica_restarted_one_at_a_time_under_load_fails_no_request_and_loses_no_order(running_chain):
    supervisor = ChainControl(running_chain.chain).supervisor
    before = {name: info["pid"] for name, info in supervisor.info().items()}
    drill = rolling_restart_under_load(running_chain, tills=2, customer="Rolling")
    after = supervisor.info()
    replaced = [name for name in before if name.rpartition("-")[0] in PROGRAMS
                and after[name]["statename"] == "RUNNING" and after[name]["pid"] != before[name]]
    running = [name for name, info in after.items() if info["statename"] == "RUNNING"
               and not name.startswith("haproxy-")]
    assert sorted(replaced) == sorted(running), "every replica was replaced, the surge ones stopped again"
    assert drill.counts["failed"] == 0 and drill.counts["shed"] == 0, (dict(drill.counts), drill.load.failures())
    assert not drill.load.refused(), drill.load.refused()
    assert drill.report.lost == [] and drill.report.duplicated == [], drill.report
    print(f"\nrolling restart: {len(replaced)} replicas replaced, {len(drill.load.acknowledged())} orders, "
          f"{dict(drill.counts)}")


@pytest.mark.timeout(600)
def test_a_replica_added_under_load_takes_its_share_and_one_removed_hands_it_back(running_chain):
    control = ChainControl(running_chain.chain)
    data_dir = running_chain.chain.data_dir
    kept = {name: control.supervisor.pid(name) for name in ("ordering-0", "ordering-1")}
    with Load(running_chain.url, tills=2, customer="Scaled") as load:
        load.more(5)
        control.scale("ordering", 3, timeout_s=180)
        # Its share of the requests (HAProxy sends it orders) and of the events (StockChecked, from the
        # durable consumer the replicas share)
        wait_for(lambda: logged(data_dir, "ordering-2", "PlaceOrder done") >= 5
                 and logged(data_dir, "ordering-2", "consumer: handled") >= 5, 120, 0.5,
                 "the added ordering replica taking orders and events")
        control.scale("ordering", 2, timeout_s=180)
        load.more(10)
    assert {name: control.supervisor.pid(name) for name in kept} == kept, "the others were not restarted"
    assert control.supervisor.status().get("ordering-2") in ("STOPPED", None)
    counts = load.counts()
    assert counts["failed"] == 0, (dict(counts), load.failures())
    shop = running_chain.shop(consistent_reads=True, settle_s=120)
    try:
        report = check_sagas(shop, load.acknowledged(), customer="Scaled")
    finally:
        shop.close()
    assert report.lost == [] and report.duplicated == [], report


def chain_command(*args: str, data_dir) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "chain", *args, "--data", str(data_dir)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.timeout(600)
def test_main_py_chain_restart_and_status_find_the_running_chain_by_its_data_folder(running_chain):
    data_dir = running_chain.chain.data_dir
    supervisor = running_chain.supervisor
    before = {name: supervisor.pid(name) for name in ("delivery-0", "delivery-1", "kitchen-0")}
    out = chain_command("restart", "delivery", data_dir=data_dir)
    assert "every replica restarted" in out
    assert supervisor.pid("delivery-0") != before["delivery-0"] and supervisor.pid("delivery-1") != before["delivery-1"]
    assert supervisor.pid("kitchen-0") == before["kitchen-0"], "only the program named"
    rows = {line.split()[0]: line.split()[1:] for line in chain_command("status", data_dir=data_dir).splitlines()}
    assert rows["delivery-0"] == ["RUNNING", "UP"] and rows["delivery-2"][0] == "STOPPED", rows
