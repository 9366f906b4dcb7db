"""Test sets written outside planchat (RAGAS-style, Vietnamese-headed CSV) score exactly like the native schema.

The RAGAS file below is written from the field list of RAGAS' ``SingleTurnSample``
(https://docs.ragas.io/en/stable/concepts/components/eval_sample/: user_input,
retrieved_contexts, reference_contexts, response, multi_responses, reference, rubric),
using only those fields; the Vietnamese CSV is written by hand as a spreadsheet
user would, with headers câu hỏi, đáp án, văn bản nguồn, trích dẫn, ý chính, trả lời được.
"""
from __future__ import annotations

import argparse
import csv
import json

import pytest

from evals.cli import add_eval_arguments, run_eval_command
from evals.dataset import Source, load_dataset
from evals.errors import DatasetError, EvalError
from evals.formats import detect_format, format_names, load_test_set, register
from evals.formats.base import Importer, Imported
from evals.formats.corpus import Corpus, CorpusDocument
from evals.formats.rows import list_cell
from evals.formats.vietnamese import column_map, header_key

LEAD_QUOTE = "Sở Lao động - Thương binh và Xã hội chủ trì tổ chức đào tạo nghề"
BUDGET_QUOTE = "Kinh phí thực hiện là 500 triệu đồng"
DEADLINE_QUOTE = "Hoàn thành trước ngày 31/12/2025."

#: The same three questions in planchat's schema (what the other formats must reproduce).
NATIVE = [
    {"id": "q001", "question": "Cơ quan nào chủ trì đào tạo nghề cho lao động nông thôn?",
     "reference": "Sở Lao động - Thương binh và Xã hội", "sources": [{"document": "alpha-plan.txt", "quote": LEAD_QUOTE}]},
    {"id": "q002", "question": "Kinh phí đào tạo nghề tỉnh Alpha là bao nhiêu?",
     "reference": "500 triệu đồng từ ngân sách tỉnh", "sources": [{"document": "alpha-plan.txt", "quote": BUDGET_QUOTE}]},
    {"id": "q003", "question": "Chuyển đổi số tỉnh Beta hoàn thành trước ngày nào?",
     "reference": "Trước ngày 31/12/2025", "sources": [{"document": "beta-plan.txt", "quote": DEADLINE_QUOTE}]},
]

#: RAGAS SingleTurnSample fields only (no ids, no planchat fields).
RAGAS = [
    {"user_input": NATIVE[0]["question"], "reference": NATIVE[0]["reference"], "reference_contexts": [LEAD_QUOTE]},
    {"user_input": NATIVE[1]["question"], "reference": NATIVE[1]["reference"], "reference_contexts": [BUDGET_QUOTE]},
    {"user_input": NATIVE[2]["question"], "reference": NATIVE[2]["reference"], "reference_contexts": [DEADLINE_QUOTE]},
]

#: Typed by hand: plan numbers and file names as people write them, facts with alternatives, one unanswerable row.
VI_CSV = (
    "Mã,Câu hỏi,Đáp án,Văn bản nguồn,Trích dẫn,Ý chính,Trả lời được,Ghi chú\n"
    "v1,Cơ quan nào chủ trì đào tạo nghề cho lao động nông thôn?,Sở Lao động - Thương binh và Xã hội,alpha-plan.txt,"
    "Sở Lao động - Thương binh và Xã hội chủ trì tổ chức đào tạo nghề,Sở Lao động - Thương binh và Xã hội | Sở LĐTBXH,có,\n"
    "v2,Chuyển đổi số tỉnh Beta hoàn thành trước ngày nào?,Trước ngày 31/12/2025,beta-plan,,31/12/2025,có,hạn chót\n"
    "v3,Kinh phí đào tạo nghề tỉnh Alpha là bao nhiêu?,500 triệu đồng,,Kinh phí thực hiện là 500 triệu đồng,500 triệu; ngân sách tỉnh,,\n"
    "v4,Xyzzy quux frobnicate?,,,,,không,\n"
)
VI_NATIVE = [
    {"id": "v1", "question": "Cơ quan nào chủ trì đào tạo nghề cho lao động nông thôn?", "reference": "Sở Lao động - Thương binh và Xã hội",
     "must_include": [["Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH"]],
     "sources": [{"document": "alpha-plan.txt", "quote": LEAD_QUOTE}], "answerable": True},
    {"id": "v2", "question": "Chuyển đổi số tỉnh Beta hoàn thành trước ngày nào?", "reference": "Trước ngày 31/12/2025",
     "must_include": [["31/12/2025"]], "sources": [{"document": "beta-plan.txt", "quote": ""}], "answerable": True},
    {"id": "v3", "question": "Kinh phí đào tạo nghề tỉnh Alpha là bao nhiêu?", "reference": "500 triệu đồng",
     "must_include": [["500 triệu"], ["ngân sách tỉnh"]], "sources": [{"document": "alpha-plan.txt", "quote": BUDGET_QUOTE}], "answerable": True},
    {"id": "v4", "question": "Xyzzy quux frobnicate?", "answerable": False},
]


