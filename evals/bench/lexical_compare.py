"""Lexical index candidates side by side on the same synthetic chunks (issue 13).

    python -m evals.bench.lexical_compare --sizes 100000,300000 --rounds 2 --json out.json

For each size a synthetic catalog is written once (``evals.bench.synthetic``, the scale
bench's generator; no vectors), then every candidate builds its index from that catalog
and serves the gold questions, each phase in a fresh process (so peak RSS belongs to
one candidate), candidates interleaved and their order rotated between rounds. The
machine is shared, so the result is ratios to ``current`` measured in the same round.

Candidates (``CANDIDATES``):

* ``current`` — the previous builder (``index.lexical.build_bm25``: every chunk's token
  ids, then all postings at once), persisted with bm25s's ``save``;
* ``lean`` — ``index.lexical_build`` (streaming forward pass, column-range counting sort);
* ``bm25s`` — bm25s 0.3.16's own builder and scorer (numba backend when numba imports),
  fed the same token ids;
* ``chroma`` — Chroma's full-text ``where_document={"$contains": ...}`` over the folded
  text, ranked by how many of the question's tokens a chunk contains (Chroma's local
  full-text search filters but does not score; sparse vectors are Chroma Cloud only).

Every candidate sees the same tokens (``lexical_tokens``) and is queried as
``PlanIndex`` does (glossary expansions, named provinces as a bonus, k=30 candidates).
The top-10 ids of each question are compared with ``current``'s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Sequence

CANDIDATES = ("current", "lean", "bm25s", "chroma")
LEXICAL_K = 30  # PlanIndex.candidates: what hybrid retrieval asks the lexical side for
TOP = 10  # ids compared between candidates
# a candidate is stopped when the machine has less memory left than this: above the scale
# bench's own guard (3 GB), so a comparison never pushes a scale run over its limit
MIN_AVAILABLE_MB = 5120


# --------------------------------------------------------------------------- helpers
def _rss_mb() -> float:
    from evals.bench.measure import proc_mb

    return proc_mb("/proc/self/status", "VmRSS") or 0.0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_entries(catalog_path: Path):
    """The catalog snapshot as ``PlanIndex`` reads it (the chunk view exists in every candidate's
    process, as it does in the app), and a generator of lexical entries over it."""
    from index.catalog import Catalog
    from index.lexical import LexicalEntry

    catalog = Catalog(catalog_path)
    state = catalog.read_state()
    catalog.close()
    metas = {row.meta.doc_id: row.meta for row in state.documents}

    def entries():
        for c in state.chunks:
            yield LexicalEntry(c.id, c.doc_id, metas[c.doc_id].province if c.doc_id in metas else "",
                               c.context_text())

    return state, entries


# --------------------------------------------------------------------------- candidates
class _Stages:
    """Memory per build stage: RSS after it and, with ``trace``, tracemalloc's peak during it."""

    def __init__(self, trace: bool):
        self.trace = trace
        self.rows: list[dict] = []
        if trace:
            import tracemalloc

            tracemalloc.start()

    def mark(self, name: str) -> None:
        row = {"stage": name, "rss_mb": round(_rss_mb(), 1)}
        if self.trace:
            import tracemalloc

            current, peak = tracemalloc.get_traced_memory()
            row.update(traced_mb=round(current / 2**20, 1), traced_peak_mb=round(peak / 2**20, 1))
            tracemalloc.reset_peak()
        self.rows.append(row)


def _build_current(state, entries, out: Path, stages: _Stages) -> None:
    from index._text import lexical_tokens
    from index.lexical import Vocabulary, build_bm25

    listed = list(entries())  # as PlanIndex did: a list of entries, then a token-id cache of all chunks
    stages.mark("entries (chunk texts)")
    vocabulary = Vocabulary()
    ids = [vocabulary.ids(lexical_tokens(e.text)) for e in listed]
    stages.mark("token ids of every chunk")
    model = build_bm25(ids, vocabulary)
    stages.mark("postings (build_bm25)")
    model.save(str(out), show_progress=False)
    _save_codes(out, listed)


