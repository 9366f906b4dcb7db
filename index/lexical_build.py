"""Build the BM25 postings in bounded memory, one pass over the chunks (issue 13).

The previous builder (``index.lexical.build_bm25``) held every chunk's token ids, then
every (chunk, token, count) triple as int64 temporaries, then argsorts over all of them,
in one process: build peaks of 2.1 GB at 100k chunks, 5.85 GB at 300k and past 16 GB
at 1M, where the scale bench's memory guard stopped it. Here:

1. **forward pass** — chunks arrive from an iterator (the catalog snapshot, never a list
   of texts); each is tokenised, and its distinct token ids and counts are appended to
   a *forward* file on disk (chunk-major). Memory holds the vocabulary, per-chunk
   scalars (length, digest, codes) and one block of postings;
2. **token-major pass** — document frequencies give every token's column its final
   offset, so the CSC arrays (``indices`` int32 chunk rows, ``data`` float32 BM25
   weights, the layout bm25s uses) are filled by a counting sort over the memory-mapped
   forward file, one range of columns at a time, each range sized to a memory budget,
   and written out sequentially;
3. **reuse** — the forward file stays in the index directory: the next build copies
   the postings of a chunk with the same id and text digest instead of tokenising it
   again, so adding one plan to a large index costs a read of the old postings, not a
   re-tokenisation of the corpus.

Scores are exactly those of ``bm25s.BM25().index(tokens)`` (Lucene idf and tf part,
float32), as before (tested against bm25s). Queries find a token's column through a
sorted array of 64-bit token hashes, memory-mapped, instead of a dict of every token.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from index._files import swap_into_place
from index._text import lexical_tokens, tokenizer_fingerprint

FORMAT = 2
META_FILE = "planchat_lexical.json"
EMPTY_TOKEN = ""  # what a chunk without tokens is indexed as (bm25s does the same)
K1 = 1.5
B = 0.75
BLOCK_POSTINGS = 1 << 20  # postings per block in both passes: bounds the temporaries (~50 MB)
DEFAULT_BUDGET_BYTES = 512 << 20  # CSC postings held in memory at once in the token-major pass

# arrays written as raw little-endian files (their length is only known at the end) ...
RAW = {"fwd_tok": np.int32, "fwd_tf": np.uint16, "indices": np.int32, "data": np.float32}
# ... and arrays small enough to write with np.save
NPY = ("fwd_offsets", "digests", "lengths", "columns", "indptr", "token_hash", "token_col",
       "doc_codes", "province_codes")


@dataclass(frozen=True)
class BuildStats:
    chunks: int
    postings: int
    vocabulary: int  # tokens with a column (used by at least one chunk)
    tokenised: int  # chunks tokenised in this build
    reused: int  # chunks whose postings were copied from the previous build
    passes: int  # column ranges of the token-major pass


def text_digest(text: str) -> int:
    """A 64-bit digest of a chunk's text, stable across processes (``hash()`` is not)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """64-bit hashes of tokens: the query-time lookup key (no dict of every token in memory)."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little") for t in tokens),
        dtype=np.uint64, count=len(tokens),
    )


def read_array(directory: Path, name: str, meta: dict, *, mmap: bool = True) -> np.ndarray:
    """One array of a built index directory (memory-mapped unless ``mmap=False``)."""
    if name in RAW:
        count = int(meta["lengths"][name])
        if count == 0:
            return np.zeros(0, dtype=RAW[name])
        if mmap:
            return np.memmap(directory / f"{name}.bin", dtype=RAW[name], mode="r", shape=(count,))
        return np.fromfile(directory / f"{name}.bin", dtype=RAW[name], count=count)
    return np.load(directory / f"{name}.npy", mmap_mode="r" if mmap else None)


def read_meta(directory: Path) -> dict | None:
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


class _Previous:
    """The forward postings of the last build, for copying those of unchanged chunks."""

    def __init__(self, directory: Path, meta: dict):
        self.offsets = read_array(directory, "fwd_offsets", meta)
        self.tok = read_array(directory, "fwd_tok", meta)
        self.tf = read_array(directory, "fwd_tf", meta)
        self.digests = read_array(directory, "digests", meta)
        self.lengths = read_array(directory, "lengths", meta)
        columns = read_array(directory, "columns", meta, mmap=False)
        tokens = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        self.row = {cid: i for i, cid in enumerate(meta["chunk_ids"])}
        # the new vocabulary starts with the tokens the last build used, in column order, so an
        # old token id maps to the new one through ``columns`` and unused tokens are dropped
        self.tokens = [""] * int(columns.max(initial=-1) + 1)
        for old, col in enumerate(columns.tolist()):
            if col >= 0:
                self.tokens[col] = tokens[old]
        self.remap = columns.astype(np.int32)

    @classmethod
    def open(cls, directory: Path | None) -> "_Previous | None":
        if directory is None:
            return None
        meta = read_meta(directory)
        if meta is None or meta.get("fingerprint") != tokenizer_fingerprint() or meta.get("empty"):
            return None
        try:
            return cls(directory, meta)
        except (OSError, ValueError, KeyError):
            return None  # partial or foreign files: tokenise everything

    def postings(self, chunk_id: str, digest: int) -> tuple[np.ndarray, np.ndarray, int] | None:
        row = self.row.get(chunk_id)
        if row is None or int(self.digests[row]) != digest:
            return None
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        return self.remap[self.tok[a:b]], np.asarray(self.tf[a:b]), int(self.lengths[row])


