"""The question sets over the external development corpus (``evals/datasets/external_*.jsonl``).

The 200 questions (``ex-001`` … ``ex-200``) were written in one pass from a reading of the
31 documents in ``../shared/external/dev-docs`` and then split **once** into a dev half (tune
on it) and a held-out half (never tune on it) by document-balanced random assignment:
the documents are taken in name order, each document's questions (its ``document_group``)
are shuffled with one ``random.Random(SPLIT_SEED)`` and cut in two; a document with an odd
number of questions gives the extra one alternately to the held-out and the dev half. So
every document has questions in both halves and neither half is picked by hand.

``external_gate.jsonl`` is the held-out questions about :data:`GATE_DOCUMENTS` (six short
documents a CI test can ingest with the real model in a few minutes), at most
:data:`GATE_MAX_ITEMS` of them.

Run ``python -m evals.external_sets`` with one of:

- ``check``: every quote and fact against the documents as ``ingest.loaders.load_document``
  loads them (the harness's ``evals.text.match_key`` normalisation);
- ``coverage``: the README coverage tables;
- ``split``: rewrite the three files from the union of dev and held-out (idempotent: the
  split is a function of the union, so it only moves items if items were added or removed);
- ``table RUN_DIR…``: one table of the headline figures of several finished runs.
"""
from __future__ import annotations

import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from evals.dataset import EvalItem, load_dataset

SPLIT_SEED = 20261207  # the day the corpus was collected
DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
DEV_PATH = DATASETS_DIR / "external_dev.jsonl"
HELDOUT_PATH = DATASETS_DIR / "external_heldout.jsonl"
GATE_PATH = DATASETS_DIR / "external_gate.jsonl"
GATE_MAX_ITEMS = 25
# Six short documents (4–6k characters as loaded; two .md, two .pdf, a .docx and a .txt),
# chosen after the split: the four short ones with three held-out questions each, and the
# two shortest PDFs.
GATE_DOCUMENTS = (
    "ha-noi_qd06-2025_dinh-muc-chi-phi-dao-tao-boi-duong-cbccvc.pdf",
    "ha-noi_qd6154-2011_dieu-duong-luan-phien-nguoi-co-cong.md",
    "lao-cai_cv7432-2026_trien-khai-qd1074-pccc.pdf",
    "national_cv1414-2013_ho-tro-nguoi-co-cong-cai-thien-nha-o.md",
    "national_cv597-2026_giay-phep-hoa-chat-kiem-soat-dac-biet.docx",
    "tuyenquang_qd986-qdubnd_2024_ke-hoach-thoi-gian-nam-hoc.txt",
)
LANGS = ("vi", "vi-nodiac", "en")
CATEGORIES = (
    "responsibility", "amount", "number", "date", "metadata", "content",
    "paraphrase", "cross_document", "unanswerable",
)
# The figures `table` prints, in this order (missing ones show as –).
TABLE_METRICS = (
    "doc_hit_at_k", "passage_hit_at_k", "article_hit_at_k", "mrr", "context_fact_recall", "fact_recall",
    "abstention_accuracy_answerable", "abstention_accuracy_unanswerable", "citation_precision", "pass_rate",
)


def document_group(item: EvalItem) -> str:
    """The document a question is about (for unanswerable questions: the one it was written against)."""
    group = item.extra.get("document_group")
    if isinstance(group, str) and group:
        return group
    return item.sources[0].document if item.sources else ""


def split_items(items: Sequence[EvalItem], seed: int = SPLIT_SEED) -> tuple[list[EvalItem], list[EvalItem]]:
    """(dev, held-out), each in id order: see the module docstring for the procedure."""
    groups: dict[str, list[EvalItem]] = {}
    for item in items:
        groups.setdefault(document_group(item), []).append(item)
    rng = random.Random(seed)
    dev: list[EvalItem] = []
    heldout: list[EvalItem] = []
    odd_groups = 0
    for name in sorted(groups):
        members = sorted(groups[name], key=lambda it: it.id)
        rng.shuffle(members)
        cut = len(members) // 2
        if len(members) % 2:
            cut += odd_groups % 2  # first odd group: extra to held-out, next: to dev, …
            odd_groups += 1
        dev.extend(members[:cut])
        heldout.extend(members[cut:])
    return sorted(dev, key=lambda it: it.id), sorted(heldout, key=lambda it: it.id)


def gate_items(heldout: Sequence[EvalItem], documents: Iterable[str] = GATE_DOCUMENTS,
               limit: int = GATE_MAX_ITEMS) -> list[EvalItem]:
    """Held-out questions answerable from (or written against) the gate documents alone."""
    allowed = set(documents)
    picked = [
        it for it in heldout
        if document_group(it) in allowed and all(s.document in allowed for s in it.sources)
    ]
    return picked[:limit]


# -- grounding -----------------------------------------------------------------

@dataclass(frozen=True)
class GroundingProblem:
    item_id: str
    kind: str  # "document", "quote" or "fact"
    detail: str

    def __str__(self) -> str:
        return f"{self.item_id}: {self.kind}: {self.detail}"


