"""A Prefect server that fupin starts for itself, in a session of its own.

Without PREFECT_API_URL, Prefect would start a temporary server as a plain child process:
Ctrl-C in the terminal reaches the whole foreground process group, so that server died with
the flow still talking to it, and Prefect's client retried the dead address for 70-77 s
before `fupin` could report anything. A server in its own session does not get the
terminal's Ctrl-C: the flow reports its end to a live server and fupin stops the server
itself when it leaves.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class ServerError(RuntimeError):
    pass


def free_port(preferred: int | None = None) -> int:
    for port in ((preferred, 0) if preferred else (0,)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return sock.getsockname()[1]
            except OSError:
                continue
    raise ServerError("no free port on 127.0.0.1")


class PrefectServer:
    """`prefect server start` on 127.0.0.1 in its own session. start() returns at once with
    the API URL set in os.environ (Prefect reads it when imported after; child processes
    such as Dask workers inherit it); wait_ready() blocks until the server answers."""

    def __init__(self, services: bool, port: int | None = None):
        self.services = services
        self.port = free_port(port)
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "PrefectServer":
        exe = Path(sys.executable).with_name("prefect")
        exe = str(exe) if exe.exists() else shutil.which("prefect")
        if not exe:
            raise ServerError("the `prefect` command is not installed")
        args = [exe, "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        if not self.services:  # a run needs only the API; schedules need the services
            args += ["--no-services", "--no-ui"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        os.environ["PREFECT_API_URL"] = self.api_url
        # Registered before Prefect is imported: atexit runs it after Prefect's own exit
        # handlers, which send the run's last logs and events to this server.
        atexit.register(self.stop)
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                raise ServerError(f"`prefect server start` exited with code {code}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise ServerError(f"the Prefect server did not answer on {self.api_url} within {timeout:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def api_for_run():
    """Prefect's API for a flow run in this process: the one Prefect is configured with
    (PREFECT_API_URL from the environment or a Prefect profile, Prefect Cloud), else a
    server of fupin's own, started here, in force inside the block (public settings API),
    and stopped when fupin exits: atexit runs that after Prefect's own exit handlers (LIFO),
    which send the run's last logs and events to it."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        yield None
        return
    server = PrefectServer(services=False).start()
    server.wait_ready()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield server
