"""The CLI end to end over the bundled sample plans, with the fast deterministic 'hash' embedder."""
import json
import shutil
from pathlib import Path

import pytest

from planchat.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANCHAT_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("PLANCHAT_EMBEDDING_MODEL", "hash")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_ask_documents_remove(env, capsys):
    code, out, err = run(capsys, "ingest", str(SAMPLES), "--no-progress", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert len(report["added"]) == 5 and not report["failed"]

    code, out, _ = run(capsys, "ingest", str(SAMPLES), "--no-progress", "--json")
    again = json.loads(out)
    assert again["added"] == [] and len(again["skipped_unchanged"]) == 5 and again["chunks_added"] == 0

    code, out, _ = run(capsys, "documents", "--json")
    docs = {d["doc_id"]: d for d in json.loads(out)["documents"]}
    assert set(docs) == {p.name for p in SAMPLES.iterdir()}
    assert docs["bac-kan-37-KH-UBND-2022.txt"]["number"] == "37/KH-UBND"
    assert all(d["chunks"] > 0 for d in docs.values())

    code, out, _ = run(capsys, "ask", "Hà Nội tuyển sinh bao nhiêu năm 2022?", "--json")
    assert code == 0
    answer = json.loads(out)
    assert set(answer) == {"answer", "abstained", "citations"}
    assert not answer["abstained"] and "[1]" in answer["answer"]
    assert answer["citations"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"
    assert set(answer["citations"][0]) == {"n", "document", "title", "number", "doc_type", "section", "page", "quote"}
    assert answer["citations"][0]["doc_type"] == "Kế hoạch"

    code, out, _ = run(capsys, "remove", "ha-noi-72-KH-UBND-2022.txt")
    assert code == 0
    code, out, _ = run(capsys, "documents", "--json")
    assert "ha-noi-72-KH-UBND-2022.txt" not in {d["doc_id"] for d in json.loads(out)["documents"]}


def test_bad_input_is_one_line_without_traceback(env, capsys):
    (env / "scan.pdf").write_bytes(b"not really a pdf")
    (env / "notes.xyz").write_text("hello")
    code, out, err = run(capsys, "ingest", str(env / "scan.pdf"), str(env / "notes.xyz"), str(env / "missing.txt"), "--no-progress")
    assert code == 1
    assert "Traceback" not in err
    failed = [l for l in err.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 3 and any("scan.pdf" in l for l in failed) and any("missing.txt" in l for l in failed)

    code, out, err = run(capsys, "remove", "nope.txt")
    assert code == 2 and "nope.txt" in err and "Traceback" not in err

    code, out, err = run(capsys, "ask", "ai chủ trì?")
    assert code == 2 and "ingest" in err  # nothing ingested yet: tells the user what to do


def test_bad_setting_is_reported(env, capsys, monkeypatch):
    monkeypatch.setenv("PLANCHAT_K", "lots")
    code, _, err = run(capsys, "documents")
    assert code == 2 and "PLANCHAT_K" in err
