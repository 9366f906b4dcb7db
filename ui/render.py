"""HTML and plain-text rendering of answers, source cards, filters and documents.

All text that comes from documents or users goes through :func:`esc` before our
own tags are added. Chat HTML is emitted without newlines and wrapped in one
``<div>`` so the chatbot's Markdown renderer passes it through as a single HTML
block instead of interpreting plan text as Markdown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlencode

from assistant.types import Answer, Citation
from index.types import DocumentInfo
from ingest.types import DocumentMeta
from ui.highlight import Span, esc, highlighted_excerpt
from ui.i18n import t

#: One or more citation numbers in brackets: [1], [2, 3], [1; 4].
CITE_GROUP = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])\s+(?!\[\d)")


def anchor_id(answer_id: str, n: int) -> str:
    return f"pc-{answer_id}-{n}"


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.split(r"\s*[,;]\s*", group.strip())]


def cited_numbers(text: str) -> list[int]:
    """Citation numbers in order of first appearance."""
    seen: list[int] = []
    for m in CITE_GROUP.finditer(text):
        for n in _numbers(m.group(1)):
            if n not in seen:
                seen.append(n)
    return seen


def strip_markers(text: str) -> str:
    return re.sub(r"\s+", " ", CITE_GROUP.sub("", text)).strip()


def claims_for(text: str, n: int) -> tuple[str, ...]:
    """The sentences of an answer that carry the marker ``[n]``, markers removed."""
    out = []
    for sentence in _SENTENCE_BREAK.split(text):
        if any(n in _numbers(m.group(1)) for m in CITE_GROUP.finditer(sentence)):
            out.append(strip_markers(sentence))
    return tuple(s for s in out if s)


def linkify_markers(escaped_text: str, answer_id: str, known: set[int]) -> str:
    """Turn [n] markers of already-escaped text into links to the source cards."""

    def link(m: re.Match) -> str:
        parts = []
        for n in _numbers(m.group(1)):
            if n in known:
                parts.append(
                    f'<a class="pc-cite" href="#{anchor_id(answer_id, n)}" title="[{n}]">[{n}]</a>'
                )
            else:
                parts.append(f"[{n}]")
        return "".join(parts)

    return CITE_GROUP.sub(link, escaped_text)


def text_html(text: str) -> str:
    """Escaped text with line breaks as ``<br>`` (no raw newlines)."""
    return "<br>".join(esc(line) for line in text.split("\n"))


_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_BULLET = re.compile(r"^\s*[-*•]\s+")


def answer_text_html(text: str) -> str:
    """Answer text as HTML: escaped, with the little Markdown LLM answers use (``**bold**``,
    ``- item`` bullets) turned into tags, and line breaks as ``<br>``."""
    lines = []
    for line in text.split("\n"):
        bullet = _BULLET.match(line)
        body = _BOLD.sub(r"<strong>\1</strong>", esc(line[bullet.end() :] if bullet else line))
        lines.append(("• " if bullet else "") + body)
    return "<br>".join(lines)


def open_href(citation: Citation) -> str:
    """In-page link the app's click bridge turns into "open this passage in the library"."""
    query = urlencode({"pc-doc": citation.document, "chunk": citation.chunk_id, "n": citation.n})
    return "#" + query


def _meta_items(lang: str, *, number: str, issuer: str, province: str, section: str = "", page: int | None = None,
                ocr_confidence: float | None = None) -> str:
    items = []
    for key, value in (
        ("card.number", number),
        ("card.issuer", issuer),
        ("card.province", province),
        ("card.section", section),
        ("card.page", "" if page is None else str(page)),
        ("card.ocr", "" if ocr_confidence is None else f"{ocr_confidence:.0%}"),
    ):
        if value:
            items.append(f'<span class="pc-meta-item"><b>{esc(t(lang, key))}</b> {esc(value)}</span>')
    return f'<div class="pc-card-meta">{"".join(items)}</div>' if items else ""


def render_legal_basis_card(citation: Citation, answer_id: str, lang: str) -> str:
    """Source card of a note on a 2025 administrative change: the legal act, not a library passage
    (no "open in document" link; the quote says the change and where it was read)."""
    return (
        f'<div class="pc-card pc-card-legal" id="{anchor_id(answer_id, citation.n)}">'
        f'<div class="pc-card-head"><span class="pc-badge">{citation.n}</span>'
        f'<span class="pc-card-title">{esc(t(lang, "card.legal_basis"))}: {esc(citation.number)}</span></div>'
        + _meta_items(lang, number=citation.number, issuer=citation.issuer, province="", section=citation.section)
        + f'<blockquote class="pc-quote">{text_html(citation.quote or "")}</blockquote>'
        "</div>"
    )


def _status_badge(citation: Citation, lang: str) -> str:
    if not citation.status:
        return ""
    return f'<span class="pc-meta-item pc-status"><b>{esc(t(lang, "card.status"))}</b> {esc(citation.status)}</span>'


