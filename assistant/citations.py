"""Check and renumber the inline [n] markers of an answer against the retrieved hits.

An answerer (extractive or LLM) writes markers that index the hits it was given,
1-based: "[1]", "[2, 3]", "[2][3]". ``validate_citations`` keeps the markers that point
at a real hit, drops the others from the text, renumbers the survivors 1..m in order of
first use and builds one ``Citation`` per cited hit.
"""
from __future__ import annotations

import re
from typing import Sequence

from assistant.types import Citation
from ingest.legal import short_section
from index.types import Hit

# "[1]", "[1, 2]", "[1,2; 3]", "[1-2]" is not a list (kept as text), nor "[a]"
_MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
# whitespace left before punctuation when a marker is removed
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,;:!?)])")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")


def _cited_section(path: tuple[str, ...]) -> str:
    """A legal passage is cited from its article on, titles left out ("Điều 3 › khoản 1"); other
    section paths as they are."""
    if len(path) > 1 and any(part.startswith("Điều ") and "." in part[:12] for part in path):
        return short_section(path)
    return " › ".join(path)


def citation_for(hit: Hit, n: int) -> Citation:
    """The ``Citation`` numbered ``n`` for a retrieved passage (quote = the passage text)."""
    chunk = hit.chunk
    meta = chunk.meta
    return Citation(
        n=n,
        document=chunk.doc_id,
        title=meta.title if meta else "",
        number=meta.number if meta else "",
        section=_cited_section(chunk.section_path),
        page=chunk.page,
        quote=chunk.text,
        chunk_id=chunk.id,
        province=meta.province if meta else "",
        issuer=meta.issuer if meta else "",
        doc_type=meta.doc_type if meta else "",
        ocr_confidence=getattr(chunk, "ocr_confidence", None),
    )


def validate_citations(text: str, hits: Sequence[Hit]) -> tuple[str, tuple[Citation, ...]]:
    """(text with only valid, renumbered markers; the citations in marker order).

    Markers are 1-based indexes into ``hits``. A marker group loses its unknown numbers
    ("[1, 7]" with 3 hits becomes "[1]"); a group with none left disappears, with the
    space before it. Two numbers for the same hit collapse into one.
    """
    order: dict[int, int] = {}  # hit index (0-based) -> new number

    def renumber(match: re.Match[str]) -> str:
        numbers = [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1).strip())]
        kept: list[int] = []
        for number in numbers:
            if 1 <= number <= len(hits):
                new = order.setdefault(number - 1, len(order) + 1)
                if new not in kept:
                    kept.append(new)
        return "".join(f"[{n}]" for n in kept)

    out = _MARKER.sub(renumber, text)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", out)
    out = "\n".join(_DOUBLE_SPACE.sub(" ", line).rstrip() for line in out.split("\n")).strip()
    citations = tuple(citation_for(hits[i], n) for i, n in sorted(order.items(), key=lambda item: item[1]))
    return out, citations


def has_valid_citation(text: str, hits: Sequence[Hit]) -> bool:
    """True when ``text`` has at least one marker that points at one of ``hits``."""
    for match in _MARKER.finditer(text):
        if any(1 <= int(x) <= len(hits) for x in re.split(r"\s*[,;]\s*", match.group(1).strip())):
            return True
    return False
