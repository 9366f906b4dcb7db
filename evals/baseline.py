"""The naive pipeline a user would build from the LangChain RAG tutorial: our yardstick.

Files read as plain text → ``RecursiveCharacterTextSplitter(chunk_size=1000,
chunk_overlap=200)`` → ``langchain_chroma.Chroma`` (in-memory client) filled with
vectors from OUR embedder (so the embedding model is the same as ours) → dense
top-k → answer = the top passage with ``[1]`` appended; it never abstains.

LangChain and Chroma types stay in this module: callers get ``Hit`` and ``Answer``.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Callable, Sequence

from assistant.types import Answer, Citation
from evals.errors import EvalError
from index.types import Hit
from ingest.types import Chunk

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
PLAIN_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def _embeddings_adapter(embedder):
    """A LangChain ``Embeddings`` that calls our Embedder with the right role."""
    from langchain_core.embeddings import Embeddings

    class EmbedderEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            if not texts:
                return []
            return [[float(x) for x in row] for row in embedder.embed(list(texts), "passage")]

        def embed_query(self, text: str) -> list[float]:
            return [float(x) for x in embedder.embed([text], "query")[0]]

    return EmbedderEmbeddings()


def read_plain_text(path: Path) -> str:
    """The file's text as the tutorial would load it. Non-text formats (PDF, DOCX, HTML) go through our loader."""
    if path.suffix.lower() in PLAIN_TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8", errors="replace")
    from ingest.loaders import load_document

    return load_document(path).text


class LangChainBaseline:
    """Retriever and answerer over a Chroma collection built from plain-text splits."""

    name = "langchain-baseline"

    def __init__(self, store, client, collection_name: str, n_chunks: int, k: int = 5):
        self._store = store
        self._client = client
        self._collection_name = collection_name
        self.n_chunks = n_chunks
        self.k = k

    @classmethod
    def build(
        cls,
        paths: Sequence[str | Path],
        embedder,
        *,
        k: int = 5,
        chunk_size: int = CHUNK_SIZE,
        chunk_overlap: int = CHUNK_OVERLAP,
        progress: Callable[[int, int], None] | None = None,
    ) -> "LangChainBaseline":
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        if not paths:
            raise EvalError("the baseline needs the corpus files, but no ingested file was found on disk")
        docs = []
        for p in map(Path, paths):
            if not p.is_file():
                raise EvalError(f"baseline: corpus file not found: {p}")
            text = read_plain_text(p)
            if text.strip():
                docs.append(Document(page_content=text, metadata={"source": str(p)}))
        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True)
        splits = splitter.split_documents(docs)
        if not splits:
            raise EvalError("baseline: the corpus files contain no text")

        # An in-memory client; a unique collection keeps concurrent baselines in one process apart.
        client = chromadb.EphemeralClient()
        name = f"baseline-{uuid.uuid4().hex[:12]}"
        store = Chroma(collection_name=name, embedding_function=_embeddings_adapter(embedder), client=client)
        batch = 64
        for start in range(0, len(splits), batch):
            part = splits[start : start + batch]
            store.add_documents(part, ids=[f"{name}-{start + i}" for i in range(len(part))])
            if progress:
                progress(min(start + batch, len(splits)), len(splits))
        return cls(store, client, name, len(splits), k)

    def retrieve(self, question: str, k: int | None = None) -> list[Hit]:
        """Dense top-k; ``score`` is the negated Chroma distance (higher is better)."""
        k = k or self.k
        found = self._store.similarity_search_with_score(question, k=min(k, self.n_chunks))
        return [_to_hit(doc, distance, rank) for rank, (doc, distance) in enumerate(found)]

    def ask(self, question: str) -> Answer:
        """The top passage with ``[1]`` appended; never abstains."""
        hits = self.retrieve(question, self.k)
        if not hits:
            return Answer(text="", citations=(), abstained=False, hits=(), answerer=self.name)
        top = hits[0].chunk
        citation = Citation(n=1, document=top.doc_id, title="", number="", section="", page=None, quote=top.text, chunk_id=top.id)
        return Answer(text=f"{top.text} [1]", citations=(citation,), abstained=False, language="vi", hits=tuple(hits), answerer=self.name)

    def close(self) -> None:
        try:
            self._client.delete_collection(self._collection_name)
        except Exception:  # best effort: the client is in-memory and goes away with the process
            pass


def _to_hit(doc, distance: float, rank: int) -> Hit:
    source = str(doc.metadata.get("source", ""))
    doc_id = Path(source).name
    start = int(doc.metadata.get("start_index", -1))
    chunk = Chunk(
        id=f"baseline:{doc_id}:{start}",
        doc_id=doc_id,
        position=max(start, 0),  # splits carry no index; the start offset orders them within a file
        kind="text",
        text=doc.page_content,
        start=start,
        end=start + len(doc.page_content) if start >= 0 else -1,
    )
    return Hit(chunk=chunk, score=-float(distance), dense_rank=rank + 1)
