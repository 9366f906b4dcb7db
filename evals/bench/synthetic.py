"""Synthetic plans for the scale benchmark: realistic sizes and word statistics, no embedding.

Each synthetic chunk copies the kind, section path and word count of a real chunk of
the sample plans (its "template"); its words come from an order-1 Markov chain over
the sample plans' words (each word followed by a word that followed it in the plans,
with the real frequencies; 5% of the time a fresh word drawn by frequency instead),
so word and syllable-bigram statistics, hence BM25 posting lists and vocabulary,
look like plan text. A real corpus of the same size has a larger vocabulary than
text recombined from five plans, so lexical memory is somewhat understated. Its vector is
the template's real vector plus Gaussian noise, renormalised (or a random unit
vector when no real vectors are given), so the HNSW graph sees clustered data like
a real corpus rather than uniform noise. Documents hold ``chunks_per_doc`` chunks
and are spread round-robin over the 63 provinces, so a province filter keeps ~1/63
of the corpus and a document filter ~``chunks_per_doc`` chunks.

Documents are generated one at a time (``iter_documents``) so the generator's own
memory stays flat and the peak RSS measured around it is the index's.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterator, Sequence

import numpy as np

from ingest.types import Chunk, Document, DocumentMeta

_WORD = re.compile(r"\S+")
SYNTHETIC_PREFIX = "synthetic-"


@dataclass(frozen=True)
class Template:
    kind: str
    n_words: int
    section_path: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticDocument:
    document: Document
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # (len(chunks), dim), float32, unit rows


class SyntheticCorpus:
    """Generates ``n_chunks`` chunks in documents of ``chunks_per_doc``; deterministic for a seed."""

    def __init__(
        self,
        real_chunks: Sequence[Chunk],
        *,
        provinces: Sequence[str],
        dim: int,
        real_vectors: np.ndarray | None = None,
        chunks_per_doc: int = 50,
        noise: float = 0.35,
        seed: int = 7,
    ):
        if not real_chunks:
            raise ValueError("the synthetic corpus needs at least one real chunk as a template")
        if real_vectors is not None and real_vectors.shape != (len(real_chunks), dim):
            raise ValueError(f"real vectors have shape {real_vectors.shape}, expected {(len(real_chunks), dim)}")
        self.templates = [
            Template(c.kind, max(1, len(_WORD.findall(c.text))), tuple(c.section_path)) for c in real_chunks
        ]
        texts = [_WORD.findall(c.text) for c in real_chunks]
        counts = Counter(w for words in texts for w in words)
        self.words = np.array(list(counts), dtype=object)
        freq = np.array(list(counts.values()), dtype=np.float64)
        self.word_p = freq / freq.sum()
        index = {w: i for i, w in enumerate(counts)}
        pairs = np.array([(index[a], index[b]) for words in texts for a, b in zip(words, words[1:])],
                         dtype=np.int64).reshape(-1, 2)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        self._follow = pairs[:, 1]  # successors, grouped by predecessor
        self._follow_count = np.bincount(pairs[:, 0], minlength=len(self.words))
        self._follow_start = np.concatenate([[0], np.cumsum(self._follow_count)[:-1]])
        titles = [c.meta.title for c in real_chunks if c.meta is not None and c.meta.title]
        self.titles = list(dict.fromkeys(titles)) or ["Kế hoạch"]
        self.provinces = list(provinces)
        self.dim = dim
        self.real_vectors = None if real_vectors is None else np.asarray(real_vectors, dtype=np.float32)
        self.chunks_per_doc = max(1, int(chunks_per_doc))
        self.noise = float(noise)
        self.seed = seed

    def n_documents(self, n_chunks: int) -> int:
        return (n_chunks + self.chunks_per_doc - 1) // self.chunks_per_doc

    def doc_id(self, index: int) -> str:
        return f"{SYNTHETIC_PREFIX}{index:06d}.txt"

    def province_of(self, index: int) -> str:
        return self.provinces[index % len(self.provinces)] if self.provinces else ""

    def iter_documents(self, n_chunks: int, *, block_docs: int = 40) -> Iterator[SyntheticDocument]:
        """Documents in order; texts are drawn ``block_docs`` documents at a time (vectorised)."""
        rng = np.random.default_rng(self.seed)
        made = 0
        index = 0
        while made < n_chunks:
            sizes = []
            while len(sizes) < block_docs and made + sum(sizes) < n_chunks:
                sizes.append(min(self.chunks_per_doc, n_chunks - made - sum(sizes)))
            picks = rng.integers(0, len(self.templates), size=sum(sizes))
            texts = self._texts(rng, [self.templates[t].n_words for t in picks])
            offset = 0
            for size in sizes:
                yield self._document(rng, index, picks[offset : offset + size], texts[offset : offset + size])
                offset += size
                made += size
                index += 1

    def _texts(self, rng: np.random.Generator, lengths: list[int]) -> list[str]:
        """One Markov-chain text per length, all chains stepped together."""
        n = len(lengths)
        longest = max(lengths) if lengths else 0
        out = np.empty((n, longest), dtype=np.int64)
        current = rng.choice(len(self.words), size=n, p=self.word_p)
        for pos in range(longest):
            out[:, pos] = current
            count = self._follow_count[current]
            if len(self._follow):
                offset = (rng.random(n) * np.maximum(count, 1)).astype(np.int64)
                following = self._follow[np.minimum(self._follow_start[current] + offset, len(self._follow) - 1)]
            else:  # one-word texts: no word ever follows another
                following = current
            fresh = (count == 0) | (rng.random(n) < 0.05)
            if fresh.any():
                following = np.where(fresh, rng.choice(len(self.words), size=n, p=self.word_p), following)
            current = following
        return [" ".join(self.words[out[i, :length]]) for i, length in enumerate(lengths)]

    # ------------------------------------------------------------------ internals
    def _document(self, rng: np.random.Generator, index: int, picks: np.ndarray, texts: list[str]) -> SyntheticDocument:
        doc_id = self.doc_id(index)
        province = self.province_of(index)
        meta = DocumentMeta(
            doc_id=doc_id,
            title=self.titles[index % len(self.titles)],
            number=f"{index + 1}/KH-UBND",
            issuer=f"Ủy ban nhân dân tỉnh {province}" if province else "",
            province=province,
            issued_date=f"{2018 + index % 7}-{1 + index % 12:02d}-{1 + index % 28:02d}",
            file_type="txt",
            encoding="utf-8",
        )
        body = "\n\n".join(texts)
        meta = replace(meta, sha256=hashlib.sha256(body.encode("utf-8")).hexdigest())
        chunks = []
        start = 0
        for position, (t, text) in enumerate(zip(picks, texts)):
            template = self.templates[t]
            end = start + len(text)
            chunks.append(
                Chunk(
                    id=f"syn{index:06d}-{position:03d}",
                    doc_id=doc_id,
                    position=position,
                    kind=template.kind,
                    text=text,
                    section_path=template.section_path,
                    start=start,
                    end=end,
                    meta=meta,
                )
            )
            start = end + 2
        return SyntheticDocument(Document(meta=meta, text=body), tuple(chunks), self._vectors(rng, picks))

    def _vectors(self, rng: np.random.Generator, picks: np.ndarray) -> np.ndarray:
        noise = rng.standard_normal((len(picks), self.dim)).astype(np.float32)
        if self.real_vectors is None:
            vectors = noise
        else:
            # noise of norm ~``self.noise`` around a unit vector: cosine to the template ~0.94 at 0.35
            vectors = self.real_vectors[picks] + noise * (self.noise / np.sqrt(self.dim))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)


class StagedVectorEmbedder:
    """An Embedder for loading synthetic documents through the real write path.

    Passage vectors are staged per document (``stage(texts, vectors)``) and handed
    out when ``PlanIndex.add`` asks for exactly those texts; queries go to the real
    embedder, so query latency includes real query embedding.
    """

    def __init__(self, query_embedder):
        self.query_embedder = query_embedder
        self.model_id = query_embedder.model_id
        self.dim = query_embedder.dim
        self._staged: dict[str, np.ndarray] = {}

    def stage(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._staged = dict(zip(texts, vectors))

    def embed(self, texts, role):
        texts = list(texts)
        if role == "query":
            return self.query_embedder.embed(texts, "query")
        missing = [t for t in texts if t not in self._staged]
        if missing:
            raise KeyError(f"{len(missing)} passage(s) were not staged, e.g. {missing[0][:60]!r}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._staged[t] for t in texts]).astype(np.float32, copy=False)