def render_card(citation: Citation, answer_id: str, claims: tuple[str, ...], lang: str) -> str:
    if citation.kind == "legal_basis":
        return render_legal_basis_card(citation, answer_id, lang)
    title = citation.title or citation.document
    quote = highlighted_excerpt(citation.quote or "", claims)
    return (
        f'<div class="pc-card" id="{anchor_id(answer_id, citation.n)}">'
        f'<div class="pc-card-head"><span class="pc-badge">{citation.n}</span>'
        f'<span class="pc-card-title">{esc(title)}</span>{_status_badge(citation, lang)}</div>'
        + _meta_items(
            lang,
            number=citation.number,
            issuer=citation.issuer,
            province=citation.province,
            section=citation.section,
            page=citation.page,
            ocr_confidence=getattr(citation, "ocr_confidence", None),
        )
        + f'<blockquote class="pc-quote">{quote}</blockquote>'
        f'<div class="pc-card-foot"><a class="pc-open" href="{esc(open_href(citation))}">'
        f'{esc(t(lang, "chat.open_in_doc"))} →</a>'
        f'<span class="pc-doc-id">{esc(citation.document)}</span></div>'
        "</div>"
    )


def render_answer(answer: Answer, question: str, answer_id: str, lang: str) -> str:
    """Final chat HTML of an answer: linked [n] markers and one source card per citation."""
    known = {c.n for c in answer.citations}
    body = linkify_markers(answer_text_html(answer.text), answer_id, known)
    classes = "pc-answer pc-abstained" if answer.abstained else "pc-answer"
    parts = [f'<div class="{classes}"><div class="pc-answer-text">{body}</div>']
    if answer.citations:
        order = {n: i for i, n in enumerate(cited_numbers(answer.text))}
        citations = sorted(answer.citations, key=lambda c: (order.get(c.n, len(order)), c.n))
        parts.append(
            f'<div class="pc-sources"><div class="pc-sources-title">{esc(t(lang, "chat.sources"))}'
            f" ({len(citations)})</div>"
        )
        for c in citations:
            claims = claims_for(answer.text, c.n) or (strip_markers(answer.text),)
            parts.append(render_card(c, answer_id, claims + (question,), lang))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts).replace("\n", " ")  # guard: a raw newline could end the HTML block


def render_streaming(partial_text: str) -> str:
    """Chat HTML while an answer is streaming in (markers not linked yet)."""
    return f'<div class="pc-answer pc-streaming"><div class="pc-answer-text">{text_html(partial_text)}</div></div>'


def render_notice(text: str, kind: str = "info") -> str:
    return f'<div class="pc-answer pc-notice pc-{esc(kind)}"><div class="pc-answer-text">{text_html(text)}</div></div>'


def citation_line(c: Citation, lang: str) -> str:
    parts = [f"{t(lang, 'card.legal_basis')}: {c.number}" if c.kind == "legal_basis" else (c.title or c.document)]
    if c.status:
        parts.append(f"{t(lang, 'card.status')}: {c.status}")
    if c.number:
        parts.append(f"{t(lang, 'card.number')} {c.number}")
    for value in (c.issuer, c.province):
        if value:
            parts.append(value)
    if c.section:
        parts.append(f"{t(lang, 'card.section')}: {c.section}")
    if c.page is not None:
        parts.append(f"{t(lang, 'card.page')} {c.page}")
    if getattr(c, "ocr_confidence", None) is not None:
        parts.append(f"{t(lang, 'card.ocr')} {c.ocr_confidence:.0%}")
    parts.append(c.document)
    return f"[{c.n}] " + " — ".join(parts)


def answer_plain_text(question: str, answer: Answer, lang: str, *, quote_chars: int = 300) -> str:
    """The "copy answer with sources" text: question, answer with [n] markers, numbered source list."""
    lines = [f"{t(lang, 'copy.question')}: {question}", "", answer.text.strip()]
    if answer.citations:
        lines += ["", f"{t(lang, 'copy.sources')}:"]
        for c in sorted(answer.citations, key=lambda c: c.n):
            lines.append(citation_line(c, lang))
            quote = " ".join((c.quote or "").split())
            if quote:
                if len(quote) > quote_chars:
                    quote = quote[:quote_chars].rsplit(" ", 1)[0] + " …"
                lines.append(f"    “{quote}”")
    return "\n".join(lines)


# --- filters -------------------------------------------------------------------


def document_label(meta: DocumentMeta) -> str:
    """Human label of a plan for pickers: province · number · title."""
    title = meta.title if len(meta.title) <= 80 else meta.title[:77].rsplit(" ", 1)[0] + " …"
    parts = [p for p in (meta.province, meta.number, title) if p]
    return " · ".join(parts) or meta.doc_id


