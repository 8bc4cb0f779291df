"""Long-running processes under supervisord (PyPI ``supervisor``): restarted when they die, replicated,
restarted one at a time.

``Supervisor(programs, folder)`` writes ``folder/supervisord.conf``, runs supervisord on it and talks
to it over its XML-RPC Unix socket. Each replica of a ``Program`` is a supervisord program of its own,
named ``<name>-<replica>``, so replicas can be added and removed (``scale``) without touching the
others. In a program's ``command`` and ``ready_url``, ``{replica}`` is its number and ``{port}`` is
``Program.port + replica`` (so each replica listens on a port of its own).

What supervisord does for us (no restart loop of our own):
- a process that dies is started again at once (``autorestart``);
- one that dies within ``startsecs`` of starting backs off (1 s, 2 s, 3 s ...) and after
  ``startretries`` such failures is left ``FATAL`` — ``status()`` shows it;
- stopping sends SIGTERM to the process group, waits ``stopwaitsecs`` (the process drains), then
  SIGKILLs what is left.

A program with a ``socket`` (``tcp://host:port``) is an ``[fcgi-program]``: supervisord binds the
socket itself and hands it to each replica as fd 0 (all replicas share one port; uvicorn serves it
with ``fd=0``). It stays open while any replica runs, so a replica restarting refuses nothing.

Every process also dies with supervisord (``setpriv --pdeathsig``), and supervisord with the process
that started it, so a killed supervisor leaves nothing behind holding a port or a database.
"""
from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Callable
from pathlib import Path

import httpx
from supervisor.xmlrpc import SupervisorTransport  # type: ignore[import-untyped]  # supervisor has no type hints

from services.ops.program import Program, _escape

__all__ = ["Program", "Supervisor", "SupervisorError", "answers_200"]   # Program: services.ops.program

CONF_NAME = "supervisord.conf"
SOCKET_NAME = "supervisord.sock"
UNIX_PATH_MAX = 100          # sun_path is 108 bytes on Linux; keep a margin
PR_SET_PDEATHSIG = 1


Hook = Callable[[str], None]   # called with a process name (``ordering-1``)


class SupervisorError(RuntimeError):
    """supervisord did not start, or did not do what it was asked within the deadline."""


