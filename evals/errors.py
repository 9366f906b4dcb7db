"""Eval errors: bad user input (a test set, a run directory, a threshold) as one-line messages."""
from __future__ import annotations

from pathlib import Path


class EvalError(Exception):
    """Base class for evaluation problems a user can fix; ``str(err)`` is one line."""


class DatasetError(EvalError):
    """A test-set file is malformed. The message names the file, the line and the field."""

    def __init__(self, path: str | Path, line: int | None, field: str | None, detail: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.detail = detail
        where = Path(self.path).name
        if line is not None:
            where += f" line {line}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {detail}")


class RunDirError(EvalError):
    """A directory given to --compare is not an eval run."""


class GateError(EvalError):
    """A --fail-under threshold is malformed or names an unknown metric."""