def render_filters(provinces: Sequence[str], documents: Sequence[str], labels: dict[str, str], lang: str) -> str:
    chips = [f'<span class="pc-chip pc-chip-province">{esc(p)}</span>' for p in provinces]
    chips += [f'<span class="pc-chip pc-chip-plan">{esc(labels.get(d, d))}</span>' for d in documents]
    if not chips:
        chips = [f'<span class="pc-chip pc-chip-none">{esc(t(lang, "filters.none"))}</span>']
    return (
        f'<div class="pc-filters"><span class="pc-filters-label">{esc(t(lang, "filters.active"))}:</span>'
        + "".join(chips)
        + "</div>"
    )


# --- library -------------------------------------------------------------------

LIBRARY_COLUMNS = (
    "library.col.doc",
    "library.col.title",
    "library.col.number",
    "library.col.issuer",
    "library.col.province",
    "library.col.date",
    "library.col.chunks",
    "library.col.ingested",
    "library.col.status",
    "library.col.today",
)


def _source_mark(source: str) -> str:
    """Where a number/date stamped on a signed PDF was read: " (OCR)" or " (chữ ký số)" (the signature)."""
    if not source:
        return ""
    return " (OCR)" if source.startswith("header_ocr") else " (chữ ký số)"


def _province_today(province: str) -> str:
    """The unit of today a former province belongs to when it has another name (issue 12), else ""."""
    from ingest.admin_changes import load_admin_changes

    row = load_admin_changes().province_change(province) if province else None
    return row.new_unit if row is not None and row.absorbed else ""


def library_rows(infos: Sequence[DocumentInfo], lang: str = "vi") -> list[list[object]]:
    from index.doc_status import library_status

    statuses = library_status([i.meta for i in infos])
    rows = []
    for info in sorted(infos, key=lambda i: (i.meta.province, i.meta.doc_id)):
        m = info.meta
        rows.append(
            [
                m.doc_id,
                m.title + (f" [OCR {m.ocr_pages} p., {m.ocr_confidence:.0%}]" if getattr(m, "ocr_pages", 0) else ""),
                m.number + _source_mark(getattr(m, "number_source", "")),
                m.issuer,
                m.province,
                (m.issued_date or m.issued_date_text) + _source_mark(getattr(m, "date_source", "")),
                info.chunk_count,
                (info.ingested_at or "")[:16].replace("T", " "),
                statuses[m.doc_id].label(lang),
                _province_today(m.province),
            ]
        )
    return rows


def library_table(infos: Sequence[DocumentInfo], lang: str) -> dict:
    """Value for a ``gr.Dataframe``: translated headers and one row per plan (with its standing and,
    for a merged province, the unit it belongs to today)."""
    return {"headers": [t(lang, k) for k in LIBRARY_COLUMNS], "data": library_rows(infos, lang)}


def render_library_summary(infos: Sequence[DocumentInfo], lang: str) -> str:
    if not infos:
        return f'<div class="pc-summary pc-empty">{esc(t(lang, "library.empty"))}</div>'
    chunks = sum(i.chunk_count for i in infos)
    return f'<div class="pc-summary">{esc(t(lang, "library.summary", docs=len(infos), chunks=chunks))}</div>'


@dataclass(frozen=True)
class Focus:
    """The part of a document to highlight and scroll to (``span`` None = not located)."""

    span: Span | None
    requested: bool = False


def locate_passage(text: str, *, start: int = -1, end: int = -1, quote: str = "") -> Span | None:
    """Where a cited passage lies in the document text: its offsets if valid, else a text search."""
    if 0 <= start < end <= len(text):
        return Span(start, end)
    quote = (quote or "").strip()
    if not quote:
        return None
    for probe in (quote, quote[:120], quote[:60]):
        probe = probe.strip()
        if len(probe) >= 12:
            pos = text.find(probe)
            if pos >= 0:
                return Span(pos, pos + len(probe))
    return None


def render_document(meta: DocumentMeta, text: str, focus: Focus, lang: str) -> str:
    """Full normalised text of a plan; the focused passage is a ``<mark id="pc-focus">``."""
    head = [
        '<div class="pc-doc-head">',
        f'<div class="pc-doc-title">{esc(meta.title or meta.doc_id)}</div>',
        _meta_items(lang, number=meta.number, issuer=meta.issuer, province=meta.province),
        f'<div class="pc-doc-id">{esc(meta.doc_id)}</div>',
    ]
    if focus.requested:
        note = "library.cited" if focus.span else "library.passage_not_found"
        head.append(f'<div class="pc-doc-note">{esc(t(lang, note))}</div>')
    head.append("</div>")
    if focus.span:
        body = (
            esc(text[: focus.span.start])
            + '<mark class="pc-focus" id="pc-focus">'
            + esc(text[focus.span.start : focus.span.end])
            + "</mark>"
            + esc(text[focus.span.end :])
        )
    else:
        body = esc(text)
    return f'<div class="pc-doc">{"".join(head)}<div class="pc-doc-text">{body}</div></div>'


def render_viewer_empty(lang: str) -> str:
    return f'<div class="pc-doc pc-doc-empty">{esc(t(lang, "library.viewer_empty"))}</div>'
