"""Property-based fuzzing of the ingest layer (hypothesis).

* Loaders: random bytes, and damaged real files, with every supported extension through
  ``load_document``: the only exceptions allowed are ``IngestError`` subclasses, and a
  loaded document is NFC text with consistent page spans.
* Re-flow, table reader and chunker: random structured Vietnamese-like text (headings,
  list markers, "|" rows, blank lines, long paragraphs, odd whitespace): no crash, and the
  chunk invariants hold (card first, positions in order, ids unique, text chunks equal
  ``doc.text[start:end]`` and fit the budget, every letter and digit is in some chunk).

Example counts are moderate (2-core CI); the long runs are marked slow.
"""
from __future__ import annotations

import io
import os
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.errors import IngestError  # noqa: E402
from ingest.types import CHUNK_KINDS, Document, DocumentMeta  # noqa: E402

# PLANCHAT_FUZZ_SCALE=10 multiplies every example count for a long local bug hunt
SCALE = max(1, int(os.environ.get("PLANCHAT_FUZZ_SCALE", "1")))
FUZZ = settings(
    max_examples=40 * SCALE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH YÊN BÁI\n\nSố: 49/KH-UBND\n\nKẾ HOẠCH\nGiáo dục hướng nghiệp năm 2020\n\n"
    "I. MỤC ĐÍCH\n\n1. Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội.\n\n"
    "| TT | Nội dung | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|\n| 1 | Tuyên truyền | Sở Thông tin và Truyền thông | Quý I |\n"
)


# --------------------------------------------------------------------------- loaders


def _load(tmp_dir: Path, name: str, data: bytes):
    from ingest.loaders import load_document

    path = tmp_dir / name
    path.write_bytes(data)
    try:
        doc = load_document(path, max_bytes=5_000_000)
    except IngestError as err:
        message = str(err)
        assert message and "\n" not in message, repr(message)
        assert message.startswith(name), message
        return None
    except Exception as err:  # pragma: no cover - the failure being looked for
        raise AssertionError(f"{name}: {type(err).__name__} escaped load_document: {err}\ninput: {data[:200]!r}") from err
    assert isinstance(doc.text, str) and doc.text.strip()
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.meta.doc_id == name
    for span in doc.pages:
        assert 0 <= span.start <= span.end <= len(doc.text)
    return doc


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    """Real files of each type, to be damaged by the fuzzer (reaches deeper parser code than noise)."""
    from planchat_reliability_helpers import encode_cp1258, make_docx, make_pdf

    d = tmp_path_factory.mktemp("seeds")
    return {
        ".pdf": make_pdf(d / "s.pdf", [PLAN, PLAN[:80]]).read_bytes(),
        ".docx": make_docx(d / "s.docx", PLAN.split("\n")).read_bytes(),
        ".html": f"<html><head><meta charset='utf-8'><script>x()</script></head><body><h1>KẾ HOẠCH</h1><p>{PLAN}</p>"
        "<table><tr><td>1</td><td>Sở Y tế</td></tr></table></body></html>".encode(),
        ".txt": PLAN.encode("utf-8"),
        ".md": ("# KẾ HOẠCH\n\n**Số:** 49/KH-UBND\n\n" + PLAN).encode("utf-8"),
        ".cp1258": encode_cp1258(PLAN),
        ".utf16": PLAN.encode("utf-16"),
    }


_PREFIXES = st.sampled_from([
    b"", b"%PDF-1.4\n", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf", b"\xff\xfe",
    b"\xfe\xff", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"<?xml version='1.0'?>", b"MZ", b"\x7fELF", b"{\\rtf1",
])


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_random_bytes_raise_only_ingest_errors(ext, tmp_path):
    @FUZZ
    @given(prefix=_PREFIXES, body=st.binary(max_size=3000))
    def run(prefix, body):
        _load(tmp_path, f"fuzz{ext}", prefix + body)

    run()


@pytest.mark.parametrize("seed_kind, ext", [
    (".pdf", ".pdf"), (".docx", ".docx"), (".html", ".html"), (".txt", ".txt"), (".md", ".md"),
    (".cp1258", ".txt"), (".utf16", ".txt"), (".pdf", ".txt"), (".docx", ".pdf"), (".html", ".docx"),
])
def test_damaged_real_files_raise_only_ingest_errors(seed_kind, ext, seeds, tmp_path):
    original = seeds[seed_kind]

    @FUZZ
    @given(
        cut=st.integers(min_value=0, max_value=len(original)),
        flips=st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=12),
        insert=st.binary(max_size=64),
        keep_tail=st.booleans(),
    )
    def run(cut, flips, insert, keep_tail):
        data = bytearray(original)
        for at, value in flips:
            data[at] = value
        data = bytes(data[:cut]) + insert + (bytes(data[cut:]) if keep_tail else b"")
        _load(tmp_path, f"damaged{ext}", data)

    run()


