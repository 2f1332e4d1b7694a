"""Start and stop a real Neo4j server for the tests.

By default the project's test server: Neo4j 5.26 LTS Community with the Graph Data Science
library, started by ``.ci/neo4j-server`` (resolved from Maven Central, Bolt on 127.0.0.1,
authentication on). With ``NEO4J_URI`` set, the tests use that server instead; they empty its
database, so they refuse to run there unless ``AUTOGRAPH_TEST_RESET=1`` says that is fine.

The server listens on 127.0.0.1 only; the tests still run it in a private network namespace
that has nothing but loopback (:class:`PrivateNetwork`), so nothing a test starts can reach,
or be reached from, another address. The tests that talk to it enter that namespace for their
duration (their subprocesses inherit it). Creating one needs root (or CAP_SYS_ADMIN), as in
CI; elsewhere the Bolt tests are skipped unless ``AUTOGRAPH_TEST_SHARED_NETWORK=1`` accepts
running the server on the machine's network.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_SCRIPT = ROOT / ".ci" / "neo4j-server"
TEST_PASSWORD = "autograph-test"


CLONE_NEWNET = 0x40000000
_SIOCSIFFLAGS, _SIOCGIFADDR = 0x8914, 0x8915
_IFF_UP, _IFF_LOOPBACK, _IFF_RUNNING = 0x1, 0x8, 0x40
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def _thread_netns() -> int:
    return os.open("/proc/thread-self/ns/net", os.O_RDONLY)


class PrivateNetwork:
    """A network namespace with only a loopback interface, entered per thread.

    Namespaces belong to threads: :meth:`entered` moves the calling thread in and back out;
    processes started meanwhile (the server, the CLI under test) stay in it, and so do
    threads it starts (the backend's driver thread).
    """

    def __init__(self):
        self.host = _thread_netns()
        if _libc.unshare(CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"cannot create a private network namespace: {os.strerror(err)}")
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                fcntl.ioctl(s, _SIOCSIFFLAGS,
                            struct.pack("16sh", b"lo", _IFF_UP | _IFF_LOOPBACK | _IFF_RUNNING))
            self.fd = _thread_netns()
        finally:
            _setns(self.host)

    @contextlib.contextmanager
    def _switched(self, fd: int) -> Iterator[None]:
        before = _thread_netns()
        try:
            _setns(fd)
            yield
        finally:
            _setns(before)
            os.close(before)

    def entered(self):
        """In this network for a while (the calling thread and what it starts)."""
        return self._switched(self.fd)

    def left(self):
        """Back in the machine's own network for a while (to look at it from outside)."""
        return self._switched(self.host)


_NETWORK: PrivateNetwork | None = None
# A server named by NEO4J_URI is reached over the machine's network.
SHARED_NETWORK = (os.environ.get("AUTOGRAPH_TEST_SHARED_NETWORK") == "1"
                  or bool(os.environ.get("NEO4J_URI")))


def private_network() -> PrivateNetwork | None:
    """The test run's private network (created once); None when the run opted out."""
    global _NETWORK
    if SHARED_NETWORK:
        return None
    if _NETWORK is None:
        _NETWORK = PrivateNetwork()
    return _NETWORK


@contextlib.contextmanager
def in_test_network() -> Iterator[None]:
    """Run the block in the private network (or, when opted out, where we are)."""
    net = private_network()
    with net.entered() if net else contextlib.nullcontext():
        yield


def ipv4_addresses() -> dict[str, str]:
    """Interface name -> IPv4 address, for the interfaces of the calling thread's network."""
    found = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(s, _SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            except OSError:
                continue  # no IPv4 address
            found[name] = socket.inet_ntoa(packed[20:24])
    return found


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (free when asked: nothing listens there)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Neo4jServer:
    """A real Neo4j started by ``.ci/neo4j-server`` in the private network.

    The script prints ``bolt://127.0.0.1:PORT`` once Bolt accepts connections; the process
    stays in the foreground until it is stopped (SIGTERM shuts Neo4j down cleanly) or killed.
    """

    password: str = TEST_PASSWORD
    home: str | None = None
    startup_timeout: float = 300.0
    uri: str = ""
    process: subprocess.Popen | None = None
    workdir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="autograph-neo4j-test-"))

    @staticmethod
    def prepare() -> None:
        """Resolve and compile what the server needs (Maven; a no-op once cached). Runs in
        the machine's network: the private one has no route to Maven Central."""
        subprocess.run([str(SERVER_SCRIPT), "prepare"], check=True,
                       stdout=subprocess.DEVNULL, timeout=1200)

    @staticmethod
    def available() -> tuple[bool, str]:
        missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
        if missing:
            return False, f"the Neo4j test server needs {', '.join(missing)} (Java 17 and Maven)"
        return True, ""

    def start(self) -> Neo4jServer:
        args = [str(SERVER_SCRIPT), "--port", "0"]
        if self.home:
            args += ["--home", self.home]
        env = {**os.environ, "NEO4J_PASSWORD": self.password}
        self._log = open(Path(self.workdir) / "server.log", "wb")
        with in_test_network():
            self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log,
                                            env=env, start_new_session=True)
        self.uri = self._first_line()
        return self

    def _first_line(self) -> str:
        box: list[bytes] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        line = box[0].decode().strip() if box else ""
        if not line.startswith("bolt://127.0.0.1:"):
            self.kill()
            raise RuntimeError(f"the Neo4j test server did not start within "
                               f"{self.startup_timeout:g} s; its log:\n{self.log()[-3000:]}")
        return line

    def jvm_pid(self) -> int:
        """The Java process of the server (a child of the script), to freeze it with SIGSTOP."""
        out = subprocess.run(["pgrep", "-P", str(self.process.pid), "java"],
                             capture_output=True, text=True).stdout.split()
        if not out:
            raise RuntimeError("the Neo4j test server has no Java process")
        return int(out[0])

    def kill(self) -> None:
        """SIGKILL the whole server (script and JVM): it dies at once, mid-statement if need
        be, as a machine that loses power."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log(self) -> str:
        path = Path(self.workdir) / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""
