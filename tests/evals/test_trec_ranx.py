"""The TREC export scored by ranx agrees with planchat's own MRR and nDCG@k (within 0.001).

See ``evals/trec.py`` for how gold sources become qrels: docnos are the gold
(document, quote) units, and a retrieved passage takes the docno of the first
not-yet-covered unit it satisfies. The fast test uses hand-made items that hit
every corner (two sources, a quote-less source, two passages holding the same
quote, nothing relevant retrieved, unanswerable questions, an empty retrieval);
``test_agreement_gold.py`` repeats the check on the gold set over the sample plans.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.dataset import EvalItem, Source
from evals.run import run_eval
from evals.trec import export_results, write_trec

ranx = pytest.importorskip("ranx", reason="ranx is in the dev extras (pip install -e '.[dev]')")

TOLERANCE = 0.001


def ranx_scores(out: Path, k: int) -> dict[str, float]:
    qrels = ranx.Qrels.from_file(str(out / "qrels.trec"), kind="trec")
    run = ranx.Run.from_file(str(out / "run.trec"), kind="trec")
    scores = ranx.evaluate(qrels, run, [f"mrr@{k}", f"ndcg@{k}"], make_comparable=True)
    return {"mrr": float(scores[f"mrr@{k}"]), "ndcg_at_k": float(scores[f"ndcg@{k}"])}


ITEMS = [
    EvalItem("lead", "Sở Lao động chủ trì đào tạo nghề", sources=(Source("alpha-plan.txt", "chủ trì tổ chức đào tạo nghề"),)),
    EvalItem("two-sources", "kế hoạch tỉnh chủ trì đào tạo nghề chuyển đổi số",
             sources=(Source("alpha-plan.txt", "KẾ HOẠCH đào tạo nghề"), Source("beta-plan.txt", "Sở Thông tin và Truyền thông chủ trì"))),
    EvalItem("whole-doc", "kinh phí ngân sách tỉnh", sources=(Source("alpha-plan.txt", ""),)),
    EvalItem("same-quote-twice", "KẾ HOẠCH tỉnh", sources=(Source("beta-plan.txt", "KẾ HOẠCH"), Source("alpha-plan.txt", "KẾ HOẠCH"))),
    EvalItem("miss", "Hoàn thành trước ngày 31/12/2025", sources=(Source("alpha-plan.txt", "500 triệu đồng"),)),
    EvalItem("nothing-retrieved", "xyzzy", sources=(Source("beta-plan.txt", ""),)),
    EvalItem("unanswerable", "Kinh phí chuyển đổi số?", answerable=False),
]


@pytest.mark.slow  # ranx compiles its metrics with numba on first use: 10-30 s on this machine
def test_ranx_agrees_with_planchat_on_hand_made_cases(services, tmp_path):
    k = 5
    run = run_eval(ITEMS, retrieve=lambda q, n: services.index.retrieve(q, n), ask=services.assistant.ask, k=k, progress=False)
    out = write_trec(run, tmp_path / "trec")
    ours = {m: run.summary.value(m) for m in ("mrr", "ndcg_at_k")}
    theirs = ranx_scores(out, k)
    print(f"hand-made cases (k={k}): planchat {ours} ranx {theirs}")
    for metric in ours:
        assert abs(ours[metric] - theirs[metric]) <= TOLERANCE, metric
    per_item = {r.item.id: r.metrics for r in run.results}
    assert 0 < per_item["two-sources"].ndcg_at_k < 1 and per_item["miss"].mrr == 0.0  # the cases are not all trivial
    assert "unanswerable" not in (out / "qrels.trec").read_text(encoding="utf-8")


def test_the_export_lists_gold_sources_as_qrels_and_keeps_passage_ids_in_a_side_table(services, tmp_path):
    run = run_eval(ITEMS[:1], retrieve=lambda q, n: services.index.retrieve(q, n), ask=services.assistant.ask, k=3, progress=False)
    out = write_trec(run, tmp_path / "trec")
    assert (out / "qrels.trec").read_text(encoding="utf-8") == "lead 0 gold1:alpha-plan.txt 1\n"
    first = (out / "run.trec").read_text(encoding="utf-8").splitlines()[0].split()
    assert first == ["lead", "Q0", "gold1:alpha-plan.txt", "1", "3", "planchat"]
    side = (out / "docnos.tsv").read_text(encoding="utf-8").splitlines()
    assert side[1].split("\t") == ["lead", "1", "gold1:alpha-plan.txt", run.results[0].retrieved[0].chunk_id, "alpha-plan.txt"]


def test_a_second_passage_with_the_same_quote_is_not_relevant_again(services):
    """Two retrieved passages contain "KẾ HOẠCH" of beta's unit: the second gains nothing, as in planchat's nDCG."""
    run = run_eval(ITEMS[3:4], retrieve=lambda q, n: services.index.retrieve(q, n), ask=services.assistant.ask, k=5, progress=False)
    docnos = [line.docno for line in export_results(run.results, 5).run]
    assert sorted(d for d in docnos if d.startswith("gold")) == ["gold1:beta-plan.txt", "gold2:alpha-plan.txt"]


@pytest.mark.slow  # ranx (numba)
def test_passage_level_qrels_would_not_agree(services, tmp_path):
    """Why the export maps passages to gold sources: qrels over every passage that holds a gold quote
    judge the chunking and give a second passage with the same quote gain again, so nDCG differs."""
    from evals.metrics import _satisfies, _source_units

    k = 5
    run = run_eval(ITEMS, retrieve=lambda q, n: services.index.retrieve(q, n), ask=services.assistant.ask, k=k, progress=False)
    qrels, trec_run = {}, {}
    for r in run.results:
        if r.metrics.mrr is None:
            continue
        units = _source_units(r.item.sources)
        qrels[r.item.id] = {c.id: 1 for c in services.index.chunks() if any(_satisfies(c, u) for u in units)}
        trec_run[r.item.id] = {p.chunk_id: float(k + 1 - p.rank) for p in r.retrieved[:k]}
    naive = ranx.evaluate(ranx.Qrels(qrels), ranx.Run(trec_run), [f"ndcg@{k}"], make_comparable=True)
    assert abs(float(naive) - run.summary.value("ndcg_at_k")) > TOLERANCE
