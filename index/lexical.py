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


class Vocabulary:
    """Token -> id, growing only. Chunks are kept as int32 id arrays (4 bytes a token
    instead of a ~60-byte string), which is what makes rebuilding BM25 over 100k chunks
    affordable in memory. Not thread-safe: used under the index's view lock."""

    EMPTY = ""  # id 0: what an entry without tokens is indexed as (bm25s does the same)

    def __init__(self) -> None:
        self._ids: dict[str, int] = {self.EMPTY: 0}  # insertion order == id order

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self, tokens: Sequence[str]) -> np.ndarray:
        lookup = self._ids
        setdefault = lookup.setdefault
        # len() is evaluated before setdefault runs, so a new token gets the next id
        return np.array([setdefault(t, len(lookup)) for t in tokens], dtype=np.int32)

    def tokens(self) -> list[str]:
        """Every token, indexed by id."""
        return list(self._ids)


def _codes(values: Sequence[str]) -> tuple[dict[str, int], np.ndarray]:
    names: dict[str, int] = {}
    codes = np.fromiter((names.setdefault(v, len(names)) for v in values), dtype=np.int32, count=len(values))
    return names, codes


def _decode(names: dict[str, int], codes: np.ndarray) -> list[str]:
    by_code = list(names)
    return [by_code[c] for c in codes.tolist()]


_BLOCK_DOCS = 8192  # documents per np.unique pass: bounds the temporary int64 arrays


