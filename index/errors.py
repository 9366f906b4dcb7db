"""Index errors, translated into one-line messages at the CLI and UI edge."""
from __future__ import annotations


class IndexError_(Exception):
    """Base class for index problems (named with a trailing underscore to avoid shadowing the builtin)."""


class EmbeddingModelMismatch(IndexError_):
    def __init__(self, built_with: str, requested: str):
        self.built_with = built_with
        self.requested = requested
        super().__init__(
            f"the index was built with embedding model '{built_with}' but '{requested}' was requested; "
            f"re-ingest with the new model (planchat ingest --reindex …) or select '{built_with}'"
        )


class EmbeddingModelUnavailable(IndexError_):
    def __init__(self, name: str, detail: str = ""):
        self.name = name
        super().__init__(f"embedding model '{name}' could not be loaded{': ' + detail if detail else ''}")


class VectorStoreUnavailable(IndexError_):
    def __init__(self, where: str, detail: str = ""):
        super().__init__(f"cannot reach the vector store at {where}{': ' + detail if detail else ''}")


class DocumentNotFound(IndexError_):
    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        super().__init__(f"no ingested document named '{doc_id}'")


class EmbeddingEndpointError(EmbeddingModelUnavailable):
    """An OpenAI-compatible embeddings endpoint failed (after retries) or answered with an error."""

    def __init__(self, url: str, detail: str):
        self.url = url
        self.name = url
        IndexError_.__init__(self, f"embeddings endpoint {url} failed: {detail}")


class InvalidCollectionName(IndexError_, ValueError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"invalid collection name '{name}': use 3-63 characters (letters, digits, '.', '_', '-'), "
            f"starting and ending with a letter or digit"
        )
