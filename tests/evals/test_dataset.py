import json

import pytest

from evals.dataset import EvalItem, Source, load_dataset
from evals.errors import DatasetError


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def jsonl(tmp_path, *rows, name="set.jsonl"):
    return write(tmp_path, name, "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")


GOOD = {
    "id": "q1",
    "question": "Ai chủ trì?",
    "reference": "Sở Tài chính",
    "must_include": [["Sở Tài chính", "STC"]],
    "sources": [{"document": "a.txt", "quote": "Sở Tài chính chủ trì"}],
    "answerable": True,
    "lang": "vi",
    "category": "responsibility",
}


def test_jsonl_loads_items_keeps_unknown_fields_and_applies_defaults(tmp_path):
    path = jsonl(tmp_path, GOOD, "", {"id": "q2", "question": "Không có?", "answerable": False})
    first, second = load_dataset(path)
    assert first == EvalItem(
        id="q1",
        question="Ai chủ trì?",
        reference="Sở Tài chính",
        must_include=(("Sở Tài chính", "STC"),),
        sources=(Source("a.txt", "Sở Tài chính chủ trì"),),
        answerable=True,
    )
    assert first.extra == {"lang": "vi", "category": "responsibility"}
    assert first.category == "responsibility"
    assert second.answerable is False and second.sources == () and second.must_include == () and second.reference == ""


def test_bare_string_fact_is_one_alternative_and_source_quote_defaults_empty(tmp_path):
    row = {"id": "q", "question": "?", "must_include": ["2025"], "sources": [{"document": "a.txt"}]}
    (item,) = load_dataset(jsonl(tmp_path, row))
    assert item.must_include == (("2025",),)
    assert item.sources == (Source("a.txt", ""),)


@pytest.mark.parametrize(
    "row, line, field",
    [
        ({"question": "?"}, 2, "id"),
        ({"id": "x", "question": ""}, 2, "question"),
        ({"id": "x", "question": "?", "must_include": "Sở"}, 2, "must_include"),
        ({"id": "x", "question": "?", "must_include": [[]]}, 2, "must_include[0]"),
        ({"id": "x", "question": "?", "must_include": [["ok", 3]]}, 2, "must_include[0][1]"),
        ({"id": "x", "question": "?", "sources": [{"quote": "q"}]}, 2, "sources[0].document"),
        ({"id": "x", "question": "?", "sources": [{"document": "a.txt", "quote": 5}]}, 2, "sources[0].quote"),
        ({"id": "x", "question": "?", "sources": ["a.txt"]}, 2, "sources[0]"),
        ({"id": "x", "question": "?", "answerable": "no"}, 2, "answerable"),
        ({"id": 7, "question": "?"}, 2, "id"),
        ({"id": "q1", "question": "duplicate"}, 2, "id"),
    ],
)
def test_jsonl_validation_errors_name_line_and_field(tmp_path, row, line, field):
    path = jsonl(tmp_path, GOOD, row)
    with pytest.raises(DatasetError) as err:
        load_dataset(path)
    assert err.value.line == line
    assert err.value.field == field
    assert f"line {line}" in str(err.value) and f"'{field}'" in str(err.value)
    assert "\n" not in str(err.value)


def test_jsonl_invalid_json_and_non_object(tmp_path):
    with pytest.raises(DatasetError, match=r"set.jsonl line 2: invalid JSON"):
        load_dataset(jsonl(tmp_path, GOOD, '{"id": "x",'))
    with pytest.raises(DatasetError, match=r"line 1: expected a JSON object"):
        load_dataset(jsonl(tmp_path, "[1, 2]"))


def test_empty_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DatasetError, match="no items"):
        load_dataset(write(tmp_path, "empty.jsonl", "\n\n"))
    with pytest.raises(DatasetError, match="file not found"):
        load_dataset(tmp_path / "missing.jsonl")
    with pytest.raises(DatasetError, match="unsupported"):
        load_dataset(write(tmp_path, "set.yaml", "id: 1"))


CSV_HEADER = "id,question,reference,must_include,sources,answerable,category\n"


def test_csv_same_columns_with_json_cells(tmp_path):
    text = CSV_HEADER + (
        'q1,"Ai chủ trì, phối hợp?",Sở Tài chính,"[[""Sở Tài chính""]]","[{""document"": ""a.txt"", ""quote"": ""Sở Tài chính""}]",true,who\n'
        "q2,Không có?,,,,no,none\n"
        "q3,Mặc định?,,,,,\n"
    )
    q1, q2, q3 = load_dataset(write(tmp_path, "set.csv", text))
    assert q1.question == "Ai chủ trì, phối hợp?"
    assert q1.must_include == (("Sở Tài chính",),)
    assert q1.sources == (Source("a.txt", "Sở Tài chính"),)
    assert q1.extra == {"category": "who"}
    assert q2.answerable is False and q2.must_include == ()
    assert q3.answerable is True


@pytest.mark.parametrize(
    "row, field",
    [
        ('q1,?,,"[[""a""]",,,\n', "must_include"),
        ("q1,?,,,,maybe,\n", "answerable"),
        (',?,,,,,\n', "id"),
        ('q1,?,,,"[{""quote"": ""x""}]",,\n', "sources[0].document"),
    ],
)
def test_csv_validation_errors_name_line_and_field(tmp_path, row, field):
    path = write(tmp_path, "set.csv", CSV_HEADER + "q0,ok,,,,,\n" + row)
    with pytest.raises(DatasetError) as err:
        load_dataset(path)
    assert (err.value.line, err.value.field) == (3, field)


def test_csv_line_numbers_count_multiline_cells(tmp_path):
    text = CSV_HEADER + 'q0,"two\nlines",,,,,\n' + "q1,?,,,,maybe,\n"
    with pytest.raises(DatasetError) as err:
        load_dataset(write(tmp_path, "set.csv", text))
    assert err.value.line == 4


def test_csv_missing_required_column(tmp_path):
    with pytest.raises(DatasetError) as err:
        load_dataset(write(tmp_path, "set.csv", "id,reference\nq1,x\n"))
    assert (err.value.line, err.value.field) == (1, "question")
