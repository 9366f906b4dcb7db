"""In-memory BM25 (bm25s) over folded chunk text, persisted with the catalog generation it reflects.

Tokens come from ``index._text.lexical_tokens(chunk.context_text())``: folded
syllables, syllable bigrams and numbers, so "cao bang", "Cao Bằng" and
"3058/KH-UBND" all match. Filters are applied as a 0/1 weight mask over the
full score vector, which is exact (no candidate truncation before filtering).

A query is scored as: BM25(question words) + for each glossary concept
weight x max over its Vietnamese alternatives (each matched as a phrase) + a uniform
bonus for chunks of provinces the question names.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from index._text import lexical_tokens, phrase_tokens, tokenizer_fingerprint
from index.types import Filters
from ingest.types import Chunk

if TYPE_CHECKING:
    from index.glossary import Expansion

_META_FILE = "planchat_lexical.json"


@dataclass(frozen=True)
class LexicalEntry:
    chunk_id: str
    doc_id: str
    province: str
    text: str

    @classmethod
    def of(cls, chunk: Chunk) -> "LexicalEntry":
        province = chunk.meta.province if chunk.meta is not None else ""
        return cls(chunk.id, chunk.doc_id, province, chunk.context_text())


def _quiet_bm25s() -> None:
    logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """Immutable once built; safe to query from many threads."""

    def __init__(self, model, chunk_ids: Sequence[str], doc_ids: Sequence[str], provinces: Sequence[str]):
        self._model = model  # None for an empty corpus
        self.chunk_ids = list(chunk_ids)
        self._doc_ids = np.asarray(doc_ids, dtype=object)
        self._provinces = np.asarray(provinces, dtype=object)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @classmethod
    def build(
        cls, entries: Sequence[LexicalEntry], *, tokens: Sequence[list[str]] | None = None
    ) -> "LexicalIndex":
        """Index ``entries``; ``tokens`` (one list per entry) skips re-tokenising unchanged chunks."""
        model = None
        if entries:
            import bm25s

            _quiet_bm25s()
            model = bm25s.BM25()
            if tokens is None:
                tokens = [lexical_tokens(e.text) for e in entries]
            corpus = [list(t) or [""] for t in tokens]
            model.index(corpus, show_progress=False)
        return cls(model, [e.chunk_id for e in entries], [e.doc_id for e in entries], [e.province for e in entries])

    # -- search ----------------------------------------------------------------
    def mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None
        keep = np.ones(len(self.chunk_ids), dtype=bool)
        if filters.provinces:
            keep &= np.isin(self._provinces, list(filters.provinces))
        if filters.documents:
            keep &= np.isin(self._doc_ids, list(filters.documents))
        return keep.astype(np.float32)

    def _scores(self, tokens: list[str]) -> np.ndarray | None:
        tokens = [t for t in dict.fromkeys(tokens) if t in self._model.vocab_dict]
        if not tokens:
            return None
        return np.asarray(self._model.get_scores(tokens), dtype=np.float64)

    def scores(self, query: str, expansions: Sequence["Expansion"] = ()) -> np.ndarray | None:
        """BM25 of ``query`` plus, per expansion concept, ``weight`` x the best of its alternatives.

        A concept is a set of synonyms ("đào tạo nghề", "giáo dục nghề nghiệp", "học
        nghề"): taking the maximum rather than the sum keeps a concept with many
        synonyms from outweighing the others (dis-max, as for synonym queries in
        search engines). Multi-syllable alternatives are matched by their syllable
        bigrams only, i.e. as phrases: "chỉ đạo" must not score on the "đạo"/"đào"
        of every "đào tạo".
        """
        if self._model is None:
            return None
        total = self._scores(lexical_tokens(query))
        for concept in expansions:
            alternatives = [a for a in (self._scores(phrase_tokens(t)) for t in concept.alternatives) if a is not None]
            if not alternatives:
                continue
            best = np.maximum.reduce(alternatives) if len(alternatives) > 1 else alternatives[0]
            best = best * concept.weight
            total = best if total is None else total + best
        return total

    def province_bonus(self, province: str) -> np.ndarray | None:
        """A province named in a question identifies plans, not passages: every chunk of that
        province gets the BM25 score a typical (median) chunk of it has for the name, so
        chunks that merely repeat the name (the document card) do not outrank the passage
        that answers."""
        in_province = self._provinces == province
        if not in_province.any():
            return None
        name_scores = self._scores(lexical_tokens(province))
        if name_scores is None:
            return None
        value = float(np.median(name_scores[in_province]))
        return in_province.astype(np.float64) * value

    def search(
        self,
        query: str,
        k: int,
        filters: Filters | None = None,
        *,
        expansions: Sequence["Expansion"] = (),
        provinces: Sequence[str] = (),
    ) -> list[tuple[str, float]]:
        """Best ``k`` (chunk_id, score) with a positive score, best first.

        ``provinces`` named by the question add the same bonus to every chunk of
        those provinces' plans (see ``province_bonus``) instead of being scored as words.
        """
        if self._model is None or k <= 0:
            return []
        scores = self.scores(query, expansions)
        for province in provinces:
            bonus = self.province_bonus(province)
            if bonus is not None:
                scores = bonus if scores is None else scores + bonus
        if scores is None:
            return []
        mask = self.mask(filters)
        if mask is not None:
            scores = scores * mask
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        if positive.size > k:
            top = positive[np.argpartition(-scores[positive], k - 1)[:k]]
        else:
            top = positive
        order = top[np.lexsort((top, -scores[top]))]  # score desc, then corpus order for ties
        return [(self.chunk_ids[i], float(scores[i])) for i in order]

    # -- persistence -----------------------------------------------------------
    def save(self, directory: str | Path, *, generation: int, catalog_id: str) -> None:
        """Write atomically: build in a sibling temp dir, then swap it into place."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=directory.parent))
        try:
            if self._model is not None:
                self._model.save(str(tmp), show_progress=False)
            meta = {
                "generation": generation,
                "catalog_id": catalog_id,
                "fingerprint": tokenizer_fingerprint(),
                "chunk_ids": self.chunk_ids,
                "doc_ids": list(self._doc_ids),
                "provinces": list(self._provinces),
                "empty": self._model is None,
            }
            (tmp / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            old = None
            if directory.exists():
                old = directory.with_name(directory.name + f".old-{os.getpid()}")
                shutil.rmtree(old, ignore_errors=True)
                directory.rename(old)
            tmp.rename(directory)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: str | Path, *, generation: int, catalog_id: str) -> "LexicalIndex | None":
        """The persisted index if it reflects exactly this catalog generation, else None (rebuild)."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            meta.get("generation") != generation
            or meta.get("catalog_id") != catalog_id
            or meta.get("fingerprint") != tokenizer_fingerprint()
        ):
            return None
        model = None
        if not meta.get("empty"):
            import bm25s

            _quiet_bm25s()
            try:
                model = bm25s.BM25.load(str(directory), show_progress=False)
            except Exception:  # corrupt/partial files: rebuild from the catalog
                return None
        return cls(model, meta["chunk_ids"], meta["doc_ids"], meta["provinces"])
