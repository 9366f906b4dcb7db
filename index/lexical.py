"""BM25 over folded chunk text, persisted with the catalog generation it reflects.

Tokens come from ``index._text.lexical_tokens(chunk.context_text())``: folded
syllables, syllable bigrams and numbers, so "cao bang", "Cao Bằng" and
"3058/KH-UBND" all match. Filters are applied as a 0/1 weight mask over the
full score vector, which is exact (no candidate truncation before filtering).

A query is scored as: BM25(question words) + for each glossary concept
weight x max over its Vietnamese alternatives (each matched as a phrase) + a uniform
bonus for chunks of provinces the question names.

The index is built by ``index.lexical_build`` (streaming, bounded memory, postings of
unchanged chunks reused from the previous build) into ``<data_dir>/lexical/`` and
served from there memory-mapped. ``build_bm25``/``Vocabulary`` are the previous
in-memory builder, kept as the reference the new one is tested against and as the
baseline of ``python -m evals.bench.lexical_compare``.
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from index import lexical_build
from index._files import swap_into_place
from index._text import lexical_tokens, phrase_tokens, tokenizer_fingerprint
from index.types import Filters
from ingest.types import Chunk

if TYPE_CHECKING:
    from index.glossary import Expansion

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
    """Token -> id, growing only, for the reference builder ``build_bm25`` (chunks as int32
    id arrays, 4 bytes a token instead of a ~60-byte string). Not thread-safe."""

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


_BLOCK_DOCS = 8192  # documents per np.unique pass: bounds the temporary int64 arrays


def build_bm25(token_ids: Sequence[np.ndarray], vocabulary: Vocabulary, *, k1: float = 1.5, b: float = 0.75):
    """A ``bm25s.BM25`` (Lucene BM25, its defaults) built with numpy instead of per-document Python.

    The previous builder, now the reference: it holds every chunk's token ids and all
    postings (with int64 temporaries and a full argsort) at once, ~40 bytes a posting at
    its peak, which stopped the 1M-chunk build; ``index.lexical_build`` replaced it.

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


class _HashLookup:
    """Token -> column through sorted 64-bit token hashes (memory-mapped; no dict of every token)."""

    def __init__(self, token_hash: np.ndarray, token_col: np.ndarray):
        self._hash = token_hash
        self._col = token_col

    def __len__(self) -> int:
        return len(self._hash)

    def columns(self, tokens: Sequence[str]) -> list[int]:
        if not tokens or not len(self._hash):
            return []
        wanted = lexical_build.token_hashes(tokens)
        at = np.minimum(np.searchsorted(self._hash, wanted), len(self._hash) - 1)
        found = self._hash[at] == wanted
        return self._col[at[found]].tolist()


class _DictLookup:
    """Token -> column through a dict (bm25s models; an index whose token hashes collide)."""

    def __init__(self, vocab: dict[str, int]):
        self._vocab = vocab

    def __len__(self) -> int:
        return len(self._vocab)

    def columns(self, tokens: Sequence[str]) -> list[int]:
        vocab = self._vocab
        return [vocab[t] for t in tokens if t in vocab]


