"""Re-flow hard-wrapped plan text into one logical line per heading/paragraph/item/cell.

Placeholder: a full implementation follows shortly; the signature is stable.
"""
from __future__ import annotations


def reflow(text: str) -> str:
    """Return ``text`` with hard-wrapped lines joined into logical lines."""
    return text
