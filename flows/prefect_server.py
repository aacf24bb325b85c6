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

    def __init__(self, services: bool, port: int | None = None, home: Path | None = None):
        self.services = services
        self.home = home  # PREFECT_HOME of the server and of this process (None: Prefect's default)
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
        env = None
        if self.home is not None:
            self.home.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, "PREFECT_HOME": str(self.home)}
            os.environ.setdefault("PREFECT_HOME", str(self.home))  # read when Prefect is imported
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True, env=env)
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


# ----------------------------------------------------------------------------- kept server
#
# Without a Prefect API configured, `fupin run` uses a Prefect server of the warehouse's
# own and keeps it for the next run: starting one costs seconds (the server imports
# Prefect too) -- most of a small run. Its state (Prefect's database of flow runs, logs
# and artifacts) lives beside the warehouse in <warehouse>.prefect/ (the server's
# PREFECT_HOME), not in ~/.prefect. A keeper process, in a session of its own (the
# terminal's Ctrl-C does not reach it), starts the server, and stops it once no run has
# used it for FUPIN_PREFECT_SERVER_IDLE seconds (default 600; 0: the run stops it when
# it ends). `fupin server status|stop` shows or stops it; <warehouse>.prefect/server.json
# says which processes and which address.

STATE_FILE = "server.json"
IN_USE_FILE = "in_use"  # runs hold a shared flock on it; its mtime is the last use


def home_for(warehouse: Path) -> Path:
    from fupin.flows.config import owned_path

    return owned_path(Path(warehouse), "prefect")


def configured_api_url() -> str | None:
    """The Prefect API a user configured, without importing Prefect: PREFECT_API_URL in the
    environment, else in the active profile of Prefect's profiles file; when Prefect is
    imported already (fupin called from Python, a test harness), its current settings."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url
    if "prefect.settings" in sys.modules:
        from prefect.settings import get_current_settings

        return get_current_settings().api.url or None
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    return (data.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Dead but not reaped (a killed keeper whose adopter, in a container without an init,
    never waits for it): gone for every purpose of ours. Read where /proc exists."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _healthy(api_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def read_state(home: Path) -> dict | None:
    """The kept server's record ({keeper_pid, server_pid, api_url, started_at, idle}), if its
    keeper is alive; a stale record is removed."""
    import json

    f = home / STATE_FILE
    try:
        st = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if _alive(st.get("keeper_pid")):
        return st
    _stop_orphan(st)
    f.unlink(missing_ok=True)
    return None


def _stop_orphan(st: dict) -> None:
    """A keeper killed outright (kill -9) left its server running: stop it, once its pid is
    still that server's (`prefect server start … --port P`, not a pid the system reused)."""
    import signal

    pid, url = st.get("server_pid"), st.get("api_url", "")
    port = url.rsplit(":", 1)[-1].split("/", 1)[0]
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, TypeError):
        return
    if b"server" in argv and b"start" in argv and port.encode() in argv and any(b"prefect" in a for a in argv):
        try:
            os.killpg(pid, signal.SIGTERM)  # its own session and group: uvicorn's workers too
        except (ProcessLookupError, PermissionError):
            pass


