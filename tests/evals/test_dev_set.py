"""Checks of the development (tuning) question-answer set ``evals/datasets/dev.jsonl``.

The dev set is where prompts, retrieval and rules may be tuned, so it is guarded
as data, like the gold and held-out sets: shape, size and mix (weighted towards
English questions and who-leads/who-coordinates questions), no overlap with
``sample_plans.jsonl``, and grounding (every quote is in its plan after NFC and
whitespace folding; every fact is worded as in a cited plan). Fast and model-free.

Run as a script (``.venv/bin/python tests/evals/test_dev_set.py``) to print the
coverage table that ``evals/datasets/README.md`` must contain verbatim between
the ``dev-coverage`` markers.
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
DATASETS = REPO_ROOT / "evals" / "datasets"
DEV_PATH = DATASETS / "dev.jsonl"
TUNING_PATH = DATASETS / "sample_plans.jsonl"
README_PATH = DATASETS / "README.md"
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
ID_PATTERN = re.compile(r"^dev-\d{3}$")
EXPECTED_ITEMS = 60
EXPECTED_UNANSWERABLE = 10
MIN_ANSWERABLE_PER_PLAN = 8
MIN_CROSS_PLAN = 3
MAX_QUOTE_WORDS = 30  # table-cell separators ("|") not counted
# Target mix: 40% en, 35% vi, 25% vi-nodiac; about 30% responsibility questions.
LANG_SHARE_BOUNDS = {"en": (0.35, 0.45), "vi": (0.30, 0.40), "vi-nodiac": (0.20, 0.30)}
RESPONSIBILITY_SHARE_BOUNDS = (0.25, 0.35)
# Alternatives allowed although no bundled plan spells them this way: the usual
# official abbreviations of agencies the plans name in full.
COMMON_ABBREVIATIONS = frozenset({"Sở LĐ-TB&XH", "Sở LĐTBXH", "Sở GD&ĐT", "Phòng GDNN"})
COVERAGE_START = "<!-- dev-coverage:start -->"
COVERAGE_END = "<!-- dev-coverage:end -->"


def fold_ws(text: str) -> str:
    """NFC, then every run of whitespace (newlines included) becomes one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fold_fact(text: str) -> str:
    """The harness comparison for facts (NFC, case and whitespace folding), with
    markdown stars dropped because two plans bold their dates (``**04**``)."""
    return fold_ws(text.replace("*", "")).casefold()


def question_key(text: str) -> str:
    """Questions compared for overlap: folded, case-insensitive, trailing punctuation ignored."""
    return fold_ws(text).casefold().rstrip(" ?.!")


@dataclass(frozen=True)
class SetLine:
    number: int  # 1-based line number in the JSONL file
    raw: str


def read_lines(path: Path = DEV_PATH) -> list[SetLine]:
    text = path.read_text(encoding="utf-8")
    return [SetLine(n, raw) for n, raw in enumerate(text.splitlines(), start=1)]


@lru_cache(maxsize=None)
def load_items(path: Path = DEV_PATH) -> tuple[dict, ...]:
    return tuple(json.loads(line.raw) for line in read_lines(path))


