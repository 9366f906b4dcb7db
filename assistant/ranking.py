"""Rank answer units with a small calibrated model instead of hand-set thresholds.

Each unit of the retrieved passages gets a handful of general features — how much of the
question's topic it has (lexical keys, weighted by how rare each word is among the candidate
units), how close it is in meaning (the embedder's cosine), whether it shows the kind of fact
asked for (``assistant.answer_types`` and ``assistant.evidence``), where its passage ranked —
and a logistic model turns them into the probability that quoting the unit answers the
question. The weights and the abstention threshold are data (``assistant/data/ranker.json``),
fitted on the development halves by ``python -m evals.calibrate``; nothing here is tuned by hand.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

MODEL_FILE = Path(__file__).with_name("data") / "ranker.json"

FEATURES = (
    "lex",  # weighted share of the question's content words in the unit, its subject or heading
    "lex_own",  # … in the unit's own words only
    "lex_idf",  # like lex, each word weighted by its rarity among this question's candidate units
    "lex_best",  # the best lex_idf among the candidates (a question none of whose words occur is unanswered)
    "lex_none",  # 1 when none of the question's content words is in the unit, its subject or heading
    "sem",  # cosine(question, unit with its heading), minus the mean over the candidates
    "sem_gap",  # cosine minus the best candidate's cosine (0 for the best)
    "sem_raw",  # the cosine itself (its level says how close the question is to anything loaded)
    "type",  # shows the kind of fact asked for (answer_types.type_match)
    "lex_x_type",  # lex_idf × type: the topic and the kind of fact in the same unit
    "evidence",  # shows the role asked for (evidence.find_evidence: "X chủ trì", a deadline cell …)
    "self_ref",  # the question names a document and the unit speaks of its own document ("Quyết định này …")
    "collective",  # who leads / coordinates: the role the unit gives is held by a set of bodies ("UBND các huyện")
    "role_named",  # the question names an agency and the unit gives that agency the role asked
    "role_other",  # the question names an agency and the unit gives the role to another one
    "row_ref",  # the unit is the table row / numbered item the question points at ("mục 2.6")
    "subject",  # the question names the agency whose section holds the unit ("Sở Tài chính có nhiệm vụ gì?")
    "phrases",  # question phrases found verbatim in the unit (0, 0.5, 1 for none, one, two or more)
    "rank",  # 1 / (retrieval rank of its passage)
    "dense",  # the passage's cosine to the question (0 when only the lexical side found it)
    "foreign",  # share of the question's weight in English words the glossary could not map
    "heading",  # the unit is a heading line
    "row",  # a table row
    "card",  # a line of a document card (metadata)
    "card_meta",  # a card line for a question about the document itself (who signed, when, its number)
)


ABSTAIN_FEATURES = (
    "p_best",  # the ranker's probability for the best unit
    "p_margin",  # … minus the second best unit's
    "lex", "lex_idf", "sem_raw", "type", "evidence", "self_ref", "rank", "dense", "foreign", "card", "row",  # of the best unit
    "ctx_missing",  # share of the question's word weight found in none of the retrieved passages
    "asked_type",  # the question asks for a kind of fact (a date, an amount …) at all
)
SEMANTIC_FEATURES = ("sem", "sem_gap", "sem_raw", "dense")  # zero without an embedder


@dataclass(frozen=True)
class LogisticModel:
    """``sigmoid(bias + Σ weight·feature)`` over named features (missing features count 0)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values.get(f, 0.0) for f, w in zip(self.features, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "LogisticModel":
        return cls(tuple(data["features"]), tuple(float(w) for w in data["weights"]), float(data["bias"]))


@dataclass(frozen=True)
class RankerModel:
    """The unit ranker, the abstention model over the best unit, and its operating point.

    ``ranker`` orders the units; ``abstain`` turns the best unit and the question into the
    probability that the answer is right; below ``threshold`` the answerer abstains.
    """

    ranker: LogisticModel
    abstain: LogisticModel
    threshold: float
    second_ratio: float = 0.85  # a further unit is quoted when its ranker probability is at least this share of the best
    fitted_on: tuple[str, ...] = ()
    notes: str = ""

    def to_dict(self) -> dict:
        return {
            "ranker": self.ranker.to_dict(),
            "abstain": self.abstain.to_dict(),
            "threshold": round(self.threshold, 6),
            "second_ratio": self.second_ratio,
            "fitted_on": list(self.fitted_on),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "RankerModel":
        return cls(
            ranker=LogisticModel.from_dict(data["ranker"]),
            abstain=LogisticModel.from_dict(data["abstain"]),
            threshold=float(data["threshold"]),
            second_ratio=float(data.get("second_ratio", 0.85)),
            fitted_on=tuple(data.get("fitted_on", ())),
            notes=str(data.get("notes", "")),
        )


# Used only when the data file is missing (a broken install): the topic and the kind of fact
# in one unit, answering when the best unit has most of the question's words.
FALLBACK = RankerModel(
    ranker=LogisticModel(("lex", "lex_idf", "lex_x_type", "evidence", "rank"), (1.0, 1.0, 2.0, 1.0, 0.5), -3.0),
    abstain=LogisticModel(("p_best",), (1.0,), 0.0),
    threshold=0.55,
)


@functools.lru_cache(maxsize=4)
def load_models(path: str | Path = MODEL_FILE) -> dict[str, RankerModel]:
    """``{"semantic": …, "lexical": …}``: the model used with an embedder, and the one fitted with
    the semantic features held at zero for answerers that have none (tests, a broken embedder)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"semantic": FALLBACK, "lexical": FALLBACK}
    return {kind: RankerModel.from_dict(data[kind]) for kind in ("semantic", "lexical")}


def load_model(*, semantic: bool = True, path: str | Path = MODEL_FILE) -> RankerModel:
    return load_models(path)["semantic" if semantic else "lexical"]


def question_features(ranked_features: Sequence[dict[str, float]], ranked_scores: Sequence[float],
                      asked_type: bool, ctx_missing: float) -> dict[str, float]:
    """The abstention model's inputs: the best unit's features, how far it leads, and how much of
    the question the retrieved passages miss altogether."""
    best = ranked_features[0]
    values = {f: best.get(f, 0.0) for f in ABSTAIN_FEATURES}
    values["p_best"] = ranked_scores[0]
    values["p_margin"] = ranked_scores[0] - (ranked_scores[1] if len(ranked_scores) > 1 else 0.0)
    values["asked_type"] = float(asked_type)
    values["ctx_missing"] = ctx_missing
    return values


@dataclass(frozen=True)
class UnitFeatures:
    values: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values))


@dataclass
class FeatureRow:
    """Raw per-unit measurements, turned into ``UnitFeatures`` once all candidates are known."""

    lex: float
    lex_own: float
    word_credits: dict[str, float]
    sem: float
    type: float
    evidence: float
    rank: float
    dense: float
    foreign: float
    heading: bool
    row: bool
    card: bool
    self_ref: bool = False
    collective: bool = False
    role_named: bool = False
    role_other: bool = False
    row_ref: bool = False
    subject: bool = False
    phrases: int = 0
    card_meta: bool = False
    extra: dict = field(default_factory=dict)


def finish_features(rows: Sequence[FeatureRow], weights: dict[str, float]) -> list[UnitFeatures]:
    """Per-question normalisation: in-context word rarity for ``lex_idf``, centred cosines.

    ``weights`` are the question's keyword weights."""
    n = len(rows)
    if n == 0:
        return []
    df = {k: sum(1 for r in rows if r.word_credits.get(k, 0.0) > 0) for k in weights}
    idf = {k: math.log((n + 1) / (df[k] + 0.5)) for k in weights}
    denominator = sum(weights[k] * idf[k] for k in weights) or 1.0
    sems = [r.sem for r in rows]
    mean_sem = sum(sems) / n
    best_sem = max(sems)
    lex_idfs = [sum(weights[k] * idf[k] * r.word_credits.get(k, 0.0) for k in weights) / denominator for r in rows]
    lex_best = max(lex_idfs)
    out = []
    for r, lex_idf in zip(rows, lex_idfs):
        values = {
            "lex": r.lex, "lex_own": r.lex_own, "lex_idf": lex_idf, "lex_best": lex_best, "lex_none": float(not r.word_credits),
            "sem": r.sem - mean_sem, "sem_gap": r.sem - best_sem, "sem_raw": r.sem,
            "type": r.type, "lex_x_type": lex_idf * r.type, "evidence": r.evidence, "self_ref": float(r.self_ref),
            "collective": float(r.collective), "role_named": float(r.role_named), "role_other": float(r.role_other),
            "row_ref": float(r.row_ref), "subject": float(r.subject), "phrases": min(2, r.phrases) / 2,
            "rank": r.rank,
            "dense": r.dense, "foreign": r.foreign, "heading": float(r.heading), "row": float(r.row),
            "card": float(r.card), "card_meta": float(r.card_meta),
        }
        out.append(UnitFeatures(tuple(values[f] for f in FEATURES)))
    return out
