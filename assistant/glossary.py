"""A small bilingual glossary for vocational-training plans.

English questions meet Vietnamese passages through ``en_to_vi()`` (phrases first, longest
match wins): the index layer's curated ``index.glossary.GLOSSARY`` (the same vocabulary
the lexical retriever expands queries with), overridden by ``_OWN_EN_TO_VI`` below where
the answerer needs another first choice (e.g. "chairs" as a verb is "chủ trì", not "Chủ tịch").
Each English term maps to alternatives, the first being the usual plan wording.
Vietnamese spellings meet each other through ``VI_SYNONYMS`` and the abbreviations of
``VI_ABBREVIATIONS`` that plans use everywhere (LĐNT, GDNN, TB&XH …).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ingest.normalize import fold_diacritics


_OWN_EN_TO_VI: dict[str, tuple[str, ...]] = {
    # who / agencies
    "department of labour": ("Sở Lao động - Thương binh và Xã hội",),
    "department of labor": ("Sở Lao động - Thương binh và Xã hội",),
    "labour department": ("Sở Lao động - Thương binh và Xã hội",),
    "labor department": ("Sở Lao động - Thương binh và Xã hội",),
    "molisa": ("Lao động - Thương binh và Xã hội",),
    "department of education": ("Sở Giáo dục và Đào tạo",),
    "education department": ("Sở Giáo dục và Đào tạo",),
    "department of finance": ("Sở Tài chính",),
    "finance department": ("Sở Tài chính",),
    "department of planning and investment": ("Sở Kế hoạch và Đầu tư",),
    "planning and investment": ("Kế hoạch và Đầu tư",),
    "department of home affairs": ("Sở Nội vụ",),
    "home affairs": ("Nội vụ",),
    "department of agriculture": ("Sở Nông nghiệp và Phát triển nông thôn",),
    "department of information and communications": ("Sở Thông tin và Truyền thông",),
    "information and communications": ("Thông tin và Truyền thông",),
    "department of culture": ("Sở Văn hóa, Thể thao và Du lịch",),
    "department of science": ("Sở Khoa học và Công nghệ",),
    "department of industry and trade": ("Sở Công thương",),
    "people's committee": ("Ủy ban nhân dân",),
    "peoples committee": ("Ủy ban nhân dân",),
    "people's council": ("Hội đồng nhân dân",),
    "fatherland front": ("Mặt trận Tổ quốc",),
    "youth union": ("Đoàn Thanh niên",),
    "women's union": ("Hội Liên hiệp Phụ nữ",),
    "farmers' union": ("Hội Nông dân",),
    "ethnic minority committee": ("Ban Dân tộc",),
    "ethnic affairs": ("Ban Dân tộc",),
    "district": ("huyện",),
    "districts": ("huyện",),
    "commune": ("xã",),
    "communes": ("xã",),
    "department": ("Sở",),
    "departments": ("Sở",),
    "division": ("Phòng",),
    "requirement": ("yêu cầu",),
    "requirements": ("yêu cầu",),
    "meet requirements": ("đáp ứng yêu cầu",),
    "chairs": ("chủ trì",),
    "chaired by": ("chủ trì",),
    "inspection team": ("đoàn kiểm tra", "Đoàn"),
    "inspection teams": ("đoàn kiểm tra", "Đoàn"),
    "provincial level": ("cấp tỉnh",),
    "district level": ("cấp huyện",),
    "campus": ("cơ sở",),
    "moving": ("dồn", "chuyển"),
    "move": ("dồn", "chuyển"),
    "relocating": ("dồn", "chuyển"),
    "buying": ("mua sắm",),
    "purchase": ("mua sắm",),
    "purchasing": ("mua sắm",),
    "public": ("công lập",),
    "total": ("tổng", "tổng kinh phí"),
    "conclusion notice": ("Thông báo kết luận",),
    "notice": ("Thông báo",),
    "december": ("tháng 12", "/12"),
    "courses": ("học nghề", "khóa học"),
    "course": ("học nghề", "khóa học"),
    "counselling": ("tư vấn",),
    "counseling": ("tư vấn",),
    "delegates": ("đại biểu",),
    "participants": ("đại biểu", "người"),
    "sessions": ("buổi",),
    "session": ("buổi",),
    # further plan vocabulary an English question may use
    "information": ("thông tin",),
    "supply": ("cung cấp",),
    "industrial zones": ("khu công nghiệp",),
    "industrial parks": ("khu công nghiệp",),
    "industrial": ("công nghiệp",),
    "export processing zones": ("khu chế xuất",),
    "export processing": ("chế xuất",),
    "zones": ("khu",),
    "authority": ("Ban Quản lý",),
    "management board": ("Ban Quản lý",),
    "fair": ("ngày hội", "hội"),
    "organise": ("tổ chức",),
    "organize": ("tổ chức",),
    "organising": ("tổ chức",),
    "organizing": ("tổ chức",),
    "secretariat": ("Ban Bí thư",),
    "central committee": ("Trung ương",),
    "party": ("Đảng", "TW"),
    "media coverage": ("truyền thông", "báo chí"),
    "coverage": ("tuyên truyền", "đưa tin"),
    "special pages": ("chuyên trang",),
    "columns": ("chuyên mục",),
    "column": ("chuyên mục",),
    "consult": ("xin ý kiến", "tham mưu", "tư vấn"),
    "consults": ("xin ý kiến", "tham mưu", "tư vấn"),
    "consultation": ("xin ý kiến", "tham mưu", "tư vấn"),
    "options": ("phương án",),
    "option": ("phương án",),
    "medical": ("y tế",),
    "identify": ("xác định",),
    "identifying": ("xác định",),
    "promotion": ("thăng hạng",),
    "tuition support": ("học phí",),
    "exemption": ("miễn giảm",),
    "encourage": ("khuyến khích",),
    "postgraduate": ("sau đại học",),
    "degrees": ("trình độ",),
    "degree": ("trình độ",),
    "linkage": ("liên thông", "gắn kết"),
    "cooperation": ("hợp tác", "phối hợp", "liên kết"),
    "partnership": ("hợp tác", "liên kết"),
    "field": ("lĩnh vực",),
    "sectors": ("ngành",),
    "digital skills": ("kỹ năng số",),
    "residents": ("người dân",),
    "citizens": ("người dân",),
    "revolution": ("cách mạng",),
    "advantage": ("lợi thế",),
    "advantages": ("lợi thế",),
    "interprovincial": ("liên thông",),
    "streamlined": ("tinh gọn",),
    "emulation": ("thi đua",),
    "movement": ("phong trào",),
    "source": ("nguồn",),
    "sources": ("nguồn",),
    "quarterly": ("quý",),
    "monthly": ("hàng tháng", "tháng"),
    "appendix": ("phụ lục",),
    "annex": ("phụ lục",),
    "item": ("mục",),
    "table": ("biểu", "bảng"),
    # topics
    "vocational education": ("giáo dục nghề nghiệp",),
    "vocational training": ("đào tạo nghề",),
    "vocational": ("nghề nghiệp", "học nghề"),
    "career guidance": ("hướng nghiệp",),
    "career orientation": ("hướng nghiệp",),
    "career counselling": ("tư vấn hướng nghiệp",),
    "career counseling": ("tư vấn hướng nghiệp",),
    "streaming": ("phân luồng",),
    "student streaming": ("phân luồng học sinh",),
    "rural workers": ("lao động nông thôn",),
    "rural labour": ("lao động nông thôn",),
    "rural labor": ("lao động nông thôn",),
    "rural": ("nông thôn",),
    "workers": ("lao động",),
    "worker": ("lao động",),
    "labour": ("lao động",),
    "labor": ("lao động",),
    "labour market": ("thị trường lao động",),
    "labor market": ("thị trường lao động",),
    "employment": ("việc làm",),
    "jobs": ("việc làm",),
    "job": ("việc làm",),
    "training": ("đào tạo",),
    "train": ("đào tạo",),
    "trained": ("qua đào tạo",),
    "retraining": ("đào tạo lại",),
    "enrollment": ("tuyển sinh",),
    "enrolment": ("tuyển sinh",),
    "enroll": ("tuyển sinh",),
    "admissions": ("tuyển sinh",),
    "recruitment": ("tuyển sinh", "tuyển dụng"),
    "students": ("học sinh",),
    "student": ("học sinh",),
    "pupils": ("học sinh",),
    "learners": ("người học",),
    "teachers": ("nhà giáo", "giáo viên"),
    "teacher": ("nhà giáo", "giáo viên"),
    "lecturers": ("giảng viên",),
    "managers": ("cán bộ quản lý",),
    "lower secondary": ("trung học cơ sở",),
    "secondary school": ("trung học cơ sở",),
    "upper secondary": ("trung học phổ thông",),
    "high school": ("trung học phổ thông",),
    "general education": ("giáo dục phổ thông",),
    "college": ("cao đẳng",),
    "college level": ("cao đẳng",),
    "colleges": ("cao đẳng",),
    "intermediate": ("trung cấp",),
    "elementary": ("sơ cấp",),
    "schools": ("trường",),
    "school": ("trường",),
    "centres": ("trung tâm",),
    "centers": ("trung tâm",),
    "businesses": ("doanh nghiệp",),
    "business": ("doanh nghiệp",),
    "enterprises": ("doanh nghiệp",),
    "enterprise": ("doanh nghiệp",),
    "companies": ("doanh nghiệp",),
    "propaganda": ("tuyên truyền",),
    "communication": ("tuyên truyền", "truyền thông"),
    "communications": ("truyền thông",),
    "awareness": ("nhận thức", "tuyên truyền"),
    "media": ("truyền thông", "báo chí"),
    "inspection": ("kiểm tra",),
    "inspect": ("kiểm tra",),
    "supervision": ("giám sát",),
    "monitoring": ("giám sát", "theo dõi"),
    "report": ("báo cáo",),
    "reports": ("báo cáo",),
    "reporting": ("báo cáo",),
    "digital transformation": ("chuyển đổi số",),
    "information technology": ("công nghệ thông tin",),
    "tuition": ("học phí",),
    "tuition fees": ("học phí",),
    "fees": ("học phí",),
    "policy": ("chính sách",),
    "policies": ("chính sách",),
    "mechanism": ("cơ chế",),
    "ethnic minority": ("dân tộc thiểu số",),
    "ethnic minorities": ("dân tộc thiểu số",),
    "tourism": ("du lịch",),
    "startup": ("khởi nghiệp",),
    "start-up": ("khởi nghiệp",),
    "entrepreneurship": ("khởi nghiệp",),
    "innovation": ("đổi mới sáng tạo",),
    "competition": ("hội thi",),
    "competitions": ("hội thi", "cuộc thi"),
    "contest": ("hội thi",),
    "conference": ("hội nghị",),
    "conferences": ("hội nghị",),
    "workshop": ("hội thảo",),
    "equipment": ("trang thiết bị",),
    "facilities": ("cơ sở vật chất",),
    "curriculum": ("chương trình", "giáo trình"),
    "curricula": ("chương trình", "giáo trình"),
    "textbooks": ("giáo trình",),
    "quality": ("chất lượng",),
    "network": ("mạng lưới",),
    "merge": ("sáp nhập", "dồn"),
    "merger": ("sáp nhập", "dồn"),
    "reorganize": ("sắp xếp",),
    "reorganise": ("sắp xếp",),
    "restructure": ("cơ cấu lại", "sắp xếp"),
    "investment": ("đầu tư",),
    "invest": ("đầu tư",),
    "key occupations": ("nghề trọng điểm",),
    "occupations": ("ngành nghề",),
    "skills": ("kỹ năng",),
    "skill": ("kỹ năng",),
    "human resources": ("nguồn nhân lực",),
    "workforce": ("nguồn nhân lực", "lực lượng lao động"),
    "covid": ("Covid-19",),
    "pandemic": ("dịch bệnh",),
    "online": ("trực tuyến",),
    "graduates": ("tốt nghiệp",),
    "graduate": ("tốt nghiệp",),
    "graduation": ("tốt nghiệp",),
    "survey": ("khảo sát",),
    "needs": ("nhu cầu",),
    "demand": ("nhu cầu",),
    "forecast": ("dự báo",),
    "forecasting": ("dự báo",),
    "job fair": ("phiên giao dịch việc làm", "sàn giao dịch việc làm"),
    "job fairs": ("phiên giao dịch việc làm", "sàn giao dịch việc làm"),
    "shortcomings": ("hạn chế", "khuyết điểm"),
    "limitations": ("hạn chế",),
    "objectives": ("mục tiêu",),
    "objective": ("mục tiêu",),
    "goals": ("mục tiêu",),
    "goal": ("mục tiêu",),
    "targets": ("chỉ tiêu", "mục tiêu"),
    "target": ("chỉ tiêu", "mục tiêu"),
    "tasks": ("nhiệm vụ",),
    "task": ("nhiệm vụ",),
    "solutions": ("giải pháp",),
    "measures": ("giải pháp",),
    "budget": ("kinh phí", "ngân sách"),
    "funding": ("kinh phí", "ngân sách"),
    "funds": ("kinh phí",),
    "cost": ("kinh phí",),
    "costs": ("kinh phí",),
    "money": ("kinh phí",),
    "state budget": ("ngân sách nhà nước",),
    "national target program": ("chương trình mục tiêu quốc gia",),
    "national target programme": ("chương trình mục tiêu quốc gia",),
    "new rural development": ("nông thôn mới",),
    "new rural": ("nông thôn mới",),
    "rate": ("tỷ lệ",),
    "percentage": ("tỷ lệ",),
    "proportion": ("tỷ lệ",),
    "share": ("tỷ lệ",),
    "people": ("người",),
    "year": ("năm",),
    # time words the plans write in too many ways ("hằng năm", "mỗi năm", "năm 2022"): ignored
    "annually": (),
    "annual": (),
    "yearly": (),
    "every year": (),
    "each year": (),
    "per year": (),
    "a year": (),
    "period": ("giai đoạn",),
}

# Vietnamese spellings that should meet each other: a passage with the equivalent
# satisfies the key's syllables (written with diacritics; folded when a question is).
VI_SYNONYMS: dict[str, tuple[str, ...]] = {
    "dạy nghề": ("đào tạo nghề",),
    "học nghề": ("đào tạo nghề",),
    "đào tạo nghề": ("học nghề", "dạy nghề"),
    "ngân sách": ("kinh phí",),
    "kinh phí": ("ngân sách", "vốn", "tài trợ"),
    "giáo viên": ("nhà giáo",),
    "nhà giáo": ("giáo viên",),
    "thời hạn": ("thời gian",),
    "hạn chót": ("thời gian",),
    "phụ trách": ("chủ trì",),
    "tuyển sinh": ("đào tạo",),
    "trường": ("cơ sở",),
}

# Abbreviations used in plans, expanded (case-sensitive, as written) before scoring.
VI_ABBREVIATIONS: dict[str, str] = {
    "LĐNT": "lao động nông thôn",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "TB&XH": "Thương binh và Xã hội",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    "GDNN": "giáo dục nghề nghiệp",
    "CSGDNN": "cơ sở giáo dục nghề nghiệp",
    "GDTX": "giáo dục thường xuyên",
    "GDHN": "giáo dục hướng nghiệp",
    "TVHN": "tư vấn hướng nghiệp",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "PTNT": "Phát triển nông thôn",
    "KHCN": "Khoa học và Công nghệ",
    "MTQG": "mục tiêu quốc gia",
    "CTMTQG": "chương trình mục tiêu quốc gia",
    "KP": "kinh phí",
    "DN": "doanh nghiệp",
}


@lru_cache(maxsize=1)
def en_to_vi() -> dict[str, tuple[str, ...]]:
    """English phrase (lower-case) -> Vietnamese alternatives, usual plan wording first."""
    merged: dict[str, tuple[str, ...]] = {}
    try:
        from index.glossary import GLOSSARY
    except ImportError:
        GLOSSARY = ()
    for entry in GLOSSARY:
        for phrase in entry.english:
            merged[phrase.lower()] = tuple(entry.vietnamese)
    for phrase, ours in _OWN_EN_TO_VI.items():  # ours come first: worded for matching answer passages
        # an empty entry of ours means "ignore this English phrase"
        merged[phrase] = ours + tuple(v for v in merged.get(phrase, ()) if v not in ours) if ours else ()
    return merged


@lru_cache(maxsize=1)
def english_pattern() -> re.Pattern[str]:
    """Matches any English glossary term (plural "s"/"es" allowed) in lower-case text, longest first."""
    keys = sorted(en_to_vi(), key=len, reverse=True)
    body = "|".join(re.escape(k) for k in keys)
    return re.compile(r"(?<![\w'])(" + body + r")(?:s|es)?(?![\w'])")


@lru_cache(maxsize=2)
def _abbrev_pattern(any_case: bool) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {k: v for k, v in VI_ABBREVIATIONS.items()}
    if any_case:  # questions: "mttq", "thcs", "ldtbxh" (only abbreviations of 3+ letters: "tp", "dn" are words)
        for k, v in VI_ABBREVIATIONS.items():
            if len(k) >= 3:
                table.setdefault(k.lower(), v)
                table.setdefault(fold_diacritics(k), v)
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(k) for k in keys) + r")(?![^\W_])")
    return pattern, table


def expand_abbreviations(text: str, *, any_case: bool = False) -> str:
    """"đào tạo nghề cho LĐNT" → "đào tạo nghề cho lao động nông thôn" (for scoring, never for display).

    Plans write abbreviations in capitals, matched case-sensitively; ``any_case`` also
    expands lower-case and unaccented forms, as typed in questions.
    """
    pattern, table = _abbrev_pattern(any_case)
    return pattern.sub(lambda m: table[m.group(1)], text)
