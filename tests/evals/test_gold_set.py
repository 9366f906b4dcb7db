"""Checks of the gold question-answer set ``evals/datasets/sample_plans.jsonl``.

Fast and model-free: the set is data, so these tests guard its shape, its
coverage and, above all, that every gold quote is really in its plan (after
NFC and whitespace folding) so an edited quote or plan makes a test fail.

Run as a script (``.venv/bin/python tests/evals/test_gold_set.py``) to print the
coverage table that ``evals/datasets/README.md`` must contain verbatim.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = REPO_ROOT / "evals" / "datasets" / "sample_plans.jsonl"
README_PATH = REPO_ROOT / "evals" / "datasets" / "README.md"
PLANS_DIR = REPO_ROOT / "data" / "sample_plans"

PLAN_FILES = (
    "bac-kan-37-KH-UBND-2022.txt",
    "cao-bang-3058-KH-UBND-2024.txt",
    "ha-noi-72-KH-UBND-2022.txt",
    "hai-duong-KH-SLDTBXH-2023.txt",
    "yen-bai-49-KH-UBND-2020.txt",
)
LANGS = ("vi", "vi-nodiac", "en")
CATEGORIES = (
    "responsibility", "number", "deadline", "budget", "appendix",
    "metadata", "content", "cross_plan", "unanswerable",
)
REQUIRED_FIELDS = {
    "id": str, "question": str, "reference": str, "must_include": list,
    "sources": list, "answerable": bool, "lang": str, "category": str,
}
ID_PATTERN = re.compile(r"^[a-z]{2}-\d{3}$")
MIN_ITEMS = 80
MIN_UNANSWERABLE = 10
MIN_ANSWERABLE_PER_PLAN = 12
# Share bounds per language (target: ~45% vi, ~25% vi-nodiac, ~30% en).
LANG_SHARE_BOUNDS = {"vi": (0.35, 0.55), "vi-nodiac": (0.18, 0.35), "en": (0.22, 0.40)}
COVERAGE_START = "<!-- coverage:start -->"
COVERAGE_END = "<!-- coverage:end -->"


def fold_ws(text: str) -> str:
    """NFC, then every run of whitespace (newlines included) becomes one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fold_fact(text: str) -> str:
    """The harness comparison (NFC, case and whitespace folding), with markdown
    emphasis stars dropped because two plans bold their dates (``**04**``)."""
    return fold_ws(text.replace("*", "")).casefold()


@dataclass(frozen=True)
class GoldLine:
    number: int  # 1-based line number in the JSONL file
    raw: str


def read_lines() -> list[GoldLine]:
    text = GOLD_PATH.read_text(encoding="utf-8")
    return [GoldLine(n, raw) for n, raw in enumerate(text.splitlines(), start=1)]


@lru_cache(maxsize=1)
def load_items() -> tuple[dict, ...]:
    return tuple(json.loads(line.raw) for line in read_lines())


@lru_cache(maxsize=None)
def plan_text(document: str) -> str:
    return fold_ws((PLANS_DIR / document).read_text(encoding="utf-8"))


