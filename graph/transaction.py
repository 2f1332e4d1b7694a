"""A change to a dataset folder as one transaction: a lock, and a journal that commits.

A dataset is a plain folder of CSV files that a user points ``--data`` at, so a change
(``merge``, ``format``) is made inside that folder in three parts:

**The lock.** ``.autograph.lock`` in the dataset folder, held with ``flock`` for the whole
change, from reading the dataset to the last file written. It names its holder (command,
process id, host, start time), so a second change waits for it (``AUTOGRAPH_LOCK_WAIT``
seconds, default 60) and then refuses with that name. The kernel releases it when the
holder dies, even by ``kill -9``; the file is removed when the change ends. Readers take
the same lock shared, so they never read while a change is being renamed into place.

**The journal.** The new files are written to ``.autograph-journal/`` in the folder (a file
that is a symbolic link gets its new content next to the file it points to, so the link
stays a link), flushed to disk and validated there. The list of the files to replace is
then renamed to ``.autograph-journal/COMMIT``: that one rename is the commit. Only then
are the files renamed over the old ones, and the journal removed.

**Recovery.** Whoever opens the dataset next (any command that reads it) finds a journal
left by a killed change: with ``COMMIT`` it completes the renames (the new dataset), without
it removes the journal (the old dataset). So after a kill or a power loss at any point, the
folder holds the whole old dataset or the whole new one, never a mix.

Fault injection, for tests only: ``AUTOGRAPH_FAULT=kill-at:STEP`` kills the process with
SIGKILL when the change reaches STEP, ``stop-at:STEP`` stops it there (SIGSTOP, to be
continued with SIGCONT), ``AUTOGRAPH_FAULT=enospc-at:STEP`` fails there as a full disk
would. The steps are ``locked``, ``staged:FILE`` (one per file),
``committed``, ``replaced:FILE`` (one per changed file) and ``cleaned``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import AutographError, LockedError
from .output import terminal_safe

__all__ = ["locked", "reading", "settle", "commit", "LOCK_FILE", "JOURNAL", "LockedError"]

LOCK_FILE = ".autograph.lock"
JOURNAL = ".autograph-journal"
_COMMIT = "COMMIT"
_PENDING = "PENDING"
_WAIT_DEFAULT = 60.0
# folder (resolved) -> depth, for the locks this process holds: nested changes and the reads
# a change makes of its own folder do not wait for themselves
_HELD: dict[Path, int] = {}


def _fault(step: str) -> None:
    """Tests' fault injection (see the module docstring); nothing when the variable is unset."""
    spec = os.environ.get("AUTOGRAPH_FAULT")
    if not spec:
        return
    action, _, at = spec.partition("-at:")
    if at != step:
        return
    if action in ("kill", "stop"):
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL if action == "kill" else signal.SIGSTOP)
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _reason(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (a read-only location?)"
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "no space left on the device"
    return err.strerror or str(err)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another autograph command"
    return (f"{info.get('command', 'autograph')} (process {info.get('pid', '?')} on "
            f"{info.get('host', '?')}, since {info.get('since', '?')})")


def _open_lock(folder: Path, shared: bool, wait: float | None = None) -> int | None:
    """Open and flock the lock file; None for a reader when there is no lock file.

    The file is removed when a change ends, so after the flock the path must still be the
    file locked: else another change removed it meanwhile, and we start again.
    """
    path = folder / LOCK_FILE
    if wait is None:
        wait = float(os.environ.get("AUTOGRAPH_LOCK_WAIT", _WAIT_DEFAULT))
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDONLY if shared else os.O_RDWR | os.O_CREAT, 0o666)
        except FileNotFoundError:
            if shared:
                return None
            raise
        try:
            while True:
                try:
                    fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockedError(
                            f"{folder}: the dataset is being changed by {_holder(path)}; "
                            "try again when it has finished (it waited "
                            f"{wait:g} s; AUTOGRAPH_LOCK_WAIT sets how long)") from None
                    if not told and not shared and wait > 0:
                        print(terminal_safe(f"note: waiting for {_holder(path)} to finish "
                                            f"changing {folder}"), file=sys.stderr)
                        told = True
                    time.sleep(0.05)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


