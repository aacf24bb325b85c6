"""A small Chrome DevTools Protocol client over --remote-debugging-pipe, for tests that need
real clicks, script evaluation, console messages and screenshots in Debian's headless
Chromium. No Python package and no browser download: Chromium reads commands on fd 3 and
writes replies on fd 4, as NUL-terminated JSON."""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


_TRAMPOLINE = """
import fcntl, os, sys
r, w = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
os.dup2(r, 3)
os.dup2(w, 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, exe: str, width: int = 1280, height: int = 1000):
        r_cmd, self._w = os.pipe()
        self._r, w_evt = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="fupin_cdp_")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
                 f"--window-size={width},{height}", "about:blank"]
        # the pipe ends must be fds 3 and 4 in Chromium: a small trampoline moves them there
        # (through fds >= 10 first, so that neither overwrites the other) and execs it
        self.proc = subprocess.Popen([sys.executable, "-c", _TRAMPOLINE, str(r_cmd), str(w_evt), exe, *flags],
                                     pass_fds=(r_cmd, w_evt), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(r_cmd)
        os.close(w_evt)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    # -- protocol
    def _recv(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise CDPError("no message from chromium in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise CDPError("chromium closed the pipe")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._recv(timeout)
            if m.get("id") == self._id:
                if "error" in m:
                    raise CDPError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def send(self, method: str, **params) -> dict:
        """A command to the page."""
        return self.call(method, session=self.session, **params)

    def wait_event(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        seen = len(self.events)
        while True:
            for m in self.events[seen:]:
                if m.get("method") == method:
                    return m
            seen = len(self.events)
            self.events.append(self._recv(max(0.1, deadline - time.monotonic())))

    # -- page
    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str):
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise CDPError(f"{expression[:80]}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def point(self, selector: str) -> list[float]:
        """A point inside the element's first box (scrolled into view first)."""
        return self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                       "e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0]; "
                       "return [r.left + Math.min(r.width, 8) / 2, r.top + r.height / 2]; })()")

    def move(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def click(self, selector: str) -> None:
        """A real mouse click at the element."""
        x, y = self.point(selector)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path, full_page: bool = False) -> None:
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def console_errors(self) -> list[str]:
        out = []
        for m in self.events:
            p = m.get("params", {})
            if m.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(json.dumps(p.get("args", []))[:300])
            elif m.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "")[:300])
        return out

    def dialogs(self) -> list[dict]:
        return [m["params"] for m in self.events if m.get("method") == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (CDPError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)
