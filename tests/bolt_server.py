"""Start and stop a real Bolt server for the tests.

By default the bundled test server: FalkorDB (installed by ``.ci/install-falkordb`` into
``$FALKORDB_HOME``, default ``/opt/falkordb``) in a redis-server on 127.0.0.1, free ports.
With ``NEO4J_URI`` set, the tests use that server instead; they empty its database, so they
refuse to run there unless ``AUTOGRAPH_TEST_RESET=1`` says that is fine.

FalkorDB opens its Bolt port on every interface, unauthenticated, whatever ``--bind`` says
(that covers only the Redis port). So the server runs in a private network namespace that
has nothing but loopback (:class:`PrivateNetwork`), and the tests that talk to it enter that
namespace for their duration (their subprocesses inherit it). Creating one needs root (or
CAP_SYS_ADMIN), as in CI; elsewhere the Bolt tests are skipped unless
``AUTOGRAPH_TEST_SHARED_NETWORK=1`` accepts running the server on the machine's network.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import random
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

FALKORDB_HOME = Path(os.environ.get("FALKORDB_HOME", "/opt/falkordb"))


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


def _resp(reader):
    """One reply of the Redis protocol (RESP2)."""
    line = reader.readline()
    kind, body = line[:1], line[1:-2]
    if kind == b"+":
        return body.decode()
    if kind == b"-":
        return RuntimeError(body.decode())
    if kind == b":":
        return int(body)
    if kind == b"$":
        n = int(body)
        return None if n < 0 else reader.read(n + 2)[:-2].decode()
    if kind == b"*":
        n = int(body)
        return None if n < 0 else [_resp(reader) for _ in range(n)]
    raise RuntimeError(f"unexpected Redis reply {line!r}")


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
        with in_test_network():
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
            wait_for_port(self.bolt_port)
        return self

    def graph_query(self, cypher: str, timeout: float = 10) -> list:
        """Rows of a query over the Redis protocol (GRAPH.QUERY on the graph Bolt uses):
        an independent reader, and fast, where a Bolt connection costs a handshake."""
        args = [b"GRAPH.QUERY", b"falkordb", cypher.encode()]
        request = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=timeout) as sock:
            sock.sendall(request)
            reader = sock.makefile("rb")
            reply = _resp(reader)
        if isinstance(reply, Exception):
            raise reply
        return reply[1] if len(reply) == 3 else []

    def kill(self) -> None:
        """SIGKILL: the server dies at once, mid-statement if need be."""
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

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
