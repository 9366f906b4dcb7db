"""The ALQAC importer (evals.alqac) and ``planchat eval`` on ALQAC files, with the hash embedder."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from evals.alqac import (
    AlqacArticle,
    AlqacLaw,
    answer_alternatives,
    alqac_half,
    article_texts,
    is_alqac_questions,
    law_document_text,
    law_file_names,
    read_laws,
    read_questions,
    to_eval_items,
    write_law_files,
)
from evals.errors import DatasetError, EvalError

LAWS = [
    {"id": "24/2018/QH14", "articles": [
        {"id": "1", "text": "Phạm vi điều chỉnh\n\nLuật này quy định về hoạt động bảo vệ an ninh quốc gia trên không gian mạng."},
        {"id": "2", "text": "Giải thích từ ngữ\n\n1. An ninh mạng là sự bảo đảm hoạt động trên không gian mạng.\n\n"
                            "2. Tội phạm mạng là hành vi sử dụng không gian mạng để thực hiện tội phạm."},
    ]},
    {"id": "01/VBHN-VPQH", "articles": [
        {"id": "320", "text": "Tội tổ chức đánh bạc\n\n1. Người nào tổ chức đánh bạc thì bị phạt tù từ 01 năm đến 05 năm."},
        {"id": "321", "text": "Tội đánh bạc\n\n1. Người nào đánh bạc trái phép thì bị phạt tiền từ 20.000.000 đồng đến 100.000.000 đồng.\n\n"
                              "3. Người phạm tội còn có thể bị phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng."},
        {"id": "418", "text": "Tội chiếm đoạt hoặc hủy hoại di vật của tử sĩ\n\nNgười nào chiếm đoạt di vật của tử sĩ thì bị phạt tù đến 07 năm."},
    ]},
]
QUESTIONS = [
    {"id": "q-1", "text": "Chiếm đoạt di vật của tử sĩ có thể bị phạt tù lên đến bao nhiêu năm?", "answer": "07 năm",
     "relevant_articles": [{"law_id": "01/VBHN-VPQH", "article_id": "418"}]},
    {"id": "q-2", "text": "Người tổ chức đánh bạc bị phạt tù từ bao nhiêu năm?", "answer": "từ 01 năm đến 05 năm",
     "relevant_articles": [{"law_id": "01/VBHN-VPQH", "article_id": "320"}]},
    {"id": "q-3", "text": "An ninh mạng là gì?", "answer": "sự bảo đảm hoạt động trên không gian mạng",
     "relevant_articles": [{"law_id": "24/2018/QH14", "article_id": "2"}]},
]


@pytest.fixture
def alqac_dir(tmp_path) -> Path:
    d = tmp_path / "alqac2022"
    d.mkdir()
    (d / "law.json").write_text(json.dumps(LAWS, ensure_ascii=False), encoding="utf-8")
    (d / "question.json").write_text(json.dumps(QUESTIONS, ensure_ascii=False, indent=1), encoding="utf-8")
    return d


# -- files ---------------------------------------------------------------------------

def test_reads_both_files_and_sniffs_the_format(alqac_dir, tmp_path):
    questions = read_questions(alqac_dir / "question.json")
    laws = read_laws(alqac_dir / "law.json")
    assert [q.id for q in questions] == ["q-1", "q-2", "q-3"]
    assert questions[0].relevant == (("01/VBHN-VPQH", "418"),)
    assert [len(law.articles) for law in laws] == [2, 3] and laws[1].articles[0].title == "Tội tổ chức đánh bạc"
    assert is_alqac_questions(alqac_dir / "question.json")
    assert not is_alqac_questions(alqac_dir / "law.json")
    jsonl = tmp_path / "set.jsonl"
    jsonl.write_text('{"id": "a", "question": "?"}\n', encoding="utf-8")
    assert not is_alqac_questions(jsonl) and not is_alqac_questions(tmp_path / "missing.json")


@pytest.mark.parametrize("content,message", [
    ('{"id": 1}', "expected a non-empty JSON array"),
    ("[", "invalid JSON"),
    ('[{"id": "q", "text": "?", "answer": "a"}]', "relevant_articles"),
    ('[{"id": "q", "text": "?", "answer": " ", "relevant_articles": [{"law_id": "x", "article_id": "1"}]}]', r"\[0\]\.answer"),
    ('[{"id": "q", "text": "?", "answer": "a", "relevant_articles": [{"law_id": "x", "article_id": "1"}]},'
     ' {"id": "q", "text": "?", "answer": "a", "relevant_articles": [{"law_id": "x", "article_id": "1"}]}]', "duplicate id"),
])
def test_malformed_question_files_are_one_line_dataset_errors(tmp_path, content, message):
    path = tmp_path / "question.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message) as err:
        read_questions(path)
    assert "\n" not in str(err.value)


def test_law_ids_become_safe_distinct_file_names():
    names = law_file_names(["91/2015/QH13", "01/VBHN-VPQH", "a b:c"], "alqac2022")
    assert names == {"91/2015/QH13": "alqac2022-91-2015-QH13.txt", "01/VBHN-VPQH": "alqac2022-01-VBHN-VPQH.txt",
                     "a b:c": "alqac2022-a-b-c.txt"}
    with pytest.raises(EvalError, match="same file name"):
        law_file_names(["1/2", "1-2"], "x")


def test_law_documents_are_written_once_with_the_mapping(alqac_dir, tmp_path):
    laws = read_laws(alqac_dir / "law.json")
    out = tmp_path / "cache"
    paths = write_law_files(laws, out, "alqac2022")
    text = paths["01/VBHN-VPQH"].read_text(encoding="utf-8")
    assert text.startswith("Số: 01/VBHN-VPQH\n\nĐiều 320. Tội tổ chức đánh bạc\n1. Người nào tổ chức")
    assert "\n\nĐiều 418. Tội chiếm đoạt hoặc hủy hoại di vật của tử sĩ\nNgười nào" in text
    assert json.loads((out / "laws.json").read_text(encoding="utf-8"))["24/2018/QH14"] == "alqac2022-24-2018-QH14.txt"
    stamp = paths["01/VBHN-VPQH"].stat().st_mtime_ns
    os.utime(paths["01/VBHN-VPQH"], ns=(stamp - 10**9, stamp - 10**9))
    write_law_files(laws, out, "alqac2022")
    assert paths["01/VBHN-VPQH"].stat().st_mtime_ns == stamp - 10**9  # unchanged content is not rewritten


def test_article_spans_survive_reflowed_whitespace_and_missing_headings_fail():
    law = AlqacLaw("1/2020/QH14", (AlqacArticle("1", "Phạm vi\n\nNội dung một."), AlqacArticle("2", "Đối tượng áp dụng\n\nNội dung hai.")))
    loaded = law_document_text(law).replace("Điều 2. Đối tượng áp dụng", "Điều 2.  Đối tượng\náp dụng")
    spans = article_texts(loaded, law)
    assert spans["1"].startswith("Số: 1/2020/QH14") and spans["1"].endswith("Nội dung một.")  # preamble joins article 1
    assert spans["2"].startswith("Điều 2.") and spans["2"].endswith("Nội dung hai.")
    with pytest.raises(EvalError, match="article 2 of law 1/2020/QH14 not found"):
        article_texts(loaded.replace("Điều 2.", "Điều hai."), law)


@pytest.mark.parametrize("answer,expected", [
    ("07 năm", ("07 năm",)),  # a bare "7 năm" would match "17 năm"
    ("từ 01 năm đến 05 năm", ("từ 01 năm đến 05 năm", "từ 1 năm đến 5 năm")),
    ("từ 06 tháng đến 03 năm", ("từ 06 tháng đến 03 năm", "từ 6 tháng đến 3 năm")),
    ("từ 5.000.000 đồng đến 50.000.000 đồng", ("từ 5.000.000 đồng đến 50.000.000 đồng",)),
    ("Cảnh cáo", ("Cảnh cáo",)),
])
def test_answer_alternatives_drop_leading_zeros_only_where_safe(answer, expected):
    assert answer_alternatives(answer) == expected


def test_items_name_the_law_document_and_article_and_reject_unknown_gold(alqac_dir, tmp_path):
    laws = read_laws(alqac_dir / "law.json")
    files = write_law_files(laws, tmp_path / "c", "alqac2022")
    texts = {law.law_id: article_texts(law_document_text(law), law) for law in laws}
    items = to_eval_items(read_questions(alqac_dir / "question.json"), files, texts)
    first = items[0]
    assert first.id == "q-1" and first.answerable and first.reference == "07 năm"
    assert first.must_include == (("07 năm",),)
    source = first.sources[0]
    assert (source.document, source.article, source.quote) == ("alqac2022-01-VBHN-VPQH.txt", "418", "")
    assert source.article_text.startswith("Điều 418.")
    half = alqac_half("q-1")
    assert first.extra == {"lang": "vi", "category": f"alqac-{half}", "half": half, "law": "01/VBHN-VPQH", "dataset": "alqac"}
    bad = read_questions(alqac_dir / "question.json")[:1]
    from dataclasses import replace

    with pytest.raises(EvalError, match="has no article '999'"):
        to_eval_items([replace(bad[0], relevant=(("01/VBHN-VPQH", "999"),))], files, texts)
    with pytest.raises(EvalError, match="unknown law"):
        to_eval_items([replace(bad[0], relevant=(("9/9", "1"),))], files, texts)


# -- planchat eval -------------------------------------------------------------------------

def _eval(*argv):
    from planchat.cli import main

    return main(["eval", *[str(a) for a in argv]])


def test_planchat_eval_runs_alqac_files_as_they_are(alqac_dir, tmp_path, capsys):
    data = tmp_path / "data"
    out = tmp_path / "run"
    code = _eval(alqac_dir / "question.json", "--data-dir", data, "--embedding-model", "hash",
                 "--out", out, "--no-progress", "--json")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2 laws" in captured.err and "2 new" in captured.err and "3 questions" in captured.err
    summary = json.loads(captured.out)
    metrics = summary["metrics"]
    assert summary["counts"]["items"] == 3
    assert metrics["article_hit_at_k"]["n"] == 3 and metrics["doc_hit_at_k"]["value"] == 1.0
    assert metrics["passage_hit_at_k"]["n"] == 0
    assert sorted(summary["config"]["corpus_files"]) == ["alqac2022-01-VBHN-VPQH.txt", "alqac2022-24-2018-QH14.txt"]
    assert (data / "alqac" / "alqac2022" / "laws.json").is_file()
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["sources"][0]["article"] == "418"

    # a second run reuses the index; --format alqac forces the format
    code = _eval(alqac_dir / "question.json", "--format", "alqac", "--data-dir", data, "--embedding-model", "hash",
                 "--out", tmp_path / "run2", "--no-progress", "--json")
    captured = capsys.readouterr()
    assert code == 0 and "0 new, 0 changed, 2 unchanged" in captured.err


def test_alqac_format_errors_are_one_line(alqac_dir, tmp_path, capsys):
    (alqac_dir / "law.json").unlink()
    code = _eval(alqac_dir / "question.json", "--data-dir", tmp_path / "d", "--embedding-model", "hash", "--no-progress")
    assert code == 2 and "ALQAC laws not found" in capsys.readouterr().err
    plain = tmp_path / "plain.jsonl"
    plain.write_text('{"id": "a", "question": "?"}\n', encoding="utf-8")
    code = _eval(plain, "--format", "alqac", "--data-dir", tmp_path / "d", "--embedding-model", "hash", "--no-progress")
    assert code == 2 and "ALQAC laws not found" in capsys.readouterr().err


# -- the real ALQAC 2022 files (skipped without ../shared/external) ---------------------------

def test_alqac2022_files_import_completely(external_dir, tmp_path):
    from evals.text import match_key
    from ingest.loaders import load_document

    folder = external_dir / "alqac2022"
    questions = read_questions(folder / "question.json")
    laws = read_laws(folder / "law.json")
    assert len(questions) == 520 and len(laws) == 4 and sum(len(law.articles) for law in laws) == 1377
    files = write_law_files(laws, tmp_path, "alqac2022")
    assert len({p.name for p in files.values()}) == 4
    # every article heading is found in the text the loader produces from the written documents
    texts = {law.law_id: article_texts(load_document(files[law.law_id]).text, law) for law in laws}
    items = to_eval_items(questions, files, texts)
    assert len(items) == 520
    verbatim = sum(
        any(match_key(alt) in match_key(s.article_text) for alt in it.must_include[0] for s in it.sources) for it in items
    )
    assert verbatim == 513  # 7 answers are not written as in their article ("04 loại" for "bốn loại", …)