def _build_bm25s(state, entries, out: Path, stages: _Stages) -> None:
    import bm25s

    from index._text import lexical_tokens
    from index.lexical import Vocabulary

    listed = list(entries())
    stages.mark("entries (chunk texts)")
    vocabulary = Vocabulary()
    ids = [vocabulary.ids(lexical_tokens(e.text) or [""]).tolist() for e in listed]
    stages.mark("token ids of every chunk (lists, as bm25s takes them)")
    model = bm25s.BM25(backend="auto")
    vocab = {t: i for i, t in enumerate(vocabulary.tokens())}
    model.index((ids, vocab), show_progress=False)
    stages.mark("bm25s index()")
    del ids
    model.save(str(out), show_progress=False)
    _save_codes(out, listed)


def _build_lean(state, entries, out: Path, stages: _Stages) -> None:
    from index.lexical import LexicalIndex

    shutil.rmtree(out, ignore_errors=True)
    LexicalIndex.rebuild(out, entries(), generation=1, catalog_id="compare")
    stages.mark("lean build (streaming)")


def _build_chroma(state, entries, out: Path, stages: _Stages) -> None:
    import numpy as np

    from index._text import fast_fold

    collection = _chroma_collection(out, create=True)
    batch = 5000
    rng = np.random.default_rng(0)
    ids, docs, metas = [], [], []
    listed_ids = []

    def flush():
        if ids:
            collection.add(ids=list(ids), documents=list(docs), metadatas=list(metas),
                           embeddings=rng.standard_normal((len(ids), 2)).astype(np.float32).tolist())
            ids.clear(), docs.clear(), metas.clear()

    for e in entries():
        ids.append(e.chunk_id)
        docs.append(fast_fold(e.text))
        metas.append({"doc_id": e.doc_id, "province": e.province})
        listed_ids.append(e)
        if len(ids) >= batch:
            flush()
    flush()
    stages.mark("chroma add (documents + full-text index)")
    _save_codes(out, listed_ids)


def _chroma_collection(out: Path, *, create: bool):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(out / "chroma"), settings=Settings(anonymized_telemetry=False))
    if create:
        return client.create_collection("lexical-compare", embedding_function=None,
                                        metadata={"hnsw:space": "cosine"})
    return client.get_collection("lexical-compare", embedding_function=None)


def _save_codes(out: Path, entries) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare_meta.json").write_text(json.dumps({
        "chunk_ids": [e.chunk_id for e in entries],
        "doc_ids": [e.doc_id for e in entries],
        "provinces": [e.province for e in entries],
    }, ensure_ascii=False), encoding="utf-8")


class _Bm25sScores:
    """bm25s's own scorer behind the ``Postings.scores`` seam."""

    def __init__(self, model):
        self.model = model

    def vocabulary_size(self) -> int:
        return len(self.model.vocab_dict)

    def scores(self, tokens):
        ids = self.model.get_tokens_ids(list(dict.fromkeys(tokens)))
        if not ids:
            return None
        return self.model.get_scores_from_ids(ids).astype("float64")


def _open(candidate: str, out: Path):
    """Something with ``search(query, k, filters, expansions=, provinces=)`` and ``_province_names``."""
    from index.lexical import LexicalIndex, Postings

    if candidate == "lean":
        return LexicalIndex.load(out, generation=1, catalog_id="compare")
    meta = json.loads((out / "compare_meta.json").read_text(encoding="utf-8"))
    if candidate == "chroma":
        return _ChromaSearch(_chroma_collection(out, create=False), meta)
    import bm25s

    model = bm25s.BM25.load(str(out), show_progress=False, mmap=True)
    if candidate == "current":
        postings = Postings.of_bm25s(model)
        model.nonoccurrence_array = None
    else:
        if getattr(model, "backend", "") == "numba":
            model.activate_numba_scorer()
        postings = _Bm25sScores(model)
    return LexicalIndex(postings, meta["chunk_ids"], meta["doc_ids"], meta["provinces"])


