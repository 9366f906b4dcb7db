"""The kind of fact a question asks for (a date, an amount, an agency …) and whether a unit shows one.

The cue phrases and unit patterns are data (``assistant/data/answer_types.toml``), so a new kind
of question is a table edit, not a code branch. The answerer uses ``type_match`` as one ranking
feature; it never decides alone.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant._text import fold, has_vietnamese_marks, nfc, words

DATA_FILE = Path(__file__).with_name("data") / "answer_types.toml"
SECONDARY_WEIGHT = 0.6  # a unit showing a further asked type, not the main one


@dataclass(frozen=True)
class AnswerType:
    name: str
    cues: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]  # (cue, accented pattern, folded pattern)
    patterns: tuple[re.Pattern[str], ...]
    required: bool = False  # a unit that shows no such fact cannot answer
    exclude_places: bool = False  # matches that are province names do not count

    def shown_in(self, text: str, question: str = "") -> bool:
        """``text`` shows a fact of this type; one the question itself names ("sở nào thẩm định
        phương án sáp nhập Trường Trung cấp …" is not answered by "Trường Trung cấp …") does not count."""
        folded = fold(text)
        asked_in = f" {' '.join(words(fold(question)))} " if question and asks_which(question) else ""
        for p in self.patterns:
            for source in (text, folded):
                for m in p.finditer(source):
                    if self.exclude_places and _is_place(source, m.start(), m.group(0)):
                        continue
                    if asked_in and f" {_leading_words(fold(source[m.start():]), m.end() - m.start())} " in asked_in:
                        continue
                    return True
        return False


# "sở nào …?", "ai …?", "which department …?": the question asks for a name it does not give.
# ("Sở LĐTBXH chủ trì những nhiệm vụ nào?" names the agency and asks for its tasks.)
_ASKS_WHICH = re.compile(
    r"(?<![^\W_])(?:(?:so|co quan|don vi|bo|ban|phong|nganh|uy ban|to chuc|cap|truong|trung tam|nguoi) nao|ai"
    r"|which|who|whom)(?![^\W_])"
)


def asks_which(question: str) -> bool:
    return _ASKS_WHICH.search(fold(question)) is not None


def _leading_words(folded: str, span_len: int, least: int = 3) -> str:
    """The matched words, or the first ``least`` words from the match on when the match is
    shorter (an agency pattern matches "Sở N…" only)."""
    ws = words(folded)
    taken, size = [], 0
    for w in ws:
        taken.append(w)
        size += len(w) + 1
        if size > span_len and len(taken) >= least:
            break
    return " ".join(taken)


_CALENDAR_WORDS = frozenset({"năm", "tháng", "ngày", "nam", "thang", "ngay"})


def _cue_pattern(cue: str) -> re.Pattern[str]:
    if cue == "%":
        return re.compile("%")
    # "bao nhiêu năm" asks for a number of years, "bao nhiêu năm 2022" for a figure of the year 2022
    dated = r"(?!\s*\d)" if cue.split()[-1] in _CALENDAR_WORDS else ""
    return re.compile(r"(?<![^\W_])" + r"\s+".join(map(re.escape, cue.split())) + r"(?![^\W_])" + dated)


@functools.lru_cache(maxsize=1)
def answer_types() -> tuple[AnswerType, ...]:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    types = []
    for name, spec in data.items():
        cues = tuple(
            (cue, _cue_pattern(nfc(cue).lower()), _cue_pattern(fold(cue))) for cue in spec.get("cues", ())
        )
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in spec.get("patterns", ()))
        types.append(AnswerType(name, cues, patterns, bool(spec.get("required", False)),
                                bool(spec.get("exclude_places", False))))
    return tuple(types)


def asked_types(question: str) -> tuple[str, ...]:
    """Types whose cues the question contains, in the table's order (specific kinds first).

    A question typed without any Vietnamese diacritics also matches the cues' folded forms.
    """
    lower = nfc(question).lower()
    plain = not any(has_vietnamese_marks(w) for w in words(lower))
    folded = fold(question)
    best: dict[str, int] = {}
    order = {t.name: i for i, t in enumerate(answer_types())}
    for t in answer_types():
        for cue, accented, folded_pattern in t.cues:
            if accented.search(lower) or (plain and folded_pattern.search(folded)):
                best[t.name] = max(best.get(t.name, 0), len(cue))
    return tuple(sorted(best, key=lambda n: order[n]))


