"""Checks of the external-corpus question sets (``evals/datasets/external_*.jsonl``), model-free.

Shape and mix run anywhere; grounding (every quote in its document and every fact in a
cited document, as ``ingest.loaders.load_document`` loads them and ``evals.text.match_key``
compares them) needs ``../shared/external`` and is skipped without it.

Run as a script to print the coverage block ``evals/datasets/README.md`` must contain.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import load_dataset
from evals.external_sets import (
    CATEGORIES,
    DEV_PATH,
    GATE_DOCUMENTS,
    GATE_MAX_ITEMS,
    GATE_PATH,
    HELDOUT_PATH,
    LANGS,
    coverage_markdown,
    document_group,
    gate_items,
    grounding_problems,
    split_items,
)

README = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "README.md"
COVERAGE_START = "<!-- external-coverage:start -->"
COVERAGE_END = "<!-- external-coverage:end -->"
OTHER_SETS = ("sample_plans.jsonl", "heldout.jsonl", "dev.jsonl")


@pytest.fixture(scope="module")
def halves():
    return load_dataset(DEV_PATH), load_dataset(HELDOUT_PATH)


@pytest.fixture(scope="module")
def union(halves):
    return halves[0] + halves[1]


def test_every_line_is_nfc_json_with_the_schema_fields():
    import unicodedata

    for path in (DEV_PATH, HELDOUT_PATH, GATE_PATH):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert raw == unicodedata.normalize("NFC", raw), f"{path.name}:{number} is not NFC"
            row = json.loads(raw)
            for field in ("id", "question", "reference", "must_include", "sources", "answerable", "lang",
                          "category", "document_group"):
                assert field in row, f"{path.name}:{number} lacks {field}"


def test_ids_are_ex_numbers_unique_across_halves_and_questions_are_distinct(union):
    ids = [it.id for it in union]
    assert all(i.startswith("ex-") and i[3:].isdigit() for i in ids)
    assert len(ids) == len(set(ids)) >= 130
    questions = [it.question.strip().casefold() for it in union]
    assert len(questions) == len(set(questions))


def test_no_question_is_shared_with_the_sample_plan_sets(union):
    ours = {it.question.strip().casefold() for it in union}
    for name in OTHER_SETS:
        theirs = {it.question.strip().casefold() for it in load_dataset(DEV_PATH.parent / name)}
        assert not ours & theirs, name


def test_language_mix_and_typing(union):
    counts = Counter(it.extra["lang"] for it in union)
    assert set(counts) <= set(LANGS)
    share = {lang: counts[lang] / len(union) for lang in LANGS}
    assert 0.44 <= share["vi"] <= 0.56 and 0.16 <= share["vi-nodiac"] <= 0.26 and 0.25 <= share["en"] <= 0.35, share
    for it in union:
        if it.extra["lang"] == "vi-nodiac":
            assert it.question.isascii(), it.id
        if it.extra["lang"] == "vi":
            assert not it.question.isascii(), it.id


def test_categories_unanswerable_share_and_cross_document_items(union):
    counts = Counter(it.category for it in union)
    assert set(counts) == set(CATEGORIES)
    assert counts["unanswerable"] / len(union) >= 0.12
    for it in union:
        if it.answerable:
            assert it.must_include and it.sources and all(s.quote for s in it.sources), it.id
        else:
            assert it.category == "unanswerable" and not it.must_include and not it.sources, it.id
        if it.category == "cross_document":
            assert len(it.gold_documents) >= 2, it.id


def test_every_document_has_questions_in_both_halves(halves):
    dev, heldout = halves
    dev_docs = Counter(document_group(it) for it in dev)
    held_docs = Counter(document_group(it) for it in heldout)
    assert set(dev_docs) == set(held_docs) and len(dev_docs) == 31
    for name in dev_docs:
        assert dev_docs[name] + held_docs[name] >= 2
        assert abs(dev_docs[name] - held_docs[name]) <= 1, name


def test_the_halves_are_the_seeded_split_of_their_union(halves, union):
    dev, heldout = split_items(union)
    assert [it.id for it in dev] == [it.id for it in halves[0]]
    assert [it.id for it in heldout] == [it.id for it in halves[1]]


def test_a_different_seed_gives_a_different_split(union):
    dev, _ = split_items(union, seed=1)
    assert {it.id for it in dev} != {it.id for it in split_items(union)[0]}


def test_gate_is_held_out_only_small_and_about_six_documents(halves):
    gate = load_dataset(GATE_PATH)
    heldout_ids = {it.id: it for it in halves[1]}
    assert 0 < len(gate) <= GATE_MAX_ITEMS
    assert all(it.id in heldout_ids and it.to_dict() == heldout_ids[it.id].to_dict() for it in gate)
    assert [it.id for it in gate] == [it.id for it in gate_items(halves[1])]
    assert len(GATE_DOCUMENTS) <= 6 and {document_group(it) for it in gate} == set(GATE_DOCUMENTS)
    assert any(not it.answerable for it in gate) and any(it.answerable for it in gate)


def test_readme_coverage_block_is_current(halves):
    text = README.read_text(encoding="utf-8")
    assert COVERAGE_START in text and COVERAGE_END in text, "README lacks the external coverage block"
    block = text.split(COVERAGE_START, 1)[1].split(COVERAGE_END, 1)[0].strip()
    assert block == coverage_markdown(*halves).strip(), "regenerate with: python tests/evals/test_external_sets.py"


def test_every_quote_and_fact_is_in_the_loaded_documents(union, external_dir):
    problems = grounding_problems(union, external_dir / "dev-docs")
    assert not problems, "\n".join(str(p) for p in problems)


def test_the_grounding_check_can_fail(union, external_dir, tmp_path):
    from dataclasses import replace

    from evals.dataset import Source

    item = next(it for it in union if it.answerable)
    broken = replace(item, sources=(Source(item.sources[0].document, "một câu không có trong văn bản"),),
                     must_include=(("không có trong văn bản nào cả",),))
    kinds = {p.kind for p in grounding_problems([broken], external_dir / "dev-docs")}
    assert kinds == {"quote", "fact"}
    missing = replace(item, sources=(Source("no-such-file.txt", "x"),))
    assert {p.kind for p in grounding_problems([missing], tmp_path)} >= {"document"}


if __name__ == "__main__":  # pragma: no cover
    print(COVERAGE_START)
    print(coverage_markdown(load_dataset(DEV_PATH), load_dataset(HELDOUT_PATH)), end="")
    print(COVERAGE_END)
