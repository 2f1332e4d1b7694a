"""One root error and a few specific subclasses.

The CLI turns :class:`AutographError` into a one-line ``Error: ...`` and exit code 1; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AutographError",
    "DataValidationError",
    "Problem",
    "EntityNotFoundError",
    "SelectionError",
    "BackendError",
    "QueryError",
    "MissingDependencyError",
    "ExportError",
    "OutputError",
    "IngestError",
    "LockedError",
]


class AutographError(Exception):
    """Root of every error autograph raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as possible.

    A *warning* is a matter of curation policy, named by its rule (``"base"``: an actor
    without a base, ``"country"``, ``"isolated"``, ``"ungraded"``); empty for an error. The
    graph can be built despite a warning; only ``validate --strict`` refuses it.
    """

    path: str
    line: int | None
    field: str
    message: str
    warning: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.field}: {self.message}"


class DataValidationError(AutographError):
    """The dataset has problems; all of them are in :attr:`problems`."""

    def __init__(self, problems: list[Problem], what: str = "the dataset"):
        self.problems = list(problems)
        n = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in {what}:\n{lines}")


class EntityNotFoundError(AutographError, LookupError):
    """No entity matches an id, name or alias; carries the closest matches."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {query!r}{hint}")


class SelectionError(AutographError, ValueError):
    """A selection of the graph is invalid or empty."""


class BackendError(AutographError):
    """A database backend is unreachable, refused us, or failed."""


class QueryError(AutographError):
    """A Cypher query could not be found, parameterised or run."""


class ExportError(AutographError, ValueError):
    """A graph cannot be written faithfully in the requested format (or is empty)."""


class OutputError(AutographError, OSError):
    """An output file or folder cannot be written: bad path, exists, no room, no access."""


class MissingDependencyError(AutographError, ImportError):
    """An optional dependency is not installed; the message names the fix."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"{package} is not installed; run: pip install \"autograph[{extra}]\"")


class IngestError(AutographError):
    """An article cannot be read, or a candidates folder is missing or malformed."""


class LockedError(AutographError):
    """Another command is changing the dataset (it holds the dataset's lock)."""
