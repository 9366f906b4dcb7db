"""A record before it is tied to its document, section and chunk."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Draft:
    quote_start: int  # the source span in Document.text (the record's quote)
    quote_end: int
    task: str
    lead: tuple[str, ...]
    coordinators: tuple[str, ...]
    source: str  # "prose", "agency_section", "table"
    deadline: str = ""
    deadline_iso: str = ""
    budget: str = ""
    target: str = ""
    extra: tuple[tuple[str, str], ...] = ()