class _Codes:
    """Strings (document ids, provinces) as small integer codes in first-seen order."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.codes: list[int] = []

    def add(self, value: str) -> None:
        names = self.names
        self.codes.append(names.setdefault(value, len(names)))

    def array(self) -> np.ndarray:
        return np.asarray(self.codes, dtype=np.int32)


def build_postings(
    directory: Path,
    entries: Iterable,
    *,
    tokenize: Callable[[str], list[str]] = lexical_tokens,
    previous: Path | None = None,
    budget_bytes: int = DEFAULT_BUDGET_BYTES,
    k1: float = K1,
    b: float = B,
) -> BuildStats:
    """Write the index of ``entries`` (``LexicalEntry``-like: chunk_id, doc_id, province, text)
    into the empty directory ``directory``; ``previous`` is an earlier build's directory whose
    postings are reused for unchanged chunks. Generation and catalog id are added by the caller."""
    prior = _Previous.open(previous)
    vocab: dict[str, int] = {t: i for i, t in enumerate(prior.tokens)} if prior is not None else {}
    setdefault = vocab.setdefault
    chunk_ids: list[str] = []
    docs, provinces = _Codes(), _Codes()
    digests: list[int] = []
    lengths: list[int] = []
    nnz: list[int] = []
    df = np.zeros(max(len(vocab), 1024), dtype=np.int64)
    block_tok: list[np.ndarray] = []
    block_tf: list[np.ndarray] = []
    pending = 0
    tokenised = reused = 0
    with open(directory / "fwd_tok.bin", "wb") as f_tok, open(directory / "fwd_tf.bin", "wb") as f_tf:

        def flush() -> None:
            nonlocal df, pending
            if not block_tok:
                return
            tok = np.concatenate(block_tok)
            np.concatenate(block_tf).tofile(f_tf)
            tok.tofile(f_tok)
            counts = np.bincount(tok, minlength=len(vocab))
            if len(counts) > len(df):
                df = np.concatenate([df, np.zeros(max(len(counts) - len(df), len(df)), dtype=np.int64)])
            df[: len(counts)] += counts
            block_tok.clear()
            block_tf.clear()
            pending = 0

        for entry in entries:
            text = entry.text
            digest = text_digest(text)
            found = prior.postings(entry.chunk_id, digest) if prior is not None else None
            if found is not None:
                tok, tf, length = found
                reused += 1
            else:
                tokens = tokenize(text) or [EMPTY_TOKEN]
                ids = np.fromiter((setdefault(t, len(vocab)) for t in tokens), dtype=np.int32, count=len(tokens))
                tok, counts = np.unique(ids, return_counts=True)
                tf = counts.astype(np.uint16)  # a count past 65,535 in one chunk does not occur
                length = len(tokens)
                tokenised += 1
            chunk_ids.append(entry.chunk_id)
            docs.add(entry.doc_id)
            provinces.add(entry.province)
            digests.append(digest)
            lengths.append(length)
            nnz.append(len(tok))
            block_tok.append(tok.astype(np.int32, copy=False))
            block_tf.append(tf.astype(np.uint16, copy=False))
            pending += len(tok)
            if pending >= BLOCK_POSTINGS:
                flush()
        flush()
    del prior  # unmap the previous build before the token-major pass

    n_docs = len(chunk_ids)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.asarray(nnz, dtype=np.int64), out=offsets[1:])
    del nnz
    total = int(offsets[-1])
    lengths_arr = np.asarray(lengths, dtype=np.int32)
    del lengths
    df = df[: len(vocab)]
    used = np.flatnonzero(df)
    columns = np.full(len(vocab), -1, dtype=np.int32)
    columns[used] = np.arange(len(used), dtype=np.int32)
    df_used = df[used].astype(np.float64)
    idf = np.log(1 + (n_docs - df_used + 0.5) / (df_used + 0.5)).astype(np.float32)
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(df[used], out=indptr[1:])
    norm = (k1 * ((1 - b) + b * lengths_arr / lengths_arr.mean())).astype(np.float32) if n_docs else None

    meta = {"lengths": {"fwd_tok": total, "fwd_tf": total, "indices": total, "data": total}}
    passes = _write_token_major(directory, meta, offsets, columns, idf, norm, indptr, budget_bytes)

    tokens = list(vocab)
    del vocab
    column_tokens = [tokens[i] for i in used.tolist()]
    hashes = token_hashes(column_tokens)
    order = np.argsort(hashes, kind="stable")
    collisions = int(np.count_nonzero(np.diff(hashes[order]) == 0)) if len(hashes) > 1 else 0
    arrays = {
        "fwd_offsets": offsets, "digests": np.asarray(digests, dtype=np.uint64), "lengths": lengths_arr,
        "columns": columns, "indptr": indptr, "token_hash": hashes[order],
        "token_col": order.astype(np.int32), "doc_codes": docs.array(), "province_codes": provinces.array(),
    }
    for name, array in arrays.items():
        np.save(directory / f"{name}.npy", array, allow_pickle=False)
    (directory / "vocab.json").write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
    meta.update({
        "format": FORMAT,
        "fingerprint": tokenizer_fingerprint(),
        "empty": n_docs == 0,
        "num_docs": n_docs,
        "k1": k1,
        "b": b,
        "doc_names": list(docs.names),
        "province_names": list(provinces.names),
        "hash_collisions": collisions,  # > 0: look tokens up through vocab.json instead
        "chunk_ids": chunk_ids,
    })
    (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return BuildStats(n_docs, total, len(used), tokenised, reused, passes)


def _write_token_major(directory: Path, meta: dict, offsets: np.ndarray, columns: np.ndarray, idf: np.ndarray,
                       norm: np.ndarray | None, indptr: np.ndarray, budget_bytes: int) -> int:
    """Counting sort of the forward postings into CSC order, one column range per pass."""
    total = int(offsets[-1])
    n_cols = len(indptr) - 1
    per_pass = max(1, budget_bytes // 8)  # int32 row + float32 weight per posting
    # chunk boundaries every ~BLOCK_POSTINGS postings (blocks hold whole chunks)
    cuts = np.unique(np.searchsorted(offsets, np.arange(0, total, BLOCK_POSTINGS), side="right") - 1)
    doc_starts = np.append(cuts, len(offsets) - 1)
    passes = 0
    # blocks are read with plain file reads, not a memory map: mapped pages would stay
    # resident (and count in the process's RSS) for the whole pass
    with open(directory / "fwd_tok.bin", "rb") as f_tok, open(directory / "fwd_tf.bin", "rb") as f_tf, \
            open(directory / "indices.bin", "wb") as f_idx, open(directory / "data.bin", "wb") as f_data:
        c0 = 0
        while c0 < n_cols:
            c1 = int(np.searchsorted(indptr, indptr[c0] + per_pass, side="right")) - 1
            c1 = min(max(c1, c0 + 1), n_cols)
            base = int(indptr[c0])
            size = int(indptr[c1]) - base
            out_rows = np.empty(size, dtype=np.int32)
            out_data = np.empty(size, dtype=np.float32)
            cursor = indptr[c0:c1] - base
            whole = c0 == 0 and c1 == n_cols
            for d0, d1 in zip(doc_starts[:-1].tolist(), doc_starts[1:].tolist()):
                a, b = int(offsets[d0]), int(offsets[d1])
                if a == b:
                    continue
                col = columns[_read_block(f_tok, np.int32, a, b)]
                rows = np.repeat(np.arange(d0, d1, dtype=np.int32), np.diff(offsets[d0 : d1 + 1]))
                tf = _read_block(f_tf, np.uint16, a, b).astype(np.float32)
                if not whole:
                    keep = (col >= c0) & (col < c1)
                    col, rows, tf = col[keep], rows[keep], tf[keep]
                    if col.size == 0:
                        continue
                weight = idf[col] * (tf / (norm[rows] + tf))
                local = col - c0
                order = np.argsort(local, kind="stable")  # chunk rows stay ascending within a column
                local = local[order]
                starts = np.flatnonzero(np.concatenate(([True], local[1:] != local[:-1])))
                runs = np.diff(np.append(starts, local.size))
                rank = np.arange(local.size, dtype=np.int64) - np.repeat(starts, runs)
                position = cursor[local] + rank
                out_rows[position] = rows[order]
                out_data[position] = weight[order]
                cursor[local[starts]] += runs
            out_rows.tofile(f_idx)
            out_data.tofile(f_data)
            del out_rows, out_data
            passes += 1
            c0 = c1
    return passes


def _read_block(f, dtype, a: int, b: int) -> np.ndarray:
    itemsize = np.dtype(dtype).itemsize
    f.seek(a * itemsize)
    return np.fromfile(f, dtype=dtype, count=b - a)


def build_into(
    target: Path,
    entries: Iterable,
    *,
    generation: int,
    catalog_id: str,
    tokenize: Callable[[str], list[str]] = lexical_tokens,
    budget_bytes: int = DEFAULT_BUDGET_BYTES,
) -> BuildStats:
    """Build next to ``target`` (reusing its postings where chunks are unchanged), then swap
    the new directory into place atomically, as ``LexicalIndex.save`` does."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=target.parent))
    try:
        stats = build_postings(tmp, entries, tokenize=tokenize, previous=target if target.exists() else None,
                               budget_bytes=budget_bytes)
        stamp(tmp, generation=generation, catalog_id=catalog_id)
        swap_into_place(tmp, target)
        return stats
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def stamp(directory: Path, *, generation: int, catalog_id: str) -> None:
    """Record which catalog generation a built directory reflects (written last)."""
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta.update({"generation": generation, "catalog_id": catalog_id})
    (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


