"""Operating a running chain: restart every service one replica at a time, scale a service, show states
(``python main.py chain restart | scale CONTEXT N | status``).

The engine is the shop server's: ``services.ops.supervisor.Supervisor.rolling_restart`` and ``scale``,
talking to the chain's supervisord over its socket. What the chain adds is HAProxy's part (every
request to a replica goes through it, docs/chain.md):

- before a replica is stopped it is set to DRAIN in HAProxy (no new requests; checks go on) and we wait
  until it holds no request, so SIGTERM finds it idle but for what HAProxy sent just before; then it
  drains itself (open requests finish, the consumer's batch in hand is committed and acked, the leader
  lock is freed for another replica);
- a (re)started replica counts as ready once its own ``/readyz`` answers 200 *and* HAProxy has it UP,
  so the next one is stopped only when this one takes requests;
- each program has a surge slot (``Program.surge``): one extra replica is started first, so a service
  never has fewer replicas taking work than it runs. HAProxy itself is not restarted (its config does
  not change; a restart would drop every connection).

A command from another process finds the chain through ``<data>/chain.json``, which ``main.py chain``
writes when it starts (layout, settings, interpreter; ``scale`` records the new count there).
"""
from __future__ import annotations

import json
import os
import logging
import sys
import time
from pathlib import Path

from services.chain.launch import MAX_REPLICAS, SLOTS, Chain, ChainLayout
from services.chain.launch_haproxy import server_stats, set_server_state
from services.chain.settings import CONTEXTS, ChainSettings

log = logging.getLogger(__name__)

RECORD = "chain.json"
DRAIN_WAIT_S = 15.0      # a replica's open requests finish within this (the gateway's retries: 15 s)
ROTATION_WAIT_S = 30.0   # HAProxy has a ready replica UP after ``rise`` checks (about a second)
PROGRAMS = (*CONTEXTS, "gateway")   # what a rolling restart restarts, in this order


def record(chain: Chain) -> Path:
    """Write ``<data>/chain.json``: what ``ChainControl.of`` needs to rebuild the same programs."""
    path = chain.data_dir / RECORD
    previous = json.loads(path.read_text()) if path.exists() else {}
    settings = chain.settings
    record_text = json.dumps({
        "port": chain.layout.public_port, "replicas": chain.layout.replicas, "gateways": chain.layout.gateways,
        "host": chain.layout.host, "python": chain.python, "demo": chain.demo,
        "settings": {"dsn": settings.dsn, "nats_url": settings.nats_url, "stream": settings.stream},
        "numprocs": previous.get("numprocs", {}) if previous.get("port") == chain.layout.public_port else {},
    }, indent=1)
    # 0600: the record holds the database's DSN (with its password, if it has one)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        out.write(record_text)
    return path


