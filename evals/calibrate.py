"""Fit the answerer's unit ranker and choose its abstention threshold on development sets.

    python -m evals.calibrate --set DATA_DIR=evals/datasets/dev.jsonl --set DATA_DIR2=evals/datasets/external_dev.jsonl \
        [--write assistant/data/ranker.json] [--curve-out evals/runs/abstention_curve.md] [--models semantic,lexical]

For every question of the development sets (never a held-out set), the passages the assistant
would retrieve are cut into units and measured (``assistant.ranking.FEATURES``). A unit is a
positive example when quoting it (with its heading or agency) carries one of the question's
``must_include`` facts and it comes from a gold document; every unit of an unanswerable question
is a negative, and so is every unit of an answerable question asked of the library with its gold
documents hidden (the realistic way of being unanswerable: retrieval finds something, not the
answer). An L2-regularised logistic regression over those units gives the weights.

Abstention is a second, question-level model: each development question (and its hidden-gold
twin) is answered with the new ranker and no threshold, and a logistic regression over the best
unit's features (``assistant.ranking.ABSTAIN_FEATURES``) predicts whether that answer is right
(every fact present, a gold document cited). The abstention curve pairs, for every threshold, the
share of questions answered wrongly (an unanswerable question answered, or an answerable one
answered without its facts) with the share of answerable questions abstained. The operating
point is the threshold that abstains on the most unanswerable questions while abstaining on at
most ``--max-answerable-abstained`` (default 0.08) of the answerable ones.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from assistant.ranking import FEATURES, MODEL_FILE, SEMANTIC_FEATURES, LogisticModel, RankerModel


@dataclass(frozen=True)
class Example:
    question_id: str
    features: tuple[float, ...]
    label: bool
    weight: float = 1.0  # sets are balanced: each contributes the same total weight


@dataclass(frozen=True)
class Outcome:
    """One development question answered without a threshold."""

    question_id: str
    answerable: bool
    confidence: float
    correct: bool  # answerable: every fact present and a gold document cited
    features: dict | None = None  # the abstention model's inputs (None: records answered, or nothing could)
    weight: float = 1.0  # 1 / (questions in its set): each set counts the same


def without_gold(item, assistant):
    """Filters that hide the question's gold documents: the same question asked of a library that
    lacks its answer (a realistic hard negative), or None when nothing would be left."""
    from index.types import Filters

    others = tuple(d.doc_id for d in assistant.documents if d.doc_id not in item.gold_documents)
    if not item.answerable or not item.gold_documents or not others:
        return None
    return Filters(documents=others)


def unit_examples(item, assistant, answerer, k: int, filters=None, weight: float = 1.0) -> list[Example]:
    """Units of the passages retrieved for ``item`` (under ``filters``), labelled."""
    from assistant.extractive import shown_text
    from assistant.query import analyze
    from evals.metrics import fact_present

    analysis = assistant.analyze(item.question)
    hits = assistant.retrieve(analysis, filters, k)

    metas = [h.chunk.meta for h in hits if h.chunk.meta is not None]
    inner = analyze(analysis.question, list(assistant.documents) or metas)
    gold = item.gold_documents
    out = []
    for su in answerer.rank_units(inner, hits):
        shown = shown_text(su.unit, su.hit)
        label = bool(
            filters is None and item.answerable and su.hit.chunk.doc_id in gold and any(fact_present(shown, f) for f in item.must_include)
        )
        out.append(Example(item.id, tuple(su.features[name] for name in FEATURES), label, weight))
    return out


def fit_logistic(examples: Sequence[Example], l2: float = 0.5) -> tuple[np.ndarray, float]:
    from scipy.optimize import minimize

    x = np.array([e.features for e in examples], dtype=np.float64)
    y = np.array([e.label for e in examples], dtype=np.float64)
    sw = np.array([e.weight for e in examples], dtype=np.float64)
    sw = sw * (len(sw) / sw.sum())
    x1 = np.c_[np.ones(len(x)), x]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x1 @ w
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(sw * (np.logaddexp(0.0, z) - y * z)) + l2 * np.sum(w[1:] ** 2))
        grad = x1.T @ (sw * (p - y))
        grad[1:] += 2 * l2 * w[1:]
        return value, grad

    w = minimize(loss, np.zeros(x1.shape[1]), jac=True, method="L-BFGS-B").x
    return w[1:], float(w[0])


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    from scipy.stats import rankdata

    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def curve(outcomes: Sequence[Outcome], thresholds: Sequence[float]) -> list[dict]:
    """The trade-off over the real questions; their hidden-gold twins (ids ending in "~") only
    fill the last column."""
    twins = [o for o in outcomes if o.question_id.endswith("~")]
    outcomes = [o for o in outcomes if not o.question_id.endswith("~")]
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]

    def share(selected, among) -> float:
        total = sum(o.weight for o in among)
        return sum(o.weight for o in selected) / total if total else 0.0

    rows = []
    for t in thresholds:
        answered = [o for o in outcomes if o.confidence >= t]
        rows.append(
            {
                "threshold": t,
                "answered_wrong": share([o for o in answered if not o.answerable or not o.correct], outcomes),
                "abstained_answerable": share([o for o in answerable if o.confidence < t], answerable),
                "abstained_unanswerable": share([o for o in unanswerable if o.confidence < t], unanswerable),
                "answered_correct": share([o for o in answered if o.answerable and o.correct], outcomes),
                "abstained_twins": share([o for o in twins if o.confidence < t], twins),
            }
        )
    return rows


def choose_threshold(rows: Sequence[dict], max_answerable_abstained: float) -> dict:
    allowed = [r for r in rows if r["abstained_answerable"] <= max_answerable_abstained + 1e-9]
    if not allowed:
        return rows[0]
    return max(allowed, key=lambda r: (r["abstained_unanswerable"], -r["answered_wrong"], r["threshold"]))


def curve_markdown(rows: Sequence[dict], chosen: dict, sets: Sequence[str]) -> str:
    lines = [
        "# Abstention trade-off on the development halves",
        "",
        f"Sets: {', '.join(sets)}. Each question answered with the fitted ranker and no threshold;",
        "a threshold abstains on every question whose confidence is below it. Shares are over the real",
        "questions, each set weighing the same; the last column is their twins asked with the gold documents",
        "hidden (answers taken from responsibility records are not thresholded and count as answered).",
        "",
        "| threshold | answered but wrong (share of all) | abstained but answerable | abstained, unanswerable | answered correctly (share of all) | abstained, hidden-gold twins |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        mark = " **← chosen**" if r is chosen else ""
        lines.append(
            f"| {r['threshold']:.2f}{mark} | {r['answered_wrong']:.3f} | {r['abstained_answerable']:.3f} | "
            f"{r['abstained_unanswerable']:.3f} | {r['answered_correct']:.3f} | {r['abstained_twins']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def _answer_all(pairs, services, model: RankerModel, *, semantic: bool, negatives: bool) -> list[Outcome]:
    """Answer every development question with ``model`` and no threshold, keeping the abstention
    model's inputs; each answerable question is also asked with its gold documents hidden."""
    from assistant.extractive import ExtractiveAnswerer
    from assistant.query import analyze
    from evals.dataset import load_dataset
    from evals.metrics import citation_precision, fact_recall

    outcomes: list[Outcome] = []
    for data_dir, path in pairs:
        svc = services[data_dir]
        embedder = svc.index.embedder if semantic else None
        answerer = ExtractiveAnswerer(embedder=embedder, model=model, threshold=0.0,
                                      restore_marks=svc.index.restore_marks if semantic else None)
        svc.answerer = answerer
        svc._assistant = None  # rebuilt with the new answerer
        items = load_set(path, svc)
        for item in items:
            variants = [(item.id, None, item.answerable)]
            hidden = without_gold(item, svc.assistant) if negatives else None
            if hidden is not None:
                variants.append((item.id + "~", hidden, False))
            for qid, filters, answerable in variants:
                answer = svc.assistant.ask(item.question, filters)
                correct = False
                if answerable and not answer.abstained:
                    recall = fact_recall(answer.text, item.must_include)
                    precision = citation_precision(answer.text, answer.citations, item.gold_documents)
                    correct = (recall is None or recall >= 1.0) and bool(precision)
                features = None
                if answer.confidence is not None and answer.hits:
                    question = svc.assistant.analyze(item.question).question
                    inner = analyze(question, answerer._known_documents(answer.hits))
                    ranked = answerer.rank_units(inner, answer.hits)
                    if ranked:
                        features = answerer.question_features(inner, ranked, answer.hits)
                if answer.confidence is None:
                    conf = 1.0  # answered from responsibility records: no threshold applies
                elif features is None:
                    conf = 0.0  # no unit could answer at all
                else:
                    conf = answer.confidence
                outcomes.append(Outcome(qid, answerable, conf, correct, features, 1.0 / len(items)))
    return outcomes