def test_docx_zip_members_fuzzed(tmp_path):
    """A well-formed ZIP whose word/document.xml is arbitrary text (lxml and python-docx paths)."""

    @FUZZ
    @given(xml=st.text(max_size=400), with_types=st.booleans())
    def run(xml, with_types):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("word/document.xml", xml)
            if with_types:
                zf.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        _load(tmp_path, "members.docx", buf.getvalue())

    run()


def test_loaders_do_not_emit_library_warnings(tmp_path):
    """bs4/pypdf warnings would be printed on a CLI user's terminal between the FAILED lines."""
    cases = {
        "url.html": b"http://example.com/ke-hoach",
        "file.html": b"ke-hoach.txt",
        "xml.html": b"<?xml version='1.0'?><root><p>K\xe1\xba\xbf ho\xe1\xba\xa1ch</p></root>",
        "eof.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\n",
    }
    with warnings.catch_warnings(record=True) as caught:
        for name, data in cases.items():
            _load(tmp_path, name, data)
    shown = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, ResourceWarning))]
    assert shown == [], [f"{w.category.__name__}: {str(w.message)[:100]}" for w in shown]


# --------------------------------------------------------------------------- structured text

_VOCAB = (
    "đào tạo nghề lao động nông thôn Sở Giáo dục và Đào tạo chủ trì phối hợp kinh phí ngân sách "
    "tỉnh huyện xã kế hoạch triển khai thực hiện năm 2024 chỉ tiêu tuyển sinh 5.000 người 72,2% "
    "UBND Ủy ban nhân dân Hà Nội Cao Bằng Bắc Kạn hoà thuỷ quý đồng triệu 12/KH-UBND ngày 15/3/2024"
).split()
_WORD = st.one_of(st.sampled_from(_VOCAB), st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạếềểễệốồổỗộờớởỡợ", min_size=1, max_size=7))
_ODD = st.sampled_from(["\u00a0", "\u200b", "\t", "\u0301", "\ufeff", "\r", "  ", "\u2028", "…", "–", "“", "”", "*", "#", "|"])


def _words(min_size=1, max_size=14):
    return st.lists(_WORD, min_size=min_size, max_size=max_size).map(" ".join)


_HEADING = st.builds(
    lambda marker, words, upper: f"{marker} {words.upper() if upper else words}",
    st.sampled_from(["I.", "II.", "III.", "IV.", "X.", "1.", "2.", "10.", "1.1.", "2.3.", "1.2.3.", "a)", "b)", "đ)",
                     "Điều 1.", "Điều 12.", "Mục 2.", "Phần I.", "PHỤ LỤC", "Phụ lục 01", "A.", "B."]),
    _words(1, 8),
    st.booleans(),
)
_ITEM = st.builds(lambda m, w: f"{m} {w}", st.sampled_from(["-", "+", "•", "*", "–", "o", "1)", "(1)"]), _words(1, 30))
_CELL = st.one_of(st.just(""), _words(1, 4), st.integers(0, 99999).map(str), st.sampled_from(["TT", "Nội dung", "Đơn vị", "Ghi chú"]))
_TABLE_LINE = st.builds(
    lambda cells, lead, tail: ("| " if lead else "") + " | ".join(cells) + (" |" if tail else ""),
    st.lists(_CELL, min_size=1, max_size=7), st.booleans(), st.booleans(),
)
_SEPARATOR = st.sampled_from(["|---|---|", "| --- | --- | --- |", "---", "=====", "|:--|--:|", "___"])
_PARAGRAPH = st.builds(
    lambda words, end: words + end, _words(3, 120), st.sampled_from(["", ".", ";", ":", "!", "?", "…", "./."])
)
_WEIRD = st.builds(lambda a, b, c: a + b + c, _words(0, 3), _ODD, _words(0, 3))
_LINE = st.one_of(
    _HEADING, _ITEM, _TABLE_LINE, _SEPARATOR, _PARAGRAPH, _WEIRD,
    st.sampled_from(["", "", " ", "KẾ HOẠCH", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trang 3", "- 2 -"]),
)
STRUCTURED = st.lists(_LINE, min_size=0, max_size=60).map("\n".join)


def _document(text: str) -> Document:
    from ingest.normalize import clean_text, drop_boilerplate, reflow

    body = reflow(drop_boilerplate(clean_text(text)))
    return Document(meta=DocumentMeta(doc_id="fuzz.txt", title="Kế hoạch thử", province="Yên Bái"), text=body)


def check_chunks(doc: Document, chunks, max_chars: int) -> None:
    assert chunks and chunks[0].kind == "card" and chunks[0].position == 0
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), "duplicate chunk ids"
    covered = bytearray(len(doc.text))
    for i, c in enumerate(chunks):
        assert c.position == i and c.doc_id == doc.meta.doc_id and c.kind in CHUNK_KINDS
        assert isinstance(c.section_path, tuple) and all(isinstance(p, str) for p in c.section_path)
        if c.kind == "card":
            assert i == 0
            continue
        assert 0 <= c.start < c.end <= len(doc.text), (c.start, c.end, len(doc.text))
        assert c.text.strip(), "empty chunk"
        if c.kind == "text":
            assert doc.text[c.start:c.end] == c.text
            assert len(c.text) <= max_chars, (len(c.text), max_chars)
            assert c.text == c.text.strip()
        for k in range(c.start, c.end):
            covered[k] = 1
    starts = [c.start for c in chunks[1:]]
    assert starts == sorted(starts), "chunks are not in document order"
    # every letter and digit is retrievable (separator lines such as "|---|" carry nothing)
    lost = [k for k, ch in enumerate(doc.text) if not covered[k] and ch.isalnum()]
    assert not lost, f"text not in any chunk: {doc.text[max(0, lost[0] - 30):lost[0] + 60]!r}"


def check_tables(text: str) -> None:
    from ingest.tables import read_tables

    tables = read_tables(text.split("\n"))
    previous_end = -1
    for table in tables:
        assert table.header and all(isinstance(h, str) for h in table.header)
        assert 0 <= table.start < table.end <= len(text)
        assert table.start >= previous_end, "tables overlap"
        previous_end = table.end
        assert len(table.row_spans) == len(table.rows)
        for row, (a, b) in zip(table.rows, table.row_spans):
            assert len(row) == len(table.header), (row, table.header)
            assert table.start <= a < b <= table.end


@FUZZ
@given(text=STRUCTURED)
def test_reflow_never_crashes_and_keeps_the_words(text):
    from ingest.normalize import clean_text, reflow

    cleaned = clean_text(text)
    out = reflow(cleaned)
    assert isinstance(out, str)
    # re-flow joins and splits lines; it must not drop or invent words
    assert sorted(out.split()) == sorted(cleaned.split()) or "".join(out.split()) == "".join(cleaned.split())


@FUZZ
@given(text=STRUCTURED)
def test_table_reader_invariants(text):
    check_tables(text)
    check_tables(_document(text).text)


@settings(parent=FUZZ, max_examples=60 * SCALE)
@given(text=STRUCTURED, max_chars=st.integers(100, 1500), overlap=st.integers(0, 200))
def test_chunker_invariants(text, max_chars, overlap):
    from ingest.chunker import chunk_document

    overlap = min(overlap, max_chars // 2 - 1)
    doc = _document(text)
    chunks = chunk_document(doc, max_chars=max_chars, overlap_chars=overlap)
    check_chunks(doc, chunks, max_chars)
    again = chunk_document(doc, max_chars=max_chars, overlap_chars=overlap)
    assert [c.id for c in again] == [c.id for c in chunks], "chunk ids are not deterministic"


@pytest.mark.slow
@settings(parent=FUZZ, max_examples=150 * SCALE)
@given(text=STRUCTURED, max_chars=st.integers(100, 1500))
def test_chunker_invariants_long_run(text, max_chars):
    from ingest.chunker import chunk_document

    doc = _document(text)
    check_chunks(doc, chunk_document(doc, max_chars=max_chars, overlap_chars=min(200, max_chars // 2 - 1)), max_chars)


def test_whole_pipeline_on_structured_text(tmp_path):
    """File → load_document → chunk_document → responsibility extraction, on fuzzed plans."""
    from ingest.chunker import chunk_document

    try:
        from ingest.responsibilities import extract_responsibilities
    except ImportError:  # pragma: no cover
        extract_responsibilities = None

    @settings(parent=FUZZ, max_examples=40 * SCALE)
    @given(header=st.sampled_from(["", PLAN]), text=STRUCTURED)
    def run(header, text):
        doc = _load(tmp_path, "plan.txt", (header + text).encode("utf-8"))
        if doc is None:
            return
        chunks = chunk_document(doc)
        check_chunks(doc, chunks, 1200)
        if extract_responsibilities is not None:
            ids = {c.id for c in chunks}
            for record in extract_responsibilities(doc, chunks):
                assert not record.chunk_id or record.chunk_id in ids

    run()


def test_nul_between_letter_and_tone_mark_still_gives_nfc_text(tmp_path):
    """Found by the fuzzer: Windows-1258 writes tone marks as combining characters; a NUL
    between "N" and its dot below survived decoding, and removing it afterwards left
    "N" + U+0323 uncomposed (Document.text must be NFC)."""
    from planchat_reliability_helpers import encode_cp1258

    data = bytearray(encode_cp1258("Kế hoạch đào tạo nghề năm 2024 của tỉnh Yên Bái. " * 4 + "Nội dung chính của kế hoạch"))
    at = data.index(b"N\xf4\xf2")  # "N", "ô", combining dot below: the start of "Nội"
    data[at + 1] = 0  # a damaged byte: "N", NUL, combining dot below
    doc = _load(tmp_path, "nul.txt", bytes(data))  # asserts NFC
    assert doc is not None and "\u1e46i dung" in doc.text  # "Ṇi": the dot composed onto the N
