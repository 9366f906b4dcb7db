"""Understand a question: language, scope (provinces, plan numbers), intent and content words.

``analyze`` is pure and cheap; the service calls it once per question and the
extractive answerer calls it again on the (contextualised) question it is given.
``contextualize`` turns a follow-up ("còn Hà Nội thì sao?", "what about Hanoi?") into
a standalone question using the previous user turn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant._provinces import province_mentions, same_province
from assistant._text import (
    detect_language,
    fold,
    fold_chars,
    has_vietnamese_marks,
    EN_STOP,
    content_runs,
    is_stopword,
    mostly_marked,
    nfc,
    words,
)
from assistant.glossary import VI_SYNONYMS, en_to_vi, english_pattern, expand_abbreviations
from assistant.types import Turn
from ingest.normalize import is_vietnamese_syllable
from ingest.types import DocumentMeta

INTENTS = ("lead", "coordinate", "deadline", "budget", "number", "signer", "issue_date", "list", "general")


@dataclass(frozen=True)
class QueryAnalysis:
    """What a question asks for.

    Term fields (keywords, phrases, alternates) are lower-case words in their matching
    form: with diacritics when ``marked`` (the question was written with them, or is
    English and went through the glossary), folded otherwise. Passages are tokenised the
    same way (``assistant._text.content_runs``) before they are compared.
    """

    question: str
    language: str  # "vi" | "en"
    intent: str  # one of INTENTS
    provinces: tuple[str, ...] = ()  # canonical names (the documents' spelling when a document has it)
    plan_numbers: tuple[str, ...] = ()  # "3058", "72" as named in the question
    document_ids: tuple[str, ...] = ()  # documents those plan numbers refer to
    keywords: tuple[str, ...] = ()  # content syllables, Vietnamese side (English mapped through the glossary)
    keyword_weights: tuple[float, ...] = ()  # parallel to keywords; an English term weighs 1 however many syllables it maps to
    phrases: tuple[str, ...] = ()  # multi-syllable phrases worth a bonus when a passage has them verbatim
    bigrams: tuple[str, ...] = ()  # adjacent syllable pairs of the question's words ("nông thôn", "đào tạo")
    alternates: tuple[tuple[str, str], ...] = ()  # (phrase, equivalent): a passage with the equivalent matches the phrase's syllables
    foreign_terms: tuple[str, ...] = ()  # English content words the glossary could not map
    expansions: tuple[str, ...] = ()  # Vietnamese glossary phrases found for an English question
    asks_amount: bool = False  # a budget question that wants a figure (not the funding source)
    also: tuple[str, ...] = ()  # further kinds of fact asked in the same question ("ai chủ trì, hạn khi nào?")
    plural: bool = False  # asks for several items ("những nguồn kinh phí nào?")
    row_refs: tuple[str, ...] = ()  # item numbers of a table or list the question points at ("mục 2.6", "section III")
    marked: bool = False  # term fields keep diacritics (question written with them, or English via the glossary)

    def weight(self, keyword: str) -> float:
        if not self.keyword_weights:
            return 1.0
        try:
            return self.keyword_weights[self.keywords.index(keyword)]
        except ValueError:
            return 0.0

    @property
    def names_scope(self) -> bool:
        """True when the question restricts itself to provinces or plans."""
        return bool(self.provinces or self.plan_numbers)


# ---------------------------------------------------------------------------
# intent cues. Accented cues match the question as written; when the question
# carries no Vietnamese diacritics at all they also match its folded form.
_CUES: dict[str, tuple[str, ...]] = {
    "signer": (
        "ai ký", "người ký", "ký bởi", "ký ban hành", "ký kế hoạch", "ký văn bản", "ai đã ký", "ký tên",
        "who signed", "signed by", "signer", "signatory", "who signs", "who sign",
    ),
    "issue_date": (
        "ngày ban hành", "ban hành ngày", "ban hành khi nào", "ban hành vào", "ban hành năm", "khi nào ban hành",
        "ban hành lúc nào", "ngày ký", "ký ngày", "ký khi nào", "ký vào ngày", "thời điểm ban hành",
        "issue date", "date of issue", "issued on", "date of the plan", "dated",
    ),
    "list": (
        "những tỉnh nào", "các tỉnh nào", "tỉnh nào", "tỉnh thành nào", "địa phương nào", "những kế hoạch nào",
        "kế hoạch nào", "các kế hoạch", "tất cả các kế hoạch", "so sánh", "mỗi tỉnh", "từng tỉnh", "các tỉnh",
        "which provinces", "which province", "what provinces", "which plans", "which plan", "what plans",
        "all plans", "each province", "every province", "compare", "across", "list the plans", "list provinces",
    ),
    "coordinate": (
        "phối hợp", "hỗ trợ thực hiện", "cùng thực hiện", "coordinate", "coordinates", "coordinating",
        "coordination", "support", "supports", "supporting", "cooperate", "cooperates", "work with", "works with",
        "assist", "assists", "together with",
    ),
    "explicit_lead": (
        "chủ trì", "chịu trách nhiệm", "phụ trách", "trách nhiệm chính", "lead", "leads", "leading",
        "in charge", "responsible", "lead agency",
    ),
    "strong_lead": (
        "đơn vị nào", "cơ quan nào", "sở nào", "ban nào", "phòng nào", "ngành nào", "giao cho ai", "ai thực hiện",
        "ai chỉ đạo", "ai lãnh đạo", "ai làm", "ai đảm nhiệm", "which department", "which agency", "which body",
        "which office", "which unit", "which organisation", "which organization", "who implements",
        "who handles", "who carries out", "who is tasked", "who oversees", "who directs",
    ),
    "weak_lead": ("ai", "who"),
    "budget": (
        "kinh phí", "ngân sách", "bao nhiêu tiền", "triệu đồng", "tỷ đồng", "chi phí", "nguồn vốn", "vốn",
        "budget", "funding", "funds", "fund", "cost", "costs", "how much money", "spend", "spending", "money",
    ),
    "deadline_question": (
        "khi nào", "bao giờ", "lúc nào", "ngày nào", "tháng nào", "thời hạn", "hạn chót", "hạn cuối",
        "trước ngày nào", "when", "by when", "deadline", "due", "due date", "timeline", "time frame",
        "timeframe", "what date", "until when",
    ),
    "deadline_topic": ("thời gian", "trước ngày", "hoàn thành", "tiến độ", "how long", "complete", "finish"),
    "number": (
        "bao nhiêu", "mấy", "chỉ tiêu", "tỷ lệ", "tỉ lệ", "số lượng", "phần trăm", "%", "how many", "how much",
        "target", "targets", "rate", "percentage", "percent", "proportion", "number of", "quota",
    ),
    "source": ("nguồn", "từ đâu", "source", "sources", "from where", "funded by", "where does"),
    "amount": ("bao nhiêu", "how much", "mấy", "tổng", "total", "amount"),
    "plural": (
        "những", "những gì", "gồm những", "bao gồm", "liệt kê", "là những", "what are", "which are",
        "list", "all the", "sources", "options", "tasks", "duties",
    ),
}
# Cue phrases that only say *what kind* of answer is wanted; removed before content words are taken.
_QUESTION_PHRASES = (
    "ai ký", "người ký", "ký bởi", "ký ban hành", "ai đã ký", "ký tên", "ngày ban hành", "ban hành", "ngày ký",
    "chủ trì", "chịu trách nhiệm", "phụ trách", "trách nhiệm chính", "phối hợp", "đơn vị nào", "cơ quan nào",
    "sở nào", "ban nào", "phòng nào", "ngành nào", "giao cho ai", "ai thực hiện", "ai chỉ đạo", "ai lãnh đạo",
    "ai làm", "khi nào", "bao giờ", "lúc nào", "ngày nào", "tháng nào", "bao nhiêu", "mấy", "thì sao", "là gì",
    "như thế nào", "ra sao", "những tỉnh nào", "các tỉnh nào", "tỉnh nào", "tỉnh thành nào", "địa phương nào",
    "kế hoạch nào", "so sánh", "hỗ trợ thực hiện", "hạn khi nào", "hạn là khi nào", "hạn chót", "hạn cuối",
    "thời hạn", "hạn hoàn thành", "có nhiệm vụ gì", "nhiệm vụ gì", "những nhiệm vụ nào",
    "nhiệm vụ nào", "có trách nhiệm gì", "làm gì", "phải làm gì", "được giao gì", "giao những gì",
    "who signed", "signed by", "signer", "signatory", "issue date", "date of issue", "issued", "who leads",
    "who is responsible", "responsible for", "responsible", "in charge of", "in charge", "lead agency", "leads",
    "lead", "leading", "coordinates", "coordinate", "coordinating", "coordination", "which department",
    "which agency", "which body", "which office", "which unit", "which provinces", "which province",
    "which plans", "which plan", "what provinces", "how many", "how much", "by when", "deadline", "when",
    "who", "what", "which", "signed", "sign", "supports", "support", "cooperate", "work with",
    "what are the tasks of", "what are the duties of", "tasks of", "duties of", "responsibilities of",
    "what must", "what should", "what does", "what do", "what is assigned to", "assigned to",
)


def _cue_regex(cue: str) -> re.Pattern[str]:
    if cue == "%":
        return re.compile("%")
    return re.compile(r"(?<![^\W_])" + r"\s+".join(map(re.escape, cue.split())) + r"(?![^\W_])")


_CUE_PATTERNS: dict[str, list[tuple[re.Pattern[str], re.Pattern[str]]]] = {}


def _patterns(group: str) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    if group not in _CUE_PATTERNS:
        _CUE_PATTERNS[group] = [(_cue_regex(c.lower()), _cue_regex(fold(c))) for c in _CUES[group]]
    return _CUE_PATTERNS[group]


def _has_cue(group: str, lower: str, folded: str, plain: bool) -> bool:
    for accented, folded_pat in _patterns(group):
        if accented.search(lower) or (plain and folded_pat.search(folded)):
            return True
    return False


_ALSO_ORDER = ("signer", "issue_date", "lead", "coordinate", "deadline", "budget", "number")


def _detect_intent(question: str, *, scoped: bool = False) -> tuple[str, bool, tuple[str, ...], bool]:
    """(intent, asks_amount, further kinds of fact asked, asks for several items).

    ``scoped``: the question names one province or plan, so "kế hoạch nào" in it ("triển
    khai kế hoạch nào của Tỉnh ủy?") asks about that plan, not across plans.
    """
    intent, asks_amount, present = _primary_intent(question, scoped)
    also = tuple(i for i in _ALSO_ORDER if i in present and i != intent)
    lower = nfc(question).lower()
    plural = _has_cue("plural", lower, fold(question), not any(has_vietnamese_marks(w) for w in words(lower)))
    return intent, asks_amount, also, plural


def _primary_intent(question: str, scoped: bool) -> tuple[str, bool, set[str]]:
    lower = nfc(question).lower()
    folded = fold(question)
    plain = not any(has_vietnamese_marks(w) for w in words(lower))

    def has(group: str) -> bool:
        return _has_cue(group, lower, folded, plain)

    # English "when was … issued/signed/adopted" asks for the issue date, not a deadline
    issue_en = re.search(r"\bwhen\b.*\b(issued|signed|adopted|promulgated|released)\b", lower) is not None
    asks_amount = not has("source")
    present = set()
    if has("explicit_lead") or has("strong_lead"):
        present.add("lead")
    if has("coordinate"):
        present.add("coordinate")
    if has("deadline_question") or has("deadline_topic"):
        present.add("deadline")
    if has("budget"):
        present.add("budget")
    if has("number"):
        present.add("number")

    def result(intent: str) -> tuple[str, bool, set[str]]:
        return intent, asks_amount, present

    if has("signer") and not issue_en:
        present.add("signer")
    if has("issue_date") or issue_en:
        present.add("issue_date")
    if has("list") and not scoped:
        return result("list")
    if "signer" in present:
        return result("signer")
    if "issue_date" in present:
        return result("issue_date")
    if has("coordinate") and not has("explicit_lead"):
        return result("coordinate")
    if has("explicit_lead") or has("strong_lead"):
        return result("lead")
    if has("deadline_question"):
        return result("deadline")
    if has("weak_lead") and not has("amount"):
        return result("lead")  # "ai bố trí vốn …?" asks who, not how much
    if has("budget"):
        return result("budget")
    if has("weak_lead"):
        return result("lead")
    if has("number"):
        return result("number")
    if has("deadline_topic"):
        return result("deadline")
    return result("general")


# ---------------------------------------------------------------------------
# plan numbers
_PLAN_REF_PATTERNS = (
    re.compile(r"(?<![\w/])(\d{1,5})\s*/\s*kh(?:\s*-\s*[a-z&]+)*(?![a-z])"),  # 3058/KH-UBND
    re.compile(r"(?<![\w])(?:ke\s+hoach|kh|plan)\s*(?:so|number|no\.?|#|n°)?\s*(\d{1,5})(?![\d])"),
)


def _plan_references(question: str) -> list[tuple[str, int, int]]:
    folded = fold_chars(nfc(question))
    out: list[tuple[str, int, int]] = []
    for pattern in _PLAN_REF_PATTERNS:
        for m in pattern.finditer(folded):
            number = m.group(1).lstrip("0") or "0"
            if len(number) == 4 and 1990 <= int(number) <= 2035 and "/" not in m.group(0):
                continue  # "plan 2022" is a year
            if not any(s <= m.start() < e for _, s, e in out):
                out.append((number, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def _document_number(meta: DocumentMeta) -> str:
    m = re.match(r"\s*(\d+)", meta.number or "")
    if m:
        return m.group(1).lstrip("0") or "0"
    m = re.search(r"(?:^|-)(\d+)-KH", meta.doc_id)
    return (m.group(1).lstrip("0") or "0") if m else ""


def documents_for_numbers(numbers: Sequence[str], documents: Sequence[DocumentMeta]) -> tuple[str, ...]:
    wanted = set(numbers)
    return tuple(d.doc_id for d in documents if _document_number(d) and _document_number(d) in wanted)


_ROW_REF = re.compile(
    r"(?<![\w.])(?:muc|dong|row|item|line|section|phan|so thu tu|stt|tt)\s*(?:so|no\.?|#)?\s*"
    r"((?:\d+(?:\.\d+)*)|(?:[ivxlc]+))(?![\w.]|\.\d)"
)
_DOTTED = re.compile(r"(?<![\w./])(\d{1,2}\.\d{1,2}(?:\.\d{1,2})*)(?![\w/]|\.\d)")  # "2.6", not "6.000"


def _row_reference_spans(question: str) -> list[tuple[int, int]]:
    folded = fold_chars(nfc(question))
    return [(m.start(), m.end()) for m in _ROW_REF.finditer(folded)]


def _row_references(question: str) -> tuple[str, ...]:
    """Item numbers the question points at: "mục 1.1", "row 2.6", "section III", or a bare "2.6"."""
    folded = fold(question)
    refs = [m.group(1).upper() if m.group(1).isalpha() else m.group(1) for m in _ROW_REF.finditer(folded)]
    refs += [m.group(1) for m in _DOTTED.finditer(folded)]
    return tuple(dict.fromkeys(refs))


# ---------------------------------------------------------------------------
# provinces
def _provinces(question: str, documents: Sequence[DocumentMeta]) -> tuple[list[str], list[tuple[int, int]]]:
    mentions = province_mentions(question)
    spans = [(m.start, m.end) for m in mentions]
    names: list[str] = []
    for m in mentions:
        doc_spelling = next((d.province for d in documents if same_province(d.province, m.name)), "")
        names.append(doc_spelling or m.name)
    # documents whose province is outside our table (e.g. a new name) still match by folded text
    folded_q = f" {fold(question)} "
    for d in documents:
        if d.province and f" {fold(d.province)} " in folded_q and not any(same_province(d.province, n) for n in names):
            names.append(d.province)
    return list(dict.fromkeys(names)), spans


# ---------------------------------------------------------------------------
# content words
def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def _question_phrase_spans(text: str) -> list[tuple[int, int]]:
    lower = text.lower()
    folded = fold_chars(text)
    plain = not any(has_vietnamese_marks(w) for w in words(lower))
    spans = []
    for phrase in _QUESTION_PHRASES:
        for m in _cue_regex(phrase.lower()).finditer(lower):
            spans.append((m.start(), m.end()))
        if plain:
            for m in _cue_regex(fold(phrase)).finditer(folded):
                spans.append((m.start(), m.end()))
    return spans


def _content_sequence(text: str, keep_marks: bool) -> list[list[str]]:
    # questions write abbreviations in any case ("mttq", "thcs", "ldtbxh")
    return content_runs(expand_abbreviations(text, any_case=True), keep_marks=keep_marks)


NUMBER_WEIGHT = 2.0
_YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")


def _pairs(phrase: str) -> list[str]:
    syllables = phrase.split()
    return [f"{a} {b}" for a, b in zip(syllables, syllables[1:])]


def _is_figure(term: str) -> bool:
    return term[:1].isdigit() and not _YEAR_LIKE.match(term)


def _terms(
    text: str, language: str, keep_marks: bool
) -> tuple[dict[str, float], list[str], list[tuple[str, str]], list[str], list[str]]:
    """(keyword weights, phrases, alternates, foreign_terms, expansions) of the question text left after cues and names are blanked.

    Equivalents (glossary alternatives, Vietnamese synonyms) do not add keywords: they are
    alternates that satisfy the keywords of the phrase they stand for, so a question is not
    made harder to match by having more ways to say it.
    """
    weights: dict[str, float] = {}  # keyword -> weight, insertion-ordered
    phrases: list[str] = []
    alternates: list[tuple[str, str]] = []
    foreign: list[str] = []
    expansions: list[str] = []

    def add(syllables: list[str], weight: float = 1.0) -> None:
        for syllable in syllables:
            # a figure ("6.000", "72,2") is the most specific word of a question; a year is checked apart
            w = NUMBER_WEIGHT if _is_figure(syllable) else weight
            weights[syllable] = max(weights.get(syllable, 0.0), w)

    def add_phrase(phrase_runs: list[list[str]]) -> None:
        syllables = [t for run in phrase_runs for t in run]
        add(syllables, 1.0 / len(syllables) if syllables else 1.0)
        for run in phrase_runs:
            if len(run) > 1:
                phrases.append(" ".join(run))

    if language == "en":
        vietnamese, text = _vietnamese_names(text)
        for name in vietnamese:
            add([t for run in _content_sequence(name, keep_marks) for t in run])
        groups, rest = _english_terms(text)
        for alternatives in groups:
            expansions.extend(alternatives)
            primary = " ".join(t for run in _content_sequence(alternatives[0], keep_marks) for t in run)
            add_phrase(_content_sequence(alternatives[0], keep_marks))
            for alt in alternatives[1:]:
                alt_f = " ".join(t for run in _content_sequence(alt, keep_marks) for t in run)
                if primary and alt_f and alt_f != primary:
                    alternates.append((primary, alt_f))
        for tok in _NUMBER_OR_WORD.findall(rest):
            low = tok.lower()
            if low in EN_STOP or is_stopword(low) or (len(low) < 2 and not low.isdigit()):
                continue
            if tok[0].isdigit() or (tok.isupper() and len(tok) >= 2) or has_vietnamese_marks(low):
                add([r for run in _content_sequence(tok, keep_marks) for r in run])  # numbers, acronyms, Vietnamese words
            else:
                foreign.append(low)
    else:
        runs = _content_sequence(text, keep_marks)
        for run in runs:
            add(run)
            phrases.extend(" ".join(run[i : i + 2]) for i in range(len(run) - 1))
        for run in runs:
            padded = f" {' '.join(run)} "
            for key, alts in _synonyms(keep_marks):
                if f" {key} " in padded:
                    alternates.extend((key, alt) for alt in alts)
    return (
        weights,
        list(dict.fromkeys(phrases)),
        list(dict.fromkeys(alternates)),
        list(dict.fromkeys(foreign)),
        list(dict.fromkeys(expansions)),
    )


_NUMBER_OR_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_TOKEN = re.compile(r"[^\W_]+")


def _vietnamese_names(text: str) -> tuple[list[str], str]:
    """Vietnamese words quoted in an English question ("Huyện Mù Cang Chải", "(cao đẳng)"), and the
    text without them: runs of Vietnamese syllables holding at least one diacritic, with English
    function words trimmed from their ends ("in Cao Bằng" keeps "Cao Bằng")."""
    tokens = list(_TOKEN.finditer(text))
    names: list[str] = []
    chars = list(text)
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and is_vietnamese_syllable(tokens[j].group(0)) and (
            j == i or text[tokens[j - 1].end() : tokens[j].start()].strip() in ("", "-", "–")
        ):
            j += 1
        run = tokens[i:j]
        while run and run[0].group(0).lower() in EN_STOP:
            run = run[1:]
        while run and run[-1].group(0).lower() in EN_STOP:
            run = run[:-1]
        if run and any(has_vietnamese_marks(t.group(0)) for t in run):
            start, end = run[0].start(), run[-1].end()
            names.append(text[start:end])
            for k in range(start, end):
                chars[k] = " "
        i = max(j, i + 1)
    return names, "".join(chars)


def _english_terms(text: str) -> tuple[list[tuple[str, ...]], str]:
    """Vietnamese alternatives for each glossary term in English ``text``, and the text left over
    (in its original case, so acronyms such as "THPT" stay recognisable)."""
    text = text.replace("\u2019", "'")
    low = re.sub(r"(?<=\w)-(?=\w)", " ", text.lower())  # "upper-secondary" → "upper secondary"
    groups: list[tuple[str, ...]] = []
    chars = list(text)
    for m in english_pattern().finditer(low):
        groups.append(en_to_vi()[m.group(1)])
        for i in range(m.start(), m.end()):
            chars[i] = " "
    return groups, "".join(chars)


def _synonyms(keep_marks: bool) -> list[tuple[str, tuple[str, ...]]]:
    """``VI_SYNONYMS`` in matching form."""

    def form(phrase: str) -> str:
        return " ".join(t for run in content_runs(phrase, keep_marks=keep_marks) for t in run)

    return [(form(key), tuple(form(a) for a in alts)) for key, alts in VI_SYNONYMS.items()]


def analyze(question: str, documents: Sequence[DocumentMeta] = ()) -> QueryAnalysis:
    """Language, scope, intent and content words of ``question`` (see ``QueryAnalysis``)."""
    q = " ".join(nfc(question).split())
    provinces, province_spans = _provinces(q, documents)
    refs = _plan_references(q)
    numbers = list(dict.fromkeys(n for n, _, _ in refs))
    ref_spans = [(s, e) for _, s, e in refs]
    language = detect_language(q, ignore_spans=tuple(province_spans + ref_spans))
    scoped = bool(numbers) or len(provinces) == 1
    intent, asks_amount, also, plural = _detect_intent(_blank(q, province_spans + ref_spans), scoped=scoped)
    content_text = _blank(q, province_spans + ref_spans + _question_phrase_spans(q) + _row_reference_spans(q))
    keep_marks = language == "en" or mostly_marked(content_text)
    weights, phrases, alternates, foreign, expansions = _terms(content_text, language, keep_marks)
    return QueryAnalysis(
        question=q,
        language=language,
        intent=intent,
        provinces=tuple(provinces),
        plan_numbers=tuple(numbers),
        document_ids=documents_for_numbers(numbers, documents),
        keywords=tuple(weights),
        keyword_weights=tuple(weights.values()),
        phrases=tuple(phrases),
        bigrams=tuple(dict.fromkeys(b for p in phrases for b in _pairs(p))),
        alternates=tuple(alternates),
        foreign_terms=tuple(foreign),
        expansions=tuple(expansions),
        asks_amount=asks_amount,
        also=also,
        plural=plural,
        row_refs=_row_references(q),
        marked=keep_marks,
    )


# ---------------------------------------------------------------------------
# follow-up questions
_FOLLOW_UP_START = re.compile(
    r"^\s*(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)\b|^\s*(?:and\s+)?(?:what|how)\s+about\b|^\s*and\s+(?:for|in)\b|^\s*(?:same|likewise)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_END = re.compile(r"(?:thì\s+sao|thi\s+sao|thế\s+nào|the\s+nao|ra\s+sao|nữa|nua)\s*\??\s*$", re.IGNORECASE)


def is_follow_up(question: str) -> bool:
    """Short questions like "còn Hà Nội thì sao?", "what about Hanoi?", "and in Yên Bái?"."""
    q = nfc(question).strip()
    if not q or len(q.split()) > 12:
        return False
    return bool(_FOLLOW_UP_START.search(q) or _FOLLOW_UP_END.search(q))


def _previous_question(history: Sequence[Turn]) -> tuple[str, Sequence[Turn]]:
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if turn.role == "user" and turn.content.strip():
            return turn.content.strip(), history[:i]
    return "", ()


def contextualize(question: str, history: Sequence[Turn] = ()) -> str:
    """Make a follow-up question standalone using the previous user question.

    "còn Hà Nội thì sao?" after "Ai chủ trì đào tạo nghề ở Cao Bằng?" becomes
    "Ai chủ trì đào tạo nghề ở Hà Nội?". A follow-up that names a plan number swaps the
    plan reference the same way. Questions that are not follow-ups come back unchanged.
    """
    q = " ".join(nfc(question).split())
    if not history or not is_follow_up(q):
        return q
    previous, earlier = _previous_question(history)
    if not previous:
        return q
    previous = contextualize(previous, earlier)  # the previous question may itself be a follow-up

    new_provinces = list(dict.fromkeys(m.name for m in province_mentions(q)))
    new_refs = _plan_references(q)
    if not new_provinces and not new_refs:
        return f"{previous.rstrip(' ?')} {q}".strip()

    result = previous
    if new_provinces and not new_refs:
        result = _drop_plan_numbers(result)  # a new province replaces the old plan's scope
    if new_refs and not new_provinces:
        result = _drop_provinces(result)  # and a new plan replaces the old province
    if new_provinces:
        result = _swap_provinces(result, new_provinces)
    if new_refs:
        result = _swap_plan_numbers(result, [n for n, _, _ in new_refs])
    return result


_PREPOSITION_BEFORE = re.compile(r"(?:\s+(?:ở|tại|của|thuộc|o|tai|cua|in|of|for|at))?\s*$", re.IGNORECASE)


def _drop_provinces(text: str) -> str:
    for m in reversed(province_mentions(text)):
        head = _PREPOSITION_BEFORE.sub("", text[: m.start])
        text = head + text[m.end :]
    return " ".join(text.split()).replace(" ?", "?")


def _drop_plan_numbers(text: str) -> str:
    for number, start, end in reversed(_plan_references(text)):
        span = text[start:end]
        if "/" in span:
            keep = "the plan" if detect_language(text) == "en" else "kế hoạch"
        else:
            keep = re.sub(r"\s*(?:số|so|number|no\.?|#)?\s*\d+\s*$", "", span, flags=re.IGNORECASE)
        text = text[:start] + keep + text[end:]
    return " ".join(text.split()).replace(" ?", "?")


def _swap_provinces(previous: str, new_names: list[str]) -> str:
    old = province_mentions(previous)
    replacement = new_names[0] if len(new_names) == 1 else ", ".join(new_names)
    if not old:
        stem = previous.rstrip().rstrip("?").rstrip()
        joiner = " in " if detect_language(previous) == "en" else " ở "
        return f"{stem}{joiner}{replacement}?"
    out = previous[: old[0].start] + replacement
    cursor = old[0].end
    for m in old[1:]:  # further mentions are dropped with their connector ("Cao Bằng và Bắc Kạn")
        between = previous[cursor : m.start]
        if re.fullmatch(r"\s*(?:,|và|va|and|or|hoặc|hoac)\s*", between, flags=re.IGNORECASE):
            cursor = m.end
            continue
        out += between + replacement
        cursor = m.end
    return out + previous[cursor:]


def _swap_plan_numbers(previous: str, numbers: list[str]) -> str:
    refs = _plan_references(previous)
    if not refs:
        stem = previous.rstrip().rstrip("?").rstrip()
        word = " in plan " if detect_language(previous) == "en" else " trong kế hoạch "
        return f"{stem}{word}{numbers[0]}?"
    number, start, end = refs[0]
    span = previous[start:end]
    return previous[:start] + span.replace(number, numbers[0], 1) + previous[end:]