def parse(*argv):
    parser = argparse.ArgumentParser(prog="planchat eval")
    add_eval_arguments(parser)
    return parser.parse_args([str(a) for a in argv])


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def summary_of(path, services, tmp_path, *extra):
    out = tmp_path / f"run-{path.stem}-{len(list(tmp_path.iterdir()))}"
    assert run_eval_command(parse(path, "--out", out, "--no-progress", *extra), services) == 0
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_ragas_jsonl_gives_the_same_metrics_as_the_native_schema(services, tmp_path, capsys):
    native = summary_of(write_jsonl(tmp_path / "native.jsonl", NATIVE), services, tmp_path)
    ragas = summary_of(write_jsonl(tmp_path / "ragas.jsonl", RAGAS), services, tmp_path)
    assert ragas["metrics"] == native["metrics"]
    assert ragas["counts"] == native["counts"]
    assert native["metrics"]["mrr"]["n"] == 3 and native["metrics"]["doc_hit_at_k"]["value"] == 1.0
    print("RAGAS JSONL vs native:", {m: v["value"] for m, v in ragas["metrics"].items()})


def test_ragas_csv_as_ragas_writes_it_gives_the_same_metrics(services, tmp_path):
    path = tmp_path / "ragas.csv"
    with path.open("w", encoding="utf-8", newline="") as f:  # what EvaluationDataset.to_csv does: DictWriter, lists as repr
        writer = csv.DictWriter(f, fieldnames=["user_input", "reference_contexts", "reference"])
        writer.writeheader()
        for row in RAGAS:
            writer.writerow(row)
    assert "['Sở Lao động" in path.read_text(encoding="utf-8")
    assert detect_format(path).name == "ragas"
    native = summary_of(write_jsonl(tmp_path / "native.jsonl", NATIVE), services, tmp_path)
    assert summary_of(path, services, tmp_path)["metrics"] == native["metrics"]


def test_vietnamese_csv_gives_the_same_metrics_as_the_native_schema(services, tmp_path, capsys):
    (tmp_path / "cac-cau-hoi.csv").write_text(VI_CSV, encoding="utf-8-sig")
    corpus = _corpus(services)
    imported = load_test_set(tmp_path / "cac-cau-hoi.csv", corpus=lambda: corpus)
    assert imported.format == "vi-csv"
    assert imported.items[0].extra == {}
    assert imported.items[1].extra == {"Ghi chú": "hạn chót"}
    native = summary_of(write_jsonl(tmp_path / "native.jsonl", VI_NATIVE), services, tmp_path)
    vi = summary_of(tmp_path / "cac-cau-hoi.csv", services, tmp_path)
    assert vi["metrics"] == native["metrics"] and vi["counts"] == native["counts"]
    assert native["counts"]["unanswerable"] == 1 and native["metrics"]["fact_recall"]["n"] == 3
    print("Vietnamese CSV vs native:", {m: v["value"] for m, v in vi["metrics"].items()})


def test_headers_without_diacritics_and_in_capitals_are_the_same_columns(services, tmp_path):
    folded = VI_CSV.replace("Mã,Câu hỏi,Đáp án,Văn bản nguồn,Trích dẫn,Ý chính,Trả lời được", "MA,cau hoi,DAP AN,van ban nguon,trich dan,y chinh,tra loi duoc")
    (tmp_path / "a.csv").write_text(VI_CSV, encoding="utf-8")
    (tmp_path / "b.csv").write_text(folded, encoding="utf-8")
    corpus = _corpus(services)
    a = load_test_set(tmp_path / "a.csv", corpus=lambda: corpus).items
    b = load_test_set(tmp_path / "b.csv", corpus=lambda: corpus).items
    assert a == b
    assert header_key("Câu hỏi (*)") == "cau hoi" and column_map(["Đáp án"]) == {"reference": "Đáp án"}


def test_given_scores_the_answers_a_ragas_file_carries_like_the_run_that_made_them(services, tmp_path):
    """A RAGAS file holding a native run's answers (response, retrieved_contexts) rescored with --given."""
    native_path = write_jsonl(tmp_path / "native.jsonl", NATIVE)
    out = tmp_path / "native-run"
    assert run_eval_command(parse(native_path, "--out", out, "--no-progress", "--k", "3"), services) == 0
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    ragas_rows = [
        {**RAGAS[i], "retrieved_contexts": [p["text"] for p in row["retrieved"]], "response": row["answer"]}
        for i, row in enumerate(rows)
    ]
    given = summary_of(write_jsonl(tmp_path / "ragas-answers.jsonl", ragas_rows), services, tmp_path, "--given", "--k", "3")
    native = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert given["metrics"] == native["metrics"]