def fit_abstention(outcomes: Sequence[Outcome], l2: float) -> "LogisticModel":
    from assistant.ranking import ABSTAIN_FEATURES, LogisticModel

    rows = [o for o in outcomes if o.features is not None]
    examples = [
        Example(o.question_id, tuple(o.features.get(f, 0.0) for f in ABSTAIN_FEATURES), o.correct, o.weight) for o in rows
    ]
    weights, bias = fit_logistic(examples, l2)
    return LogisticModel(ABSTAIN_FEATURES, tuple(float(w) for w in weights), bias)


def rescored(outcomes: Sequence[Outcome], abstain) -> list[Outcome]:
    """Confidences under a new abstention model; outcomes without features keep theirs (1 for an
    answer from responsibility records, 0 when no unit could answer at all)."""
    return [
        Outcome(o.question_id, o.answerable, abstain.probability(o.features) if o.features is not None else o.confidence,
                o.correct, o.features, o.weight)
        for o in outcomes
    ]


def merged_models(fitted: dict[str, dict], path: Path) -> dict[str, dict]:
    """The model file's content after a refit: the pairs just fitted, and the others as they were in
    ``path`` (``--models semantic`` keeps the lexical pair)."""
    kept = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {kind: fitted.get(kind, kept.get(kind)) for kind in ("semantic", "lexical") if kind in fitted or kind in kept}


