"""The worker as a child process of ``tuopin serve``: started with the web server, stopped with it.

The child dies with its parent (Linux ``PR_SET_DEATHSIG``): a server killed outright never leaves a worker
behind that would run on beside the next start's worker. A task cut off that way stays "running" in the queue
and is put back by ``jobs_recover`` when the next worker starts.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

PR_SET_DEATHSIG = 1
STOP_SECONDS = 10


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_DEATHSIG, signal.SIGKILL)


def worker_start(*, interval: float = 1.0) -> subprocess.Popen:
    """Start ``tuopin worker`` as a child with the same settings and database as this process."""
    command = [sys.executable, "-m", "tuopin.cli", "worker", "--interval", str(interval)]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        command,
        env=os.environ.copy(),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def worker_stop(process: subprocess.Popen, *, wait: float = STOP_SECONDS) -> None:
    """Ask the worker to stop after its current task; if it is still busy after ``wait`` seconds, stop it
    (its task goes back on the queue at the next start)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