def coverage_table(items: tuple[dict, ...]) -> str:
    """Markdown coverage tables (per plan, per category, totals), computed from the items."""
    lines = ["| plan | answerable items citing it | vi | vi-nodiac | en |", "|---|---|---|---|---|"]
    for plan in PLAN_FILES:
        citing = [i for i in items if any(s["document"] == plan for s in i["sources"])]
        langs = Counter(i["lang"] for i in citing)
        lines.append(f"| {plan} | {len(citing)} | " + " | ".join(str(langs[lang]) for lang in LANGS) + " |")
    lines += ["", "| category | items | vi | vi-nodiac | en |", "|---|---|---|---|---|"]
    for category in CATEGORIES:
        members = [i for i in items if i["category"] == category]
        langs = Counter(i["lang"] for i in members)
        lines.append(f"| {category} | {len(members)} | " + " | ".join(str(langs[lang]) for lang in LANGS) + " |")
    total = len(items)
    langs = Counter(i["lang"] for i in items)
    unanswerable = sum(1 for i in items if not i["answerable"])
    multi_source = sum(1 for i in items if len({s["document"] for s in i["sources"]}) > 1)
    lines += [
        "",
        "| total | answerable | unanswerable | multi-plan | "
        + " | ".join(f"{lang}" for lang in LANGS) + " |",
        "|---|---|---|---|---|---|---|",
        f"| {total} | {total - unanswerable} | {unanswerable} | {multi_source} | "
        + " | ".join(f"{langs[lang]} ({100 * langs[lang] / total:.0f}%)" for lang in LANGS) + " |",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------- file shape

def test_every_line_is_a_json_object():
    lines = read_lines()
    assert lines, "gold set is empty"
    for line in lines:
        assert line.raw.strip(), f"line {line.number} is blank"
        try:
            value = json.loads(line.raw)
        except json.JSONDecodeError as err:  # pragma: no cover - the assert reports it
            pytest.fail(f"line {line.number} is not JSON: {err}")
        assert isinstance(value, dict), f"line {line.number} is not a JSON object"


def test_required_fields_and_types():
    for item in load_items():
        where = item.get("id", "<no id>")
        for field, kind in REQUIRED_FIELDS.items():
            assert field in item, f"{where}: missing field {field!r}"
            assert isinstance(item[field], kind), f"{where}: {field!r} should be {kind.__name__}"
        assert ID_PATTERN.match(item["id"]), f"{where}: id should look like 'bk-001'"
        assert item["question"].strip() and item["reference"].strip(), f"{where}: empty question or reference"
        assert item["lang"] in LANGS, f"{where}: unknown lang {item['lang']!r}"
        assert item["category"] in CATEGORIES, f"{where}: unknown category {item['category']!r}"
        for fact in item["must_include"]:
            assert isinstance(fact, list) and fact, f"{where}: each fact must be a non-empty list"
            assert all(isinstance(alt, str) and alt.strip() for alt in fact), f"{where}: empty alternative"
        for source in item["sources"]:
            assert isinstance(source, dict) and set(source) == {"document", "quote"}, f"{where}: bad source {source}"
            assert source["document"] in PLAN_FILES, f"{where}: unknown document {source['document']!r}"
            assert isinstance(source["quote"], str) and source["quote"].strip(), f"{where}: empty quote"


def test_ids_are_unique():
    ids = Counter(item["id"] for item in load_items())
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids: {[i for i, n in ids.items() if n > 1]}"


def test_answerable_flag_matches_sources_and_facts():
    for item in load_items():
        if item["answerable"]:
            assert item["sources"] and item["must_include"], f"{item['id']}: answerable needs sources and facts"
            assert item["category"] != "unanswerable", f"{item['id']}: answerable item in 'unanswerable'"
        else:
            assert item["sources"] == [] and item["must_include"] == [], f"{item['id']}: unanswerable must be empty"
            assert item["category"] == "unanswerable", f"{item['id']}: should be category 'unanswerable'"


# ----------------------------------------------------------------- coverage

def test_size_and_unanswerable_count():
    items = load_items()
    assert len(items) >= MIN_ITEMS
    assert sum(1 for i in items if not i["answerable"]) >= MIN_UNANSWERABLE


@pytest.mark.parametrize("plan", PLAN_FILES)
def test_every_plan_is_well_covered(plan):
    citing = [i for i in load_items() if i["answerable"] and any(s["document"] == plan for s in i["sources"])]
    assert len(citing) >= MIN_ANSWERABLE_PER_PLAN, f"{plan}: only {len(citing)} answerable items"


def test_language_mix():
    items = load_items()
    counts = Counter(i["lang"] for i in items)
    for lang, (low, high) in LANG_SHARE_BOUNDS.items():
        share = counts[lang] / len(items)
        assert low <= share <= high, f"{lang}: share {share:.2f} outside [{low}, {high}]"


def test_language_labels_match_the_typing():
    for item in load_items():
        question = item["question"]
        if item["lang"] == "vi-nodiac":
            assert question.isascii(), f"{item['id']}: vi-nodiac question contains diacritics"
        elif item["lang"] == "vi":
            assert not question.isascii(), f"{item['id']}: vi question has no diacritics"


def test_every_category_is_used():
    used = Counter(i["category"] for i in load_items())
    assert not [c for c in CATEGORIES if used[c] == 0], f"unused categories: {[c for c in CATEGORIES if used[c] == 0]}"
    assert used["cross_plan"] >= 3


def test_cross_plan_items_cite_several_plans():
    for item in load_items():
        if item["category"] == "cross_plan" and len(item["must_include"]) > 1:
            assert len({s["document"] for s in item["sources"]}) > 1, f"{item['id']}: cites a single plan"


# ----------------------------------------------------------------- grounding

def test_every_quote_occurs_in_its_document():
    missing = [
        f"{item['id']}: {source['quote'][:60]!r} not in {source['document']}"
        for item in load_items()
        for source in item["sources"]
        if fold_ws(source["quote"]) not in plan_text(source["document"])
    ]
    assert not missing, "\n".join(missing)


def test_every_fact_is_worded_as_in_a_cited_plan():
    """Each fact has at least one alternative found in one of the item's cited plans,
    so facts stay in the plans' own (Vietnamese) wording."""
    problems = []
    for item in load_items():
        cited = [fold_fact(plan_text(s["document"])) for s in item["sources"]]
        for fact in item["must_include"]:
            if not any(fold_fact(alt) in text for alt in fact for text in cited):
                problems.append(f"{item['id']}: none of {fact} occurs in the cited plans")
    assert not problems, "\n".join(problems)


def test_quote_check_detects_an_edited_quote():
    """The folding must not be so loose that a changed word still matches."""
    item = next(i for i in load_items() if i["sources"])
    source = item["sources"][0]
    assert fold_ws(source["quote"]) in plan_text(source["document"])
    edited = source["quote"] + " xyz"
    assert fold_ws(edited) not in plan_text(source["document"])


def test_headline_examples_are_present():
    by_question = {i["question"]: i for i in load_items()}
    expected = {
        "Who leads rural vocational training in Cao Bằng?": "Sở Lao động - Thương binh và Xã hội",
        "Hà Nội tuyển sinh bao nhiêu năm 2022?": "224.500",
        "ha noi tuyen sinh bao nhieu nam 2022?": "224.500",
        "ai ký kế hoạch 49?": "Dương Văn Tiến",
        "when was plan 72 issued?": "04/3/2022",
    }
    for question, fact in expected.items():
        assert question in by_question, f"missing headline question {question!r}"
        alternatives = [alt for f in by_question[question]["must_include"] for alt in f]
        assert fact in alternatives, f"{question!r}: expected fact {fact!r}"


def test_readme_coverage_table_is_current():
    readme = README_PATH.read_text(encoding="utf-8")
    assert COVERAGE_START in readme and COVERAGE_END in readme, "README lacks coverage markers"
    block = readme.split(COVERAGE_START, 1)[1].split(COVERAGE_END, 1)[0].strip()
    assert block == coverage_table(load_items()), (
        "README coverage table is stale; regenerate with: .venv/bin/python tests/evals/test_gold_set.py"
    )


if __name__ == "__main__":
    print(coverage_table(load_items()))