class _ChromaSearch:
    """Chroma's ``$contains`` per question token; a chunk's score is how many tokens it contains."""

    def __init__(self, collection, meta: dict):
        from index.lexical import LexicalIndex

        self.collection = collection
        self._codes = LexicalIndex(None, meta["chunk_ids"], meta["doc_ids"], meta["provinces"])
        self._province_names = self._codes._province_names
        self._row = {cid: i for i, cid in enumerate(meta["chunk_ids"])}

    def search(self, query, k, filters=None, *, expansions=(), provinces=()):
        from collections import Counter

        from index._text import lexical_tokens, phrase_tokens

        phrases = [t.replace("_", " ") for t in dict.fromkeys(lexical_tokens(query))]
        for concept in expansions:
            phrases.extend(t.replace("_", " ") for alt in concept.alternatives for t in phrase_tokens(alt))
        phrases.extend(provinces)
        where = None
        if filters is not None and not filters.is_empty():
            parts = [{"province": {"$in": list(filters.provinces)}}] if filters.provinces else []
            parts += [{"doc_id": {"$in": list(filters.documents)}}] if filters.documents else []
            where = parts[0] if len(parts) == 1 else {"$and": parts}
        counts: Counter = Counter()
        for phrase in dict.fromkeys(phrases):
            got = self.collection.get(where=where, where_document={"$contains": phrase}, include=[])
            counts.update(got["ids"])
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], self._row.get(kv[0], 0)))
        return [(cid, float(n)) for cid, n in ranked[:k]]


BUILDERS = {"current": _build_current, "lean": _build_lean, "bm25s": _build_bm25s, "chroma": _build_chroma}


# --------------------------------------------------------------------------- child phases
def _phase_build(args) -> dict:
    from evals.bench.measure import Stopwatch, dir_bytes, peak_rss_mb

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    state, entries = _read_entries(Path(args.catalog))
    stages = _Stages(args.trace)
    stages.mark("catalog snapshot read")
    state_rss = _rss_mb()
    with Stopwatch() as sw:
        BUILDERS[args.candidate](state, entries, out, stages)
    return {
        "build_s": sw.timing.wall_s, "build_cpu_s": sw.timing.cpu_s, "peak_rss_mb": peak_rss_mb(),
        "state_rss_mb": state_rss, "disk_bytes": dir_bytes(out), "stages": stages.rows, "chunks": len(state.chunks),
    }


def _phase_query(args) -> dict:
    from evals.bench.measure import Stopwatch, latency_ms, peak_rss_mb
    from index._text import split_names
    from index.glossary import expansion_concepts
    from index.types import Filters

    questions = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    if args.max_questions:
        questions = questions[: args.max_questions]
    with Stopwatch() as opening:
        index = _open(args.candidate, Path(args.out))
    provinces = sorted(p for p in index._province_names if p)
    rng = random.Random(11)
    prov_for = {q: rng.choice(provinces) for q in questions} if provinces else {}

    def ask(q: str, filters=None):
        rest, named = split_names(q, provinces)
        return index.search(rest, LEXICAL_K, filters, expansions=expansion_concepts(q), provinces=named)

    ask(questions[0])  # warm: first touches of memory-mapped pages and JIT code are start-up, not query cost
    out = {"open_s": opening.timing.wall_s, "queries": len(questions)}
    tops: dict[str, list[str]] = {}
    samples = []
    for q in questions:
        t0 = time.perf_counter()
        found = ask(q)
        samples.append(time.perf_counter() - t0)
        tops[q] = [cid for cid, _ in found[:TOP]]
    out["query_p50_ms"], out["query_p95_ms"] = latency_ms(samples)
    samples = []
    for q in questions:
        t0 = time.perf_counter()
        ask(q, Filters(provinces=(prov_for[q],)) if prov_for else None)
        samples.append(time.perf_counter() - t0)
    out["province_filter_p50_ms"], out["province_filter_p95_ms"] = latency_ms(samples)
    out["serve_peak_rss_mb"] = peak_rss_mb()
    Path(args.tops).write_text(json.dumps(tops, ensure_ascii=False), encoding="utf-8")
    return out


# --------------------------------------------------------------------------- parent side
def write_catalog(n: int, catalog_path: Path, sample_dir: Path) -> int:
    """``n`` synthetic chunks (50 per plan, 63 provinces) into a fresh catalog; returns chunks written."""
    from evals.bench.scale import _real_chunks
    from evals.bench.synthetic import SyntheticCorpus
    from index.catalog import Catalog
    from ingest.provinces import PROVINCES

    if catalog_path.exists():
        catalog = Catalog(catalog_path)
        have = catalog.chunk_count()
        catalog.close()
        if have == n:
            return n
    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog_path) + suffix).unlink(missing_ok=True)
    corpus = SyntheticCorpus(_real_chunks(sample_dir), provinces=[p.name for p in PROVINCES], dim=2)
    catalog = Catalog(catalog_path)
    done = 0
    for synthetic in corpus.iter_documents(n):
        catalog.mark_pending(synthetic.document)
        catalog.commit_document(synthetic.document, synthetic.chunks, ())
        done += len(synthetic.chunks)
        if done % 50_000 == 0:
            _say(f"catalog {n}: {done} chunks")
    catalog.close()
    return done