_PLACE_WORD_BEFORE = re.compile(
    r"(?:huyện|xã|phường|quận|thị xã|thị trấn|tỉnh|thành phố|tp\.?|thôn|bản|làng|khu|tổ dân phố)\s*$", re.IGNORECASE
)


def _is_place(text: str, start: int, span: str) -> bool:
    """The capitalised words of a match name a place: a province ("Nguồn Cao Bằng" → "Cao Bằng"),
    or a district / commune, which the text introduces as one ("Huyện Thạch An")."""
    from ingest.provinces import find_provinces

    if _PLACE_WORD_BEFORE.search(text[max(0, start - 16):start]):
        return True
    words_ = [w for w in span.split() if w[:1].isupper()]
    tail = " ".join(words_[-2:]) if len(words_) >= 2 else ""
    return bool(tail) and bool(find_provinces(tail))


def requires_fact(asked: tuple[str, ...]) -> bool:
    """The main asked type is one a unit must show to answer at all (a figure, a date, a name …)."""
    if not asked:
        return False
    by_name = {t.name: t for t in answer_types()}
    return by_name[asked[0]].required if asked[0] in by_name else False


def type_match(text: str, asked: tuple[str, ...], question: str = "") -> float:
    """1 when ``text`` shows the main asked type, ``SECONDARY_WEIGHT`` for a further one, else 0.
    Facts the question itself names do not count.

    With nothing asked (a "what is …" question) every unit matches equally (0.5)."""
    if not asked:
        return 0.5
    by_name = {t.name: t for t in answer_types()}
    for i, name in enumerate(asked):
        t = by_name.get(name)
        if t is not None and t.shown_in(text, question):
            return 1.0 if i == 0 else SECONDARY_WEIGHT
    return 0.0


def fact_spans(text: str, asked: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where ``text`` shows the first asked kind of fact it shows at all: (start, end) offsets,
    in reading order (empty when it shows none)."""
    by_name = {t.name: t for t in answer_types()}
    folded = fold(text)
    same_length = len(folded) == len(text)  # folding keeps offsets for NFC Vietnamese text
    for name in asked:
        t = by_name.get(name)
        if t is None:
            continue
        spans = {m.span() for p in t.patterns for m in p.finditer(text)}
        if same_length:
            spans |= {m.span() for p in t.patterns for m in p.finditer(folded)}
        if spans:
            return sorted(spans)
    return []


# A document speaks of itself as "<its type> này" ("Quyết định này có hiệu lực …", "triển khai Kế hoạch
# này"); a question that names a document by its type or number is about that whole document.
DOCUMENT_TYPE_WORDS = (
    "kế hoạch", "quyết định", "bộ luật", "luật", "nghị định", "thông tư", "chỉ thị", "nghị quyết", "quy định",
    "quy chế", "công văn", "thông báo", "báo cáo", "pháp lệnh", "văn bản", "chương trình", "đề án", "hướng dẫn",
)
_SELF = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in DOCUMENT_TYPE_WORDS) + r")\s+này(?![^\W_])")
_NAMES_TYPE = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(fold(w)) for w in DOCUMENT_TYPE_WORDS)
                         + r"|decision|plan|decree|circular|law|directive|resolution|regulation|letter)(?![^\W_])")


# "… tổ chức triển khai thực hiện kế hoạch bảo đảm hiệu quả": carrying out the document as a whole
_CARRIES_OUT = re.compile(
    r"(?<![^\W_])(?:triển khai|tổ chức thực hiện|thực hiện)\s+(?:các nội dung của\s+|có hiệu quả\s+)?(?:"
    + "|".join(re.escape(w) for w in DOCUMENT_TYPE_WORDS) + r")(?![^\W_])(?!\s+(?:số|của|về|\d))"
)


def speaks_of_itself(text: str) -> bool:
    """The text refers to its own document as a whole ("Quyết định này", "Luật này", "tổ chức
    triển khai thực hiện kế hoạch"), not to another one ("thực hiện Kế hoạch số 375")."""
    lower = nfc(text).lower()
    return _SELF.search(lower) is not None or _CARRIES_OUT.search(lower) is not None


def names_a_document(analysis) -> bool:
    """The question is about a document as such: it gives a number or names a type of document."""
    return bool(getattr(analysis, "plan_numbers", ()) or getattr(analysis, "document_ids", ())) or (
        _NAMES_TYPE.search(fold(analysis.question)) is not None
    )
