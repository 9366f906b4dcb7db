"""English -> Vietnamese query expansion for the lexical side."""
from __future__ import annotations

import re
import shutil
import tomllib

import pytest

from index.glossary import (
    FOCUS_WEIGHT,
    GLOSSARY,
    GLOSSARY_DIR,
    GlossaryDataError,
    compile_patterns,
    expand_query,
    expansion_concepts,
    glossary,
    glossary_concepts,
    glossary_terms,
    load_glossary,
)


def test_glossary_is_large_enough():
    assert len(GLOSSARY) >= 100
    assert sum(len(e.english) for e in GLOSSARY) >= 300


def test_english_question_gets_vietnamese_terms():
    expanded = expand_query("Who leads rural vocational training in Cao Bằng?")
    assert expanded.startswith("Who leads rural vocational training in Cao Bằng?")
    for term in ("chủ trì", "đào tạo nghề", "nông thôn", "giáo dục nghề nghiệp"):
        assert term in expanded


def test_multi_word_phrases_win_over_their_words():
    terms = glossary_terms("the Department of Labour, Invalids and Social Affairs")
    assert "Sở Lao động - Thương binh và Xã hội" in terms
    assert "thương binh" not in terms  # "invalids" was consumed by the longer phrase
    terms = glossary_terms("rural workers")
    assert terms[:2] == ["lao động nông thôn", "LĐNT"]


def test_agencies_money_and_dates():
    terms = glossary_terms("How much funding does the Department of Finance give and what is the deadline?")
    for t in ("kinh phí", "ngân sách", "Sở Tài chính", "thời gian", "trước ngày"):
        assert t in terms
    assert "Ủy ban nhân dân" in glossary_terms("people's committee of Yen Bai")
    # "Yen Bai" already matches "Yên Bái" lexically (folded): no duplicate term is added
    assert "Yên Bái" not in glossary_terms("people's committee of Yen Bai")
    assert "Hà Nội" in glossary_terms("Hanoi enrolment targets")
    assert "tuyển sinh" in glossary_terms("Hanoi enrolment targets")


def test_plural_forms_match():
    assert "giáo viên" in glossary_terms("teachers")
    assert "huyện" in glossary_terms("all districts")
    assert "cao đẳng" in glossary_terms("colleges")


def test_vietnamese_questions_are_left_alone():
    for q in ("Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?", "ai chu tri dao tao nghe o cao bang"):
        assert expand_query(q) == q


def test_no_partial_word_matches():
    assert glossary_terms("leadership") == []  # "lead" must not match inside a word
    assert expand_query("") == ""


def test_concepts_carry_focus_weights():
    concepts = expansion_concepts("Who leads rural vocational training in Cao Bằng?")
    by_first = {c.alternatives[0]: c for c in concepts}
    assert by_first["chủ trì"].weight == FOCUS_WEIGHT > 1.0  # what the question asks for
    assert by_first["đào tạo nghề"].weight == 1.0  # what it is about
    assert "giáo dục nghề nghiệp" in by_first["đào tạo nghề"].alternatives
    assert expansion_concepts("Ai chủ trì đào tạo nghề?") == []


# -- the vocabulary as data -----------------------------------------------------------------

SAMPLE_PLAN_FILE = "00_sample_plans.toml"


def test_every_data_entry_is_well_formed():
    entries = glossary()
    assert entries is glossary()  # loaded once
    assert len(entries) >= 600
    groups = {e.group for e in entries}
    assert {"plan agencies", "document types", "ministries", "budget cycle", "land", "meritorious service",
            "minerals"} <= groups
    for e in entries:
        assert e.english and e.vietnamese, e
        for phrase in e.english:
            assert phrase == phrase.lower() == phrase.strip() and re.fullmatch(r"[a-z0-9][a-z0-9 ,.'&/-]*", phrase), e
        for term in e.vietnamese:
            assert term == term.strip() and term, e
        assert isinstance(e.focus, bool)


def test_each_data_file_loads_on_its_own(tmp_path):
    files = sorted(GLOSSARY_DIR.glob("*.toml"))
    assert len(files) >= 5
    for path in files:
        folder = tmp_path / path.stem
        folder.mkdir()
        shutil.copy(path, folder)
        assert load_glossary(folder)


def test_general_phrases_do_not_change_sample_plan_phrases():
    """No English phrase of the sample-plan vocabulary is redefined elsewhere (it would merge
    renderings), and each one alone still expands exactly as the sample-plan file says."""
    plans = tuple(e for e in glossary() if e.group in _groups_of(SAMPLE_PLAN_FILE))
    plan_phrases = {" ".join(re.split(r"[\s-]+", p)) for e in plans for p in e.english}
    others = [e for e in glossary() if e not in plans]
    clashes = {p for e in others for p in e.english if " ".join(re.split(r"[\s-]+", p)) in plan_phrases}
    assert not clashes
    plan_patterns = compile_patterns(plans)
    for e in plans:
        for phrase in e.english:
            assert glossary_concepts(phrase) == glossary_concepts(phrase, plan_patterns), phrase


