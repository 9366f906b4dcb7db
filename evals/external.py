"""Where the third-party test material lives (never copied into this repository).

``../shared/external/`` next to the project root holds real documents nobody on the team
wrote (``dev-docs/``) and the public ALQAC 2022 legal QA set (``alqac2022/``). Set
``PLANCHAT_EXTERNAL_DIR`` to read them from elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def external_dir() -> Path:
    """The external material folder (it may not exist: callers check)."""
    configured = os.environ.get("PLANCHAT_EXTERNAL_DIR", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return (PROJECT_ROOT.parent / "shared" / "external").resolve()


def dev_docs_dir() -> Path:
    return external_dir() / "dev-docs"


def alqac2022_dir() -> Path:
    return external_dir() / "alqac2022"
