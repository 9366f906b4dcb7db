"""Type, number and date of every real document in ../shared/external/dev-docs, as SOURCES.md states."""
from __future__ import annotations

import pytest

from ingest.card import card_text
from ingest.doc_number import code_of
from ingest.loaders import load_document

from dev_docs_expected import DEV_DOCS


@pytest.fixture(scope="module")
def loaded(external_dir):
    docs = external_dir / "dev-docs"
    return {name: load_document(docs / name) for name in DEV_DOCS}


def test_expectations_cover_every_dev_doc(external_dir):
    files = sorted(p.name for p in (external_dir / "dev-docs").iterdir() if p.name != "SOURCES.md")
    assert files == sorted(DEV_DOCS)


@pytest.mark.parametrize("name", sorted(DEV_DOCS))
def test_doc_type(loaded, name):
    assert loaded[name].meta.doc_type == DEV_DOCS[name].doc_type


@pytest.mark.parametrize("name", sorted(DEV_DOCS))
def test_number_and_date(loaded, name):
    meta, want = loaded[name].meta, DEV_DOCS[name]
    if want.stamped or want.draft:
        # the digits and the day are not in the text layer: blank, or read from the stamp by OCR
        # (ingest.stamped; the dates were checked against pdftotext, which reads the stamps)
        assert meta.number in ("", want.number)
        assert meta.issued_date in ("", want.date)
        assert want.year in meta.issued_date_text
    else:
        assert meta.number == want.number
        assert code_of(meta.number) == want.code
        assert meta.issued_date == want.date


def test_central_documents_have_no_province(loaded):
    for name, doc in loaded.items():
        if name.startswith("national_"):
            assert doc.meta.province == "", name


def test_cards_name_the_type(loaded):
    card = card_text(loaded["gia-lai_qd31-2011_mien-giam-tien-su-dung-dat-nguoi-co-cong.md"].meta)
    assert "Quyết định 31/2011/QĐ-UBND của UBND tỉnh Gia Lai" in card
    assert "Kế hoạch" not in card.split("\n")[0]


def test_titles_come_from_the_documents_own_title_block(loaded):
    # the page title line of these CongBot files names another document (SOURCES.md caveats)
    lai_chau = loaded["lai-chau_qd16-2010_boi-thuong-ho-tro-tai-dinh-cu.md"].meta.title
    assert "BỒI THƯỜNG, HỖ TRỢ, TÁI ĐỊNH CƯ" in lai_chau and "miễn giảm" not in lai_chau.lower()
    kh252 = loaded["national_kh252-2013_tim-kiem-quy-tap-hai-cot-liet-si.md"].meta.title
    assert kh252.startswith("TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 1237")
    assert "Yên Bái" not in loaded["binhdinh_qd518-qdubnd_2023_phan-bo-von-de-an-csvc-giao-duc.txt"].meta.title
    cv = loaded["national_cv1040-2012_che-do-nguoi-nhiem-chat-doc-hoa-hoc.md"].meta.title
    assert cv.startswith("V/v hướng dẫn giải quyết chế độ")
