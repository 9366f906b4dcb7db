"""Answers prefer documents that still stand, and say when a replaced one covers the topic too.

``prefer_current`` moves the passages of a document replaced by another document that is
also among the passages after the others (stable), so the answerer reads the current text
first. ``mark_standing`` labels every citation with its document's standing
(``index.doc_status``) and, when a replaced document was among the passages but the answer
does not cite it, appends one cited line saying which document replaced it.
"""
from __future__ import annotations

import dataclasses
from typing import Mapping, Sequence

from assistant.citations import citation_for
from assistant.types import Answer
from index.doc_status import DocumentStatus
from index.types import Hit


def prefer_current(hits: Sequence[Hit], statuses: Mapping[str, DocumentStatus]) -> list[Hit]:
    present = {h.chunk.doc_id for h in hits}

    def superseded(hit: Hit) -> bool:
        status = statuses.get(hit.chunk.doc_id)
        return status is not None and status.state == "replaced" and status.by in present

    return [h for h in hits if not superseded(h)] + [h for h in hits if superseded(h)]


def mark_standing(answer: Answer, hits: Sequence[Hit], statuses: Mapping[str, DocumentStatus]) -> Answer:
    """Citations labelled with their document's standing; a note for a replaced document left out."""
    if not statuses or answer.abstained:
        return answer
    lang = answer.language
    citations = [
        dataclasses.replace(c, status=statuses[c.document].label(lang)) if c.document in statuses else c
        for c in answer.citations
    ]
    cited = {c.document for c in citations}
    lines: list[str] = []
    for hit in hits:
        status = statuses.get(hit.chunk.doc_id)
        if status is None or status.state != "replaced" or hit.chunk.doc_id in cited or status.by not in cited:
            continue
        n = len(citations) + 1
        citations.append(dataclasses.replace(citation_for(hit, n), kind="note", status=status.label(lang)))
        cited.add(hit.chunk.doc_id)
        name = (hit.chunk.meta.number if hit.chunk.meta and hit.chunk.meta.number else hit.chunk.doc_id)
        if lang == "en":
            lines.append(f"Note: {name} also covers this but was {status.label('en')} [{n}].")
        else:
            lines.append(f"Lưu ý: {name} cũng đề cập nội dung này nhưng đã {status.label('vi')} [{n}].")
    text = answer.text.rstrip() + ("\n\n" + "\n".join(lines) if lines else "")
    return dataclasses.replace(answer, text=text, citations=tuple(citations))
