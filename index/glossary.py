"""A curated English -> Vietnamese glossary of plan vocabulary, for lexical query expansion.

Built by reading the sample plans (Kế hoạch …/KH-UBND on vocational training,
career guidance and streaming): an English question shares almost no tokens with
a Vietnamese plan, so BM25 would find nothing. ``expand_query`` appends the
Vietnamese terms of every English phrase found (longest phrases first, each
span of the question used once). Only the lexical retriever gets the expanded
text; the multilingual dense model gets the original question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index._text import detect_language, english_word_share, fold_diacritics


# Weight of a question-focus concept (who leads / how much / by when / who signed) in
# lexical scoring. Topic words ("vocational training in Cao Bằng") are shared by every
# passage of the plan; the focus words pick out the passage that answers.
FOCUS_WEIGHT = 2.0


@dataclass(frozen=True)
class GlossaryEntry:
    english: tuple[str, ...]  # lower-case phrases; a trailing plural "s"/"es" is matched automatically
    vietnamese: tuple[str, ...]
    focus: bool = False  # names what the question asks for (a role, an amount, a date, a signer)


@dataclass(frozen=True)
class Expansion:
    """One concept found in a question: its Vietnamese alternatives and its lexical weight."""

    alternatives: tuple[str, ...]
    weight: float = 1.0


def _e(english: str, vietnamese: str, *, focus: bool = False) -> GlossaryEntry:
    return GlossaryEntry(
        tuple(p.strip() for p in english.split("|") if p.strip()),
        tuple(v.strip() for v in vietnamese.split("|") if v.strip()),
        focus,
    )


def _f(english: str, vietnamese: str) -> GlossaryEntry:
    return _e(english, vietnamese, focus=True)


# Agencies, offices and bodies named in the plans.
_AGENCIES = (
    _e("department of labour, invalids and social affairs|department of labor, invalids and social affairs|"
       "labour, invalids and social affairs|labor, invalids and social affairs|labour invalids and social affairs|"
       "labor invalids and social affairs|molisa|dolisa|labour department|labor department",
       "Sở Lao động - Thương binh và Xã hội|Lao động - Thương binh và Xã hội|LĐTBXH"),
    _e("invalids|war invalids", "thương binh"),
    _e("social affairs", "xã hội"),
    _e("department of education and training|education and training|education department|doet|moet",
       "Sở Giáo dục và Đào tạo|Giáo dục và Đào tạo|GD&ĐT"),
    _e("department of finance|finance department|finance|financial", "Sở Tài chính|Tài chính"),
    _e("department of planning and investment|planning and investment", "Sở Kế hoạch và Đầu tư|Kế hoạch và Đầu tư"),
    _e("department of home affairs|home affairs|interior", "Sở Nội vụ|Nội vụ"),
    _e("department of information and communications|information and communications|information and communication",
       "Sở Thông tin và Truyền thông|Thông tin và Truyền thông"),
    _e("department of agriculture and rural development|agriculture and rural development|agriculture|agricultural",
       "Sở Nông nghiệp và Phát triển nông thôn|Nông nghiệp và Phát triển nông thôn|nông nghiệp"),
    _e("department of industry and trade|industry and trade", "Sở Công Thương|Công Thương"),
    _e("department of health|health", "Sở Y tế|Y tế"),
    _e("department of construction|construction", "Sở Xây dựng|xây dựng"),
    _e("department of culture|culture, sports and tourism|culture", "Sở Văn hóa|Văn hóa, Thể thao và Du lịch"),
    _e("department of science and technology|science and technology", "Sở Khoa học và Công nghệ|Khoa học và Công nghệ"),
    _e("ethnic minority committee|ethnic affairs committee|ethnic committee|ethnic affairs", "Ban Dân tộc"),
    _e("department|provincial department|sector|agency|agencies", "Sở|sở, ban, ngành|sở, ngành"),
    _e("people's committee|peoples committee|people committee|provincial people's committee|provincial committee",
       "Ủy ban nhân dân|UBND|Ủy ban nhân dân tỉnh|UBND tỉnh"),
    _e("people's council|peoples council|provincial council", "Hội đồng nhân dân|HĐND"),
    _e("party committee|provincial party committee", "Tỉnh ủy|cấp ủy"),
    _e("standing committee", "Ban Thường vụ"),
    _e("fatherland front", "Mặt trận Tổ quốc|MTTQ"),
    _e("youth union|communist youth union", "Đoàn Thanh niên|Tỉnh đoàn"),
    _e("women's union|womens union|women union", "Hội Liên hiệp Phụ nữ"),
    _e("farmers' union|farmers union|farmer association", "Hội Nông dân"),
    _e("socio-political organisations|socio-political organizations|mass organisations|mass organizations",
       "tổ chức chính trị - xã hội|đoàn thể"),
    _e("employment service centre|employment service center|job centre|job center",
       "Trung tâm dịch vụ việc làm"),
    _e("radio and television|radio|television|broadcasting", "Đài Phát thanh và Truyền hình"),
    _e("newspaper|press", "Báo|báo chí"),
    _e("vocational education division|vocational training division", "Phòng Giáo dục nghề nghiệp"),
    _e("district labour office|district labor office", "Phòng Lao động - Thương binh và Xã hội"),
    _e("district education office|education office", "Phòng Giáo dục và Đào tạo"),
    _e("office|division", "Phòng|Văn phòng"),
    _e("ministry", "Bộ"),
    _e("prime minister", "Thủ tướng Chính phủ"),
    _e("government", "Chính phủ"),
)

# Roles, responsibilities and actions.
_ROLES = (
    _f("in charge of|in charge|responsible for|responsible|responsibility|responsibilities|accountable",
       "chủ trì|chịu trách nhiệm|trách nhiệm|phụ trách"),
    _f("lead agency|leading agency|lead|leads|leading|led by|who leads|who is leading",
       "chủ trì|chỉ đạo|chịu trách nhiệm"),
    _f("direct|directs|direction|directing|steer|steering", "chỉ đạo"),
    _f("coordinate|coordinates|coordinating|coordination|cooperate|cooperation|collaborate|collaboration|"
       "in coordination with|work with|support agency|supporting agency",
       "phối hợp"),
    _f("assign|assigned|assignment|task assignment|division of tasks", "phân công|giao"),
    _e("implement|implementation|implementing|carry out|carrying out|execute|execution",
       "triển khai thực hiện|tổ chức thực hiện|thực hiện"),
    _e("guide|guidance|instruct|instructions", "hướng dẫn"),
    _e("inspect|inspection|inspections|supervise|supervision|monitor|monitoring|oversight",
       "kiểm tra|giám sát|theo dõi"),
    _e("evaluate|evaluation|assess|assessment|review", "đánh giá|sơ kết|tổng kết"),
    _e("report|reports|reporting", "báo cáo"),
    _e("periodic|periodically|regularly", "định kỳ|thường xuyên"),
    _e("annual|annually|every year|each year|yearly|per year", "hằng năm|hàng năm|mỗi năm"),
    _e("propaganda|communication|communications|awareness|raise awareness|publicity|disseminate|dissemination",
       "tuyên truyền|truyền thông|phổ biến|nâng cao nhận thức"),
    _e("advise|advice|advisory|counselling|counseling|consult|consultation|consulting", "tư vấn|tham mưu"),
    _e("propose|proposal|recommend|recommendation", "đề xuất|kiến nghị|đề nghị"),
    _e("approve|approved|approval", "phê duyệt"),
    _e("survey|review needs|needs assessment", "khảo sát|rà soát"),
    _e("task|tasks|duty|duties", "nhiệm vụ"),
    _e("solution|solutions|measure|measures", "giải pháp"),
    _e("plan|plans|action plan", "Kế hoạch|kế hoạch"),
    _e("program|programme|programs|programmes", "Chương trình"),
    _e("project|scheme", "Đề án|dự án"),
    _e("resolution", "Nghị quyết"),
    _e("directive", "Chỉ thị"),
    _e("decision", "Quyết định"),
    _e("conclusion|notice of conclusion", "Kết luận|Thông báo kết luận"),
    _e("official letter|dispatch", "Công văn"),
)

# Money, dates, people and signatures.
_ADMIN = (
    _f("budget|budgets|funding|fund|funds|cost|costs|expenditure|spending|money|finance source|financing|"
       "how much money|allocated",
       "kinh phí|ngân sách|nguồn vốn|triệu đồng|tỷ đồng|nguồn kinh phí"),
    _f("state budget|provincial budget", "ngân sách nhà nước|ngân sách tỉnh|ngân sách địa phương"),
    _f("million dong|million vnd|vnd million", "triệu đồng"),
    _f("billion dong|billion vnd", "tỷ đồng"),
    _f("deadline|deadlines|due date|due|timeline|time frame|timeframe|schedule|by when|when|until|no later than",
       "thời gian|thời hạn|trước ngày|xong trước|hoàn thành|tiến độ"),
    _e("period|phase|stage", "giai đoạn"),
    _f("signed|signs|sign|signer|signatory|who signed", "ký|người ký|KT. CHỦ TỊCH|CHỦ TỊCH|PHÓ CHỦ TỊCH"),
    _e("chairman|chairwoman|chairperson|chair", "Chủ tịch"),
    _e("vice chairman|vice-chairman|vice chair|deputy chairman", "Phó Chủ tịch"),
    _e("director", "Giám đốc"),
    _f("issued|issue date|date of issue|issuance|published|promulgated", "ban hành|ngày|ngày ban hành"),
    _e("number|document number|reference number", "số|Số"),
    _e("recipients|distribution list", "Nơi nhận"),
    _e("appendix|annex|attached table", "Phụ lục"),
    _f("target|targets|goal|goals|objective|objectives|aim|aims", "chỉ tiêu|mục tiêu|phấn đấu"),
    _e("general objective|overall objective|overall goal", "mục tiêu tổng quát|mục tiêu chung"),
    _e("specific objective|specific objectives|specific targets", "mục tiêu cụ thể"),
    _e("purpose|requirement|requirements", "mục đích|yêu cầu"),
    _f("rate|ratio|percentage|proportion|share|percent", "tỷ lệ|%"),
    _e("quota|quotas", "chỉ tiêu"),
    _e("policy|policies", "chính sách|chế độ"),
    _e("support|supports|subsidy|subsidies|assistance", "hỗ trợ"),
    _e("socialization|private investment|mobilise resources|mobilize resources", "xã hội hóa|huy động nguồn lực"),
    _e("investment|invest", "đầu tư"),
    _e("resources|resource", "nguồn lực"),
)

# Education, training and labour vocabulary.
_DOMAIN = (
    _e("vocational training|vocational education|vocational|job training|skills training|tvet|vet",
       "đào tạo nghề|giáo dục nghề nghiệp|GDNN|học nghề|dạy nghề"),
    _e("vocational school|vocational schools|vocational institution|vocational institutions|"
       "vocational training institution|vocational education institution|training institution|training facility",
       "cơ sở giáo dục nghề nghiệp|cơ sở GDNN|cơ sở đào tạo"),
    _e("career guidance|career orientation|career counselling|career counseling|career advice|vocational guidance",
       "hướng nghiệp|giáo dục hướng nghiệp|tư vấn hướng nghiệp|định hướng nghề nghiệp"),
    _e("streaming|student streaming|tracking|channelling|channeling|diversion|orientation after lower secondary",
       "phân luồng|phân luồng học sinh|định hướng phân luồng"),
    _e("rural workers|rural labourers|rural laborers|rural labour|rural labor|rural labour force|rural workforce",
       "lao động nông thôn|LĐNT"),
    _e("rural|countryside|rural area|rural areas", "nông thôn"),
    _e("new rural development|new countryside", "nông thôn mới"),
    _e("worker|workers|labourer|labourers|laborer|laborers|labour|labor|labour force|labor force|workforce",
       "lao động|người lao động|lực lượng lao động"),
    _e("labour market|labor market|job market", "thị trường lao động"),
    _e("employment|jobs|job|job creation|job placement", "việc làm|giải quyết việc làm|tạo việc làm"),
    _e("human resources|manpower|human capital", "nguồn nhân lực|nhân lực"),
    _e("high-quality|high quality", "chất lượng cao"),
    _e("quality", "chất lượng"),
    _e("training|train|trained|trains", "đào tạo|bồi dưỡng"),
    _e("education", "giáo dục"),
    _e("enrolment|enrollment|enrol|enroll|admission|admissions|recruitment of students|intake",
       "tuyển sinh|tuyển mới"),
    _e("student|students|pupil|pupils|learner|learners|trainee|trainees", "học sinh|học viên|người học|sinh viên"),
    _e("parent|parents", "cha mẹ học sinh|phụ huynh"),
    _e("teacher|teachers|lecturer|lecturers|instructor|instructors|trainer|trainers|teaching staff",
       "giáo viên|nhà giáo|giảng viên|người dạy nghề"),
    _e("managers|management staff|administrators|officials|civil servants|public employees",
       "cán bộ quản lý|cán bộ, công chức, viên chức"),
    _e("college|colleges", "cao đẳng|Trường Cao đẳng"),
    _e("intermediate|intermediate level|secondary vocational", "trung cấp"),
    _e("elementary level|elementary vocational|primary vocational|short-term training|short course|short courses",
       "sơ cấp|đào tạo dưới 3 tháng|dưới 3 tháng"),
    _e("university|universities|higher education", "đại học"),
    _e("school|schools", "trường|cơ sở giáo dục"),
    _e("lower secondary|lower secondary school|junior high|middle school", "trung học cơ sở|THCS"),
    _e("upper secondary|upper secondary school|high school|senior high", "trung học phổ thông|THPT"),
    _e("general education|general school", "giáo dục phổ thông|phổ thông"),
    _e("continuing education|continuing education centre|continuing education center|gdtx",
       "giáo dục thường xuyên|GDTX|Trung tâm GDNN-GDTX"),
    _e("graduate|graduates|graduation|after graduating", "tốt nghiệp|sau tốt nghiệp"),
    _e("qualification|qualifications|level|levels|training level", "trình độ|cấp trình độ"),
    _e("skill|skills", "kỹ năng|kỹ năng nghề"),
    _e("digital skills", "kỹ năng số"),
    _e("digital transformation|digitalization|digitalisation|digital", "chuyển đổi số|kinh tế số|số hóa"),
    _e("curriculum|curricula|syllabus|textbooks|training programmes|training programs",
       "chương trình, giáo trình|giáo trình|chương trình đào tạo"),
    _e("learning outcomes|output standards", "chuẩn đầu ra"),
    _e("facilities|infrastructure|equipment|teaching equipment",
       "cơ sở vật chất|thiết bị|trang thiết bị|thiết bị đào tạo"),
    _e("standards|standard|meet standards|accreditation|quality assurance", "đạt chuẩn|kiểm định chất lượng|chuẩn"),
    _e("network|school network|restructure|restructuring|merge|merger|consolidation|reorganise|reorganize",
       "mạng lưới|sắp xếp|tinh gọn|sáp nhập"),
    _e("enterprise|enterprises|business|businesses|company|companies|employer|employers|firms",
       "doanh nghiệp|nhà tuyển dụng"),
    _e("start-up|startup|start-ups|startups|entrepreneurship", "khởi nghiệp"),
    _e("job fair|job fairs|career fair|career day|festival", "ngày hội|ngày hội tư vấn|sàn giao dịch việc làm"),
    _e("experiential|field trip|field trips|visit|visits|hands-on", "trải nghiệm|tham quan"),
    _e("ethnic minorities|ethnic minority", "dân tộc thiểu số"),
    _e("women|female", "phụ nữ|lao động nữ"),
    _e("youth|young people", "thanh niên"),
    _e("disabled|disabilities|people with disabilities", "người khuyết tật"),
    _e("poor households|poverty|near-poor", "hộ nghèo|cận nghèo|giảm nghèo"),
    _e("labour export|labor export|working abroad|overseas employment", "xuất khẩu lao động|đi làm việc ở nước ngoài"),
    _e("industrialization|industrialisation|modernization|modernisation", "công nghiệp hóa, hiện đại hóa"),
    _e("fourth industrial revolution|industry 4.0|industrial revolution", "cách mạng công nghiệp lần thứ tư|cách mạng công nghiệp 4.0"),
    _e("socio-economic development|economic development", "phát triển kinh tế - xã hội"),
)

# Administrative levels and places.
_PLACES = (
    _e("district|districts|district level", "huyện|cấp huyện|UBND các huyện"),
    _e("town|towns", "thị xã|thị trấn"),
    _e("city|cities", "thành phố"),
    _e("urban district|urban districts", "quận"),
    _e("commune|communes|commune level|ward|wards", "xã|cấp xã|phường"),
    _e("province|provinces|provincial", "tỉnh"),
    _e("locality|localities|local", "địa phương"),
    _e("area|territory", "địa bàn|trên địa bàn"),
    _e("hanoi|ha noi", "Hà Nội"),
    _e("ho chi minh city|hcmc|saigon", "Thành phố Hồ Chí Minh"),
    _e("da nang|danang", "Đà Nẵng"),
    _e("hai phong|haiphong", "Hải Phòng"),
    _e("can tho", "Cần Thơ"),
    _e("hue|thua thien hue|thua thien-hue", "Thừa Thiên Huế|Huế"),
)

# The 63 provinces and centrally-run cities (pre-2025), written without diacritics as
# English text usually has them; folded matching makes "cao bang" meet "Cao Bằng"
# anyway, so these mainly let callers recognise a province in an English question.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Thành phố Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_PROVINCE_ENTRIES = tuple(
    _e(f"{fold_diacritics(p)}|{fold_diacritics(p).replace(' - ', ' ')}", p)
    for p in PROVINCES
    if p not in ("Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Thừa Thiên Huế")
) + (_e("bac can", "Bắc Kạn"), _e("dak lak|daklak|dac lac", "Đắk Lắk"), _e("vung tau|ba ria", "Bà Rịa - Vũng Tàu"))

GLOSSARY: tuple[GlossaryEntry, ...] = _AGENCIES + _ROLES + _ADMIN + _DOMAIN + _PLACES + _PROVINCE_ENTRIES


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...]:
    """(phrase pattern, Vietnamese terms, focus), longest phrase first so multi-word phrases win."""
    phrases: dict[str, tuple[tuple[str, ...], bool]] = {}
    for entry in GLOSSARY:
        for phrase in entry.english:
            key = fold_diacritics(phrase)
            terms, focus = phrases.get(key, ((), False))
            phrases[key] = (tuple(dict.fromkeys(terms + entry.vietnamese)), focus or entry.focus)
    ordered = sorted(phrases.items(), key=lambda item: (-len(item[0].split()), -len(item[0]), item[0]))
    out = []
    for phrase, (terms, focus) in ordered:
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        plural = "" if phrase.endswith("s") or not phrase[-1].isalpha() else "(?:s|es)?"
        out.append((re.compile(rf"(?<![\w']){body}{plural}(?![\w'])"), terms, focus))
    return tuple(out)


def _padded_words(folded: str) -> str:
    """" w1 w2 … " so that a phrase is found in a text only as whole words."""
    return " " + " ".join(re.findall(r"[^\W_]+", folded)) + " "


def glossary_concepts(question: str) -> list[Expansion]:
    """For each English phrase found in ``question`` (longest first, each span used once), its
    Vietnamese renderings, in the order the phrases appear. Renderings that the question
    already contains (a province written without diacritics) are left out: the question's
    own tokens match them."""
    text = fold_diacritics(question).replace("’", "'")
    taken = [False] * len(text)
    found: list[tuple[int, Expansion]] = []
    padded = _padded_words(text)
    for pattern, terms, focus in _patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            new_terms = tuple(t for t in terms if _padded_words(fold_diacritics(t)) not in padded)
            if new_terms:
                found.append((start, Expansion(new_terms, FOCUS_WEIGHT if focus else 1.0)))
    found.sort(key=lambda item: item[0])
    return list(dict.fromkeys(expansion for _, expansion in found))


def glossary_terms(question: str) -> list[str]:
    """Vietnamese terms for the English phrases in ``question``, in order found, without repeats."""
    return list(dict.fromkeys(term for concept in glossary_concepts(question) for term in concept.alternatives))


def expansion_concepts(question: str) -> list[Expansion]:
    """What the lexical retriever adds to an English question: one weighted synonym set per concept.

    (Focus weighting was also tried for Vietnamese questions — "ai chủ trì" -> chủ trì /
    chỉ đạo / chịu trách nhiệm — and left out: on the sample plans it helped one probe
    question and hurt another.)
    """
    if not question.strip() or not is_english(question):
        return []
    return glossary_concepts(question)


def is_english(question: str) -> bool:
    if detect_language(question) == "en":
        return True
    en, vi = english_word_share(question)  # e.g. "Who leads … in Cao Bằng?": a diacritic, mostly English
    return en >= 2 and en > vi


def expand_query(question: str) -> str:
    """``question`` plus Vietnamese plan vocabulary for its English phrases (unchanged if Vietnamese).

    Terms go on their own lines so lexical bigrams never join words of two different terms.
    (The lexical retriever itself uses ``expansion_concepts`` to score each concept once.)
    """
    if not question.strip() or not is_english(question):
        return question
    terms = list(dict.fromkeys(t for concept in glossary_concepts(question) for t in concept.alternatives))
    return question if not terms else question + "\n" + "\n".join(terms)
