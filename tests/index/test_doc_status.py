"""Which documents of the library still stand: replaced by a loaded document, expired, current, unknown."""
from __future__ import annotations

from datetime import date

from index._serde import meta_from_json, meta_to_json
from index.doc_status import library_status
from ingest.types import DocumentMeta

TODAY = date(2026, 12, 7)
OLD = DocumentMeta(doc_id="qd22-2024.pdf", number="22/2024/QĐ-UBND", province="Hà Nội", issued_date="2024-03-07")
NEW = DocumentMeta(doc_id="qd11-2025.pdf", number="", province="Hà Nội", replaces=("22/2024/QĐ-UBND|2024",))
PLAN_OLD = DocumentMeta(doc_id="bk-37.txt", number="37/KH-UBND", province="Bắc Kạn", issued_date="2022-01-21", period_end="2025")
PLAN_NOW = DocumentMeta(doc_id="tn-5.txt", number="5/KH-UBND", province="Thái Nguyên", issued_date="2026-02-01", period_end="2030")
NOTHING = DocumentMeta(doc_id="cv.txt", number="1040/LĐTBXH-NCC", issued_date="2012-04-09")


def test_replaced_by_a_loaded_document_expired_current_and_unknown():
    status = library_status([OLD, NEW, PLAN_OLD, PLAN_NOW, NOTHING], TODAY)
    assert status["qd22-2024.pdf"].state == "replaced" and status["qd22-2024.pdf"].by == "qd11-2025.pdf"
    assert status["qd22-2024.pdf"].label() == "bị thay thế bởi qd11-2025.pdf"
    assert status["qd22-2024.pdf"].label("en") == "replaced by qd11-2025.pdf"
    assert status["bk-37.txt"].state == "expired" and status["bk-37.txt"].label() == "hết thời hạn (2025)"
    assert status["tn-5.txt"].state == "current" and status["tn-5.txt"].label("en") == "current (until 2030)"
    assert status["cv.txt"].state == "unknown" and status["cv.txt"].label() == ""
    assert status["qd11-2025.pdf"].state == "unknown"


def test_a_replacement_that_is_not_loaded_changes_nothing():
    assert library_status([NEW], TODAY)["qd11-2025.pdf"].state == "unknown"
    assert library_status([OLD], TODAY)["qd22-2024.pdf"].state == "unknown"


def test_year_of_the_reference_must_agree_with_the_documents_date():
    other_year = DocumentMeta(doc_id="x.pdf", number="22/2024/QĐ-UBND", issued_date="2024-03-07")
    citing = DocumentMeta(doc_id="y.pdf", repeals=("22/2024/QĐ-UBND|2023",))
    assert library_status([other_year, citing], TODAY)["x.pdf"].state == "unknown"


def test_a_number_without_a_year_needs_the_same_province_or_a_dated_reference():
    bk = DocumentMeta(doc_id="bk.txt", number="12/KH-UBND", province="Bắc Kạn", issued_date="2021-02-05")
    elsewhere = DocumentMeta(doc_id="hn.txt", province="Hà Nội", replaces=("12/KH-UBND|",))
    same = DocumentMeta(doc_id="bk2.txt", province="Bắc Kạn", repeals=("12/KH-UBND|",))
    assert library_status([bk, elsewhere], TODAY)["bk.txt"].state == "unknown"
    replaced = library_status([bk, same], TODAY)["bk.txt"]
    assert replaced.state == "replaced" and replaced.how == "repeals" and replaced.label() == "bị bãi bỏ bởi bk2.txt"


def test_an_expiry_date_in_the_past_expires_the_document():
    meta = DocumentMeta(doc_id="e.txt", expires="2025-12-31")
    assert library_status([meta], TODAY)["e.txt"].state == "expired"
    assert library_status([meta], date(2025, 6, 1))["e.txt"].state == "current"


def test_status_facts_survive_the_catalog_round_trip():
    back = meta_from_json(meta_to_json(NEW))
    assert back == NEW and isinstance(back.replaces, tuple)
