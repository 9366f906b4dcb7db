"""Ingest of one file is atomic: ``kill -9`` in the middle of a large file leaves an index
that the next run finds consistent (catalog, Chroma and BM25 agree, no orphan chunks),
without that file, and the next ``planchat ingest`` ingests it completely.

The state is read straight from storage (catalog sqlite, Chroma, persisted BM25) in a
fresh interpreter, not through PlanIndex, so the check does not trust the code under test.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from planchat_reliability_helpers import (
    SAMPLE_PLANS,
    cli_env,
    planchat_cmd,
    read_state_in_subprocess,
    run_planchat,
    synthetic_plan,
)

pytestmark = pytest.mark.slow

BIG_ID = "lao-cai-88-KH-UBND-2024.txt"
BIG_CHARS = 400_000  # ~550 chunks: long enough to be caught mid-write with the hash embedder
SAMPLE_IDS = sorted(p.name for p in SAMPLE_PLANS.glob("*.txt"))
WAIT_LIMIT_S = 240


def _status(data_dir: Path, doc_id: str) -> str | None:
    path = data_dir / "catalog.sqlite"
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            row = db.execute("SELECT status FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:  # schema not created yet, or a writer holds a lock for a moment
        return None
    return row[0] if row else None


def _kill_when_pending(data_dir: Path, path: Path) -> None:
    """Start ``planchat ingest path`` and SIGKILL it as soon as the catalog marks the file pending
    (its old vectors are being deleted and the new ones written: the middle of the file)."""
    proc = subprocess.Popen(
        planchat_cmd("ingest", path, "--no-progress", data_dir=data_dir),
        env=cli_env(),
        cwd=str(data_dir.parent),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + WAIT_LIMIT_S
        while time.monotonic() < deadline:
            if _status(data_dir, path.name) == "pending":
                os.kill(proc.pid, signal.SIGKILL)
                break
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest finished (rc={proc.returncode}) before it was seen mid-file:\n{out}\n{err}")
            time.sleep(0.005)
        else:
            pytest.fail(f"the file was never marked pending within {WAIT_LIMIT_S} s")
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            stream.close()


def _expected_chunk_count(path: Path) -> int:
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    return len(chunk_document(load_document(path)))


def _chunk_count(data_dir: Path, doc_id: str) -> int:
    db = sqlite3.connect(f"file:{data_dir / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COUNT(*) FROM chunks WHERE doc_id = ?", (doc_id,)).fetchone()[0]
    finally:
        db.close()


def _assert_consistent(data_dir: Path, expected_docs: list[str]) -> dict:
    state = read_state_in_subprocess(data_dir)
    assert state["problems"] == [], state["problems"]
    assert sorted(state["documents"]) == sorted(expected_docs)
    assert set(state["documents"].values()) == {"ready"}
    assert state["vectors"] == state["chunks"]
    assert state["lexical"] == state["chunks"], "the persisted BM25 index does not cover exactly the catalog chunks"
    return state


@pytest.fixture()
def setup(tmp_path):
    data_dir = tmp_path / "data"
    first = run_planchat("ingest", SAMPLE_PLANS, "--no-progress", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    plans = tmp_path / "plans"
    plans.mkdir()
    big = plans / BIG_ID
    big.write_text(synthetic_plan(BIG_CHARS), encoding="utf-8")
    return data_dir, big


def _reopen_and_check(data_dir: Path, big: Path) -> None:
    # the raw state really is half-written: the file is still marked pending
    assert _status(data_dir, BIG_ID) == "pending"
    # any command opens the index, which repairs it; the other plans are untouched
    docs = run_planchat("documents", "--json", data_dir=data_dir)
    assert docs.returncode == 0 and "Traceback" not in docs.stderr, docs.stderr
    _assert_consistent(data_dir, SAMPLE_IDS)

    again = run_planchat("ingest", big.parent, "--no-progress", data_dir=data_dir)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert "ingested 1 new, 0 changed, 0 unchanged (skipped), 0 failed" in again.stdout
    _assert_consistent(data_dir, SAMPLE_IDS + [BIG_ID])
    assert _chunk_count(data_dir, BIG_ID) == _expected_chunk_count(big)

    out = run_planchat("ask", "Ai chủ trì đào tạo nghề cho lao động nông thôn ở Lào Cai?", "--json", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert [c["document"] for c in answer["citations"]][:1] == [BIG_ID] and "1088" in answer["answer"], answer


def test_sigkill_while_adding_a_new_file(setup):
    data_dir, big = setup
    _kill_when_pending(data_dir, big)
    _reopen_and_check(data_dir, big)


def test_sigkill_while_replacing_a_changed_file(setup):
    """The killed run was replacing an ingested version: after repair the file is gone
    (not half old, half new) and the next run ingests the new version completely."""
    data_dir, big = setup
    first = run_planchat("ingest", big, "--no-progress", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    _assert_consistent(data_dir, SAMPLE_IDS + [BIG_ID])
    big.write_text(synthetic_plan(BIG_CHARS, seed=8), encoding="utf-8")
    _kill_when_pending(data_dir, big)
    _reopen_and_check(data_dir, big)
