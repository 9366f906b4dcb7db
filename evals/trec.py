"""``--export trec DIR``: a TREC run file and qrels that standard IR tools score like planchat does.

Files written:

- ``run.trec``: ``qid Q0 docno rank score planchat``, the top-k passages per question;
- ``qrels.trec``: ``qid 0 docno 1``, one line per gold source;
- ``docnos.tsv``: qid, rank, docno, chunk id, document id: which passage each run line is;
- ``topics.tsv``: qid and question.

How relevance is carried over. planchat judges a passage against the gold
*sources* of a question, not against passage ids: a passage is relevant to a
source when it comes from the source's document and contains its quote (after
``evals.text.match_key``), and each source earns gain once (``evals.metrics``).
Passage ids depend on the chunker, so qrels over chunk ids would judge the
chunker, and a second passage holding the same quote would earn gain again. So
the docnos of the export are the gold sources themselves:

- qrels list each distinct (document, quote) source of an answerable question as
  ``gold<i>:<document>`` with relevance 1 (ideal DCG = min(k, number of sources));
- in the run, a passage that covers a source not yet covered by a higher-ranked
  passage takes that source's docno; every other passage keeps its chunk id and,
  being absent from the qrels, counts as non-relevant.

With that mapping ranx/trec_eval's binary MRR@k and nDCG@k equal planchat's
``mrr`` and ``ndcg_at_k`` (``tests/evals/test_trec_ranx.py`` checks it). Only
questions planchat scores for retrieval are exported (answerable, with gold
sources). Scores are ``k + 1 - rank`` so that tools which sort by score keep
planchat's order (retrieval scores can tie); the real scores are in results.jsonl.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from evals.metrics import _satisfies, _source_units  # the same relevance rule as the metrics
from evals.run import EvalRun, ItemResult

RUN_TAG = "planchat"
_WS = re.compile(r"\s+")


def _token(text: str, fallback: str) -> str:
    """TREC columns are whitespace-separated: no whitespace inside a qid or docno."""
    text = _WS.sub("_", (text or "").strip())
    return text or fallback


@dataclass(frozen=True)
class RunLine:
    qid: str
    docno: str
    rank: int
    score: float
    chunk_id: str
    doc_id: str


@dataclass(frozen=True)
class TrecExport:
    run: tuple[RunLine, ...]
    qrels: tuple[tuple[str, str, int], ...]  # (qid, docno, relevance)
    topics: tuple[tuple[str, str], ...]  # (qid, question)


def export_results(results: Sequence[ItemResult], k: int) -> TrecExport:
    run: list[RunLine] = []
    qrels: list[tuple[str, str, int]] = []
    topics: list[tuple[str, str]] = []
    for r in results:
        if r.metrics.mrr is None:  # not scored for retrieval: unanswerable or no gold sources
            continue
        qid = _token(r.item.id, "q")
        units = _source_units(r.item.sources)
        gold = [_token(f"gold{i}:{u.document}", f"gold{i}") for i, u in enumerate(units, start=1)]
        qrels += [(qid, docno, 1) for docno in gold]
        topics.append((qid, " ".join(r.item.question.split())))
        covered: set[int] = set()
        passages = r.retrieved[:k]
        for rank, p in enumerate(passages, start=1):
            new = [i for i, u in enumerate(units) if i not in covered and _satisfies(p, u)]
            if new:
                covered.add(new[0])
                docno = gold[new[0]]
            else:
                docno = _token(p.chunk_id, f"passage{rank}")
            run.append(RunLine(qid, docno, rank, float(k + 1 - rank), p.chunk_id, p.doc_id))
    return TrecExport(run=tuple(run), qrels=tuple(qrels), topics=tuple(topics))


def write_trec(run: EvalRun, out_dir: str | Path) -> Path:
    """Write run.trec, qrels.trec, docnos.tsv and topics.tsv for ``run`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    export = export_results(run.results, run.k)
    (out / "run.trec").write_text(
        "".join(f"{l.qid} Q0 {l.docno} {l.rank} {l.score:g} {RUN_TAG}\n" for l in export.run), encoding="utf-8"
    )
    (out / "qrels.trec").write_text("".join(f"{q} 0 {d} {rel}\n" for q, d, rel in export.qrels), encoding="utf-8")
    (out / "docnos.tsv").write_text(
        "qid\trank\tdocno\tchunk_id\tdoc_id\n"
        + "".join(f"{l.qid}\t{l.rank}\t{l.docno}\t{l.chunk_id}\t{l.doc_id}\n" for l in export.run),
        encoding="utf-8",
    )
    (out / "topics.tsv").write_text("".join(f"{q}\t{text}\n" for q, text in export.topics), encoding="utf-8")
    return out
