"""One kind of supervised process (``Program``) and the supervisord config section it becomes;
``services.ops.supervisor`` runs them."""
from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from services.ops.settings import REPLICA


@dataclass
class Program:
    """One kind of process, run as ``numprocs`` replicas.

    ``surge``: ``rolling_restart`` first starts one extra replica (number ``numprocs``) and waits for
    it to be ready, so capacity never drops below ``numprocs``; it is stopped again at the end.
    ``ready_url``: polled after a (re)start until it answers 200 (e.g. ``http://127.0.0.1:{port}/readyz``);
    without it a replica counts as ready once supervisord has it RUNNING (``startsecs`` after start).
    ``ready_file``: the replica is ready once this file (``{replica}`` expanded) holds its pid: the
    process writes it when it serves (for replicas sharing a ``socket``, where no URL reaches one of them).
    ``console``: its output goes to supervisord's stdout (a terminal, a container log) instead of a file.
    ``socket``: ``tcp://host:port`` held by supervisord for every replica (see the module's doc).
    ``priority``: lower starts first and stops last (supervisord's).
    """
    name: str
    command: list[str]
    numprocs: int = 1
    environment: dict[str, str] = field(default_factory=dict)
    directory: Path | None = None
    stopwaitsecs: int = 10
    startsecs: int = 1
    startretries: int = 3
    port: int | None = None
    ready_url: str | None = None
    surge: bool = False
    console: bool = False
    ready_file: str | None = None
    socket: str | None = None
    priority: int = 999

    def replicas(self) -> list[int]:
        return list(range(self.numprocs))

    def process_name(self, replica: int) -> str:
        return f"{self.name}-{replica}"

    def expand(self, text: str, replica: int) -> str:
        port = "" if self.port is None else str(self.port + replica)
        return text.replace("{replica}", str(replica)).replace("{port}", port)

    def group(self, process_name: str) -> str:
        """supervisord's group of one of its processes: the program's for a shared socket, else its own."""
        return self.name if self.socket else process_name

    def section(self, replica: int | None, folder: Path, autostart: bool = True) -> str:
        """The ``[program:...]`` section of one replica, or with ``replica=None`` the ``[fcgi-program:...]``
        section of them all. The environment goes on the command line through ``env``: supervisord's
        own ``environment=`` parser cannot hold a value such as JSON."""
        if replica is None:   # supervisord numbers the processes: %(process_num)d, after escaping
            return self._section(_REPLICA_MARK, folder, autostart).replace(_REPLICA_MARK, "%(process_num)d")
        return self._section(replica, folder, autostart)

    def _section(self, replica, folder: Path, autostart: bool) -> str:
        argv = [self.expand(part, replica) for part in self.command]
        env = {REPLICA: str(replica), **{k: self.expand(v, replica) for k, v in self.environment.items()}}
        argv = ["env", *(f"{k}={v}" for k, v in env.items()), *argv]
        if any("\n" in part for part in argv):
            raise ValueError(f"{self.name}: a command argument or environment value has a newline "
                             "(supervisord's config is one line per setting)")
        if shutil.which("setpriv"):   # util-linux: the process gets SIGTERM when supervisord dies
            argv = ["setpriv", "--pdeathsig", "TERM", *argv]
        name = self.process_name(replica)
        out = "/dev/stdout" if self.console else str(folder / f"{name}.out")
        if self.socket:
            count = self.numprocs + (1 if self.surge else 0)
            header = [f"[fcgi-program:{self.name}]", f"socket={_escape(self.socket)}", "socket_backlog=4096",
                      f"numprocs={count}", f"process_name={_escape(self.name)}-{_REPLICA_MARK}"]
        else:
            header = [f"[program:{name}]"]
        lines = [*header, f"command={_escape(shlex.join(argv))}", f"priority={self.priority}",
                 f"autostart={'true' if autostart else 'false'}", "autorestart=true",
                 f"startsecs={self.startsecs}", f"startretries={self.startretries}",
                 "stopsignal=TERM", f"stopwaitsecs={self.stopwaitsecs}", "stopasgroup=true", "killasgroup=true",
                 "redirect_stderr=true", f"stdout_logfile={_escape(out)}"]
        if self.console:
            lines.append("stdout_logfile_maxbytes=0")
        if self.directory:
            lines.append(f"directory={_escape(str(self.directory))}")
        return "\n".join(lines) + "\n"


_REPLICA_MARK = "@@replica@@"   # stands for supervisord's %(process_num)d until the line is escaped


def _escape(value: str) -> str:
    return value.replace("%", "%%")   # supervisord expands %(name)s in these values
