"""evals.responsibilities: matching, precision/recall on a hand-made pair, gold file checks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.errors import DatasetError
from evals.responsibilities import (
    DEFAULT_GOLD,
    GoldRecord,
    evaluate_records,
    format_report,
    load_gold,
    run_responsibility_eval,
    values_match,
)
from ingest.types import ResponsibilityRecord

NV, TC, LD, GD = "Sở Nội vụ", "Sở Tài chính", "Sở Lao động - Thương binh và Xã hội", "Sở Giáo dục và Đào tạo"
DV = "Các đơn vị liên quan"


def rec(document, task, lead=(), coordinators=(), deadline="", budget="", source="prose"):
    return ResponsibilityRecord(task=task, lead=tuple(lead), coordinators=tuple(coordinators), document=document,
                                province="", section="", quote=task, deadline=deadline, budget=budget, source=source)


GOLD = [
    GoldRecord("g1", "a.txt", "xây dựng kế hoạch", (NV,), (TC, DV), "trước ngày 30/11/2023", "", "agency_section"),
    GoldRecord("g2", "a.txt", "tổ chức hội thi", (LD,), (), "", "Năm 2024: 100 triệu đồng", "table"),
    GoldRecord("g3", "b.txt", "khảo sát nhu cầu", (GD,), ("Sở Y tế",), "", "", "prose"),
]
PRED = [
    rec("a.txt", "Chủ trì xây dựng kế hoạch năm", [NV, TC], [DV], deadline="Trước ngày 30/11/2023."),
    rec("a.txt", "Tổ chức hội thi tay nghề", [LD], ["Các doanh nghiệp"], budget="Năm 2024: 120 triệu đồng"),
    rec("a.txt", "Một việc khác", ["Sở Y tế"]),
    rec("c.txt", "khảo sát nhu cầu", [GD]),  # right task, wrong document
]


def test_precision_and_recall_on_a_hand_made_pair():
    r = evaluate_records(PRED, GOLD)
    # lead pairs: g1 {NV,TC} vs {NV} → tp1 fp1; g2 tp1; g3 missed → fn1
    assert (r["lead"]["tp"], r["lead"]["fp"], r["lead"]["fn"]) == (2, 1, 1)
    assert r["lead"]["precision"] == pytest.approx(2 / 3) and r["lead"]["recall"] == pytest.approx(2 / 3)
    # coordinators: g1 {DV} vs {TC,DV} → tp1 fn1; g2 extra → fp1; g3 missed → fn1
    assert (r["coordinators"]["tp"], r["coordinators"]["fp"], r["coordinators"]["fn"]) == (1, 1, 2)
    assert r["coordinators"]["precision"] == pytest.approx(1 / 2)
    assert r["coordinators"]["recall"] == pytest.approx(1 / 3)
    # deadline/budget: g1 deadline matches (case and final dot ignored); g2 budget 120 ≠ 100
    assert (r["deadline_budget"]["tp"], r["deadline_budget"]["fp"], r["deadline_budget"]["fn"]) == (1, 1, 1)
    assert r["deadline_budget"]["precision"] == pytest.approx(0.5) and r["deadline_budget"]["recall"] == pytest.approx(0.5)
    assert r["task_recall"] == pytest.approx(2 / 3)
    assert r["exact_roles"] == 0.0
    assert r["unmatched_predictions"] == 1  # "Một việc khác"; c.txt is not a gold document
    assert r["by_source"]["table"]["lead"]["precision"] == 1.0
    details = {d["id"]: d for d in r["details"]}
    assert details["g3"]["problems"] == ["task not found"]
    assert any("budget" in p for p in details["g2"]["problems"])


def test_perfect_predictions_score_one():
    perfect = [
        rec("a.txt", "xây dựng kế hoạch", [NV], [TC, DV], deadline="trước ngày 30/11/2023"),
        rec("a.txt", "tổ chức hội thi", [LD], budget="Năm 2024: 100 triệu đồng"),
        rec("b.txt", "Khảo sát nhu cầu học nghề", [GD], ["Sở Y tế"]),
    ]
    r = evaluate_records(perfect, GOLD)
    for name in ("lead", "coordinators", "deadline_budget"):
        assert r[name]["precision"] == 1.0 and r[name]["recall"] == 1.0
    assert r["exact_roles"] == 1.0


def test_matching_folds_diacritics_and_picks_the_best_candidate():
    gold = [GoldRecord("g", "a.txt", "Xây dựng kế hoạch", (NV,), ())]
    preds = [rec("a.txt", "xay dung ke hoach nam 2025", [TC]), rec("a.txt", "XÂY DỰNG KẾ HOẠCH", [NV])]
    r = evaluate_records(preds, gold)
    assert r["lead"]["precision"] == 1.0 and r["details"][0]["candidates"] == 2
    # agencies are compared by folded canonical name, not through aliases
    assert evaluate_records([rec("a.txt", "xây dựng kế hoạch", ["so noi vu"])], gold)["lead"]["tp"] == 1
    assert evaluate_records([rec("a.txt", "xây dựng kế hoạch", ["Sở NV"])], gold)["lead"]["tp"] == 0


def test_values_match():
    assert values_match("trước ngày 05/3/2020", "Xong trước ngày 05/3/2020")
    assert not values_match("trước ngày 05/3/2020", "trước ngày 15/3/2020")
    assert values_match("Năm 2022: 150 triệu đồng; Tổng: 150", "Năm 2022: 150 triệu đồng; Tổng: 150 triệu đồng")
    assert values_match("Kinh phí: KP từ nguồn các CTMTQG", "KP từ nguồn các CTMTQG")
    assert not values_match("", "trước ngày 05/12")
    assert values_match("1.200 triệu đồng", "1200")


def test_gold_loading_errors_name_line_and_field(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a", "document": "x.txt", "task_contains": "t"}\n{"id": "b", "document": "x.txt"}\n',
                   encoding="utf-8")
    with pytest.raises(DatasetError, match=r"line 2, field 'task_contains'"):
        load_gold(bad)
    bad.write_text('{"id": "a", "document": "x.txt", "task_contains": "t", "lead": 5}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="field 'lead'"):
        load_gold(bad)
    bad.write_text('{"id": "a", "document": "x.txt", "task_contains": "t", "source": "web"}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="field 'source'"):
        load_gold(bad)
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 1"):
        load_gold(bad)
    with pytest.raises(DatasetError, match="file not found"):
        load_gold(tmp_path / "missing.jsonl")


def test_run_writes_a_printable_report(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g.__dict__ | {"lead": list(g.lead), "coordinators": list(g.coordinators)},
                                         ensure_ascii=False) for g in GOLD), encoding="utf-8")
    result = run_responsibility_eval(PRED, path)
    assert result["gold"] == 3
    report = result["report"]
    assert "(task, lead)" in report and "66.7%" in report and "g3" in report
    assert format_report(result) == report


def test_bundled_gold_file_is_well_formed_and_covers_all_sources():
    gold = load_gold(DEFAULT_GOLD)
    assert len(gold) >= 60
    assert {g.source for g in gold} == {"prose", "agency_section", "table"}
    tables = {g.document for g in gold if g.source == "table"}
    assert {"bac-kan-37-KH-UBND-2022.txt", "yen-bai-49-KH-UBND-2020.txt"} <= tables
    assert any(g.budget for g in gold) and any(g.deadline for g in gold)
    samples = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
    assert {g.document for g in gold} <= {p.name for p in samples.glob("*.txt")}


def test_every_gold_task_occurs_once_in_its_plan():
    from evals.responsibilities import task_key
    from ingest.loaders import load_document

    samples = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
    texts: dict[str, str] = {}
    for g in load_gold(DEFAULT_GOLD):
        if g.document not in texts:
            texts[g.document] = task_key(load_document(samples / g.document).text)
        assert texts[g.document].count(task_key(g.task_contains)) == 1, g.id