def _die_with_parent() -> None:
    """In the supervisord child, before exec: SIGTERM it when the process that started it dies."""
    if sys.platform.startswith("linux"):
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    """supervisord over ``programs``, with its config, socket, pid file and process output in ``folder``.

    Not thread-safe; one thread drives it. ``start`` ties supervisord's life to the calling thread's
    (Linux ``PDEATHSIG``): call it from a thread that lives as long as the processes should. Another
    process can query and command a running one: ``Supervisor([], same_folder).status()``.
    """

    def __init__(self, programs: list[Program], folder: Path) -> None:
        self.programs = {p.name: p for p in programs}
        self.folder = Path(folder).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket_path = self.folder / SOCKET_NAME
        if len(str(self.socket_path)) > UNIX_PATH_MAX:   # a deep folder: the socket goes somewhere short,
            digest = hashlib.sha1(str(self.folder).encode()).hexdigest()[:16]   # the same for every client
            short = Path(tempfile.gettempdir()) / f"sikdang-sv-{digest}"
            short.mkdir(mode=0o700, exist_ok=True)
            self.socket_path = short / SOCKET_NAME
        self.conf_path = self.folder / CONF_NAME
        self.process: subprocess.Popen | None = None

    # -- configuration -------------------------------------------------------------------------
    def write_config(self) -> Path:
        sections = [
            f"[unix_http_server]\nfile={_escape(str(self.socket_path))}\nchmod=0700\n",
            f"[supervisord]\nnodaemon=true\nsilent=true\nlogfile={_escape(str(self.folder / 'supervisord.log'))}\n"
            f"pidfile={_escape(str(self.folder / 'supervisord.pid'))}\nchildlogdir={_escape(str(self.folder))}\n",
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
            f"[supervisorctl]\nserverurl=unix://{_escape(str(self.socket_path))}\n",
        ]
        for program in self.programs.values():
            if program.socket:   # one section; the surge slot is its last process (so none autostarts)
                sections.append(program.section(None, self.folder, autostart=not program.surge))
                continue
            sections += [program.section(n, self.folder) for n in program.replicas()]
            if program.surge:
                sections.append(program.section(program.numprocs, self.folder, autostart=False))
        self.conf_path.write_text("\n".join(sections))
        return self.conf_path

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout_s: float = 60.0) -> Supervisor:
        """Start supervisord in the background; return once it answers (its programs are starting)."""
        self.write_config()
        self.process = process = subprocess.Popen(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(self.conf_path)],
            preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise SupervisorError(f"supervisord exited with {process.returncode}; "
                                      f"see {self.folder / 'supervisord.log'}")
            try:
                if self._rpc().supervisor.getState()["statename"] == "RUNNING":
                    self._start_shared_socket_replicas(timeout_s)
                    return self
            except (OSError, xmlrpc.client.Error):
                pass
            if time.monotonic() > deadline:
                raise SupervisorError(f"supervisord did not answer on {self.socket_path} in {timeout_s} s")
            time.sleep(0.05)

    def _start_shared_socket_replicas(self, timeout_s: float) -> None:
        """A shared-socket program with a surge slot does not autostart (the slot would too): start
        its replicas here, once the programs that start before it (lower ``priority``) are ready
        (the shop server's workers need the database its shop process creates); without waiting
        for them (``wait_ready`` does)."""
        rpc = self._rpc()
        for program in self.programs.values():
            if program.socket and program.surge:
                for before in [p for p in self.programs.values() if p.priority < program.priority and not p.socket]:
                    for n in before.replicas():
                        self.wait_ready(before, n, timeout_s)
                for n in program.replicas():
                    rpc.supervisor.startProcess(self._qualified(program.process_name(n)), False)

    def run_foreground(self, on_hangup: Callable[[Supervisor], None] | None = None) -> int:
        """Start, then block until supervisord exits; return its exit code. SIGTERM and SIGINT stop
        everything (each process drains first, by ``priority``). SIGHUP calls ``on_hangup`` (it must
        not block: a signal handler runs it), or else is passed on to every running process."""
        def stop(signum, frame):
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)

        def hang_up(signum, frame):
            if on_hangup:
                return on_hangup(self)
            try:
                self._rpc().supervisor.signalAllProcesses("HUP")
            except (OSError, xmlrpc.client.Error):
                pass
        previous = {s: signal.signal(s, h) for s, h in
                    ((signal.SIGTERM, stop), (signal.SIGINT, stop), (signal.SIGHUP, hang_up))}
        try:
            self.start()
            assert self.process is not None   # start() has set it, or raised
            return self.process.wait()
        finally:
            for s, h in previous.items():
                signal.signal(s, h)

    def close(self, timeout_s: float | None = None) -> None:
        """Stop every process (SIGTERM, drain, then SIGKILL after its stopwaitsecs) and supervisord."""
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        longest = max((p.stopwaitsecs for p in self.programs.values()), default=10)
        try:
            self.process.wait(timeout_s or longest + 30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # -- queries and commands ------------------------------------------------------------------
    def _rpc(self):
        transport = SupervisorTransport(None, None, f"unix://{self.socket_path}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)

    def info(self) -> dict[str, dict]:
        """supervisord's process info (pid, statename, start, ...) by process name."""
        return {i["name"]: i for i in self._rpc().supervisor.getAllProcessInfo()}

    def status(self) -> dict[str, str]:
        """State by process name (``ordering-0``): RUNNING, STARTING, BACKOFF, FATAL, STOPPED, EXITED..."""
        return {name: i["statename"] for name, i in self.info().items()}

    def pid(self, process_name: str) -> int:
        return self._rpc().supervisor.getProcessInfo(self._qualified(process_name))["pid"]

    def _qualified(self, process_name: str) -> str:
        """``group:process``: each replica is a group of its own, except a shared socket's replicas."""
        program = self.programs.get(process_name.rpartition("-")[0])
        if program is None:   # a Supervisor([], folder) querying a running one: ask it
            infos = {i["name"]: i["group"] for i in self._rpc().supervisor.getAllProcessInfo()}
            return f"{infos.get(process_name, process_name)}:{process_name}"
        return f"{program.group(process_name)}:{process_name}"

    def _processes(self, name: str) -> list[tuple[Program, int]]:
        """The replicas a name means: a program's name (all of them) or one process (``ordering-1``)."""
        if name in self.programs:
            return [(self.programs[name], n) for n in self.programs[name].replicas()]
        program_name, _, number = name.rpartition("-")
        if program_name in self.programs and number.isdigit():
            return [(self.programs[program_name], int(number))]
        raise KeyError(f"no program or process named {name!r}")

    def restart(self, name: str, timeout_s: float = 60.0) -> None:
        """Stop, then start, every process ``name`` means, all at once; return when they are ready."""
        targets = self._processes(name)
        rpc = self._rpc()
        for program, n in targets:
            self._stop(rpc, program.process_name(n))
        for program, n in targets:
            rpc.supervisor.startProcess(self._qualified(program.process_name(n)), True)
        for program, n in targets:
            self.wait_ready(program, n, timeout_s)

    def rolling_restart(self, name: str, timeout_s: float = 60.0, *, before_stop: Hook | None = None,
                        after_ready: Hook | None = None) -> None:
        """Restart the replicas of ``name`` one at a time, each ready before the next one stops.

        With ``surge`` an extra replica is started and ready first, so the program never has fewer
        than ``numprocs`` ready replicas; without it the others carry the load while one restarts.
        Stopping is SIGTERM: the replica drains (finishes what it has) before it exits.
        ``before_stop(process_name)`` runs before a replica is stopped and ``after_ready(process_name)``
        once a (re)started one is ready: e.g. taking it out of a balancer's rotation and putting it back.
        """
        targets = self._processes(name)
        rpc = self._rpc()
        surge = targets[0][0] if targets[0][0].surge and name in self.programs else None
        before_stop = before_stop or (lambda _name: None)
        after_ready = after_ready or (lambda _name: None)
        if surge:
            rpc.supervisor.startProcess(self._qualified(surge.process_name(surge.numprocs)), True)
            self.wait_ready(surge, surge.numprocs, timeout_s)
            after_ready(surge.process_name(surge.numprocs))
        for program, n in targets:
            before_stop(program.process_name(n))
            self._stop(rpc, program.process_name(n))
            rpc.supervisor.startProcess(self._qualified(program.process_name(n)), True)
            self.wait_ready(program, n, timeout_s)
            after_ready(program.process_name(n))
        if surge:
            before_stop(surge.process_name(surge.numprocs))
            self._stop(rpc, surge.process_name(surge.numprocs))

    def _stop(self, rpc, process_name: str) -> None:
        try:
            rpc.supervisor.stopProcess(self._qualified(process_name), True)
        except xmlrpc.client.Fault as fault:
            if "NOT_RUNNING" not in fault.faultString:
                raise

    def wait_ready(self, program: Program, replica: int, timeout_s: float = 60.0) -> None:
        """Block until the replica is RUNNING and, if the program has a ``ready_url``, answers 200."""
        process_name = program.process_name(replica)
        url = program.expand(program.ready_url, replica) if program.ready_url else None
        ready_file = Path(program.expand(program.ready_file, replica)) if program.ready_file else None
        deadline = time.monotonic() + timeout_s
        while True:
            info = self._rpc().supervisor.getProcessInfo(self._qualified(process_name))
            state = info["statename"]
            if state == "FATAL":
                raise SupervisorError(f"{process_name} keeps failing to start (FATAL); see {self.folder}")
            if state == "RUNNING" and (url is None or answers_200(url)) and (
                    ready_file is None or _holds(ready_file, str(info["pid"]))):
                return
            if time.monotonic() > deadline:
                raise SupervisorError(f"{process_name} not ready in {timeout_s} s (state {state})")
            time.sleep(0.05)

    def scale(self, name: str, numprocs: int, timeout_s: float = 60.0, *, before_stop: Hook | None = None) -> None:
        """Run ``numprocs`` replicas of a program: new ones are added (and waited for), extra ones
        stopped (draining; ``before_stop(process_name)`` first) and removed; the others are not
        touched (supervisord's own ``update``)."""
        program = self.programs[name]
        if program.socket:
            raise SupervisorError(f"{name}: replicas sharing a socket are one group; set numprocs and restart")
        before = set(program.replicas())
        program.numprocs = numprocs
        self.write_config()
        rpc = self._rpc()
        added, changed, removed = rpc.supervisor.reloadConfig()[0]
        mine = lambda group: group.rpartition("-")[0] == name   # noqa: E731
        for group in [g for g in removed + changed if mine(g)]:
            if before_stop:
                before_stop(group)
            self._stop(rpc, group)
            rpc.supervisor.removeProcessGroup(group)
        for group in [g for g in added + changed if mine(g)]:
            rpc.supervisor.addProcessGroup(group)   # starts it, unless it is the surge slot
        for n in sorted(set(program.replicas()) - before):
            self.wait_ready(program, n, timeout_s)

    def __enter__(self) -> Supervisor:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text() == text
    except OSError:
        return False


def answers_200(url: str) -> bool:
    """The URL answers 200 now (a readiness check); a refused or timed-out connection is False."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