def build_bm25(token_ids: Sequence[np.ndarray], vocabulary: Vocabulary, *, k1: float = 1.5, b: float = 0.75):
    """A ``bm25s.BM25`` (Lucene BM25, its defaults) built with numpy instead of per-document Python.

    Scores equal those of ``bm25s.BM25().index(tokens)`` (tested): idf =
    ln(1 + (N - df + 0.5) / (df + 0.5)), tf part = tf / (k1 (1 - b + b dl / avgdl) + tf),
    float32, stored as a token-major (CSC) matrix. bm25s's own builder loops over
    documents in Python (a Counter and a set intersection each), which at 100k chunks
    cost more time and memory than everything else in a rebuild. Only tokens that
    occur get a column, so ids of tokens no chunk uses any more are dropped.
    """
    import bm25s

    _quiet_bm25s()
    n_docs = len(token_ids)
    docs = [a if len(a) else np.zeros(1, dtype=np.int32) for a in token_ids]  # empty -> the "" token
    lengths = np.fromiter((len(a) for a in docs), dtype=np.int64, count=n_docs)
    n_vocab = len(vocabulary)
    pair_doc, pair_tok, pair_tf = [], [], []
    for start in range(0, n_docs, _BLOCK_DOCS):
        block = docs[start : start + _BLOCK_DOCS]
        tok = np.concatenate(block).astype(np.int64)
        doc = np.repeat(np.arange(start, start + len(block), dtype=np.int64), lengths[start : start + len(block)])
        keys, counts = np.unique(doc * n_vocab + tok, return_counts=True)  # sorted: doc, then token
        pair_doc.append((keys // n_vocab).astype(np.int32))
        pair_tok.append((keys % n_vocab).astype(np.int32))
        pair_tf.append(counts.astype(np.float32))
    d = np.concatenate(pair_doc)
    t = np.concatenate(pair_tok)
    tf = np.concatenate(pair_tf)
    del pair_doc, pair_tok, pair_tf
    df_all = np.bincount(t, minlength=n_vocab)
    used = np.flatnonzero(df_all)
    remap = np.full(n_vocab, -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    t = remap[t]
    df = df_all[used].astype(np.float64)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * ((1 - b) + b * lengths / lengths.mean())).astype(np.float32)
    scores = idf[t] * (tf / (norm[d] + tf))
    order = np.argsort(t, kind="stable")  # token-major; documents stay ascending within a token
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(np.bincount(t, minlength=len(used)), out=indptr[1:])
    model = bm25s.BM25(k1=k1, b=b)
    model.scores = {
        "data": scores[order].astype(np.float32, copy=False),
        "indices": d[order],
        "indptr": indptr,
        "num_docs": n_docs,
    }
    names = vocabulary.tokens()
    model.vocab_dict = {names[old]: new for new, old in enumerate(used.tolist())}
    model.unique_token_ids_set = set(model.vocab_dict.values())
    model.nonoccurrence_array = None
    return model


class LexicalIndex:
    """Immutable once built; safe to query from many threads."""

    def __init__(self, model, chunk_ids: Sequence[str], doc_ids: Sequence[str], provinces: Sequence[str]):
        self._model = model  # None for an empty corpus
        self.chunk_ids = list(chunk_ids)
        # documents and provinces as small integer codes: a filter mask or a province's
        # chunks are then one vectorised comparison, not string compares over every chunk
        self._doc_names, self._doc_codes = _codes(doc_ids)
        self._province_names, self._province_codes = _codes(provinces)
        self._province_median: dict[str, float | None] = {}

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def vocabulary_size(self) -> int:
        return 0 if self._model is None else len(self._model.vocab_dict)

    @classmethod
    def build(
        cls,
        entries: Sequence[LexicalEntry],
        *,
        tokens: Sequence[list[str]] | None = None,
        token_ids: Sequence[np.ndarray] | None = None,
        vocabulary: "Vocabulary | None" = None,
    ) -> "LexicalIndex":
        """Index ``entries``.

        ``token_ids`` (one int array per entry, ids from ``vocabulary``) or ``tokens``
        (one list of strings per entry) skip re-tokenising unchanged chunks.
        """
        model = None
        if entries:
            if token_ids is None:
                vocabulary = Vocabulary()
                if tokens is None:
                    tokens = [lexical_tokens(e.text) for e in entries]
                token_ids = [vocabulary.ids(t) for t in tokens]
            elif vocabulary is None:
                raise ValueError("token_ids need the vocabulary they were made with")
            model = build_bm25(token_ids, vocabulary)
        return cls(model, [e.chunk_id for e in entries], [e.doc_id for e in entries], [e.province for e in entries])

    # -- search ----------------------------------------------------------------
    def _selected(self, names: dict[str, int], codes: np.ndarray, wanted: Sequence[str]) -> np.ndarray:
        picked = [names[w] for w in wanted if w in names]
        if not picked:
            return np.zeros(len(codes), dtype=bool)
        if len(picked) == 1:
            return codes == picked[0]
        table = np.zeros(len(names), dtype=bool)
        table[picked] = True
        return table[codes]

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None
        keep = np.ones(len(self.chunk_ids), dtype=bool)
        if filters.provinces:
            keep &= self._selected(self._province_names, self._province_codes, filters.provinces)
        if filters.documents:
            keep &= self._selected(self._doc_names, self._doc_codes, filters.documents)
        return keep.astype(np.float32)

    def _scores(self, tokens: list[str]) -> np.ndarray | None:
        """BM25 of ``tokens`` for every chunk: one ``bincount`` over their posting lists
        (bm25s adds each token's postings with ``np.add.at``, several times slower)."""
        vocab = self._model.vocab_dict
        ids = [vocab[t] for t in dict.fromkeys(tokens) if t in vocab]
        if not ids:
            return None
        scores = self._model.scores
        indptr, indices, data = scores["indptr"], scores["indices"], scores["data"]
        spans = [(int(indptr[i]), int(indptr[i + 1])) for i in ids]
        rows = np.concatenate([indices[a:b] for a, b in spans])
        weights = np.concatenate([data[a:b] for a, b in spans]).astype(np.float64)
        return np.bincount(rows, weights=weights, minlength=int(scores["num_docs"]))

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
        code = self._province_names.get(province)
        if code is None:
            return None
        in_province = self._province_codes == code
        if province not in self._province_median:  # the same for every question: computed once
            name_scores = self._scores(lexical_tokens(province))
            self._province_median[province] = (
                None if name_scores is None else float(np.median(name_scores[in_province]))
            )
        value = self._province_median[province]
        if value is None:
            return None
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
                "doc_ids": _decode(self._doc_names, self._doc_codes),
                "provinces": _decode(self._province_names, self._province_codes),
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
                # memory-mapped: postings are read from the page cache as queries touch them
                model = bm25s.BM25.load(str(directory), show_progress=False, mmap=True)
            except Exception:  # corrupt/partial files: rebuild from the catalog
                return None
        return cls(model, meta["chunk_ids"], meta["doc_ids"], meta["provinces"])
