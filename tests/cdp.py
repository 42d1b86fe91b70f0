"""Headless Chromium driven over the DevTools protocol, through a pipe.

`--remote-debugging-pipe` speaks the protocol on file descriptors 3 (in) and
4 (out), one JSON message per NUL-terminated chunk: no port to find, no
WebSocket library. Enough for a test to open a page and read what its
scripts did: `open(url)`, `evaluate(js)`, `wait_for(js)`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.chromium import FLAGS as HEADLESS

FLAGS = [*HEADLESS, "--remote-debugging-pipe"]   # the screen tests' headless flags, driven over a pipe


class Chromium:
    def __init__(self, profile: Path, size=(1300, 900)):
        binary = shutil.which("chromium")
        if binary is None:
            raise FileNotFoundError("chromium")
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def at_fds_3_and_4():   # where --remote-debugging-pipe looks
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.proc = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}",
                                      f"--window-size={size[0]},{size[1]}", "about:blank"],
                                     preexec_fn=at_fds_3_and_4, pass_fds=(3, 4),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer, self._ids, self.session = b"", 0, None

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self._write)
        os.close(self._read)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._ids += 1
        message = {"id": self._ids, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:   # events arrive in between: skipped
            reply = self._next()
            if reply.get("id") == self._ids:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _next(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed its pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url=url)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", self.session, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0, what: str = ""):
        """The expression's value once truthy; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what or expression}")
            time.sleep(0.1)