def grounding_problems(items: Sequence[EvalItem], docs_dir: Path) -> list[GroundingProblem]:
    """Quotes that are not in their document and facts with no alternative in a cited document.

    Documents are read with ``ingest.loaders.load_document`` (what the index sees) and both
    sides are compared with ``evals.text.match_key`` (what the harness compares).
    """
    from evals.text import match_key
    from ingest.loaders import load_document

    keys: dict[str, str | None] = {}

    def key_of(name: str) -> str | None:
        if name not in keys:
            path = Path(docs_dir) / name
            keys[name] = match_key(load_document(path).text) if path.is_file() else None
        return keys[name]

    problems: list[GroundingProblem] = []
    for item in items:
        cited = []
        for source in item.sources:
            text = key_of(source.document)
            if text is None:
                problems.append(GroundingProblem(item.id, "document", f"{source.document} not found"))
                continue
            cited.append(text)
            if source.quote and match_key(source.quote) not in text:
                problems.append(GroundingProblem(item.id, "quote", f"{source.quote!r} not in {source.document}"))
        for fact in item.must_include:
            if not any(match_key(alt) in text for alt in fact for text in cited):
                problems.append(GroundingProblem(item.id, "fact", f"no alternative of {list(fact)} in a cited document"))
    return problems


# -- coverage ------------------------------------------------------------------

def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _lang_cells(items: Sequence[EvalItem]) -> list[str]:
    counts = Counter(it.extra.get("lang") for it in items)
    return [str(counts.get(lang, 0)) for lang in LANGS]


def coverage_markdown(dev: Sequence[EvalItem], heldout: Sequence[EvalItem]) -> str:
    """Counts by half, category and language, and per document (the README block)."""
    halves = (("dev", dev), ("held-out", heldout))
    lines = [_row(("half", "items", "answerable", "unanswerable", "cross-document", "documents", "vi", "vi-nodiac", "en")),
             _row(["---"] * 9)]
    for name, items in halves + (("total", list(dev) + list(heldout)),):
        n = len(items)
        langs = Counter(it.extra.get("lang") for it in items)
        lines.append(_row((
            name, n, sum(it.answerable for it in items), sum(not it.answerable for it in items),
            sum(it.category == "cross_document" for it in items), len({document_group(it) for it in items}),
            *(f"{langs.get(lang, 0)} ({langs.get(lang, 0) / n:.0%})" if n else "0" for lang in LANGS),
        )))
    lines += ["", _row(("category", "dev", "held-out", "vi", "vi-nodiac", "en")), _row(["---"] * 6)]
    both = list(dev) + list(heldout)
    for category in CATEGORIES:
        in_cat = [it for it in both if it.category == category]
        lines.append(_row((category, sum(it.category == category for it in dev),
                           sum(it.category == category for it in heldout), *_lang_cells(in_cat))))
    lines += ["", _row(("document", "dev", "held-out", "gate")), _row(["---"] * 4)]
    gate_ids = {it.id for it in gate_items(heldout)}
    for group in sorted({document_group(it) for it in both}):
        lines.append(_row((
            f"`{group}`", sum(document_group(it) == group for it in dev),
            sum(document_group(it) == group for it in heldout),
            sum(document_group(it) == group and it.id in gate_ids for it in heldout),
        )))
    return "\n".join(lines) + "\n"


# -- files -----------------------------------------------------------------------

def write_jsonl(path: Path, items: Sequence[EvalItem]) -> None:
    path.write_text("".join(json.dumps(it.to_dict(), ensure_ascii=False) + "\n" for it in items), encoding="utf-8")


def load_sets() -> tuple[list[EvalItem], list[EvalItem]]:
    return load_dataset(DEV_PATH), load_dataset(HELDOUT_PATH)


def summary_table(run_dirs: Sequence[Path]) -> str:
    """One markdown table: a column per run (its directory name), a row per headline metric."""
    columns = []
    for run in run_dirs:
        summary = json.loads((Path(run) / "summary.json").read_text(encoding="utf-8"))
        metrics = summary.get("metrics") or summary.get("runs", {}).get("ours", {}).get("metrics", {})
        counts = summary.get("counts") or {}
        columns.append((Path(run).name, metrics, counts))
    lines = [_row(("metric", *(name for name, _, _ in columns))), _row(["---"] * (len(columns) + 1))]
    lines.append(_row(("questions (answerable/unanswerable)",
                       *(f"{c.get('items', 0)} ({c.get('answerable', 0)}/{c.get('unanswerable', 0)})" for _, _, c in columns))))
    for metric in TABLE_METRICS:
        cells = []
        for _, metrics, _ in columns:
            value = (metrics.get(metric) or {}).get("value")
            cells.append("–" if value is None else f"{value:.3f}")
        lines.append(_row((metric, *cells)))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command == "split":
        dev, heldout = load_sets()
        dev, heldout = split_items(dev + heldout)
        write_jsonl(DEV_PATH, dev)
        write_jsonl(HELDOUT_PATH, heldout)
        write_jsonl(GATE_PATH, gate_items(heldout))
        print(f"dev {len(dev)}, held-out {len(heldout)}, gate {len(gate_items(heldout))}")
        return 0
    if command == "coverage":
        print(coverage_markdown(*load_sets()), end="")
        return 0
    if command == "check":
        from evals.external import dev_docs_dir

        dev, heldout = load_sets()
        problems = grounding_problems(dev + heldout, dev_docs_dir())
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {len(dev) + len(heldout)} questions")
        return 1 if problems else 0
    if command == "table" and len(args) > 1:
        print(summary_table([Path(a) for a in args[1:]]), end="")
        return 0
    print("usage: python -m evals.external_sets split|check|coverage|table RUN_DIR...", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