@contextlib.contextmanager
def locked(folder: str | os.PathLike, command: str = "", wait: float | None = None
           ) -> Iterator[Path]:
    """Hold the dataset folder's lock for a whole change; recover a killed change first.

    Reentrant within a process. Raises :class:`LockedError` when another change holds it
    for longer than ``AUTOGRAPH_LOCK_WAIT`` seconds, an
    :class:`~graph.errors.AutographError` when the folder cannot be written.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise AutographError(f"{folder}: no such dataset folder")
    key = folder.resolve()
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield folder
        finally:
            _HELD[key] -= 1
        return
    try:
        fd = _open_lock(folder, shared=False, wait=wait)
    except AutographError:
        raise
    except OSError as err:
        raise AutographError(f"{folder}: cannot change the dataset: {_reason(err)}") from err
    assert fd is not None
    _HELD[key] = 1
    try:
        info = {"command": command or " ".join(["autograph", *sys.argv[1:2]]),
                "pid": os.getpid(), "host": socket.gethostname(),
                "since": dt.datetime.now().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        _recover(folder)
        _fault("locked")
        yield folder
    finally:
        del _HELD[key]
        with contextlib.suppress(OSError):
            os.unlink(folder / LOCK_FILE)  # before the unlock: see _open_lock
        os.close(fd)


@contextlib.contextmanager
def reading(folder: str | os.PathLike) -> Iterator[None]:
    """Hold the lock shared while reading the dataset's files (nothing to hold if no change
    has the lock file, or this process holds the lock itself)."""
    folder = Path(folder)
    try:
        fd = None if folder.resolve() in _HELD else _open_lock(folder, shared=True)
    except OSError:
        fd = None  # an unreadable lock file: the read goes on, as before locks existed
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def settle(folder: str | os.PathLike) -> None:
    """Finish or undo a change that was killed in *folder* (see the module docstring), and
    remove the lock file a killed change left (when it can: a reader may not write)."""
    folder = Path(folder)
    if folder.resolve() in _HELD:
        return
    if (folder / JOURNAL).is_dir():
        with locked(folder, "autograph (finishing an interrupted change)"):
            pass
    elif (folder / LOCK_FILE).exists():
        with contextlib.suppress(OSError, AutographError), \
                locked(folder, "autograph (removing a dead change's lock)", wait=0):
            pass


def _pairs(journal: Path, name: str) -> list[tuple[Path, Path]]:
    folder = journal.parent
    rows = json.loads((journal / name).read_text(encoding="utf-8"))
    return [(folder / staged, folder / final) for staged, final in rows]


def _recover(folder: Path) -> None:
    journal = folder / JOURNAL
    if not journal.is_dir():
        return
    try:
        if (journal / _COMMIT).is_file():
            for staged, final in _pairs(journal, _COMMIT):
                if os.path.lexists(staged):
                    os.replace(staged, final)
                    _fsync_dir(final.parent)
        elif (journal / _PENDING).is_file():
            for staged, _ in _pairs(journal, _PENDING):
                if staged.parent != journal:
                    staged.unlink(missing_ok=True)
        shutil.rmtree(journal)
    except (OSError, ValueError) as err:
        raise AutographError(f"{journal}: cannot finish the interrupted change it records: "
                             f"{err}; remove the folder to keep the dataset as it is"
                             ) from err


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(folder: str | os.PathLike, files: dict[str, bytes],
           check: Callable[[Path], None] | None = None) -> list[Path]:
    """Replace the files of *folder* named in *files* with their new content, as one change.

    Must run under :func:`locked`. *check* is called with the journal folder, which holds
    every file of *files*, before anything is committed (raise to abandon the change).
    Returns the files whose content changed. Each keeps its permission bits; a symbolic
    link stays a link and its target gets the new content.
    """
    folder = Path(folder)
    if folder.resolve() not in _HELD:
        raise RuntimeError("transaction.commit needs the dataset's lock (transaction.locked)")
    journal = folder / JOURNAL
    rel = lambda p: os.path.relpath(p, folder)  # noqa: E731
    try:
        changed = [n for n, data in files.items() if _read(folder / n) != data]
        targets: dict[str, tuple[Path, Path]] = {}  # name -> (staged, final)
        for name in changed:
            final = folder / name
            if final.is_symlink():
                final = final.resolve()
                targets[name] = (final.with_name(f".{final.name}.autograph-new"), final)
            else:
                targets[name] = (journal / name, final)
        pairs = list(targets.values())
        journal.mkdir()
        (journal / _PENDING).write_text(json.dumps([[rel(s), rel(f)] for s, f in pairs]),
                                        encoding="utf-8")
        for name, data in files.items():
            _write(journal / name, data, _mode_for(folder / name))
            _fault(f"staged:{name}")
        if check is not None:
            check(journal)
        if not changed:
            shutil.rmtree(journal)
            return []
        for name, (staged, final) in targets.items():
            if staged.parent != journal:
                _write(staged, files[name], _mode_for(final))
        _fsync_dir(journal)
        os.replace(journal / _PENDING, journal / _COMMIT)
    except BaseException as err:
        with contextlib.suppress(OSError, AutographError):
            _recover(folder)  # not committed: this removes the journal
        if isinstance(err, OSError) and not isinstance(err, AutographError):
            raise AutographError(f"{folder}: cannot write the dataset: {_reason(err)}; "
                                 "it is unchanged") from err
        raise
    _fault("committed")
    try:
        _fsync_dir(journal)
        for name, (staged, final) in targets.items():
            os.replace(staged, final)
            _fault(f"replaced:{name}")
        for parent in {final.parent for _, final in pairs}:
            _fsync_dir(parent)
        shutil.rmtree(journal)
    except OSError as err:
        raise AutographError(f"{folder}: the change is committed but not yet in place "
                             f"({_reason(err)}); the next autograph command on this dataset "
                             "completes it") from err
    _fault("cleaned")
    return [folder / name for name in changed]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
