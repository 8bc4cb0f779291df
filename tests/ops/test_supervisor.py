"""services.ops.supervisor on a real supervisord: real processes, real SIGKILLs, real ports on loopback."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import httpx
import pytest

from services.http.server import free_port_block
from services.ops.supervisor import Program, Supervisor, SupervisorError
from tests.contract.helpers import wait_until
from tests.http.serve_process import running

DEADLINE = 60   # generous: the machine may be 2-4x slower than a quiet one


def http_program(name: str, port: int, **options) -> Program:
    """A replica that serves HTTP on ``port + replica`` (Python's own http.server)."""
    return Program(name, [sys.executable, "-m", "http.server", "{port}", "--bind", "127.0.0.1"], port=port,
                   ready_url="http://127.0.0.1:{port}/", **options)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def supervise(tmp_path):
    started = []

    def start(*programs: Program) -> Supervisor:
        supervisor = Supervisor(list(programs), tmp_path / "sv").start()
        started.append(supervisor)
        return supervisor
    yield start
    for supervisor in started:
        supervisor.close()


def test_a_sigkilled_process_is_back_and_serving(supervise):
    port = free_port_block(10)       # a replica listens on port + replica
    sv = supervise(http_program("web", port))
    sv.wait_ready(sv.programs["web"], 0, DEADLINE)
    victim = sv.pid("web-0")
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: sv.pid("web-0") not in (0, victim) and answers(f"http://127.0.0.1:{port}/"), DEADLINE)
    print(f"back in {time.monotonic() - killed:.2f} s")   # the 3 s target is measured by benchmarks/ops.py
    wait_until(lambda: sv.status() == {"web-0": "RUNNING"}, DEADLINE)   # once up for startsecs


def test_a_process_that_keeps_dying_backs_off_and_is_shown_fatal(supervise, tmp_path):
    starts = tmp_path / "starts"
    crash = f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"
    sv = supervise(Program("crashy", [sys.executable, "-c", crash], startretries=2, startsecs=1))
    wait_until(lambda: sv.status()["crashy-0"] == "FATAL", DEADLINE)
    assert starts.read_text() == "xxx", "the first start and startretries=2 more, then it stays down"
    with pytest.raises(SupervisorError, match="FATAL"):
        sv.wait_ready(sv.programs["crashy"], 0, DEADLINE)


def test_environment_reaches_each_replica_exactly_even_json(supervise, tmp_path):
    urls = {"gift": "http://127.0.0.1:18104", "odd": "it's \"quoted\", 100% and ,commas"}
    script = ('import os, sys, time; open(sys.argv[1], "w").write(os.environ["SIKDANG_SERVICE_URLS"] + "|" '
              '+ os.environ["SIKDANG_REPLICA"]); time.sleep(600)')
    supervise(Program("env", [sys.executable, "-c", script, str(tmp_path / "seen-{replica}")], numprocs=2,
                           environment={"SIKDANG_SERVICE_URLS": json.dumps(urls)}))
    for n in (0, 1):
        seen = wait_until(lambda: (tmp_path / f"seen-{n}").exists() and (tmp_path / f"seen-{n}").read_text(), DEADLINE)
        value, replica = seen.rsplit("|", 1)
        assert json.loads(value) == urls and replica == str(n)


def test_rolling_restart_replaces_each_replica_keeping_the_others_ready(supervise):
    port = free_port_block(10)       # a replica listens on port + replica
    sv = supervise(http_program("web", port, numprocs=2, surge=True, stopwaitsecs=5))
    for n in (0, 1):
        sv.wait_ready(sv.programs["web"], n, DEADLINE)
    before = {n: sv.pid(f"web-{n}") for n in (0, 1)}
    fewest_ready, done = [2], threading.Event()

    def watch():
        rpc_status = Supervisor([], sv.folder)   # a second client of the same supervisord
        while not done.is_set():
            up = [name for name, state in rpc_status.status().items() if state == "RUNNING"]
            fewest_ready[0] = min(fewest_ready[0], len(up))
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        sv.rolling_restart("web", DEADLINE)
    finally:
        done.set()
        watcher.join()
    after = {n: sv.pid(f"web-{n}") for n in (0, 1)}
    assert all(after[n] != before[n] for n in (0, 1)), "every replica was replaced"
    assert fewest_ready[0] >= 2, "with the surge replica, two were running at every moment"
    assert sv.status() == {"web-0": "RUNNING", "web-1": "RUNNING", "web-2": "STOPPED"}
    assert all(answers(f"http://127.0.0.1:{port + n}/") for n in (0, 1))


def test_scaling_adds_and_removes_replicas_without_touching_the_others(supervise):
    port = free_port_block(10)       # a replica listens on port + replica
    sv = supervise(http_program("web", port, numprocs=1))
    sv.wait_ready(sv.programs["web"], 0, DEADLINE)
    first = sv.pid("web-0")
    sv.scale("web", 3, DEADLINE)
    assert sv.status() == {"web-0": "RUNNING", "web-1": "RUNNING", "web-2": "RUNNING"}
    assert sv.pid("web-0") == first
    removed = sv.pid("web-2")
    sv.scale("web", 2, DEADLINE)
    assert set(sv.status()) == {"web-0", "web-1"} and sv.pid("web-0") == first
    assert not running(removed)


def test_run_foreground_stops_everything_on_sigterm_and_nothing_outlives_a_killed_supervisor(tmp_path):
    """SIGTERM: supervisord stops its processes and the caller gets 0. SIGKILL of the caller:
    supervisord and its processes go too (PDEATHSIG), so no orphan keeps a port."""
    script = textwrap.dedent("""
        import sys
        from services.ops.supervisor import Program, Supervisor
        program = Program("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"], numprocs=2)
        sys.exit(Supervisor([program], sys.argv[1]).run_foreground())
    """)
    for how in (signal.SIGTERM, signal.SIGKILL):
        folder = tmp_path / how.name
        proc = subprocess.Popen([sys.executable, "-c", script, str(folder)], cwd=os.getcwd())
        sv = Supervisor([], folder)
        wait_until(lambda: _running_pids(sv) if proc.poll() is None else pytest.fail("exited"), DEADLINE)
        pids = _running_pids(sv)
        proc.send_signal(how)
        code = proc.wait(DEADLINE)
        if how == signal.SIGTERM:
            assert code == 0
        wait_until(lambda: not any(running(pid) for pid in pids), DEADLINE)


def _running_pids(sv: Supervisor) -> list[int]:
    try:
        info = sv.info()
    except OSError:
        return []
    pids = [i["pid"] for i in info.values() if i["statename"] == "RUNNING"]
    return pids if len(pids) == 2 else []