class KeptServer:
    """The warehouse's kept Prefect server for one run: reused when its keeper is alive,
    else started (returns at once; wait_ready() blocks until it answers). PREFECT_API_URL
    is set in os.environ before Prefect is imported; the run holds a shared lock on
    <home>/in_use until it ends, so the keeper never stops the server under it."""

    def __init__(self, warehouse: Path, idle: float):
        self.home = home_for(warehouse)
        self.idle = idle
        self.started = False
        self.api_url = ""
        self._lock_fd: int | None = None
        self._keeper: subprocess.Popen | None = None

    def start(self) -> "KeptServer":
        import fcntl

        self.home.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.home / IN_USE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_SH)  # waits while a keeper is stopping its server
        os.utime(self.home / IN_USE_FILE)
        st = read_state(self.home)
        if st is None:
            port = free_port()
            self.api_url = f"http://127.0.0.1:{port}/api"
            with open(self.home / "server.log", "ab") as log:
                self._keeper = subprocess.Popen([sys.executable, "-m", "fupin.flows.prefect_server", "keep", str(self.home),
                                  str(port), str(self.idle)], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                 start_new_session=True, env={**os.environ, "PREFECT_HOME": str(self.home)})
            self.started = True
        else:
            self.api_url = st["api_url"]
        os.environ["PREFECT_API_URL"] = self.api_url
        # what Prefect keeps on the client side goes beside the warehouse too, not ~/.prefect
        os.environ.setdefault("PREFECT_HOME", str(self.home))
        atexit.register(self.release)  # after Prefect's own exit handlers (LIFO): they still talk to it
        return self

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while not _healthy(self.api_url, 2):
            gone = self._keeper is not None and self._keeper.poll() is not None
            if gone or time.monotonic() > deadline:
                raise ServerError(f"the Prefect server of {self.home} did not answer on {self.api_url} "
                                  f"(see {self.home / 'server.log'})")
            time.sleep(0.1)

    def release(self) -> None:
        """The run is over: mark the last use, let the keeper count idle time from now (it
        stops the server at once when idle is 0)."""
        if self._lock_fd is None:
            return
        try:
            os.utime(self.home / IN_USE_FILE)
        except OSError:
            pass
        os.close(self._lock_fd)  # releases the shared lock
        self._lock_fd = None
        if self.idle <= 0:  # its keeper stops it; fupin does not wait for that
            stop_kept(self.home, timeout=0)


def stop_kept(home: Path, timeout: float = 20.0) -> dict | None:
    """Stop the kept server of `home` (SIGTERM to its keeper, which stops the server), and
    wait up to `timeout` seconds for both to end; the record it had, or None when none was
    running."""
    import signal

    st = read_state(home)
    if st is None:
        return None
    try:
        os.kill(st["keeper_pid"], signal.SIGTERM)
    except ProcessLookupError:
        pass
    if timeout <= 0:
        return st
    deadline = time.monotonic() + timeout
    while (_alive(st["keeper_pid"]) or _alive(st.get("server_pid"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(st.get("server_pid")):  # the keeper was killed (kill -9) before it could stop it
        os.kill(st["server_pid"], signal.SIGKILL)
    (home / STATE_FILE).unlink(missing_ok=True)
    return st


def _keep(home: Path, port: int, idle: float) -> None:
    """The keeper: start `prefect server start` (API only) with PREFECT_HOME=home, record
    it, and stop it on SIGTERM or once no run has held <home>/in_use for `idle` seconds."""
    import datetime as dt
    import fcntl
    import json
    import signal

    server = PrefectServer(services=False, port=port)
    server.start()
    record = {"keeper_pid": os.getpid(), "server_pid": server.proc.pid, "api_url": server.api_url,
              "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "idle_seconds": idle,
              "prefect_home": str(home)}
    tmp = home / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    tmp.replace(home / STATE_FILE)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fd = os.open(home / IN_USE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    while not stopping and server.proc.poll() is None:
        time.sleep(1.0)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # no run holds it
        except BlockingIOError:
            continue
        try:
            idle_for = time.time() - os.stat(home / IN_USE_FILE).st_mtime
        except OSError:
            idle_for = idle + 1
        if idle_for > idle:  # stop while holding the lock: a run arriving now waits, then starts a new one
            (home / STATE_FILE).unlink(missing_ok=True)
            server.stop()
            return
        fcntl.flock(fd, fcntl.LOCK_UN)
    (home / STATE_FILE).unlink(missing_ok=True)
    server.stop()


@contextlib.contextmanager
def api_for_run(kept: "KeptServer | None" = None):
    """Prefect's API for a flow run in this process: the kept server of the warehouse when
    the CLI started or found one (`kept`), else the one Prefect is configured with
    (PREFECT_API_URL from the environment or a Prefect profile, Prefect Cloud), else a
    temporary server of fupin's own, started here and stopped when fupin exits: atexit runs
    that after Prefect's own exit handlers (LIFO), which send the run's last logs and events
    to it."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if kept is not None:
        kept.wait_ready()
        with temporary_settings(updates={PREFECT_API_URL: kept.api_url}):
            yield kept
        return
    if get_current_settings().api.url:
        yield None
        return
    server = PrefectServer(services=False).start()
    server.wait_ready()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield server


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "keep":
    _keep(Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
