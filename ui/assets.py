"""Static CSS/JS shipped with the UI (read from ``ui/static`` at build time)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"


@lru_cache(maxsize=None)
def read_static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def css() -> str:
    return read_static("planchat.css")


def bridge_js() -> str:
    return read_static("bridge.js")


def viewer_js() -> str:
    return read_static("viewer.js")
