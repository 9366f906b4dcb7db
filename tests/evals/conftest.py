"""Small real objects for eval tests: an embedder, an index, an assistant and services (no mocks)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from assistant.types import ABSTAIN_VI, Answer, Citation
from evals.dataset import EvalItem, Source
from evals.text import tokens
from index.types import Hit
from ingest.types import Chunk


class TinyHashEmbedder:
    """Fallback when index.embedders.hash_embedder is unavailable: hashed folded tokens, L2-normalised."""

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.model_id = f"tiny-hash-{dim}"

    def embed(self, texts, role):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokens(text):
                out[row, int(hashlib.md5(tok.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(1, self.dim, 0, dtype=np.float32)[0]
        return out


def make_embedder():
    try:
        from index.embedders.hash_embedder import HashEmbedder
    except Exception:  # the index engineer's embedder is not importable yet
        return TinyHashEmbedder()
    return HashEmbedder(128)


CORPUS = {
    "alpha-plan.txt": (
        "KẾ HOẠCH đào tạo nghề tỉnh Alpha.\n"
        "Sở Lao động - Thương binh và Xã hội chủ trì tổ chức đào tạo nghề cho lao động nông thôn.\n\n"
        "Kinh phí thực hiện là 500 triệu đồng từ ngân sách tỉnh."
    ),
    "beta-plan.txt": (
        "KẾ HOẠCH chuyển đổi số tỉnh Beta.\n"
        "Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính.\n\n"
        "Hoàn thành trước ngày 31/12/2025."
    ),
}


def corpus_chunks() -> list[Chunk]:
    chunks = []
    for doc_id, text in CORPUS.items():
        for position, para in enumerate(p for p in text.split("\n") if p.strip()):
            chunks.append(Chunk(id=f"{doc_id}#{position}", doc_id=doc_id, position=position, kind="text", text=para))
    return chunks


class OverlapIndex:
    """Ranks chunks by the number of shared folded tokens with the query (ties by chunk order)."""

    def __init__(self, chunks):
        self._chunks = list(chunks)

    def chunks(self, doc_id=None):
        return [c for c in self._chunks if doc_id is None or c.doc_id == doc_id]

    def documents(self):
        return sorted({c.doc_id for c in self._chunks})

    def retrieve(self, query, k=5, filters=None):
        q = set(tokens(query))
        scored = [(len(q & set(tokens(c.text))), -i, c) for i, c in enumerate(self._chunks)]
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        return [Hit(chunk=c, score=float(s)) for s, _, c in scored[:k] if s > 0]


class TopPassageAssistant:
    """Answers with the best passage and cites it; abstains when nothing overlaps the question."""

    def __init__(self, index):
        self.index = index

    def ask(self, question, filters=None, history=(), k=None):
        hits = self.index.retrieve(question, 3)
        if not hits:
            return Answer(text=ABSTAIN_VI, citations=(), abstained=True)
        top = hits[0].chunk
        cite = Citation(n=1, document=top.doc_id, title="", number="", section="", page=None, quote=top.text, chunk_id=top.id)
        return Answer(text=f"{top.text} [1]", citations=(cite,), abstained=False, hits=tuple(hits))


@dataclass
class FakeServices:
    index: object
    assistant: object
    embedder: object
    corpus_paths: list = field(default_factory=list)
    settings_dict: dict = field(default_factory=lambda: {"k": 3, "answerer": "extractive"})


@pytest.fixture
def embedder():
    return make_embedder()


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for name, text in CORPUS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def services(corpus_dir, embedder) -> FakeServices:
    index = OverlapIndex(corpus_chunks())
    return FakeServices(
        index=index,
        assistant=TopPassageAssistant(index),
        embedder=embedder,
        corpus_paths=sorted(corpus_dir.iterdir()),
    )


GOLD_ITEMS = [
    EvalItem(
        id="lead",
        question="Cơ quan nào chủ trì đào tạo nghề cho lao động nông thôn?",
        reference="Sở Lao động - Thương binh và Xã hội",
        must_include=(("Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH"),),
        sources=(Source("alpha-plan.txt", "Sở Lao động - Thương binh và Xã hội chủ trì"),),
        extra={"category": "responsibility", "lang": "vi"},
    ),
    EvalItem(
        id="deadline",
        question="Chuyển đổi số hoàn thành trước ngày nào?",
        reference="31/12/2025",
        must_include=(("31/12/2025",),),
        sources=(Source("beta-plan.txt", "Hoàn thành trước ngày 31/12/2025"),),
        extra={"category": "deadline"},
    ),
    EvalItem(
        id="budget-wrong",
        question="Kinh phí <b>chuyển đổi số</b> & tỉnh Beta là bao nhiêu?",
        reference="Không rõ",
        must_include=(("1 tỷ đồng",),),
        sources=(Source("beta-plan.txt", ""),),
        extra={"category": "budget"},
    ),
    EvalItem(
        id="none",
        question="Xyzzy quux frobnicate?",
        answerable=False,
        extra={"category": "unanswerable"},
    ),
]


@pytest.fixture
def gold_items():
    return list(GOLD_ITEMS)


@pytest.fixture
def dataset_file(tmp_path) -> Path:
    import json

    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(i.to_dict(), ensure_ascii=False) for i in GOLD_ITEMS) + "\n", encoding="utf-8")
    return path
