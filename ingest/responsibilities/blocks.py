"""Logical blocks (paragraphs, list items, headings) of a re-flowed plan, with offsets.

An article line of a legal document ("Điều 3. Giao Sở X chủ trì …") is a block with an
"article" marker, so its text after "Điều 3." is read like any paragraph.

The loader already re-flows hard-wrapped text to one logical line per paragraph; a
few paragraphs are still broken across a blank line ("… tại Kế\\n\\nhoạch; tổng hợp …"),
so a line that starts with a lower-case letter continues the previous block. A block's
``start``/``end`` are offsets into ``Document.text``: ``text[start:end]`` is the exact
source span used as the record's quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ingest.agencies import fold_for_matching
from ingest.legal import RANK_ARTICLE, outer_mark
from ingest.structure import Marker, line_marker

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


@dataclass(frozen=True)
class Block:
    start: int  # offset of the first character (marker included)
    end: int  # offset after the last character
    body_start: int  # offset after the marker ("a.", "-", "1.") and its spaces
    marker: Marker | None

    @property
    def kind(self) -> str:
        return self.marker.kind if self.marker else ""


def clean(text: str) -> str:
    """Display form of a span: markdown stars dropped, whitespace folded."""
    return " ".join(text.replace("*", " ").split())


def _starts_lower(line: str) -> bool:
    s = line.lstrip(" *\"“(")
    return bool(s) and s[0].islower()


def block_marker(line: str) -> Marker | None:
    """``line_marker``, plus "article" for "Điều N." lines."""
    marker = line_marker(line)
    if marker is None:
        mark = outer_mark(line)
        if mark is not None and mark.rank == RANK_ARTICLE:
            return Marker("article", mark.label, mark.title, 0)
    return marker


def split_blocks(text: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """Blocks of ``text`` in order; lines inside the ``skip`` spans (tables) are left out."""
    blocks: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped or _PAGE_NUMBER.match(stripped):
            continue
        if any(a <= start < b for a, b in skip):
            continue
        lead = len(line) - len(line.lstrip())
        s0, e0 = start + lead, start + len(line.rstrip())
        marker = block_marker(stripped)
        if marker is None and blocks and _starts_lower(stripped) and not any(
            blocks[-1].end <= a < s0 for a, _ in skip
        ):
            prev = blocks[-1]
            blocks[-1] = Block(prev.start, e0, prev.body_start, prev.marker)
            continue
        body = s0
        if marker is not None:
            idx = stripped.find(marker.text, len(marker.label)) if marker.text else len(stripped)
            body = s0 + (idx if idx >= 0 else 0)
        blocks.append(Block(s0, e0, body, marker))
    return blocks


class Work:
    """The document text with an aligned folded copy for matching."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold_for_matching(text)

    def clean(self, start: int, end: int) -> str:
        return clean(self.text[start:end])
