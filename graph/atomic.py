"""Atomic output files and folders: nobody ever sees a half-written output.

Every command that writes files goes through here. The content goes to a temporary file in
the target's own folder, is flushed to disk and then renamed over the target in one step
(``os.replace``), so an interrupted or failed write leaves the old file, or none, but never a
broken one. A folder of files (the neo4j-admin CSV export) is written as a temporary folder
and swapped in the same way, so it is never half old, half new.

An existing file is replaced only with ``force=True`` (the CLI's ``--force``). The target is
checked before anything is written, and every operating-system failure (a missing folder, a
folder given for a file, a full disk, a read-only location) becomes one
:class:`~graph.errors.OutputError` naming the path, never a traceback.

Targets that are not regular files, such as ``/dev/stdout`` or a named pipe, cannot be
renamed over; they are written directly (a pipe has no old content to protect).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "hello")
PosixPath('...a.txt')
>>> write_text(folder / "a.txt", "again")
Traceback (most recent call last):
...
graph.errors.OutputError: ...a.txt exists; pass --force to replace it
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import AutographError, OutputError

__all__ = ["check_target", "atomic_file", "atomic_path", "atomic_folder", "write_text",
           "write_bytes", "replace_files"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (a read-only location?)"
    return err.strerror or str(err)


@contextlib.contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    """Turn an operating-system failure while writing *path* into an OutputError."""
    try:
        yield
    except AutographError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write {path}: {_reason(err)}") from err


def _is_special(path: Path) -> bool:
    """An existing target that is neither a regular file nor a folder (device, pipe)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_target(path: str | os.PathLike | None, *, force: bool = False,
                 folder: bool = False) -> Path:
    """Check that *path* can be written as a file (or, with *folder*, a folder).

    Raises
    ------
    OutputError
        For an empty path, a missing parent folder, a folder where a file is wanted (or the
        reverse), and an existing target without *force*.
    """
    if path is None or str(path).strip() == "":
        raise OutputError("the output path is empty; give a file name, e.g. -o graph.json")
    path = Path(path)
    what = "folder" if folder else "file"
    if path.is_dir() and not folder:
        raise OutputError(f"{path} is a folder; give a file name, e.g. "
                          f"-o {path / 'graph.json'}")
    if path.exists() and not path.is_dir() and folder and not _is_special(path):
        raise OutputError(f"{path} is a file; give the name of a new folder, or a path "
                          "ending in .zip")
    if path.exists() and not _is_special(path) and not force:
        raise OutputError(f"{path} exists; pass --force to replace it")
    parent = path.absolute().parent
    if not parent.exists():
        raise OutputError(f"cannot write the {what} {path}: the folder {parent} does not "
                          "exist; create it first")
    if not parent.is_dir():
        raise OutputError(f"cannot write the {what} {path}: {parent} is not a folder")
    return path


def _finish(tmp: Path, path: Path) -> None:
    """Give *tmp* the permissions a new file would get, then rename it over *path*."""
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    os.chmod(tmp, mode)
    os.replace(tmp, path)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces *path* in one step.

    For code that writes by file name (``write_map(G, tmp)``). On any error, and on
    Ctrl-C, the temporary file is removed and *path* is untouched.
    """
    path = check_target(path, force=force)
    special = _is_special(path)
    with _os_errors(path):
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                    dir=None if special else path.absolute().parent)
        os.close(fd)
    tmp = Path(name)
    try:
        with _os_errors(path):
            yield tmp
            if special:
                with tmp.open("rb") as src, path.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            else:
                with tmp.open("rb+") as f:
                    os.fsync(f.fileno())
                _finish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "w", *, force: bool = False,
                encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces *path* in one step.

    *mode* is ``"w"`` (text) or ``"wb"``.
    """
    binary = "b" in mode
    with atomic_path(path, force=force) as tmp, _os_errors(Path(path)):
        with tmp.open(mode, encoding=None if binary else encoding,
                      newline=None if binary else newline) as f:
            yield f


def write_text(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write *text* (UTF-8) to *path* atomically; return the path."""
    with atomic_file(path, "w", force=force, newline="") as f:
        f.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes, *, force: bool = False) -> Path:
    """Write *data* to *path* atomically; return the path."""
    with atomic_file(path, "wb", force=force) as f:
        f.write(data)
    return Path(path)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike, *, force: bool = False,
                  owned: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary folder to fill; on success it takes the place of *path*.

    An existing folder is replaced only with *force*, and only when it holds nothing but
    the files named in *owned* (what an earlier run wrote): autograph never deletes files
    it did not write. The old folder is renamed aside, the new one renamed into place and
    the old one removed, so the folder is never a mix of old and new files.
    """
    path = check_target(path, force=force, folder=True)
    if path.is_dir():
        others = sorted(set(os.listdir(path)) - set(owned))
        if others:
            raise OutputError(f"{path} holds files autograph did not write "
                              f"({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
                              "choose a new folder")
    with _os_errors(path):
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp",
                                    dir=path.absolute().parent))
    try:
        with _os_errors(path):
            yield tmp
            for child in tmp.iterdir():
                with child.open("rb+") as f:
                    os.fsync(f.fileno())
            os.chmod(tmp, 0o777 & ~_umask())
            if path.is_dir():
                old = path.with_name(f".{path.name}.old-{uuid.uuid4().hex[:8]}")
                os.rename(path, old)
                try:
                    os.rename(tmp, path)
                except OSError:
                    os.rename(old, path)  # put the old folder back
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def replace_files(staging: Path, folder: Path, names: list[str]) -> None:
    """Move the files *names* from *staging* into *folder* over the old ones, all or none:
    each goes beside its target first, then all are renamed (a failure before the renames
    leaves every old file, and no temporary one). Raises OSError."""
    try:
        for name in names:
            os.replace(staging / name, folder / f".{name}.tmp")
        for name in names:
            os.replace(folder / f".{name}.tmp", folder / name)
    finally:
        for name in names:
            (folder / f".{name}.tmp").unlink(missing_ok=True)