def load_set(path: str, services) -> list:
    """A development set: a native file, or ``alqac:dev`` (the dev half of ALQAC 2022, read from
    ``../shared/external/alqac2022`` and ingested into the set's data dir)."""
    from evals.dataset import load_dataset

    if path.startswith("alqac:"):
        from evals.alqac import load_for_eval
        from evals.external import alqac2022_dir

        half = path.split(":", 1)[1]
        if half != "dev":
            raise SystemExit("evals.calibrate: only the dev half of ALQAC may be used for calibration")
        items = load_for_eval(alqac2022_dir() / "question.json", services, progress=False)
        return [i for i in items if i.extra.get("half") == "dev"]
    return load_dataset(path)


def _open(data_dir: str):
    from planchat.settings import load_settings
    from planchat.wiring import open_services

    return open_services(load_settings({"data_dir": data_dir}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", required=True, metavar="DATA_DIR=SET.jsonl",
                        help="a development set and the data dir its documents are ingested in (repeatable)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--l2", type=float, default=0.5)
    parser.add_argument("--max-answerable-abstained", type=float, default=0.08)
    parser.add_argument("--no-negatives", dest="negatives", action="store_false",
                        help="do not add each answerable question asked without its gold documents as a negative")
    parser.add_argument("--write", metavar="PATH", help=f"write the fitted model (e.g. {MODEL_FILE})")
    parser.add_argument("--curve-out", metavar="PATH", help="write the abstention curve as markdown")
    parser.add_argument("--models", default="semantic", metavar="KINDS",
                        help="which model pairs to refit: 'semantic' (default; the lexical pair already in the "
                             "--write file is kept) or 'semantic,lexical'")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.models.split(",") if k.strip()]
    if not kinds or set(kinds) - {"semantic", "lexical"}:
        parser.error(f"--models wants 'semantic', 'lexical' or both, got {args.models!r}")

    from assistant.extractive import ExtractiveAnswerer
    from evals.dataset import load_dataset

    pairs = []
    for spec in args.set:
        data_dir, _, path = spec.partition("=")
        if not path:
            parser.error(f"--set wants DATA_DIR=SET.jsonl, got {spec!r}")
        if "heldout" in Path(path).name or "gate" in Path(path).name:
            parser.error(f"{path} looks like a held-out set: calibrate on development sets only")
        pairs.append((data_dir, path))

    examples: list[Example] = []
    services = {}
    for data_dir, path in pairs:
        svc = services.setdefault(data_dir, _open(data_dir))
        answerer = ExtractiveAnswerer(embedder=svc.index.embedder, restore_marks=svc.index.restore_marks)
        items = load_set(path, svc)
        for n, item in enumerate(items, 1):
            weight = 1.0 / len(items)
            examples.extend(unit_examples(item, svc.assistant, answerer, args.k, weight=weight))
            hidden = without_gold(item, svc.assistant) if args.negatives else None
            if hidden is not None:
                examples.extend(unit_examples(item, svc.assistant, answerer, args.k, hidden, weight))
            if n % 20 == 0 or n == len(items):
                print(f"features {Path(path).name}: {n}/{len(items)}", file=sys.stderr)
    semantic_columns = [FEATURES.index(f) for f in SEMANTIC_FEATURES]
    lexical_examples = [
        Example(e.question_id, tuple(0.0 if i in semantic_columns else x for i, x in enumerate(e.features)), e.label, e.weight)
        for e in examples
    ]
    print(f"{len(examples)} units, {sum(e.label for e in examples)} positive")
    models: dict[str, RankerModel] = {}
    curves: dict[str, str] = {}
    for kind, rows_ in (("semantic", examples), ("lexical", lexical_examples)):
        if kind not in kinds:
            continue
        weights, bias = fit_logistic(rows_, args.l2)
        print(f"[{kind}] weights:", {name: round(float(w), 3) for name, w in zip(FEATURES, weights)}, "bias:", round(bias, 3))
        scores = [1 / (1 + math.exp(-(bias + float(np.dot(weights, e.features))))) for e in rows_]
        print(f"[{kind}] unit AUC on the development units: {auc(scores, [e.label for e in rows_]):.3f}")
        ranker = LogisticModel(FEATURES, tuple(float(w) for w in weights), bias)
        first = RankerModel(ranker, LogisticModel(("p_best",), (1.0,), 0.0), threshold=0.0,
                            fitted_on=tuple(Path(p).name for _, p in pairs))
        raw = _answer_all(pairs, services, first, semantic=kind == "semantic", negatives=args.negatives)
        abstain = fit_abstention(raw, args.l2)
        print(f"[{kind}] abstention weights:", dict(zip(abstain.features, (round(w, 3) for w in abstain.weights))),
              "bias:", round(abstain.bias, 3))
        outcomes = rescored(raw, abstain)
        print(f"[{kind}] abstention AUC (answer right vs not): "
              f"{auc([o.confidence for o in outcomes if o.features], [o.correct for o in outcomes if o.features]):.3f}")
        model = RankerModel(ranker, abstain, threshold=0.0, fitted_on=first.fitted_on)
        thresholds = [round(t, 2) for t in np.arange(0.0, 0.96, 0.02)]
        rows = curve(outcomes, thresholds)
        chosen = choose_threshold(rows, args.max_answerable_abstained)
        curves[kind] = curve_markdown(rows, chosen, [Path(p).name for _, p in pairs]).replace(
            "# Abstention trade-off", f"# Abstention trade-off ({kind} ranker)"
        )
        print(curves[kind])
        print(f"[{kind}] chosen threshold {chosen['threshold']:.2f}")
        models[kind] = RankerModel(
            model.ranker, model.abstain, threshold=float(chosen["threshold"]), fitted_on=model.fitted_on,
            notes=f"fitted by evals.calibrate on {len(examples)} units; threshold: at most "
                  f"{args.max_answerable_abstained:.2f} of answerable dev questions abstained",
        )
    for kind in ("semantic", "lexical"):
        if kind not in models:
            curves[kind] = (f"# {kind.capitalize()} ranker\n\nNot refit by this run (`--models {args.models}`): "
                            f"the {kind} pair already in the model file was kept.\n")
    if args.curve_out:
        Path(args.curve_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.curve_out).write_text(curves["semantic"] + "\n" + curves["lexical"], encoding="utf-8")
    if args.write:
        data = merged_models({kind: m.to_dict() for kind, m in models.items()}, Path(args.write))
        Path(args.write).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
