"""PDF page furniture: page numbers and running headers/footers, removed page by page.

A PDF page's text starts or ends with its printed page number ("2", "- 3 -", "Trang 4")
and sometimes with a line repeated on every page (a running header). Left in, they land
inside passages and between the lines of an article. They are recognised by position
(first or last line of a page) and by evidence: a number equal to the page's own number,
or a short line repeated at the same position on at least ``MIN_REPEATS`` pages.
"""
from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:(?:Trang|trang|Page|page)\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$")
MIN_REPEATS = 3
MAX_RUNNING_LINE = 100


def _is_page_number(line: str, page: int) -> bool:
    m = _PAGE_NUMBER.match(line)
    return bool(m) and int(m.group(1)) == page


def _edges(lines: list[str]) -> tuple[int | None, int | None]:
    """Indexes of the first and last non-blank lines."""
    idx = [i for i, line in enumerate(lines) if line.strip()]
    return (idx[0], idx[-1]) if idx else (None, None)


def _key(line: str) -> str:
    return " ".join(line.split())


def _strip_edges(lines: list[str], drop) -> list[str]:
    lines = list(lines)
    first, last = _edges(lines)
    if first is not None and drop(lines[first]):
        lines[first] = ""
    first, last = _edges(lines)
    if last is not None and drop(lines[last]):
        lines[last] = ""
    return lines


def strip_page_furniture(pages: list[str]) -> list[str]:
    """The pages without their printed page numbers and running header/footer lines."""
    split = [
        _strip_edges(page.split("\n"), lambda line, n=number: _is_page_number(line, n))
        for number, page in enumerate(pages, start=1)
    ]
    edges: Counter[str] = Counter()
    for lines in split:
        first, last = _edges(lines)
        for k in {first, last} - {None}:
            edges[_key(lines[k])] += 1
    running = {k for k, n in edges.items() if n >= MIN_REPEATS and 0 < len(k) <= MAX_RUNNING_LINE}
    out = []
    for number, lines in enumerate(split, start=1):
        if running:
            lines = _strip_edges(lines, lambda line: _key(line) in running)
            lines = _strip_edges(lines, lambda line, n=number: _is_page_number(line, n))
        out.append("\n".join(lines))
    return out
