"""What a document's text says about its own standing: replaced/repealed documents, period end."""
from __future__ import annotations

import pytest

from ingest.status import is_plan, period_end, read_status, reference_key

DECISION_END = (
    "Điều 7. Điều khoản thi hành\n"
    "1. Quyết định này có hiệu lực kể từ ngày 01 tháng 3 năm 2025 và thay thế Quyết định số "
    "22/2024/QĐ-UBND ngày 07 tháng 3 năm 2024 của Ủy ban nhân dân Thành phố về việc quy định chức năng.\n"
    "2. Bãi bỏ Kế hoạch số 12/KH-UBND ngày 05/02/2021 của UBND tỉnh.\n"
)


def test_replaced_and_repealed_documents_with_the_year_of_their_date():
    facts = read_status(DECISION_END)
    assert facts.replaces == ("22/2024/QĐ-UBND|2024",)
    assert facts.repeals == ("12/KH-UBND|2021",)


def test_several_documents_replaced_in_one_sentence():
    text = ("Quyết định này có hiệu lực kể từ ngày 01 tháng 3 năm 2025, thay thế Quyết định số 10/2024/QĐ-UBND "
            "ngày 01 tháng 02 năm 2024 và Quyết định số 19/2024/QĐ-UBND ngày 21 tháng 02 năm 2024.")
    assert read_status(text).replaces == ("10/2024/QĐ-UBND|2024", "19/2024/QĐ-UBND|2024")


@pytest.mark.parametrize(
    "text",
    [
        "điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế theo quy định",  # not a document
        "Căn cứ Thông tư số 25/2010/TT-BLĐTBXH về việc sửa đổi và thay thế Thông tư số 06/2007/TT-BLĐTBXH;",
        "thực hiện theo Thông tư số 25/2010/TT-BLĐTBXH ngày 11/9/2010 về việc sửa đổi và thay thế Thông tư số 06/2007/TT-BLĐTBXH",
        "Quyết định này được thay thế bởi Quyết định số 5/2026/QĐ-UBND.",
    ],
)
def test_cues_that_do_not_say_what_this_document_replaces(text):
    facts = read_status(text)
    assert facts.replaces == () and facts.repeals == ()


@pytest.mark.parametrize(
    "title, issued_year, plan, end",
    [
        ("Kế hoạch phát triển giáo dục nghề nghiệp tỉnh Bắc Kạn giai đoạn 2021-2025", 2022, True, "2025"),
        ("Chương trình đào tạo nghề đến năm 2030", 2024, True, "2030"),
        ("Triển khai đề án trên địa bàn tỉnh Yên Bái năm 2020", 2020, True, "2020"),
        ("Khắc phục hạn chế trong công tác giáo dục nghề nghiệp năm 2021", 2022, True, ""),  # looks back
        ("Báo cáo quản lý nhà nước về khoáng sản năm 2025", 2026, False, ""),  # a report, not a plan
        ("Chỉ thị số 14-CT/TW ngày 19 tháng 7 năm 2017", None, True, ""),  # a date, not a period
    ],
)
def test_period_end_from_the_title(title, issued_year, plan, end):
    assert period_end(title, issued_year, plan=plan) == end


def test_expiry_date_and_plan_detection():
    facts = read_status("Quyết định này hết hiệu lực kể từ ngày 31/12/2025.")
    assert facts.expires == "2025-12-31"
    assert is_plan("UBND TỈNH\nKẾ HOẠCH\nTriển khai …") and is_plan("", "37/KH-UBND")
    assert not is_plan("QUYẾT ĐỊNH\nVề việc …", "11/2025/QĐ-UBND")


def test_reference_key_ignores_case_diacritics_spaces_and_so():
    assert reference_key("Số: 22/2024/QĐ-UBND") == reference_key("22/2024/qd-ubnd") == "22/2024/qd-ubnd"


# --- the real documents in ../shared/external/dev-docs ----------------------------------------------------


def _load(external_dir, name):
    from ingest.loaders import load_document

    return load_document(external_dir / "dev-docs" / name)


def test_hanoi_qd11_2025_replaces_qd22_2024(external_dir):
    doc = _load(external_dir, "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf")
    assert doc.meta.replaces == ("22/2024/QĐ-UBND|2024",) and doc.meta.repeals == ()


def test_hanoi_qd21_2025_replaces_the_health_and_labour_department_decisions(external_dir):
    doc = _load(external_dir, "ha-noi_qd21-2025_chuc-nang-nhiem-vu-so-y-te.pdf")
    # its "thuốc thay thế" (substitution treatment) is not a reference
    assert doc.meta.replaces == ("10/2024/QĐ-UBND|2024", "19/2024/QĐ-UBND|2024")


def test_hanoi_qd03_2025_repeals_qd35_2022(external_dir):
    doc = _load(external_dir, "ha-noi_qd03-2025_su-dung-kinh-phi-chi-thuong-xuyen-luat-thu-do.pdf")
    assert doc.meta.repeals == ("35/2022/QĐ-UBND|2022",)


def test_a_cited_acts_own_replacement_is_not_the_documents(external_dir):
    doc = _load(external_dir, "ha-noi_qd6154-2011_dieu-duong-luan-phien-nguoi-co-cong.md")
    assert doc.meta.replaces == () and doc.meta.repeals == ()


def test_lai_chau_qd16_2010_replaces_four_decisions(external_dir):
    doc = _load(external_dir, "lai-chau_qd16-2010_boi-thuong-ho-tro-tai-dinh-cu.md")
    assert doc.meta.replaces == (
        "25/2005/QĐ-UB|2005", "32/2005/QĐ-UB|2005", "57/2005/QĐ-UB|2005", "03/2009/QĐ-UBND|2009",
    )


def test_sample_plan_period(tmp_path):
    from pathlib import Path

    from ingest.loaders import load_document

    plans = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
    assert load_document(plans / "bac-kan-37-KH-UBND-2022.txt").meta.period_end == "2025"
    assert load_document(plans / "yen-bai-49-KH-UBND-2020.txt").meta.period_end == "2020"
    assert load_document(plans / "ha-noi-72-KH-UBND-2022.txt").meta.period_end == ""
