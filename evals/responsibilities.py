"""Evaluate extracted responsibility records against hand-checked gold records.

Gold file (JSONL, one record per line): ``id``, ``document`` (file name),
``task_contains`` (a distinctive substring of the task), ``lead`` and ``coordinators``
(lists of canonical agency names), ``deadline`` and ``budget`` (text or ""), ``source``
("prose", "agency_section", "table").

Matching: a predicted record matches a gold record when it comes from the same document
and its task contains ``task_contains`` (both folded: lower case, no diacritics, spaces
collapsed; punctuation kept). When several predictions match one gold record, the one
agreeing best with it (most correct agencies, deadline and budget; then the shortest
task) is scored. The gold set covers a sample of each plan's tasks, so precision is
measured on the predictions matched to gold tasks; predictions for other tasks are
counted (``unmatched_predictions``) but not scored.

Scores, as micro precision/recall over pairs:

* (task, lead): pairs (gold id, agency) — agencies compared by folded canonical name;
* (task, coordinators): likewise;
* (task, deadline/budget): pairs (gold id, "deadline") and (gold id, "budget") for every
  non-empty value. Values match when they contain the same numbers in the same order
  ("trước ngày 30/11/2023" ~ "Trước ngày 30/11/2023."; "Năm 2022: 150 …" per year), or,
  when the gold value has no number, when one folded text contains the other.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from evals.errors import DatasetError

SOURCES = ("prose", "agency_section", "table")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class GoldRecord:
    id: str
    document: str
    task_contains: str
    lead: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()
    deadline: str = ""
    budget: str = ""
    source: str = ""


# ----------------------------------------------------------------------------- loading


def _as_names(value: Any, path: Path, line: int, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(path, line, name, "must be a list of agency names")
    return tuple(v for v in value if v.strip())


def gold_from_dict(data: Mapping[str, Any], path: str | Path = "<gold>", line: int = 0) -> GoldRecord:
    path = Path(path)
    for required in ("id", "document", "task_contains"):
        if not isinstance(data.get(required), str) or not data[required].strip():
            raise DatasetError(path, line or None, required, "is required and must be a non-empty string")
    source = data.get("source", "") or ""
    if source and source not in SOURCES:
        raise DatasetError(path, line or None, "source", f"must be one of {', '.join(SOURCES)}")
    for text_field in ("deadline", "budget"):
        if not isinstance(data.get(text_field, "") or "", str):
            raise DatasetError(path, line or None, text_field, "must be a string")
    return GoldRecord(
        id=data["id"],
        document=data["document"],
        task_contains=data["task_contains"],
        lead=_as_names(data.get("lead"), path, line, "lead"),
        coordinators=_as_names(data.get("coordinators"), path, line, "coordinators"),
        deadline=data.get("deadline", "") or "",
        budget=data.get("budget", "") or "",
        source=source,
    )


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read a gold JSONL file; errors name the line and field."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(path, None, None, "file not found") from None
    except UnicodeDecodeError:
        raise DatasetError(path, None, None, "not UTF-8 text") from None
    out: list[GoldRecord] = []
    seen: set[str] = set()
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(path, n, None, f"not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise DatasetError(path, n, None, "each line must be a JSON object")
        record = gold_from_dict(data, path, n)
        if record.id in seen:
            raise DatasetError(path, n, "id", f"duplicate id {record.id!r}")
        seen.add(record.id)
        out.append(record)
    return out


# ----------------------------------------------------------------------------- comparison


def task_key(text: str) -> str:
    """Folded form tasks are matched on: lower case, no diacritics, dashes unified, spaces collapsed."""
    from ingest.normalize import fold_diacritics

    return " ".join(fold_diacritics(text.replace("*", " ")).replace("–", "-").replace("—", "-").split())


def agency_key(name: str) -> str:
    from ingest.agencies import agency_match_key

    return agency_match_key(name)


def _numbers(text: str) -> list[str]:
    return [n.replace(".", "").replace(",", ".").lstrip("0") or "0" for n in _NUMBER.findall(text)]


def values_match(predicted: str, gold: str) -> bool:
    """Deadline/budget agreement: same numbers in order, or folded containment when gold has none."""
    if not predicted.strip() or not gold.strip():
        return False
    gold_numbers = _numbers(gold)
    if gold_numbers:
        return _numbers(predicted) == gold_numbers
    p, g = task_key(predicted).strip(" .;,"), task_key(gold).strip(" .;,")
    return g in p or p in g


def _get(record: Any, name: str, default: Any = "") -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def scores(self) -> dict[str, float | int | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else (0.0 if p == 0 or r == 0 else None)
        return {"precision": p, "recall": r, "f1": f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class _Tally:
    lead: _Counts = field(default_factory=_Counts)
    coordinators: _Counts = field(default_factory=_Counts)
    deadline_budget: _Counts = field(default_factory=_Counts)
    gold: int = 0
    matched: int = 0
    exact: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "matched": self.matched,
            "task_recall": self.matched / self.gold if self.gold else None,
            "exact_roles": self.exact / self.gold if self.gold else None,
            "lead": self.lead.scores(),
            "coordinators": self.coordinators.scores(),
            "deadline_budget": self.deadline_budget.scores(),
        }


def _set_counts(pred: Iterable[str], gold: Iterable[str]) -> tuple[int, int, int, list[str], list[str]]:
    p = {agency_key(x): x for x in pred}
    g = {agency_key(x): x for x in gold}
    tp = len(p.keys() & g.keys())
    extra = [p[k] for k in p.keys() - g.keys()]
    missing = [g[k] for k in g.keys() - p.keys()]
    return tp, len(extra), len(missing), extra, missing


def _value_counts(pred: str, gold: str) -> tuple[int, int, int]:
    if gold and pred:
        ok = values_match(pred, gold)
        return (1, 0, 0) if ok else (0, 1, 1)
    if gold:
        return 0, 0, 1
    if pred:
        return 0, 1, 0
    return 0, 0, 0


def _agreement(pred: Any, gold: GoldRecord) -> tuple:
    lead_tp, lead_fp, _, _, _ = _set_counts(_get(pred, "lead", ()), gold.lead)
    co_tp, co_fp, _, _, _ = _set_counts(_get(pred, "coordinators", ()), gold.coordinators)
    dl = _value_counts(_get(pred, "deadline", ""), gold.deadline)[0]
    bu = _value_counts(_get(pred, "budget", ""), gold.budget)[0]
    return (lead_tp + co_tp + dl + bu - lead_fp - co_fp, -len(_get(pred, "task", "")))


def evaluate_records(predicted: Sequence[Any], gold: Sequence[GoldRecord | Mapping[str, Any]]) -> dict[str, Any]:
    """Precision/recall of (task, lead), (task, coordinators), (task, deadline/budget).

    ``predicted`` are ``ResponsibilityRecord`` objects (or dicts with the same fields);
    ``gold`` are ``GoldRecord`` objects or dicts in the gold file format.
    """
    golds = [g if isinstance(g, GoldRecord) else gold_from_dict(g) for g in gold]
    by_doc: dict[str, list[tuple[str, Any]]] = {}
    for p in predicted:
        by_doc.setdefault(_get(p, "document"), []).append((task_key(_get(p, "task", "")), p))

    total = _Tally()
    per_source: dict[str, _Tally] = {}
    per_document: dict[str, _Tally] = {}
    details: list[dict[str, Any]] = []
    matched_ids: set[int] = set()
    for g in golds:
        needle = task_key(g.task_contains)
        candidates = [p for task, p in by_doc.get(g.document, []) if needle and needle in task]
        best = max(candidates, key=lambda p: _agreement(p, g)) if candidates else None
        for p in candidates:
            matched_ids.add(id(p))
        pred_lead = _get(best, "lead", ()) if best is not None else ()
        pred_coord = _get(best, "coordinators", ()) if best is not None else ()
        lead = _set_counts(pred_lead, g.lead)
        coord = _set_counts(pred_coord, g.coordinators)
        dl = _value_counts(_get(best, "deadline", "") if best is not None else "", g.deadline)
        bu = _value_counts(_get(best, "budget", "") if best is not None else "", g.budget)
        exact = best is not None and lead[1] == lead[2] == 0 and coord[1] == coord[2] == 0
        for tally in (total, per_source.setdefault(g.source or "?", _Tally()),
                      per_document.setdefault(g.document, _Tally())):
            tally.gold += 1
            tally.matched += best is not None
            tally.exact += exact
            tally.lead.add(*lead[:3])
            tally.coordinators.add(*coord[:3])
            tally.deadline_budget.add(dl[0] + bu[0], dl[1] + bu[1], dl[2] + bu[2])
        problems = []
        if best is None:
            problems.append("task not found")
        else:
            if lead[3] or lead[4]:
                problems.append(f"lead: extra {lead[3]} missing {lead[4]}")
            if coord[3] or coord[4]:
                problems.append(f"coordinators: extra {coord[3]} missing {coord[4]}")
            if dl[1] or dl[2]:
                problems.append(f"deadline: got {_get(best, 'deadline', '')!r} want {g.deadline!r}")
            if bu[1] or bu[2]:
                problems.append(f"budget: got {_get(best, 'budget', '')!r} want {g.budget!r}")
        details.append({
            "id": g.id, "document": g.document, "source": g.source, "task_contains": g.task_contains,
            "matched": best is not None, "candidates": len(candidates), "ok": not problems, "problems": problems,
        })
    gold_docs = {g.document for g in golds}
    unmatched = sum(1 for p in predicted if _get(p, "document") in gold_docs and id(p) not in matched_ids)
    result = total.as_dict()
    result.update({
        "predicted": len(predicted),
        "unmatched_predictions": unmatched,
        "by_source": {k: v.as_dict() for k, v in sorted(per_source.items())},
        "by_document": {k: v.as_dict() for k, v in sorted(per_document.items())},
        "details": details,
    })
    return result


# ----------------------------------------------------------------------------- reports


def _pct(value: float | None) -> str:
    return "  n/a " if value is None else f"{100 * value:5.1f}%"


def format_report(result: Mapping[str, Any], *, show_problems: int = 30) -> str:
    """A plain-text report: overall scores, per source kind and document, then mismatches."""
    lines = [
        "Responsibility extraction vs gold",
        f"gold records: {result['gold']}   matched tasks: {result['matched']} ({_pct(result['task_recall']).strip()})"
        f"   exact lead+coordinators: {_pct(result['exact_roles']).strip()}",
        f"predicted records: {result['predicted']}   not covered by gold: {result['unmatched_predictions']}",
        "",
        f"{'':28}{'precision':>10}{'recall':>9}{'F1':>9}{'tp':>6}{'fp':>5}{'fn':>5}",
    ]

    def rows(tally: Mapping[str, Any], indent: str = "") -> list[str]:
        out = []
        for name, label in (("lead", "(task, lead)"), ("coordinators", "(task, coordinators)"),
                            ("deadline_budget", "(task, deadline/budget)")):
            s = tally[name]
            out.append(f"{indent + label:28}{_pct(s['precision']):>10}{_pct(s['recall']):>9}{_pct(s['f1']):>9}"
                       f"{s['tp']:>6}{s['fp']:>5}{s['fn']:>5}")
        return out

    lines += rows(result)
    for group in ("by_source", "by_document"):
        for name, tally in result.get(group, {}).items():
            lines.append("")
            lines.append(f"{name}: {tally['gold']} gold, {tally['matched']} matched")
            lines += rows(tally, "  ")
    problems = [d for d in result.get("details", []) if not d["ok"]]
    if problems:
        lines += ["", f"Mismatches ({len(problems)}):"]
        for d in problems[:show_problems]:
            lines.append(f"- {d['id']} «{d['task_contains'][:60]}»: " + "; ".join(d["problems"]))
        if len(problems) > show_problems:
            lines.append(f"  … and {len(problems) - show_problems} more")
    return "\n".join(lines)


def run_responsibility_eval(records: Sequence[Any], gold_path: str | Path) -> dict[str, Any]:
    """Load the gold file and score ``records``; the result includes ``report`` (printable text)."""
    result = evaluate_records(records, load_gold(gold_path))
    result["gold_path"] = str(gold_path)
    result["report"] = format_report(result)
    return result


def records_for_files(paths: Iterable[str | Path]) -> list[Any]:
    """Load, chunk and extract records from plan files (what ``ingest`` would store)."""
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document
    from ingest.responsibilities import extract_responsibilities

    out: list[Any] = []
    for path in paths:
        doc = load_document(path)
        out.extend(extract_responsibilities(doc, chunk_document(doc)))
    return out


def gold_document_paths(gold_path: str | Path, docs_dir: str | Path) -> list[Path]:
    """The files of ``docs_dir`` that the gold file labels (e.g. the external dev-docs)."""
    docs_dir = Path(docs_dir)
    names = sorted({g.document for g in load_gold(gold_path)})
    missing = [n for n in names if not (docs_dir / n).is_file()]
    if missing:
        raise DatasetError(Path(gold_path), None, "document", f"{len(missing)} labelled file(s) not in {docs_dir}: "
                           + ", ".join(missing[:3]))
    return [docs_dir / n for n in names]


DEFAULT_GOLD = Path(__file__).parent / "datasets" / "responsibilities_gold.jsonl"
EXTERNAL_GOLD = {
    "dev": Path(__file__).parent / "datasets" / "responsibilities_external_dev.jsonl",
    "heldout": Path(__file__).parent / "datasets" / "responsibilities_external_heldout.jsonl",
}