def test_format_can_be_named_and_unknown_ones_are_one_line_errors(services, tmp_path):
    path = write_jsonl(tmp_path / "ragas.jsonl", RAGAS)
    assert {"native", "ragas", "vi-csv"} <= set(format_names())
    with pytest.raises(DatasetError, match="line 1, field 'id': missing"):
        summary_of(path, services, tmp_path, "--format", "native")
    with pytest.raises(DatasetError, match="unknown test-set format"):
        summary_of(path, services, tmp_path, "--format", "nosuch")
    odd = write_jsonl(tmp_path / "odd.jsonl", [{"frage": "?"}])
    with pytest.raises(DatasetError, match="cannot tell the test-set format .* --format"):
        summary_of(odd, services, tmp_path)
    with pytest.raises(EvalError, match="--given reads RAGAS"):
        summary_of(write_jsonl(tmp_path / "n.jsonl", NATIVE), services, tmp_path, "--given")


def test_passages_that_are_in_no_plan_are_reported_with_their_line(services, tmp_path):
    rows = [RAGAS[0], {"user_input": "?", "reference_contexts": ["a passage nobody wrote"]}]
    with pytest.raises(DatasetError, match=r"ragas.jsonl line 2, field 'reference_contexts\[0\]': passage not found"):
        summary_of(write_jsonl(tmp_path / "ragas.jsonl", rows), services, tmp_path)
    bad = VI_CSV.replace(",beta-plan,", ",Kế hoạch 99/KH-UBND,")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(DatasetError, match="line 3, field 'Văn bản nguồn': 'Kế hoạch 99/KH-UBND' matches no ingested plan"):
        summary_of(tmp_path / "bad.csv", services, tmp_path)


def test_native_sets_load_without_opening_the_index(dataset_file):
    def factory():
        raise AssertionError("the corpus must not be needed")

    imported = load_test_set(dataset_file, corpus=factory)
    assert imported.format == "native" and [i.id for i in imported.items] == [i.id for i in load_dataset(dataset_file)]


def test_a_new_importer_plugs_into_the_registry(tmp_path, monkeypatch):
    """What another format (e.g. ALQAC) does to join: an Importer with sniff and load."""
    import evals.formats
    from evals.dataset import EvalItem

    monkeypatch.setattr(evals.formats, "_registered", {})

    def load(path, context):
        doc = json.loads(path.read_text(encoding="utf-8"))
        return Imported(items=tuple(EvalItem(id=str(q["qid"]), question=q["text"]) for q in doc["questions"]), format="toy")

    register(Importer("toy", "toy format", lambda s: 0.99 if s.kind == "json" and "questions" in s.fields else 0.0, load))
    path = tmp_path / "toy.json"
    path.write_text(json.dumps({"questions": [{"qid": 7, "text": "Ai chủ trì?"}]}), encoding="utf-8")
    assert detect_format(path).name == "toy"
    assert load_test_set(path).items[0].id == "7"


def test_list_cells_accept_json_python_literals_and_plain_text(tmp_path):
    assert list_cell('["a", "b"]', tmp_path, 1, "f") == ["a", "b"]
    assert list_cell("['a', \"b'c\"]", tmp_path, 1, "f") == ["a", "b'c"]
    assert list_cell("[not a list", tmp_path, 1, "f") == ["[not a list"]
    assert list_cell("", tmp_path, 1, "f") == []
    with pytest.raises(DatasetError, match=r"f\[0\]"):
        list_cell([1], tmp_path, 1, "f")


def test_corpus_finds_plans_by_file_name_stem_and_number():
    corpus = Corpus([CorpusDocument("ha-noi-72-KH-UBND-2022.txt", "Tuyển sinh 224.500 lượt người", "72/KH-UBND"),
                     CorpusDocument("cao-bang-3058-KH-UBND-2024.txt", "Ngày 12/11 …", "3058/KH-UBND")])
    assert corpus.find("ha-noi-72-KH-UBND-2022.txt") == ["ha-noi-72-KH-UBND-2022.txt"]
    assert corpus.find("HA-NOI-72-KH-UBND-2022") == ["ha-noi-72-KH-UBND-2022.txt"]
    assert corpus.find("Kế hoạch số 3058/KH-UBND") == ["cao-bang-3058-KH-UBND-2024.txt"]
    assert corpus.find("Kế hoạch 1/KH-UBND") == []
    assert corpus.locate("tuyển  sinh 224.500") == ["ha-noi-72-KH-UBND-2022.txt"]


def _corpus(services):
    return Corpus.from_index(services.index)