def write_sample_catalog(catalog_path: Path, sample_dir: Path) -> int:
    """The five real sample plans (real loader and chunker) into a fresh catalog."""
    from index.catalog import Catalog
    from index.ingest_run import expand_paths
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog_path) + suffix).unlink(missing_ok=True)
    catalog = Catalog(catalog_path)
    total = 0
    for path in expand_paths([sample_dir]):
        doc = load_document(path)
        chunks = chunk_document(doc)
        catalog.mark_pending(doc)
        catalog.commit_document(doc, chunks, ())
        total += len(chunks)
    catalog.close()
    return total


def _child(phase: str, candidate: str, catalog: Path, out: Path, extra: list[str]) -> dict:
    from evals.bench.scale import last_json_line, run_guarded

    cmd = [sys.executable, "-m", "evals.bench.lexical_compare", "--phase", phase, "--candidate", candidate,
           "--catalog", str(catalog), "--out", str(out), *extra]
    code, stdout, left = run_guarded(cmd, MIN_AVAILABLE_MB)
    if left is not None:
        return {"error": f"{phase} stopped: only {left:.0f} MB of memory left on the machine"}
    result = last_json_line(stdout)
    if code != 0 or result is None:
        return {"error": f"{phase} exited with code {code}"}
    return result


def _agreement(tops_a: dict, tops_b: dict) -> dict:
    overlap, same, first = [], 0, 0
    for q, a in tops_a.items():
        b = tops_b.get(q, [])
        if a or b:
            overlap.append(len(set(a) & set(b)) / max(len(a), len(b)))
        same += a == b
        first += bool(a and b and a[0] == b[0])
    n = max(len(tops_a), 1)
    return {"top10_overlap": round(sum(overlap) / max(len(overlap), 1), 4), "top10_identical": round(same / n, 4),
            "top1_same": round(first / n, 4)}


def _median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def compare(sizes: Sequence[str], candidates: Sequence[str], rounds: int, work: Path, questions: list[str],
            sample_dir: Path, *, trace: bool, max_questions: dict[str, int]) -> dict:
    from evals.bench.measure import cpu_pressure, load_average

    work.mkdir(parents=True, exist_ok=True)
    qpath = work / "questions.json"
    qpath.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    report: dict = {"candidates": list(candidates), "rounds": rounds, "questions": len(questions), "sizes": {}}
    for size in sizes:
        catalog = work / f"catalog-{size}.sqlite"
        if size == "sample":
            chunks = write_sample_catalog(catalog, sample_dir)
        else:
            _say(f"catalog: writing {size} synthetic chunks")
            chunks = write_catalog(int(size), catalog, sample_dir)
        per: dict[str, list[dict]] = {c: [] for c in candidates}
        tops: dict[str, dict] = {}
        traced: dict[str, dict] = {}
        if trace:  # a round of its own: tracemalloc slows a build several-fold, so it is never timed
            for candidate in candidates:
                if candidate == "chroma":
                    continue  # Chroma allocates in Rust, which tracemalloc does not see
                _say(f"{size}: traced build, {candidate}")
                traced[candidate] = _child("build", candidate, catalog, work / f"{size}-{candidate}", ["--trace"])
                shutil.rmtree(work / f"{size}-{candidate}", ignore_errors=True)
        for r in range(rounds):
            order = list(candidates[r % len(candidates):]) + list(candidates[: r % len(candidates)])
            for candidate in order:
                out = work / f"{size}-{candidate}"
                _say(f"{size}: round {r + 1}, {candidate}: build (load {load_average()})")
                built = _child("build", candidate, catalog, out, [])
                row = {"round": r + 1, "load_average": load_average(), "cpu_pressure": cpu_pressure(), **built}
                if "error" not in built:
                    _say(f"{size}: round {r + 1}, {candidate}: build {built['build_s']:.1f} s, "
                         f"peak {built['peak_rss_mb']:.0f} MB; serving")
                    tops_path = work / f"{size}-{candidate}-tops.json"
                    extra = ["--questions", str(qpath), "--tops", str(tops_path)]
                    if candidate in max_questions:
                        extra += ["--max-questions", str(max_questions[candidate])]
                    row.update(_child("query", candidate, catalog, out, extra))
                    if tops_path.exists():
                        tops[candidate] = json.loads(tops_path.read_text(encoding="utf-8"))
                per[candidate].append(row)
                shutil.rmtree(out, ignore_errors=True)
        summary = {}
        for candidate in candidates:
            rows = [r for r in per[candidate] if "error" not in r]
            keys = ("build_s", "build_cpu_s", "peak_rss_mb", "state_rss_mb", "disk_bytes", "open_s",
                    "query_p50_ms", "query_p95_ms", "province_filter_p50_ms", "province_filter_p95_ms",
                    "serve_peak_rss_mb")
            summary[candidate] = {k: _median([r.get(k) for r in rows]) for k in keys}
            summary[candidate]["build_peak_over_snapshot_mb"] = _median(
                [r["peak_rss_mb"] - r["state_rss_mb"] for r in rows])
            if candidate != "current" and "current" in candidates:
                base = {r["round"]: r for r in per["current"] if "error" not in r}
                for k in ("build_s", "build_cpu_s", "peak_rss_mb", "query_p50_ms", "query_p95_ms"):
                    ratios = [r[k] / base[r["round"]][k] for r in rows
                              if r["round"] in base and r.get(k) and base[r["round"]].get(k)]
                    summary[candidate][f"{k}_vs_current"] = _median(ratios)
                if candidate in tops and "current" in tops:
                    shared = {q: tops["current"][q] for q in tops[candidate] if q in tops["current"]}
                    summary[candidate]["agreement_with_current"] = _agreement(shared, tops[candidate])
        report["sizes"][str(size)] = {"chunks": chunks, "summary": summary, "runs": per, "traced": traced}
    return report