@lru_cache(maxsize=None)
def plan_text(document: str) -> str:
    return fold_ws((PLANS_DIR / document).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def plan_fact_text(document: str) -> str:
    return fold_fact(plan_text(document))


def cited_plans(item: dict) -> list[str]:
    return sorted({s["document"] for s in item["sources"]})


def coverage_table(items: tuple[dict, ...]) -> str:
    """Markdown coverage tables (per plan, per category, totals), computed from the items."""
    lines = ["| plan | answerable items citing it | vi | vi-nodiac | en |", "|---|---|---|---|---|"]
    for plan in PLAN_FILES:
        citing = [i for i in items if plan in cited_plans(i)]
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
    multi_plan = sum(1 for i in items if len(cited_plans(i)) > 1)
    lines += [
        "",
        "| total | answerable | unanswerable | multi-plan | " + " | ".join(LANGS) + " |",
        "|---|---|---|---|---|---|---|",
        f"| {total} | {total - unanswerable} | {unanswerable} | {multi_plan} | "
        + " | ".join(f"{langs[lang]} ({100 * langs[lang] / total:.0f}%)" for lang in LANGS) + " |",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------- file shape

def test_every_line_is_a_json_object():
    lines = read_lines()
    assert lines, "dev set is empty"
    for line in lines:
        assert line.raw.strip(), f"line {line.number} is blank"
        try:
            value = json.loads(line.raw)
        except json.JSONDecodeError as err:  # pragma: no cover - the assert reports it
            pytest.fail(f"line {line.number} is not JSON: {err}")
        assert isinstance(value, dict), f"line {line.number} is not a JSON object"


def test_file_is_nfc():
    text = DEV_PATH.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text), "dev set is not NFC"


def test_required_fields_and_types():
    for item in load_items():
        where = item.get("id", "<no id>")
        assert set(item) == set(REQUIRED_FIELDS), f"{where}: fields {sorted(item)} != {sorted(REQUIRED_FIELDS)}"
        for field, kind in REQUIRED_FIELDS.items():
            assert isinstance(item[field], kind), f"{where}: {field!r} should be {kind.__name__}"
        assert ID_PATTERN.match(item["id"]), f"{where}: id should look like 'dev-001'"
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


def test_the_eval_loader_accepts_the_set():
    from evals.dataset import load_dataset

    loaded = load_dataset(DEV_PATH)
    assert [i.id for i in loaded] == [i["id"] for i in load_items()]
    assert sum(1 for i in loaded if not i.answerable) == EXPECTED_UNANSWERABLE


def test_ids_are_unique():
    ids = Counter(item["id"] for item in load_items())
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids: {[i for i, n in ids.items() if n > 1]}"


def test_questions_are_unique():
    keys = Counter(question_key(item["question"]) for item in load_items())
    assert not [q for q, n in keys.items() if n > 1], f"duplicate questions: {[q for q, n in keys.items() if n > 1]}"


def test_no_overlap_with_the_gold_set():
    gold = load_items(TUNING_PATH)
    gold_ids = {i["id"] for i in gold}
    gold_questions = {question_key(i["question"]) for i in gold}
    for item in load_items():
        assert item["id"] not in gold_ids, f"{item['id']}: id also in sample_plans.jsonl"
        assert question_key(item["question"]) not in gold_questions, f"{item['id']}: question also in sample_plans.jsonl"


def test_answerable_flag_matches_sources_and_facts():
    for item in load_items():
        if item["answerable"]:
            assert item["sources"] and item["must_include"], f"{item['id']}: answerable needs sources and facts"
            assert item["category"] != "unanswerable", f"{item['id']}: answerable item in 'unanswerable'"
        else:
            assert item["sources"] == [] and item["must_include"] == [], f"{item['id']}: unanswerable must be empty"
            assert item["category"] == "unanswerable", f"{item['id']}: should be category 'unanswerable'"


# ----------------------------------------------------------------- size and mix

def test_size_and_unanswerable_count():
    items = load_items()
    assert len(items) == EXPECTED_ITEMS
    assert sum(1 for i in items if not i["answerable"]) == EXPECTED_UNANSWERABLE


@pytest.mark.parametrize("plan", PLAN_FILES)
def test_every_plan_is_covered(plan):
    citing = [i for i in load_items() if i["answerable"] and plan in cited_plans(i)]
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


def test_responsibility_share():
    items = load_items()
    share = sum(1 for i in items if i["category"] == "responsibility") / len(items)
    low, high = RESPONSIBILITY_SHARE_BOUNDS
    assert low <= share <= high, f"responsibility share {share:.2f} outside [{low}, {high}]"


def test_every_category_is_used():
    used = Counter(i["category"] for i in load_items())
    assert not [c for c in CATEGORIES if used[c] == 0], f"unused categories: {[c for c in CATEGORIES if used[c] == 0]}"
    assert used["cross_plan"] >= MIN_CROSS_PLAN


def test_cross_plan_items_cite_several_plans():
    for item in load_items():
        if item["category"] == "cross_plan":
            assert len(cited_plans(item)) > 1, f"{item['id']}: cross-plan item cites a single plan"


def test_budget_and_appendix_items_cite_their_plan():
    """`budget` means Bắc Kạn's budget table and `appendix` Yên Bái's Phụ lục 01-04."""
    expected = {"budget": "bac-kan-37-KH-UBND-2022.txt", "appendix": "yen-bai-49-KH-UBND-2020.txt"}
    for item in load_items():
        if item["category"] in expected:
            assert cited_plans(item) == [expected[item["category"]]], f"{item['id']}: cites {cited_plans(item)}"


# ----------------------------------------------------------------- grounding

def test_every_quote_occurs_in_its_document():
    missing = [
        f"{item['id']}: {source['quote'][:60]!r} not in {source['document']}"
        for item in load_items()
        for source in item["sources"]
        if fold_ws(source["quote"]) not in plan_text(source["document"])
    ]
    assert not missing, "\n".join(missing)


def test_quotes_are_short():
    long_quotes = [
        f"{item['id']}: {len(words)} words"
        for item in load_items()
        for source in item["sources"]
        if len(words := [w for w in source["quote"].split() if w != "|"]) > MAX_QUOTE_WORDS
    ]
    assert not long_quotes, "\n".join(long_quotes)


def test_every_fact_has_an_alternative_in_a_cited_plan():
    problems = []
    for item in load_items():
        cited = [plan_fact_text(doc) for doc in cited_plans(item)]
        for fact in item["must_include"]:
            if not any(fold_fact(alt) in text for alt in fact for text in cited):
                problems.append(f"{item['id']}: none of {fact} occurs in the cited plans")
    assert not problems, "\n".join(problems)


def test_every_alternative_is_a_plan_spelling_or_a_common_abbreviation():
    """Alternatives beyond the one found in the cited plan must still be real
    spellings: used by one of the bundled plans, or a listed official abbreviation."""
    problems = []
    for item in load_items():
        for fact in item["must_include"]:
            for alt in fact:
                if alt in COMMON_ABBREVIATIONS:
                    continue
                if not any(fold_fact(alt) in plan_fact_text(doc) for doc in PLAN_FILES):
                    problems.append(f"{item['id']}: {alt!r} is in no plan and not a listed abbreviation")
    assert not problems, "\n".join(problems)


def test_cross_plan_facts_reach_every_cited_plan():
    """In a cross-plan item the facts together must be found in every cited plan
    (no plan is cited without a fact that points at it)."""
    for item in load_items():
        if item["category"] != "cross_plan":
            continue
        reached = {
            doc
            for fact in item["must_include"]
            for doc in cited_plans(item)
            if any(fold_fact(alt) in plan_fact_text(doc) for alt in fact)
        }
        assert reached == set(cited_plans(item)), f"{item['id']}: no fact for {set(cited_plans(item)) - reached}"


def test_quote_check_detects_an_edited_quote():
    """The folding must not be so loose that a changed word still matches."""
    item = next(i for i in load_items() if i["sources"])
    source = item["sources"][0]
    assert fold_ws(source["quote"]) in plan_text(source["document"])
    assert fold_ws(source["quote"] + " xyz") not in plan_text(source["document"])


def test_readme_coverage_table_is_current():
    readme = README_PATH.read_text(encoding="utf-8")
    assert COVERAGE_START in readme and COVERAGE_END in readme, "README lacks dev coverage markers"
    block = readme.split(COVERAGE_START, 1)[1].split(COVERAGE_END, 1)[0].strip()
    assert block == coverage_table(load_items()), (
        "README dev coverage table is stale; regenerate with: .venv/bin/python tests/evals/test_dev_set.py"
    )


if __name__ == "__main__":
    print(coverage_table(load_items()))
