"""``planchat feedback export`` / ``join``: thumbs-down and comments become drafts, completed drafts join a named set."""
import json

import pytest

from planchat.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    store = tmp_path / "store"
    store.mkdir()
    monkeypatch.setenv("PLANCHAT_DATA_DIR", str(store))
    monkeypatch.chdir(tmp_path)
    lines = [
        {"answer_id": "a1", "question": "Hà Nội tuyển sinh bao nhiêu năm 2022?", "answer": "Khoảng 224.500 lượt người [1]",
         "citations": [{"n": 1, "document": "ha-noi-72-KH-UBND-2022.txt", "section": "II", "quote": "Tuyển sinh và đào tạo khoảng 224.500 lượt người"}],
         "feedback": "down", "comment": "", "time": "2025-01-01T10:00:00+00:00"},
        {"answer_id": "a2", "question": "Ai chủ trì?", "answer": "Sở Nội vụ [1]", "citations": [], "feedback": "up", "comment": ""},
        "not json",
        {"answer_id": "a3", "question": "Bắc Kạn có bao nhiêu tiền?", "answer": "", "citations": [], "feedback": "up", "comment": "Thiếu số liệu"},
    ]
    (store / "feedback.jsonl").write_text("".join((json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x) + "\n" for x in lines), encoding="utf-8")
    return store


def test_export_complete_join(env, capsys):
    assert main(["feedback", "export"]) == 0
    assert "2 new draft item(s)" in capsys.readouterr().out
    drafts_path = env / "eval_sets" / "feedback-drafts.jsonl"
    drafts = [json.loads(l) for l in drafts_path.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in drafts] == ["fb-a1", "fb-a3"]
    first = drafts[0]
    assert first["reference"] == "" and first["must_include"] == [] and first["draft"] is True
    assert first["answer_given"].startswith("Khoảng 224.500") and first["passages_seen"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"
    assert drafts[1]["comment"] == "Thiếu số liệu"

    first.update(reference="Khoảng 224.500 lượt người", must_include=[["224.500"]])
    drafts_path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts), encoding="utf-8")
    assert main(["feedback", "join", "--set", "phan-hoi"]) == 0
    assert "1 item(s) added" in capsys.readouterr().out
    joined = [json.loads(l) for l in (env / "eval_sets" / "phan-hoi.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [j["id"] for j in joined] == ["fb-a1"] and "draft" not in joined[0] and joined[0]["origin"] == "feedback"
    assert [json.loads(l)["id"] for l in drafts_path.read_text(encoding="utf-8").splitlines()] == ["fb-a3"]

    assert main(["feedback", "export"]) == 0  # a1 is in a set, a3 already drafted: nothing new
    assert "0 new draft item(s)" in capsys.readouterr().out
    assert main(["eval", "--rescore", str(env / "nowhere")]) == 2
    assert "no such eval run directory" in capsys.readouterr().err


def test_bad_set_name_is_a_one_line_error(env, capsys):
    assert main(["feedback", "join", "--set", "tên có dấu cách"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planchat: error: set name") and err.count("\n") == 1
