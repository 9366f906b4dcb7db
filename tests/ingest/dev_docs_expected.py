"""What ``../shared/external/dev-docs/SOURCES.md`` states about each file: type, number, date.

One row per file. ``number`` and ``date`` (ISO) are the values SOURCES.md gives. ``year`` is
the issue year. ``code`` is the part of the number after the running digits ("QĐ-UBND").

``stamped=True`` marks the digitally signed PDFs whose number and day are not in the
page text at all (the text layer reads "Số: /2025/QĐ-UBND … ngày tháng năm 2025"; the
values live in the signature widgets' appearance streams, which OCR fills in later). For
those only the code and the year can be expected from the text. ``draft=True`` marks the
unnumbered Lào Cai drafts ("Số: /KH-UBND", "ngày … tháng … năm 2026"): number "".
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expected:
    doc_type: str
    number: str
    date: str  # ISO, "" when SOURCES.md gives none
    year: str
    code: str
    stamped: bool = False
    draft: bool = False


DEV_DOCS: dict[str, Expected] = {
    "binhdinh_qd518-qdubnd_2023_phan-bo-von-de-an-csvc-giao-duc.txt":
        Expected("Quyết định", "518/QĐ-UBND", "2023-02-23", "2023", "QĐ-UBND"),
    "gia-lai_qd31-2011_mien-giam-tien-su-dung-dat-nguoi-co-cong.md":
        Expected("Quyết định", "31/2011/QĐ-UBND", "2011-11-10", "2011", "QĐ-UBND"),
    "ha-noi_nq11-2025_phan-cap-nguon-thu-nhiem-vu-chi-ngan-sach.pdf":
        Expected("Nghị quyết", "11/2025/NQ-HĐND", "2025-06-27", "2025", "NQ-HĐND"),
    "ha-noi_qd03-2025_su-dung-kinh-phi-chi-thuong-xuyen-luat-thu-do.pdf":
        Expected("Quyết định", "03/2025/QĐ-UBND", "2025-01-17", "2025", "QĐ-UBND", stamped=True),
    "ha-noi_qd06-2025_dinh-muc-chi-phi-dao-tao-boi-duong-cbccvc.pdf":
        Expected("Quyết định", "06/2025/QĐ-UBND", "2025-01-23", "2025", "QĐ-UBND", stamped=True),
    "ha-noi_qd21-2025_chuc-nang-nhiem-vu-so-y-te.pdf":
        Expected("Quyết định", "21/2025/QĐ-UBND", "2025-02-28", "2025", "QĐ-UBND", stamped=True),
    "ha-noi_qd35-2024_quy-che-cong-dan-thu-do-uu-tu.pdf":
        Expected("Quyết định", "35/2024/QĐ-UBND", "2024-05-28", "2024", "QĐ-UBND", stamped=True),
    "ha-noi_qd36-2025_tieu-chi-chat-luong-dich-vu-cong-nong-nghiep.pdf":
        Expected("Quyết định", "36/2025/QĐ-UBND", "2025-06-16", "2025", "QĐ-UBND", stamped=True),
    "ha-noi_qd6154-2011_dieu-duong-luan-phien-nguoi-co-cong.md":
        Expected("Quyết định", "6154/QĐ-UBND", "2011-12-30", "2011", "QĐ-UBND"),
    "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf":
        Expected("Quyết định", "11/2025/QĐ-UBND", "2025-02-28", "2025", "QĐ-UBND", stamped=True),
    "hanoi_qd64-2024-qdubnd_dinh-muc-dao-tao-37-nghe-so-cap.pdf":
        Expected("Quyết định", "64/2024/QĐ-UBND", "2024-11-07", "2024", "QĐ-UBND", stamped=True),
    "hcm_qd49-2012-qdubnd_quy-che-kinh-phi-uu-dai-nguoi-co-cong.txt":
        Expected("Quyết định", "49/2012/QĐ-UBND", "2012-10-23", "2012", "QĐ-UBND"),
    "lai-chau_qd16-2010_boi-thuong-ho-tro-tai-dinh-cu.md":
        Expected("Quyết định", "16/2010/QĐ-UBND", "2010-08-09", "2010", "QĐ-UBND"),
    "lao-cai_bc-du-thao-2026_ket-qua-chi-thi-38-ttg-khoang-san.docx":
        Expected("Báo cáo", "", "", "2026", "BC-UBND", draft=True),
    "lao-cai_bc-du-thao-2026_quan-ly-nha-nuoc-khoang-san-nam-2025.docx":
        Expected("Báo cáo", "", "", "2026", "BC-UBND", draft=True),
    "lao-cai_cv-du-thao-2026_bao-ve-khoang-san-chua-khai-thac.docx":
        Expected("Công văn", "", "", "2026", "UBND-KT", draft=True),
    "lao-cai_cv-snnmt-du-thao-2025_thuc-hien-luat-dia-chat-khoang-san.docx":
        Expected("Công văn", "", "", "2025", "SNNMT-KS", draft=True),
    "lao-cai_cv7432-2026_trien-khai-qd1074-pccc.pdf":
        Expected("Công văn", "7432/UBND-XD", "2026-07-21", "2026", "UBND-XD", stamped=True),
    "lao-cai_kh-du-thao-2026_trien-khai-chi-thi-11-quan-ly-khoang-san.docx":
        Expected("Kế hoạch", "", "", "2026", "KH-UBND", draft=True),
    "lao-cai_qd1696-2026_uy-quyen-so-cong-thuong-atvsld-hang-nguy-hiem.pdf":
        Expected("Quyết định", "1696/QĐ-UBND", "2026-05-15", "2026", "QĐ-UBND", stamped=True),
    "national_ct31-2012_dao-tao-nghe-viec-lam-con-liet-si.md":
        Expected("Chỉ thị", "31/CT-TTg", "2012-11-28", "2012", "CT-TTg"),
    "national_cv1040-2012_che-do-nguoi-nhiem-chat-doc-hoa-hoc.md":
        Expected("Công văn", "1040/LĐTBXH-NCC", "2012-04-09", "2012", "LĐTBXH-NCC"),
    "national_cv1414-2013_ho-tro-nguoi-co-cong-cai-thien-nha-o.md":
        Expected("Công văn", "1414/TCT-CS", "2013-05-04", "2013", "TCT-CS"),
    "national_cv2638-2019_du-toan-ngan-sach-uu-dai-nguoi-co-cong.md":
        Expected("Công văn", "2638/LĐTBXH-KHTC", "2019-07-03", "2019", "LĐTBXH-KHTC"),
    "national_cv597-2026_giay-phep-hoa-chat-kiem-soat-dac-biet.docx":
        Expected("Công văn", "597/HC-QLHC", "2026-03-27", "2026", "HC-QLHC"),
    "national_kh252-2013_tim-kiem-quy-tap-hai-cot-liet-si.md":
        Expected("Kế hoạch", "252/KH-BCĐQG1237", "2013-11-11", "2013", "KH-BCĐQG1237"),
    "national_luat84-2025_thanh-tra.docx":
        Expected("Luật", "84/2025/QH15", "2025-06-25", "2025", "QH15"),
    "national_nd55-2023_sua-doi-nd75-2021-uu-dai-nguoi-co-cong.pdf":
        Expected("Nghị định", "55/2023/NĐ-CP", "2023-07-21", "2023", "NĐ-CP"),
    "national_qd773-2018_ke-hoach-thuc-hien-chi-thi-14-nguoi-co-cong.md":
        Expected("Quyết định", "773/QĐ-TTg", "2018-06-26", "2018", "QĐ-TTg"),
    "national_tt101-2018_kinh-phi-uu-dai-nguoi-co-cong.md":
        Expected("Thông tư", "101/2018/TT-BTC", "2018-11-14", "2018", "TT-BTC"),
    "tuyenquang_qd986-qdubnd_2024_ke-hoach-thoi-gian-nam-hoc.txt":
        Expected("Quyết định", "986/QĐ-UBND", "2024-08-13", "2024", "QĐ-UBND"),
}

# Decisions and the law: a chunk must never run across two articles ("Điều N.").
ARTICLE_DOCS = (
    "national_luat84-2025_thanh-tra.docx",
    "gia-lai_qd31-2011_mien-giam-tien-su-dung-dat-nguoi-co-cong.md",
    "ha-noi_qd6154-2011_dieu-duong-luan-phien-nguoi-co-cong.md",
    "hcm_qd49-2012-qdubnd_quy-che-kinh-phi-uu-dai-nguoi-co-cong.txt",
    "lai-chau_qd16-2010_boi-thuong-ho-tro-tai-dinh-cu.md",
    "national_qd773-2018_ke-hoach-thuc-hien-chi-thi-14-nguoi-co-cong.md",
    "national_tt101-2018_kinh-phi-uu-dai-nguoi-co-cong.md",
    "ha-noi_qd03-2025_su-dung-kinh-phi-chi-thuong-xuyen-luat-thu-do.pdf",
    "ha-noi_qd06-2025_dinh-muc-chi-phi-dao-tao-boi-duong-cbccvc.pdf",
    "ha-noi_qd21-2025_chuc-nang-nhiem-vu-so-y-te.pdf",
    "ha-noi_qd35-2024_quy-che-cong-dan-thu-do-uu-tu.pdf",
    "ha-noi_qd36-2025_tieu-chi-chat-luong-dich-vu-cong-nong-nghiep.pdf",
    "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf",
    "hanoi_qd64-2024-qdubnd_dinh-muc-dao-tao-37-nghe-so-cap.pdf",
    "lao-cai_qd1696-2026_uy-quyen-so-cong-thuong-atvsld-hang-nguy-hiem.pdf",
    "binhdinh_qd518-qdubnd_2023_phan-bo-von-de-an-csvc-giao-duc.txt",
    "tuyenquang_qd986-qdubnd_2024_ke-hoach-thoi-gian-nam-hoc.txt",
    "ha-noi_nq11-2025_phan-cap-nguon-thu-nhiem-vu-chi-ngan-sach.pdf",
)
