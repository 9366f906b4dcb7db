"""Which exceptions are the user's problem (one line, no traceback) and which are bugs."""
from __future__ import annotations


def _user_error_types() -> tuple[type, ...]:
    types: list[type] = []
    for module, names in (
        ("ingest.errors", ("IngestError",)),
        ("index.errors", ("IndexError_",)),
        ("assistant.errors", ("AssistantError", "EmptyQuestion")),
        ("evals.errors", ("EvalError", "DatasetError")),
        ("planchat.errors_cli", ("NothingIngested",)),
        ("ui.auth", ("AuthConfigError",)),
    ):
        try:
            mod = __import__(module, fromlist=list(names))
        except ImportError:
            continue
        for name in names:
            t = getattr(mod, name, None)
            if isinstance(t, type):
                types.append(t)
    return tuple(types)


def user_facing_error(exc: BaseException) -> str | None:
    """The one-line message for an expected error, or None for a bug (which should surface)."""
    if isinstance(exc, _user_error_types()):
        return str(exc)
    if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)):
        return f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)
    return None
