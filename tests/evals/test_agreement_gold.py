"""Agreement checks at the size of the real gold set (101 questions over the five sample plans).

One run over the real index (hash embedder: no model download) and the extractive
answerer, then:

- ranx on the TREC export gives planchat's MRR and nDCG@5 (within 0.001);
- the gold items written as a RAGAS file (only RAGAS fields) and as a CSV with
  Vietnamese headers, read back through format detection, score exactly like the
  native items on the same stored answers (``evals.rescore.score_outputs``: the
  importers are what is under test here; ``test_formats.py`` covers the querying path).

Items a format cannot express are left out of that format's comparison, and counted:
RAGAS needs a quote for every source (it has no document names) and has no facts;
the CSV cannot hold ``;`` or ``|`` inside a fact.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evals.dataset import EvalItem, load_dataset
from evals.formats import load_test_set
from evals.formats.corpus import Corpus
from evals.rescore import StoredOutput, score_outputs
from evals.run import run_eval
from evals.trec import write_trec

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
K = 5


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    from assistant.extractive import ExtractiveAnswerer
    from assistant.service import Assistant
    from index.embedders import load_embedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    index = PlanIndex.open(tmp_path_factory.mktemp("gold") / "index", load_embedder("hash"))
    try:
        ingest_paths(index, [ROOT / "data" / "sample_plans"], max_bytes=50 * 1024 * 1024)
        assistant = Assistant(index, ExtractiveAnswerer(), documents=[i.meta for i in index.documents()], records=index.responsibilities())
        items = load_dataset(ROOT / "evals" / "datasets" / "sample_plans.jsonl")
        run = run_eval(items, retrieve=lambda q, n: index.retrieve(q, n), ask=assistant.ask, k=K, progress=False)
        corpus = Corpus.from_index(index)
    finally:
        index.close()
    outputs = {r.item.id: StoredOutput(r.retrieved, r.answer_text, r.abstained, r.citations) for r in run.results}
    return run, items, corpus, outputs


def test_ranx_agrees_on_the_gold_set(gold, tmp_path):
    ranx = pytest.importorskip("ranx")
    run = gold[0]
    out = write_trec(run, tmp_path / "trec")
    qrels = ranx.Qrels.from_file(str(out / "qrels.trec"), kind="trec")
    trec_run = ranx.Run.from_file(str(out / "run.trec"), kind="trec")
    scores = ranx.evaluate(qrels, trec_run, [f"mrr@{K}", f"ndcg@{K}"], make_comparable=True)
    ours = {"mrr": run.summary.value("mrr"), "ndcg_at_k": run.summary.value("ndcg_at_k")}
    theirs = {"mrr": float(scores[f"mrr@{K}"]), "ndcg_at_k": float(scores[f"ndcg@{K}"])}
    print(f"\ngold set, {run.summary.metric('mrr').n} questions scored for retrieval (k={K}): planchat {ours}  ranx {theirs}")
    for metric in ours:
        assert abs(ours[metric] - theirs[metric]) <= 0.001, metric


def _located(corpus, item: EvalItem) -> bool:
    return all(s.quote and corpus.locate(s.quote)[:1] == [s.document] for s in item.sources)


def _compare(native_items, imported_items, outputs, label):
    assert len(imported_items) == len(native_items)
    ids = dict(zip((i.id for i in imported_items), (n.id for n in native_items)))
    native = score_outputs(native_items, outputs, k=K).summary_dict()
    theirs = score_outputs(imported_items, {i: outputs[n] for i, n in ids.items()}, k=K).summary_dict()
    figures = {m: (None if v["value"] is None else round(v["value"], 3)) for m, v in theirs["metrics"].items()}
    print(f"\n{label}: {len(imported_items)} items, metrics {figures}")
    assert theirs["metrics"] == native["metrics"] and theirs["counts"] == native["counts"]


def test_the_gold_set_as_a_ragas_file_scores_like_the_native_items(gold, tmp_path):
    _, items, corpus, outputs = gold
    subset = [i for i in items if i.answerable and i.sources and _located(corpus, i)]
    path = tmp_path / "gold-ragas.jsonl"
    path.write_text("".join(json.dumps({"user_input": i.question, "reference": i.reference,
                                        "reference_contexts": [s.quote for s in i.sources]}, ensure_ascii=False) + "\n" for i in subset),
                    encoding="utf-8")
    imported = load_test_set(path, corpus=lambda: corpus)
    assert imported.format == "ragas"
    print(f"\nRAGAS: {len(subset)} of {len(items)} gold items expressible (answerable, every source quoted and found in its plan)")
    native = [EvalItem(i.id, i.question, i.reference, (), i.sources, True) for i in subset]  # RAGAS has no facts
    _compare(native, list(imported.items), outputs, "gold set as RAGAS JSONL")


def test_the_gold_set_as_a_vietnamese_csv_scores_like_the_native_items(gold, tmp_path):
    _, items, corpus, outputs = gold

    def expressible(i: EvalItem) -> bool:
        facts_ok = all(not any(c in alt for c in ";|\n") for fact in i.must_include for alt in fact)
        quotes_ok = all("\n" not in s.quote and (not s.quote or s.document in corpus.locate(s.quote)) for s in i.sources)
        return facts_ok and quotes_ok

    subset = [i for i in items if expressible(i)]
    path = tmp_path / "bo-cau-hoi-vang.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mã", "Câu hỏi", "Đáp án", "Văn bản nguồn", "Trích dẫn", "Ý chính", "Trả lời được", "Loại"])
        for i in subset:
            w.writerow([i.id, i.question, i.reference, "; ".join(dict.fromkeys(s.document for s in i.sources)),
                        "\n".join(s.quote for s in i.sources if s.quote), "; ".join(" | ".join(f) for f in i.must_include),
                        "có" if i.answerable else "không", i.category])
    imported = load_test_set(path, corpus=lambda: corpus)
    assert imported.format == "vi-csv"
    print(f"\nVietnamese CSV: {len(subset)} of {len(items)} gold items expressible")
    native = [EvalItem(i.id, i.question, i.reference, i.must_include, i.sources, i.answerable) for i in subset]
    _compare(native, list(imported.items), outputs, "gold set as Vietnamese-headed CSV")
