"""Find the words of a quoted passage that support a claim, and mark them up safely.

Matching is on word bigrams (Vietnamese words are mostly two syllables, so single
syllables such as "các", "và" would light up everywhere) plus single numbers.
Everything that comes from a document is escaped with :func:`html.escape`
before our own ``<mark>`` tags are added.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
#: What may separate two marked words inside one span: spaces and light punctuation, or the
#: "." / "," inside a number (6.000, 72,2). Sentence ends and line breaks split spans.
_GAP_JOINABLE = re.compile(r"[ \t,:/()\-–%]*|[.,]")


@dataclass(frozen=True)
class Span:
    """Character range [start, end) of a text."""

    start: int
    end: int


def esc(text: object) -> str:
    """HTML-escape, also neutralising ``$`` and backquote so no template syntax survives."""
    return html.escape(str(text), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def _key(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold()


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _key(m.group())) for m in _WORD.finditer(text)]


def support_spans(quote: str, *claims: str) -> list[Span]:
    """Spans of ``quote`` whose words also occur, in the same order, in any of ``claims``.

    A quote word is marked when it forms a bigram that appears in a claim, or when
    it is a number that appears in a claim. Neighbouring marked words separated
    only by spaces or light punctuation are merged into one span.
    """
    claim_bigrams: set[tuple[str, str]] = set()
    claim_numbers: set[str] = set()
    for claim in claims:
        keys = [k for _, _, k in _tokens(claim or "")]
        claim_bigrams.update(zip(keys, keys[1:]))
        claim_numbers.update(k for k in keys if any(ch.isdigit() for ch in k))
    tokens = _tokens(quote or "")
    marked = [False] * len(tokens)
    for i in range(len(tokens) - 1):
        if (tokens[i][2], tokens[i + 1][2]) in claim_bigrams:
            marked[i] = marked[i + 1] = True
    for i, (_, _, key) in enumerate(tokens):
        if key in claim_numbers:
            marked[i] = True

    spans: list[Span] = []
    for i, (start, end, _) in enumerate(tokens):
        if not marked[i]:
            continue
        if spans and marked[i - 1] and _GAP_JOINABLE.fullmatch(quote[spans[-1].end : start]):
            spans[-1] = Span(spans[-1].start, end)
        else:
            spans.append(Span(start, end))
    return spans


def salient_spans(text: str, spans: list[Span], *, long_words: int = 4) -> list[Span]:
    """The spans worth showing.

    When some run has ``long_words``+ syllables, keep the runs at least half as long as the
    longest one (a quoted sentence wins over stock phrases such as "giáo dục nghề nghiệp"
    repeated elsewhere in the passage); otherwise keep every run of 2+ syllables or with a number.
    """

    def words(span: Span) -> int:
        return len(_WORD.findall(text[span.start : span.end]))

    longest = max((words(s) for s in spans), default=0)
    if longest >= long_words:
        threshold = max(long_words, longest / 2)
        return [s for s in spans if words(s) >= threshold]
    return [s for s in spans if words(s) >= 2 or any(ch.isdigit() for ch in text[s.start : s.end])]


def mark_html(text: str, spans: list[Span], *, mark_class: str = "pc-hl") -> str:
    """``text`` escaped for HTML with each span wrapped in ``<mark class=...>``."""
    out: list[str] = []
    pos = 0
    cls = esc(mark_class)
    for span in sorted(spans, key=lambda s: s.start):
        start, end = max(span.start, pos), min(span.end, len(text))
        if start >= end:
            continue
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="{cls}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def excerpt_window(text: str, spans: list[Span], max_chars: int) -> tuple[int, int]:
    """A window [start, end) of at most ~``max_chars`` around the marked spans, cut at spaces."""
    if len(text) <= max_chars:
        return 0, len(text)
    first = max(spans, key=lambda s: s.end - s.start).start if spans else 0
    start = max(0, first - max_chars // 6)
    end = min(len(text), start + max_chars)
    if start > 0:
        space = text.find(" ", start)
        if 0 <= space < first:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start:
            end = space
    return start, end


def highlighted_excerpt(text: str, claims: tuple[str, ...], *, max_chars: int = 700) -> str:
    """HTML of (a window of) ``text`` with the words supporting ``claims`` marked, ellipses where cut.

    Line breaks become ``<br>`` (runs of blank lines collapse to one break) so the result
    never contains a raw newline.
    """
    spans = salient_spans(text, support_spans(text, *claims))
    start, end = excerpt_window(text, spans, max_chars)
    window = [Span(s.start - start, s.end - start) for s in spans if s.start >= start and s.end <= end]
    body = mark_html(text[start:end], window)
    body = re.sub(r"\n\s*\n+", "\n", body).strip("\n").replace("\n", "<br>")
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")