def _print(report: dict) -> None:
    for size, block in report["sizes"].items():
        print(f"\n== {size} ({block['chunks']} chunks) ==")
        for candidate, s in block["summary"].items():
            agree = s.get("agreement_with_current", {})
            print(f"{candidate:8s} build {s['build_s'] or 0:7.1f} s  peak {s['peak_rss_mb'] or 0:7.0f} MB "
                  f"(+{s['build_peak_over_snapshot_mb'] or 0:6.0f} over the snapshot)  "
                  f"disk {(s['disk_bytes'] or 0) / 2**20:7.1f} MB  "
                  f"p50/p95 {s['query_p50_ms'] or 0:6.1f}/{s['query_p95_ms'] or 0:6.1f} ms  "
                  f"prov {s['province_filter_p50_ms'] or 0:6.1f}/{s['province_filter_p95_ms'] or 0:6.1f} ms  "
                  f"serve {s['serve_peak_rss_mb'] or 0:6.0f} MB  "
                  + (f"top10 overlap {agree['top10_overlap']:.3f} identical {agree['top10_identical']:.3f}"
                     if agree else ""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench.lexical_compare")
    parser.add_argument("--phase", choices=["build", "query"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--candidate", default="", help=argparse.SUPPRESS)
    parser.add_argument("--catalog", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    parser.add_argument("--tops", default="", help=argparse.SUPPRESS)
    parser.add_argument("--questions", default="", help=argparse.SUPPRESS)
    parser.add_argument("--max-questions", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help="tracemalloc per build stage (first round; slower)")
    parser.add_argument("--sizes", default="100000,300000", help="comma-separated chunk counts, or 'sample'")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work-dir", default=".planchat/lexical-compare")
    parser.add_argument("--dataset", default="evals/datasets/sample_plans.jsonl")
    parser.add_argument("--sample-dir", default="data/sample_plans")
    parser.add_argument("--chroma-questions", type=int, default=30,
                        help="questions for the chroma candidate (one $contains call per question token)")
    parser.add_argument("--json", default="", help="write the report here")
    args = parser.parse_args(argv)
    if args.phase:
        result = _phase_build(args) if args.phase == "build" else _phase_query(args)
        print(json.dumps(result))
        return 0
    from evals.bench.run import load_questions

    questions = load_questions(Path(args.dataset))
    report = compare([s.strip() for s in args.sizes.split(",") if s.strip()],
                     [c.strip() for c in args.candidates.split(",") if c.strip()], args.rounds,
                     Path(args.work_dir), questions, Path(args.sample_dir), trace=args.trace,
                     max_questions={"chroma": args.chroma_questions})
    _print(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
