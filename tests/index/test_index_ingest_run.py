"""ingest_paths: directory expansion, skip unchanged, replace changed, bad files reported, progress."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.ingest_run import IngestReport, expand_paths, ingest_paths
from ingest.types import Chunk

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
MAX_BYTES = 5 * 1024 * 1024


def paragraph_chunker(doc, *, max_chars, overlap_chars):
    """A stand-in chunker: one chunk per blank-line paragraph (cut at max_chars)."""
    chunks, position, offset = [], 0, 0
    for paragraph in doc.text.split("\n\n"):
        start = doc.text.index(paragraph, offset)
        offset = start + len(paragraph)
        if not paragraph.strip():
            continue
        for cut in range(0, len(paragraph), max_chars):
            piece = paragraph[cut : cut + max_chars]
            chunks.append(
                Chunk(
                    id=f"{doc.meta.doc_id}#{position}",
                    doc_id=doc.meta.doc_id,
                    position=position,
                    kind="text",
                    text=piece,
                    start=start + cut,
                    end=start + cut + len(piece),
                    meta=doc.meta,
                )
            )
            position += 1
    return chunks


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "plans"
    (root / "nested").mkdir(parents=True)
    shutil.copy(SAMPLES / "cao-bang-3058-KH-UBND-2024.txt", root)
    shutil.copy(SAMPLES / "hai-duong-KH-SLDTBXH-2023.txt", root / "nested")
    (root / "nested" / "notes.xlsx").write_bytes(b"not a plan")  # unsupported: not picked up from folders
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skip.txt").write_text("hidden", encoding="utf-8")
    return root


def _ingest(index, paths, **kwargs):
    kwargs.setdefault("chunker", paragraph_chunker)
    return ingest_paths(index, paths, max_bytes=MAX_BYTES, **kwargs)


def test_expand_paths_recurses_sorted_supported_only(corpus):
    files = expand_paths([corpus])
    assert [p.name for p in files] == ["cao-bang-3058-KH-UBND-2024.txt", "hai-duong-KH-SLDTBXH-2023.txt"]
    assert expand_paths([corpus, corpus / "cao-bang-3058-KH-UBND-2024.txt"]) == files  # no duplicates


def test_ingest_then_reingest_is_idempotent(open_index, corpus):
    index = open_index()
    events = []
    report = _ingest(index, [corpus], progress=lambda *e: events.append(e))
    assert isinstance(report, IngestReport)
    assert report.added == ("cao-bang-3058-KH-UBND-2024.txt", "hai-duong-KH-SLDTBXH-2023.txt")
    assert report.replaced == () and report.skipped_unchanged == () and report.failed == ()
    assert report.chunks_added == len(index.chunks()) > 0
    assert ("files", 2, 2, "hai-duong-KH-SLDTBXH-2023.txt") in events
    assert any(e[0] == "embed" for e in events)

    ids_before = index.store.all_ids()
    generation = index.generation()
    again = _ingest(index, [corpus])
    assert again.skipped_unchanged == report.added
    assert again.added == () and again.replaced == () and again.chunks_added == 0
    assert index.store.all_ids() == ids_before
    assert index.generation() == generation  # nothing was rewritten


def test_changed_file_is_replaced(open_index, corpus):
    index = open_index()
    _ingest(index, [corpus])
    target = corpus / "cao-bang-3058-KH-UBND-2024.txt"
    target.write_text(
        target.read_text(encoding="utf-8") + "\n\nĐoạn bổ sung: Sở Tài chính bố trí kinh phí 500 triệu đồng.\n",
        encoding="utf-8",
    )
    report = _ingest(index, [corpus])
    assert report.replaced == ("cao-bang-3058-KH-UBND-2024.txt",)
    assert report.skipped_unchanged == ("hai-duong-KH-SLDTBXH-2023.txt",)
    hits = index.lexical("500 triệu đồng Sở Tài chính", 1)
    assert hits and hits[0].chunk.doc_id == "cao-bang-3058-KH-UBND-2024.txt"
    assert index.document_sha("cao-bang-3058-KH-UBND-2024.txt") == index.document("cao-bang-3058-KH-UBND-2024.txt").sha256


def test_documents_stored_by_an_older_ingest_are_read_again(open_index, corpus, monkeypatch):
    import index.ingest_run as ingest_run

    index = open_index()
    first = _ingest(index, [corpus])
    assert index.document("cao-bang-3058-KH-UBND-2024.txt").pipeline == ingest_run.PIPELINE_VERSION
    monkeypatch.setattr(ingest_run, "PIPELINE_VERSION", "a-newer-ingest")  # an upgraded planchat
    upgraded = _ingest(index, [corpus])
    assert upgraded.replaced == first.added and upgraded.skipped_unchanged == ()
    assert index.document("cao-bang-3058-KH-UBND-2024.txt").pipeline == "a-newer-ingest"
    assert _ingest(index, [corpus]).skipped_unchanged == first.added


def test_bad_files_are_reported_and_do_not_stop_the_run(open_index, corpus, tmp_path):
    index = open_index()
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"this is not a pdf at all")
    big = tmp_path / "big.txt"
    big.write_text("đào tạo nghề " * 100, encoding="utf-8")
    paths = [tmp_path / "empty.txt", corpus / "nested" / "notes.xlsx", tmp_path / "broken.pdf",
             tmp_path / "missing.txt", corpus]
    report = _ingest(index, paths)
    failed = dict(report.failed)
    assert set(failed) == {str(p) for p in paths[:4]}
    for message in failed.values():
        assert "\n" not in message and message
    assert "empty.txt" in failed[str(tmp_path / "empty.txt")]
    assert len(report.added) == 2
    small = ingest_paths(index, [big], max_bytes=100, chunker=paragraph_chunker)
    assert small.failed and "big.txt" in small.failed[0][1]


def test_records_extractor_is_called(open_index, corpus):
    from ingest.types import ResponsibilityRecord

    calls = []

    def extract(doc, chunks):
        calls.append(doc.meta.doc_id)
        return [ResponsibilityRecord(task="t", lead=("Sở Giáo dục và Đào tạo",), coordinators=(),
                                     document=doc.meta.doc_id, province=doc.meta.province, section="",
                                     quote=chunks[0].text[:40], chunk_id=chunks[0].id)]

    index = open_index()
    _ingest(index, [corpus], extract_records=extract)
    assert sorted(calls) == ["cao-bang-3058-KH-UBND-2024.txt", "hai-duong-KH-SLDTBXH-2023.txt"]
    assert len(index.responsibilities()) == 2


def test_extractor_bug_fails_only_that_file(open_index, corpus):
    def extract(doc, chunks):
        if doc.meta.doc_id.startswith("cao-bang"):
            raise KeyError("boom")
        return []

    report = _ingest(open_index(), [corpus], extract_records=extract)
    assert report.added == ("hai-duong-KH-SLDTBXH-2023.txt",)
    assert "unexpected KeyError" in report.failed[0][1]


def test_same_file_name_twice_in_one_run(open_index, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SAMPLES / "yen-bai-49-KH-UBND-2020.txt", other / "cao-bang-3058-KH-UBND-2024.txt")
    report = _ingest(open_index(), [corpus, other])
    assert len(report.failed) == 1 and "rename" in report.failed[0][1]


def test_sample_plans_with_the_real_loader_and_chunker(open_index):
    index = open_index()
    report = ingest_paths(index, [SAMPLES], max_bytes=MAX_BYTES)
    assert report.failed == () and len(report.added) == 5
    assert report.chunks_added == len(index.chunks()) == sum(i.chunk_count for i in index.documents())
    assert {"Cao Bằng", "Yên Bái", "Bắc Kạn", "Hà Nội", "Hải Dương"} <= set(index.provinces())
    hits = index.retrieve("Who leads rural vocational training in Cao Bang?", k=5)
    assert hits[0].chunk.doc_id == "cao-bang-3058-KH-UBND-2024.txt"
    assert index.lexical("3058/KH-UBND", 1)[0].chunk.doc_id == "cao-bang-3058-KH-UBND-2024.txt"
    again = ingest_paths(index, [SAMPLES], max_bytes=MAX_BYTES)
    assert len(again.skipped_unchanged) == 5 and again.chunks_added == 0
