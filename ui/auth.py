"""``--auth`` for shared deployments: "user:password" or a file of such lines."""
from __future__ import annotations

from pathlib import Path


class AuthConfigError(Exception):
    """The auth setting cannot be used; the message says why in one line."""


def parse_auth(auth: str | Path | None) -> list[tuple[str, str]] | None:
    """Credentials for ``gr.Blocks.launch(auth=...)``, or None when auth is off.

    A value naming an existing file is read as one ``user:password`` per line
    (blank lines and ``#`` comments ignored); otherwise the value itself must be
    ``user:password``. The password may contain ``:``; the user may not.
    """
    if auth is None or str(auth).strip() == "":
        return None
    text = str(auth).strip()
    path = Path(text).expanduser()
    if path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise AuthConfigError(f"cannot read auth file {path}: {e}") from None
        pairs = []
        for lineno, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pairs.append(_pair(line, f"{path}:{lineno}"))
        if not pairs:
            raise AuthConfigError(f"auth file {path} contains no user:password lines")
        return pairs
    if ":" not in text:
        raise AuthConfigError("auth must be 'user:password' or the path of an existing file of such lines")
    return [_pair(text, "auth setting")]


def _pair(line: str, where: str) -> tuple[str, str]:
    user, sep, password = line.partition(":")
    user = user.strip()
    if not sep or not user or not password:
        raise AuthConfigError(f"{where}: expected 'user:password'")
    return user, password
