"""Chunk spans for articles of legal documents: whole articles when they fit, else clauses.

``ingest.structure`` cuts an article ("Điều 3") into its clauses ("khoản 1", "khoản 2")
and points ("điểm a"). A retrievable passage should be as large as the budget allows and
never run across two articles, so the sections of one article are packed again:

* the whole article when it fits in ``max_chars`` (path ends at "Điều 3. <title>");
* else consecutive clauses, greedily, while they fit (path "… › Điều 3. <title> › khoản 1–2";
  the article's lead-in goes with its first clause);
* a clause that alone is too long is packed by its points the same way, and a point
  (or clause without points) that is still too long is left to the size splitter.

Sections outside articles (plans, preambles, closing blocks, appendices) pass through.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ingest.structure import Section

_ARTICLE = re.compile(r"^Điều\s+\d")


@dataclass(frozen=True)
class Span:
    path: tuple[str, ...]
    start: int
    end: int


def article_depth(path: tuple[str, ...]) -> int:
    """Index of the "Điều N" component of a section path, or -1."""
    for k, part in enumerate(path):
        if _ARTICLE.match(part):
            return k
    return -1


def _size(text: str, start: int, end: int) -> int:
    return len(text[start:end].strip())


def range_label(labels: Sequence[str]) -> str:
    """"khoản 1", "khoản 2", "khoản 3" → "khoản 1–3"; one label stays; none gives ""."""
    labels = [x for x in labels if x]
    if not labels:
        return ""
    first, last = labels[0], labels[-1]
    if first == last:
        return first
    head_first, _, num_first = first.rpartition(" ")
    head_last, _, num_last = last.rpartition(" ")
    if head_first == head_last:
        return f"{head_first} {num_first}–{num_last}"
    return f"{first} – {last}"


def _pack(text: str, secs: list[Section], depth: int, max_chars: int) -> list[Span]:
    prefix = secs[0].path[: depth + 1]
    start, end = secs[0].start, secs[-1].end
    if _size(text, start, end) <= max_chars:
        return [Span(prefix, start, end)]
    groups: list[tuple[str | None, list[Section]]] = []
    for sec in secs:
        key = sec.path[depth + 1] if len(sec.path) > depth + 1 else None
        if groups and groups[-1][0] == key:
            groups[-1][1].append(sec)
        else:
            groups.append((key, [sec]))
    out: list[Span] = []
    current: list[tuple[str | None, list[Section]]] = []

    def flush() -> None:
        if current:
            label = range_label([k for k, _ in current if k is not None])
            out.append(Span(prefix + ((label,) if label else ()), current[0][1][0].start, current[-1][1][-1].end))
            current.clear()

    for key, group in groups:
        g_start, g_end = group[0].start, group[-1].end
        if _size(text, g_start, g_end) > max_chars:
            if current and key is not None and current[-1][0] is None and len(current) == 1:
                # an article's lead-in alone before an oversized clause: keep it as its own span
                pass
            flush()
            deeper = key is not None and any(len(s.path) > depth + 2 for s in group)
            if deeper:
                out.extend(_pack(text, group, depth + 1, max_chars))
            else:
                out.append(Span(prefix + ((key,) if key else ()), g_start, g_end))
            continue
        if current and _size(text, current[0][1][0].start, g_end) > max_chars:
            flush()
        current.append((key, group))
    flush()
    return out


def pack_sections(text: str, sections: Sequence[Section], max_chars: int) -> list[Span]:
    """Spans to chunk, in order: articles packed as described above, other sections as they are."""
    out: list[Span] = []
    k = 0
    while k < len(sections):
        sec = sections[k]
        depth = article_depth(sec.path)
        if depth < 0:
            out.append(Span(sec.path, sec.start, sec.end))
            k += 1
            continue
        key = sec.path[: depth + 1]
        j = k
        while j < len(sections) and sections[j].path[: depth + 1] == key and article_depth(sections[j].path) == depth:
            j += 1
        out.extend(_pack(text, list(sections[k:j]), depth, max_chars))
        k = j
    return out
