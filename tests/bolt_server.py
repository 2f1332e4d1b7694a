"""Start and stop a real Bolt server for the tests.

By default the bundled test server: FalkorDB (installed by ``.ci/install-falkordb`` into
``$FALKORDB_HOME``, default ``/opt/falkordb``) in a redis-server on 127.0.0.1, free ports.
With ``NEO4J_URI`` set, the tests use that server instead; they empty its database, so they
refuse to run there unless ``AUTOGRAPH_TEST_RESET=1`` says that is fine.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FALKORDB_HOME = Path(os.environ.get("FALKORDB_HOME", "/opt/falkordb"))


def free_port(below: int = 65536) -> int:
    """A free TCP port on 127.0.0.1, below *below*."""
    for _ in range(200):
        with socket.socket() as s:
            if below < 65536:
                port = random.randrange(20000, below)
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
            else:
                s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    raise RuntimeError("no free port found")


def free_bolt_port() -> int:
    """FalkorDB silently ignores a BOLT_PORT above 32767 (it is read as a 16-bit signed int)."""
    return free_port(below=32768)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@dataclass
class FalkorServer:
    """A redis-server with the FalkorDB module and its Bolt port."""

    password: str | None = None
    bolt_port: int = field(default_factory=free_bolt_port)
    redis_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    workdir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="falkordb-"))

    @staticmethod
    def available() -> bool:
        return (FALKORDB_HOME / "redis-server").is_file() and (FALKORDB_HOME / "falkordb.so").is_file()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self) -> FalkorServer:
        args = [str(FALKORDB_HOME / "redis-server"), "--port", str(self.redis_port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.workdir]
        if self.password:
            args += ["--requirepass", self.password]
        args += ["--loadmodule", str(FALKORDB_HOME / "falkordb.so"),
                 "BOLT_PORT", str(self.bolt_port)]
        log = open(Path(self.workdir) / "server.log", "wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.bolt_port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log(self) -> str:
        path = Path(self.workdir) / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""
