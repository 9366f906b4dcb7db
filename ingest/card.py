"""The document card: a generated passage stating what the document is, in words.

Questions such as "ai ký kế hoạch 49?", "kế hoạch 72 ban hành ngày nào?" or "when
was plan 72 issued?" are about metadata that the body text states only in its
header and signer block. The card repeats those facts as labelled sentences with
Vietnamese and English labels so both dense and lexical retrieval can match it. It names
the document's type ("Quyết định 31/2011/QĐ-UBND của UBND tỉnh Gia Lai …"), so a decision
is never presented as a plan.
"""
from __future__ import annotations

import re

from ingest.doctype import ENGLISH
from ingest.types import DocumentMeta

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DOC_TYPES = {
    "KH": ("Kế hoạch", "Plan"),
    "QĐ": ("Quyết định", "Decision"),
    "TB": ("Thông báo", "Notice"),
    "BC": ("Báo cáo", "Report"),
    "CTr": ("Chương trình", "Programme"),
    "CT": ("Chỉ thị", "Directive"),
    "NQ": ("Nghị quyết", "Resolution"),
    "HD": ("Hướng dẫn", "Guidance"),
}


def doc_type_names(meta: DocumentMeta) -> tuple[str, str]:
    """("Quyết định", "Decision"): the document's type in Vietnamese and English ("Văn bản",
    "Document" when unknown), from ``meta.doc_type`` or else the number's code or the title."""
    if meta.doc_type:
        return meta.doc_type, ENGLISH.get(meta.doc_type, "Document")
    m = re.search(r"(?:/\s*|^)([A-Za-zĐđ]+)", meta.number or "")
    if m and m.group(1) in _DOC_TYPES:
        return _DOC_TYPES[m.group(1)]
    title = (meta.title or "").strip().lower()
    for vi, en in _DOC_TYPES.values():
        if title.startswith(vi.lower()):
            return vi, en
    return "Văn bản", "Document"


def _short_number(number: str) -> str:
    """"49/KH-UBND" → "49" (how people refer to a plan)."""
    m = re.match(r"\s*(\d+)", number or "")
    return m.group(1) if m else ""


def _dates(meta: DocumentMeta) -> tuple[str, str]:
    """(Vietnamese dd/mm/yyyy form, English "3 March 2020" form)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", meta.issued_date or "")
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12:
            return f"{day:02d}/{month:02d}/{year}", f"{day} {_MONTHS_EN[month - 1]} {year} ({meta.issued_date})"
    return meta.issued_date_text, meta.issued_date_text


_SHORT_ISSUER = ((re.compile(r"^Ủy ban nhân dân\b"), "UBND"), (re.compile(r"^Hội đồng nhân dân\b"), "HĐND"))


def _short_issuer(issuer: str) -> str:
    """"Ủy ban nhân dân tỉnh Gia Lai" → "UBND tỉnh Gia Lai" (how documents cite each other)."""
    for rx, short in _SHORT_ISSUER:
        issuer = rx.sub(short, issuer)
    return issuer


def card_text(meta: DocumentMeta) -> str:
    """A readable card; only facts that are known are stated."""
    vi_type, en_type = doc_type_names(meta)
    short = _short_number(meta.number)
    lines: list[str] = []
    head = f"{vi_type} số {meta.number}" if meta.number else vi_type
    if meta.title:
        head += f": {meta.title}"
    lines.append(head)
    if meta.number:
        alias = f"{vi_type} {short} / {en_type} {short}" if short else f"{vi_type} / {en_type}"
        lines.append(f"Số hiệu / Number: {meta.number} ({alias})")
    if meta.title:
        lines.append(f"Tên văn bản / Title: {meta.title}")
    if meta.doc_type:
        lines.append(f"Loại văn bản / Document type: {vi_type} ({en_type})")
    if meta.issuer:
        lines.append(f"Cơ quan ban hành / Issued by: {meta.issuer}")
    if meta.province:
        lines.append(f"Tỉnh, thành phố / Province: {meta.province}")
    vi_date, en_date = _dates(meta)
    if vi_date:
        written = f" ({meta.issued_date_text})" if meta.issued_date_text and meta.issued_date_text != vi_date else ""
        lines.append(f"Ngày ban hành / Issued on: {vi_date}{written}")
    if meta.signer:
        role = f" ({meta.signer_title})" if meta.signer_title else ""
        lines.append(f"Người ký / Signed by: {meta.signer}{role}")
    elif meta.signer_title:
        lines.append(f"Chức vụ người ký / Signer title: {meta.signer_title}")

    lead_vi = f"{vi_type} {meta.number}".strip()
    if meta.issuer:
        lead_vi += f" của {_short_issuer(meta.issuer)}"
    summary_vi = [lead_vi]
    summary_en = [f"{en_type} {meta.number or short}".strip()]
    if meta.issuer:
        summary_en.append(f"was issued by {meta.issuer}")
    if vi_date:
        summary_vi.append(f"ngày {vi_date}")
        summary_en.append(f"on {en_date}")
    if meta.signer:
        summary_vi.append(f"người ký là {meta.signer}")
        summary_en.append(f"and signed by {meta.signer}")
    if len(summary_vi) > 1 or meta.issuer:
        lines.append(", ".join(summary_vi) + ".")
        lines.append(" ".join(summary_en) + ".")
    lines.append(f"Tệp / File: {meta.doc_id}")
    return "\n".join(lines)
