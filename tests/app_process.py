"""Waiting for an app started as a real process to be up, by a signal rather than a guess."""
from __future__ import annotations

import signal
import subprocess
import time


def catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler installed for ``signum`` (the kernel's SigCgt mask)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except FileNotFoundError:
        pass
    return False


def wait_until_the_app_is_up(proc: subprocess.Popen, timeout_s: float = 60.0) -> None:
    """The app installs its SIGTERM handler (``pos_app.interrupt.QuitOnInterrupt``) once its windows
    are shown, just before its event loop runs; Python itself never catches SIGTERM. So that handler
    appearing is the sign that the app is up. Fails at once if the process ends instead."""
    deadline = time.monotonic() + timeout_s
    while not catches(proc.pid, signal.SIGTERM):
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, f"the app was not up within {timeout_s} s"
        time.sleep(0.05)
