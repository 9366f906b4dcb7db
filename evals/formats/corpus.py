"""Resolve what a test set written elsewhere says about sources to the ingested plans.

Test sets written outside planchat name their sources as people do: a file name,
a plan number ("72/KH-UBND", "Kế hoạch 72/KH-UBND"), or only a passage of text
(RAGAS ``reference_contexts``). planchat's metrics need a document id and a quote
(``evals.dataset.Source``), so importers ask a :class:`Corpus` built from the index:

- :meth:`Corpus.find` maps a name or number to document ids (file name, stem,
  or a plan number contained in the text, compared without case or diacritics);
- :meth:`Corpus.locate` lists the documents whose text contains a passage,
  compared with the same key as gold quotes (``evals.text.match_key``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from evals.text import match_key

_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """Case-, diacritic- and spacing-insensitive key for file names and plan numbers."""
    from evals.text import _fold

    return _SPACES.sub("", _fold(text or "")).lower()


@dataclass(frozen=True)
class CorpusDocument:
    doc_id: str
    text: str
    number: str = ""
    title: str = ""


class Corpus:
    def __init__(self, documents: Sequence[CorpusDocument]):
        self.documents = tuple(documents)
        self._text_keys = {d.doc_id: match_key(d.text) for d in self.documents}

    @classmethod
    def from_index(cls, index) -> "Corpus":
        """Every document of an index (``documents()`` of DocumentInfo or of ids; text from
        ``document_text`` when the index has it, else its chunks joined)."""
        docs = []
        for entry in index.documents():
            meta = getattr(entry, "meta", None)
            doc_id = meta.doc_id if meta is not None else str(entry)
            if hasattr(index, "document_text"):
                text = index.document_text(doc_id)
            else:
                text = "\n".join(c.text for c in index.chunks(doc_id))
            docs.append(CorpusDocument(doc_id, text, getattr(meta, "number", "") or "", getattr(meta, "title", "") or ""))
        return cls(docs)

    def ids(self) -> list[str]:
        return [d.doc_id for d in self.documents]

    def find(self, name: str) -> list[str]:
        """Documents a source cell names: the file name, its stem, or a plan number it contains."""
        name = (name or "").strip()
        if not name:
            return []
        for d in self.documents:
            if d.doc_id == name or d.doc_id == Path(name).name:
                return [d.doc_id]
        key = name_key(name)
        by_stem = [d.doc_id for d in self.documents if name_key(Path(d.doc_id).stem) == name_key(Path(name).stem)]
        if by_stem:
            return by_stem
        return [d.doc_id for d in self.documents if d.number and name_key(d.number) in key]

    def locate(self, passage: str) -> list[str]:
        """Documents whose text contains ``passage`` (NFC, case and whitespace folded, ``*``/``|`` dropped)."""
        key = match_key(passage)
        if not key:
            return []
        return [doc_id for doc_id, text in self._text_keys.items() if key in text]