class ChainControl:
    """Rolling restarts and scaling of one running chain, with HAProxy's rotation (module docstring)."""

    def __init__(self, chain: Chain, numprocs: dict[str, int] | None = None) -> None:
        from services.ops.supervisor import Supervisor
        self.chain = chain
        programs = chain.programs()
        for program in programs:
            program.numprocs = (numprocs or {}).get(program.name, program.numprocs)
        self.supervisor = Supervisor(programs, chain.data_dir / "supervisor")

    @classmethod
    def of(cls, data_dir: Path) -> ChainControl:
        """The chain running on ``data_dir`` (from its ``chain.json``)."""
        path = Path(data_dir) / RECORD
        if not path.exists():
            raise FileNotFoundError(f"no chain was started with --data {data_dir} ({path} is missing)")
        saved = json.loads(path.read_text())
        layout = ChainLayout(saved["port"], saved["replicas"], saved["gateways"], saved["host"])
        chain = Chain(ChainSettings(**saved["settings"]), Path(data_dir), layout, python=saved["python"],
                      demo=saved.get("demo", False))
        return cls(chain, saved["numprocs"])

    # -- HAProxy's rotation (on every HAProxy process: each balances on its own) ---------------------------
    def _haproxy(self) -> list[dict[str, dict[str, str]]]:
        """``show stat`` of every HAProxy process that answers (one being restarted by supervisord does not;
        it comes back with every replica READY and learns their health by its own checks)."""
        views = []
        for stats_socket in self.chain.haproxy_sockets():
            try:
                views.append(server_stats(stats_socket))
            except OSError as exc:
                log.warning("HAProxy at %s not reachable: %s", stats_socket, exc)
        return views

    def _set_state(self, process_name: str, state: str) -> int:
        """Set ``state`` on every HAProxy process that answers; returns how many did."""
        done = 0
        for stats_socket in self.chain.haproxy_sockets():
            try:
                set_server_state(stats_socket, process_name, state)
                done += 1
            except OSError as exc:
                log.warning("%s: HAProxy at %s not reachable to set %s: %s", process_name, stats_socket, state, exc)
        return done

    def take_out(self, process_name: str) -> None:
        """DRAIN in every HAProxy, then wait until none sends it a request (or ``DRAIN_WAIT_S``)."""
        if not self._set_state(process_name, "drain"):   # none up: nothing is sent to anyone; it drains itself
            return
        deadline = time.monotonic() + DRAIN_WAIT_S
        while time.monotonic() < deadline and any(
                view.get(process_name, {}).get("scur", "0") not in ("", "0") for view in self._haproxy()):
            time.sleep(0.05)

    def put_back(self, process_name: str) -> None:
        """Back in rotation (READY) in every HAProxy, and wait until each has it UP."""
        self._set_state(process_name, "ready")
        deadline = time.monotonic() + ROTATION_WAIT_S
        while not (views := self._haproxy()) or not all(
                view.get(process_name, {}).get("status", "").startswith("UP") for view in views):
            if time.monotonic() > deadline:
                raise TimeoutError(f"HAProxy does not have {process_name} UP after {ROTATION_WAIT_S:.0f} s")
            time.sleep(0.05)

    def _ready_again(self, name: str) -> None:
        """Every slot of ``name`` not running back to READY (a stopped surge replica stays DRAIN otherwise,
        and a replica later started in its slot would get no work); it shows DOWN until one runs there."""
        for slot in range(SLOTS):
            self._set_state(f"{name}-{slot}", "ready")

    # -- commands -------------------------------------------------------------------------------------
    def rolling_restart(self, names: tuple[str, ...] = PROGRAMS, timeout_s: float = 120.0, *, echo=None) -> None:
        """Restart every replica of every program in ``names``, one at a time (module docstring)."""
        for name in names:
            if echo:
                echo(f"restarting {name} ...")
            self.supervisor.rolling_restart(name, timeout_s, before_stop=self.take_out, after_ready=self.put_back)
            self._ready_again(name)

    def scale(self, name: str, replicas: int, timeout_s: float = 120.0) -> None:
        """Run ``replicas`` replicas of ``name``: added ones take work once HAProxy has them UP; removed
        ones are drained from HAProxy first, then stopped (SIGTERM: they drain)."""
        if not 1 <= replicas <= MAX_REPLICAS:
            raise ValueError(f"replicas must be 1-{MAX_REPLICAS}")
        before = self.supervisor.programs[name].numprocs
        self.supervisor.scale(name, replicas, timeout_s, before_stop=self.take_out)
        self._ready_again(name)
        for n in range(before, replicas):
            self.put_back(f"{name}-{n}")
        path = self.chain.data_dir / RECORD
        if path.exists():
            saved = json.loads(path.read_text())
            saved["numprocs"][name] = replicas
            path.write_text(json.dumps(saved, indent=1))

    def status(self) -> dict[str, tuple[str, str]]:
        """Each process: (supervisord's state, HAProxy's status or ""). Where the HAProxy processes
        disagree (one just restarted, still checking), every view is shown: ``UP | DOWN``."""
        views = self._haproxy()
        rotation = {name: " | ".join(dict.fromkeys(view.get(name, {}).get("status", "") for view in views))
                    for name in (views[0] if views else {})}
        return {name: (state, rotation.get(name, "")) for name, state in sorted(self.supervisor.status().items())}


def main(argv: list[str]) -> int:
    """``main.py chain restart|scale|status [--data D]``."""
    import argparse
    from services.chain.gateway import default_data_dir
    parser = argparse.ArgumentParser(prog="main.py chain", description="Operate a running chain (docs/operations.md)")
    parser.add_argument("action", choices=["restart", "scale", "status"])
    parser.add_argument("program", nargs="?",
                        help="scale: ordering, kitchen, delivery, gift, mypage, payments or gateway; "
                             "restart: only this one (default: every service, then the gateway)")
    parser.add_argument("replicas", nargs="?", type=int, help="scale: how many replicas")
    parser.add_argument("--data", type=Path, default=None, help="the running chain's data folder")
    args = parser.parse_args(argv)
    if args.program is not None and args.program not in PROGRAMS:
        parser.error(f"no program {args.program!r}: one of {', '.join(PROGRAMS)}")
    if args.action == "scale" and (args.program is None or args.replicas is None):
        parser.error("scale needs a program and a number of replicas: main.py chain scale ordering 3")
    try:
        control = ChainControl.of(args.data or default_data_dir())
        if args.action == "restart":
            control.rolling_restart((args.program,) if args.program else PROGRAMS, echo=print)
            print("every replica restarted", flush=True)
        elif args.action == "scale":
            control.scale(args.program, args.replicas)
            print(f"{args.program}: {args.replicas} replica(s)", flush=True)
        for name, (state, rotation) in control.status().items():
            print(f"{name:12} {state:9} {rotation}")
    except Exception as exc:  # noqa: BLE001 - one clear line for the operator
        print(f"main.py chain {args.action}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0