def _groups_of(file_name: str) -> set[str]:
    data = tomllib.loads((GLOSSARY_DIR / file_name).read_text(encoding="utf-8"))
    return {g["name"] for g in data["group"]}


# Expansions of questions about the sample plans, as the glossary written from them gave them
# (recorded with that glossary before the general vocabulary was added).
SAMPLE_PLAN_EXPANSIONS = {
    "Which department coordinates career guidance and streaming in lower secondary schools?": [
        (("Sở", "sở, ban, ngành", "sở, ngành"), 1.0),
        (("phối hợp",), FOCUS_WEIGHT),
        (("hướng nghiệp", "giáo dục hướng nghiệp", "tư vấn hướng nghiệp", "định hướng nghề nghiệp"), 1.0),
        (("phân luồng", "phân luồng học sinh", "định hướng phân luồng"), 1.0),
        (("trung học cơ sở", "THCS"), 1.0),
    ],
    "By when must districts report on training for rural workers?": [
        (("thời gian", "thời hạn", "trước ngày", "xong trước", "hoàn thành", "tiến độ"), FOCUS_WEIGHT),
        (("huyện", "cấp huyện", "UBND các huyện"), 1.0),
        (("báo cáo",), 1.0),
        (("đào tạo", "bồi dưỡng"), 1.0),
        (("lao động nông thôn", "LĐNT"), 1.0),
    ],
    "Which agency is responsible for the state budget funding?": [
        (("Sở", "sở, ban, ngành", "sở, ngành"), 1.0),
        (("chủ trì", "chịu trách nhiệm", "trách nhiệm", "phụ trách"), FOCUS_WEIGHT),
        (("ngân sách nhà nước", "ngân sách tỉnh", "ngân sách địa phương"), FOCUS_WEIGHT),
        (("kinh phí", "ngân sách", "nguồn vốn", "triệu đồng", "tỷ đồng", "nguồn kinh phí"), FOCUS_WEIGHT),
    ],
    "What support policies exist for ethnic minority trainees at vocational schools?": [
        (("hỗ trợ",), 1.0),
        (("chính sách", "chế độ"), 1.0),
        (("dân tộc thiểu số",), 1.0),
        (("học sinh", "học viên", "người học", "sinh viên"), 1.0),
        (("cơ sở giáo dục nghề nghiệp", "cơ sở GDNN", "cơ sở đào tạo"), 1.0),
    ],
    "Who signed the Bac Kan plan and when was it issued?": [
        (("ký", "người ký", "KT. CHỦ TỊCH", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"), FOCUS_WEIGHT),
        (("Kế hoạch", "kế hoạch"), 1.0),  # "Bắc Kạn": the question's own words match it
        (("thời gian", "thời hạn", "trước ngày", "xong trước", "hoàn thành", "tiến độ"), FOCUS_WEIGHT),
        (("ban hành", "ngày", "ngày ban hành"), FOCUS_WEIGHT),
    ],
}


@pytest.mark.parametrize("question", sorted(SAMPLE_PLAN_EXPANSIONS))
def test_sample_plan_expansions_unchanged(question):
    got = [(c.alternatives, c.weight) for c in expansion_concepts(question)]
    assert got == SAMPLE_PLAN_EXPANSIONS[question]


def test_new_words_only_add_concepts_to_sample_plan_questions():
    """A sample-plan question with words the plan glossary lacked keeps every concept it had."""
    plans = tuple(e for e in glossary() if e.group in _groups_of(SAMPLE_PLAN_FILE))
    patterns = compile_patterns(plans)
    for question in (
        "How much state budget does Yen Bai allocate for vocational education?",
        "What is the deadline for the Department of Labour, Invalids and Social Affairs to send the annual report?",
    ):
        before = glossary_concepts(question, patterns)
        after = glossary_concepts(question)
        assert set(before) < set(after)


# -- English questions about decisions, laws, official letters and reports ------------------

def _concepts(question: str) -> dict[str, float]:
    """Each rendering found -> the weight of its concept."""
    return {alt: c.weight for c in expansion_concepts(question) for alt in c.alternatives}


def test_effect_and_allowances_in_a_decree():
    got = _concepts("When does the decree on allowances for war invalids take effect?")
    assert got["có hiệu lực"] == FOCUS_WEIGHT
    assert got["trợ cấp"] == got["phụ cấp"] == FOCUS_WEIGHT  # several renderings of one concept
    assert "Nghị định" in got and "thương binh" in got


def test_land_recovery_compensation_and_resettlement():
    got = _concepts("Which agency appraises the compensation plan when the State recovers land for resettlement?")
    assert got["thẩm định"] == FOCUS_WEIGHT
    assert "phương án bồi thường" in got  # a compensation plan is a "phương án", not a "kế hoạch"
    assert "Kế hoạch" not in got
    assert "thu hồi đất" in got and "tái định cư" in got


def test_working_days_and_land_use_fee_exemption():
    got = _concepts(
        "How many working days does the commune People's Committee have to handle an application for "
        "land-use fee exemption?"
    )
    assert got["ngày làm việc"] == FOCUS_WEIGHT
    assert "UBND cấp xã" in got and "Ủy ban nhân dân cấp xã" in got
    assert got["tiền sử dụng đất"] == FOCUS_WEIGHT and got["miễn"] == FOCUS_WEIGHT
    assert got["giải quyết"] == FOCUS_WEIGHT and "hồ sơ" in got


def test_hyphenated_and_spaced_phrases_match_alike():
    assert glossary_terms("land-use fee") == glossary_terms("land use fee") == ["tiền sử dụng đất"]
    assert glossary_terms("lower-secondary schools")[:1] == ["trung học cơ sở"]
    assert glossary_terms("one-off allowance") == glossary_terms("one off allowance")


def test_meritorious_service_devices_and_caps():
    got = _concepts("What is the maximum support for orthopaedic devices for people with meritorious service?")
    assert got["tối đa"] == FOCUS_WEIGHT
    assert "dụng cụ chỉnh hình" in got and "phương tiện trợ giúp" in got
    assert "người có công với cách mạng" in got
    got = _concepts("How often do martyrs' relatives get rotating convalescence?")
    assert "điều dưỡng luân phiên" in got and "thân nhân liệt sĩ" in got and got["định kỳ"] == FOCUS_WEIGHT


def test_minerals_budget_and_inspection():
    got = _concepts("Who must approve the mine closure plan of a mining licence holder?")
    assert got["phê duyệt"] == FOCUS_WEIGHT
    assert "đề án đóng cửa mỏ" in got and "giấy phép khai thác khoáng sản" in got
    got = _concepts("Which circular sets the norms for recurrent expenditure?")
    assert {"Thông tư", "định mức", "chi thường xuyên"} <= set(got)
    got = _concepts("Must the provincial inspectorate report to the Government Inspectorate?")
    assert {"Thanh tra tỉnh", "Thanh tra Chính phủ", "báo cáo"} <= set(got)


def test_documents_powers_and_chemicals():
    got = _concepts("Which article repeals the 2019 decision?")
    assert got["bãi bỏ"] == FOCUS_WEIGHT and "Điều" in got and "Quyết định" in got
    got = _concepts("Can the Director of the Department of Industry and Trade be authorised to grant chemical import licences?")
    assert got["ủy quyền"] == FOCUS_WEIGHT
    assert {"Sở Công Thương", "hóa chất", "giấy phép nhập khẩu"} <= set(got)
    got = _concepts("What fire prevention duties does the provincial police have?")
    assert {"phòng cháy, chữa cháy", "PCCC", "Công an tỉnh"} <= set(got)


def test_budget_estimates_and_submission():
    got = _concepts("When must the budget estimate for the next year be submitted to the Ministry of Finance?")
    assert got["dự toán"] == FOCUS_WEIGHT and got["trình"] == FOCUS_WEIGHT
    assert "Bộ Tài chính" in got and "năm kế hoạch" in got


@pytest.mark.parametrize("word", ["document", "use", "state", "person", "text", "capital", "it", "under", "within", "order"])
def test_generic_words_are_not_expanded(word):
    assert glossary_terms(f"the {word}") == []


def test_bad_data_files_are_one_line_errors(tmp_path):
    cases = {
        "not toml": "[[group]\n",
        "no entries": '[[group]]\nname = "x"\n',
        "upper case": '[[group]]\nname = "x"\nentries = [ { en = "Decree", vi = "Nghị định" } ]\n',
        "empty alternative": '[[group]]\nname = "x"\nentries = [ { en = "decree", vi = "Nghị định|" } ]\n',
        "unknown key": '[[group]]\nname = "x"\nentries = [ { en = "decree", vi = "Nghị định", weight = 2 } ]\n',
        "focus not bool": '[[group]]\nname = "x"\nentries = [ { en = "decree", vi = "Nghị định", focus = "yes" } ]\n',
        "other table": '[meta]\nx = 1\n',
    }
    for name, text in cases.items():
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        (folder / "g.toml").write_text(text, encoding="utf-8")
        with pytest.raises(GlossaryDataError) as err:
            load_glossary(folder)
        assert "\n" not in str(err.value) and "g.toml" in str(err.value), name
    with pytest.raises(GlossaryDataError):
        load_glossary(tmp_path / "nothing here")