class Postings:
    """BM25 weights in token-major (CSC) arrays: column ``c``'s chunk rows are
    ``indices[indptr[c]:indptr[c+1]]`` with weights ``data[...]`` (bm25s's layout)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, num_docs: int, lookup):
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.num_docs = int(num_docs)
        self.lookup = lookup

    @classmethod
    def of_bm25s(cls, model) -> "Postings":
        """A ``bm25s.BM25`` model's arrays (the previous builder's output)."""
        s = model.scores
        return cls(s["indptr"], s["indices"], s["data"], s["num_docs"], _DictLookup(model.vocab_dict))

    def vocabulary_size(self) -> int:
        return len(self.indptr) - 1

    def scores(self, tokens: Sequence[str]) -> np.ndarray | None:
        """BM25 of ``tokens`` for every chunk: one ``bincount`` over their posting lists
        (bm25s adds each token's postings with ``np.add.at``, several times slower)."""
        ids = self.lookup.columns(list(dict.fromkeys(tokens)))
        if not ids:
            return None
        indptr, indices, data = self.indptr, self.indices, self.data
        spans = [(int(indptr[i]), int(indptr[i + 1])) for i in ids]
        rows = np.concatenate([indices[a:b] for a, b in spans])
        weights = np.concatenate([data[a:b] for a, b in spans]).astype(np.float64)
        return np.bincount(rows, weights=weights, minlength=self.num_docs)


def _read_postings(directory: Path, meta: dict, *, mmap: bool) -> Postings:
    def read(name: str) -> np.ndarray:
        return lexical_build.read_array(directory, name, meta, mmap=mmap)

    if meta.get("hash_collisions"):
        tokens = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        columns = read("columns").tolist()
        lookup = _DictLookup({t: c for t, c in zip(tokens, columns) if c >= 0})
    else:
        lookup = _HashLookup(read("token_hash"), read("token_col"))
    return Postings(read("indptr"), read("indices"), read("data"), meta["num_docs"], lookup)


class LexicalIndex:
    """Immutable once built; safe to query from many threads."""

    def __init__(
        self,
        postings: Postings | None,
        chunk_ids: Sequence[str],
        doc_ids: Sequence[str] | None = None,
        provinces: Sequence[str] | None = None,
        *,
        codes: tuple[dict[str, int], np.ndarray, dict[str, int], np.ndarray] | None = None,
        source: Path | None = None,
        stats: "lexical_build.BuildStats | None" = None,
    ):
        self._postings = postings  # None for an empty corpus
        self.chunk_ids = list(chunk_ids)
        # documents and provinces as small integer codes: a filter mask or a province's
        # chunks are then one vectorised comparison, not string compares over every chunk
        if codes is not None:
            self._doc_names, self._doc_codes, self._province_names, self._province_codes = codes
        else:
            self._doc_names, self._doc_codes = _codes(doc_ids or [])
            self._province_names, self._province_codes = _codes(provinces or [])
        self._province_median: dict[str, float | None] = {}
        self._source = source  # the built directory behind the arrays (what ``save`` copies)
        self.build_stats = stats

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def vocabulary_size(self) -> int:
        return 0 if self._postings is None else self._postings.vocabulary_size()

    # -- building ----------------------------------------------------------------
    @classmethod
    def build(
        cls,
        entries: Sequence[LexicalEntry],
        *,
        tokens: Sequence[list[str]] | None = None,
        token_ids: Sequence[np.ndarray] | None = None,
        vocabulary: "Vocabulary | None" = None,
    ) -> "LexicalIndex":
        """Index ``entries`` in memory (a scratch directory is used while building).

        ``tokens`` (one list of strings per entry) or ``token_ids`` (one int array per
        entry, ids from ``vocabulary``) skip tokenising.
        """
        if token_ids is not None:
            if vocabulary is None:
                raise ValueError("token_ids need the vocabulary they were made with")
            names = vocabulary.tokens()
            tokens = [[names[i] for i in ids.tolist()] for ids in token_ids]
        tokenize: Callable[[str], list[str]] = lexical_tokens
        if tokens is not None:
            given = iter(tokens)
            tokenize = lambda _text: list(next(given))  # noqa: E731 - entries are read once, in order
        with tempfile.TemporaryDirectory(prefix="planchat-lexical-") as tmp:
            stats = lexical_build.build_postings(Path(tmp), entries, tokenize=tokenize)
            return cls._open(Path(tmp), lexical_build.read_meta(Path(tmp)), mmap=False, stats=stats)

    @classmethod
    def rebuild(
        cls,
        directory: str | Path,
        entries: Iterable[LexicalEntry],
        *,
        generation: int,
        catalog_id: str,
        tokenize: Callable[[str], list[str]] = lexical_tokens,
        budget_bytes: int = lexical_build.DEFAULT_BUDGET_BYTES,
    ) -> "LexicalIndex":
        """Build into ``directory`` (streaming ``entries`` once; postings of chunks unchanged
        since the build already there are copied, not re-tokenised) and serve it memory-mapped.

        ``entries`` may be a generator: it is consumed once. If the directory cannot be
        written, the caller gets an ``OSError`` and should fall back to ``build``.
        """
        directory = Path(directory)
        stats = lexical_build.build_into(directory, entries, generation=generation, catalog_id=catalog_id,
                                         tokenize=tokenize, budget_bytes=budget_bytes)
        loaded = cls.load(directory, generation=generation, catalog_id=catalog_id)
        if loaded is None:
            raise OSError(f"the lexical index just written to {directory} cannot be read back")
        loaded.build_stats = stats
        return loaded

    @classmethod
    def _open(cls, directory: Path, meta: dict, *, mmap: bool, stats=None) -> "LexicalIndex":
        """The index in a built directory: memory-mapped, or (``mmap=False``) read into memory
        with every file kept, so that ``save`` can write it again after the directory is gone."""
        chunk_ids = meta["chunk_ids"]
        codes = (
            {name: i for i, name in enumerate(meta["doc_names"])},
            lexical_build.read_array(directory, "doc_codes", meta, mmap=False),
            {name: i for i, name in enumerate(meta["province_names"])},
            lexical_build.read_array(directory, "province_codes", meta, mmap=False),
        )
        postings = None if meta.get("empty") else _read_postings(directory, meta, mmap=mmap)
        if mmap:
            return cls(postings, chunk_ids, codes=codes, source=directory, stats=stats)
        index = cls(postings, chunk_ids, codes=codes, stats=stats)
        index._files = {name: lexical_build.read_array(directory, name, meta, mmap=False)
                        for name in (*lexical_build.RAW, *lexical_build.NPY)}
        index._files["vocab.json"] = (directory / "vocab.json").read_text(encoding="utf-8")
        index._meta = {k: v for k, v in meta.items() if k not in ("generation", "catalog_id", "chunk_ids")}
        return index

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
        return self._postings.scores(tokens)

    def scores(self, query: str, expansions: Sequence["Expansion"] = ()) -> np.ndarray | None:
        """BM25 of ``query`` plus, per expansion concept, ``weight`` x the best of its alternatives.

        A concept is a set of synonyms ("đào tạo nghề", "giáo dục nghề nghiệp", "học
        nghề"): taking the maximum rather than the sum keeps a concept with many
        synonyms from outweighing the others (dis-max, as for synonym queries in
        search engines). Multi-syllable alternatives are matched by their syllable
        bigrams only, i.e. as phrases: "chỉ đạo" must not score on the "đạo"/"đào"
        of every "đào tạo".
        """
        if self._postings is None:
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
        if self._postings is None or k <= 0:
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
        """Write atomically: copy into a sibling temp dir, then swap it into place."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=directory.parent))
        try:
            if self._source is not None:
                for path in self._source.iterdir():
                    shutil.copyfile(path, tmp / path.name)
            else:
                self._write_files(tmp)
            lexical_build.stamp(tmp, generation=generation, catalog_id=catalog_id)
            swap_into_place(tmp, directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _write_files(self, directory: Path) -> None:
        for name, array in self._files.items():
            if name == "vocab.json":
                (directory / name).write_text(array, encoding="utf-8")
            elif name in lexical_build.RAW:
                np.ascontiguousarray(array, dtype=lexical_build.RAW[name]).tofile(directory / f"{name}.bin")
            else:
                np.save(directory / f"{name}.npy", array, allow_pickle=False)
        meta = {**self._meta, "chunk_ids": self.chunk_ids}
        (directory / lexical_build.META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, *, generation: int, catalog_id: str) -> "LexicalIndex | None":
        """The persisted index if it reflects exactly this catalog generation, else None (rebuild).

        Postings and token hashes are memory-mapped: pages are read from the page cache
        as queries touch them.
        """
        directory = Path(directory)
        meta = lexical_build.read_meta(directory)
        if (
            meta is None
            or meta.get("generation") != generation
            or meta.get("catalog_id") != catalog_id
            or meta.get("fingerprint") != tokenizer_fingerprint()
        ):
            return None
        try:
            return cls._open(directory, meta, mmap=True)
        except (OSError, ValueError, KeyError):  # corrupt/partial files: rebuild from the catalog
            return None
