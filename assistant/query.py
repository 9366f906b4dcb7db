"""Understand a question: language, scope (provinces, plan numbers), intent and content words.

``analyze`` is pure and cheap; the service calls it once per question and the
extractive answerer calls it again on the (contextualised) question it is given.
``contextualize`` (from ``assistant.followups``) turns a follow-up ("còn Hà Nội thì sao?",
"what about Hanoi?") into a standalone question using the previous user turn. Intent
cues live in ``assistant.intents``, plan and item references in ``assistant.references``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant._provinces import province_mentions, same_province
from assistant._text import EN_STOP, content_runs, detect_language, fold, has_vietnamese_marks, is_stopword, mostly_marked, nfc
from assistant.followups import contextualize, is_follow_up
from assistant.glossary import VI_SYNONYMS, en_to_vi, english_pattern, expand_abbreviations
from assistant.intents import INTENTS, detect_intent, question_phrase_spans
from assistant.references import documents_for_numbers, plan_references, row_reference_spans, row_references
from assistant.scope import expand_provinces
from ingest.normalize import is_vietnamese_syllable
from ingest.types import DocumentMeta

__all__ = ["INTENTS", "QueryAnalysis", "analyze", "contextualize", "is_follow_up"]


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
    # parallel to keywords: a figure weighs 2, the plans' everyday vocabulary 0.5, an English term 1 in all
    # however many syllables it maps to
    keyword_weights: tuple[float, ...] = ()
    phrases: tuple[str, ...] = ()  # multi-syllable phrases worth a bonus when a passage has them verbatim
    bigrams: tuple[str, ...] = ()  # adjacent syllable pairs of the question's words ("nông thôn", "đào tạo")
    # (phrase, equivalent): a passage with the equivalent matches the phrase's syllables
    alternates: tuple[tuple[str, str], ...] = ()
    foreign_terms: tuple[str, ...] = ()  # English content words the glossary could not map
    # parallel to foreign_terms: how much each counts against coverage (see ``foreign_weight``)
    foreign_weights: tuple[float, ...] = ()
    expansions: tuple[str, ...] = ()  # Vietnamese glossary phrases found for an English question
    asks_amount: bool = False  # a budget question that wants a figure (not the funding source)
    also: tuple[str, ...] = ()  # further kinds of fact asked in the same question ("ai chủ trì, hạn khi nào?")
    plural: bool = False  # asks for several items ("những nguồn kinh phí nào?")
    row_refs: tuple[str, ...] = ()  # numbers of the table rows / items the question points at ("mục 2.6")
    marked: bool = False  # term fields keep diacritics (see above)
    # years that name a document rather than the period asked about ("Bộ luật Hình sự 2017",
    # "Circular 101/2018"): they pick a document, they do not have to appear in the quoted clause
    document_years: tuple[str, ...] = ()

    def weight(self, keyword: str) -> float:
        """The weight of one of ``keywords`` in topic coverage (0 for other words)."""
        if not self.keyword_weights:
            return 1.0
        try:
            return self.keyword_weights[self.keywords.index(keyword)]
        except ValueError:
            return 0.0

    def foreign_weight(self) -> float:
        """Total weight of the unmapped English words (each 1 unless ``foreign_weights`` says otherwise)."""
        if len(self.foreign_weights) == len(self.foreign_terms):
            return sum(self.foreign_weights)
        return float(len(self.foreign_terms))

    @property
    def names_scope(self) -> bool:
        """True when the question restricts itself to provinces or plans."""
        return bool(self.provinces or self.plan_numbers)


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


def _content_sequence(text: str, keep_marks: bool) -> list[list[str]]:
    # questions write abbreviations in any case ("mttq", "thcs", "ldtbxh")
    return content_runs(expand_abbreviations(text, any_case=True), keep_marks=keep_marks)


NUMBER_WEIGHT = 2.0
COMMON_WEIGHT = 0.5
# syllables of "đào tạo nghề", "giáo dục nghề nghiệp", "lao động", "học sinh": in nearly every passage
COMMON_SYLLABLES = frozenset({"dao", "tao", "nghe", "nghiep", "giao", "duc", "lao", "dong", "hoc", "sinh"})
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
            # a figure ("6.000", "72,2") is the most specific word of a question; a year is checked apart;
            # the vocabulary every vocational-training plan repeats says least
            if _is_figure(syllable):
                w = NUMBER_WEIGHT
            elif fold(syllable) in COMMON_SYLLABLES:
                w = weight * COMMON_WEIGHT
            else:
                w = weight
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
            if not alternatives:
                continue
            expansions.extend(alternatives)
            primary = " ".join(t for run in _content_sequence(alternatives[0], keep_marks) for t in run)
            add_phrase(_content_sequence(alternatives[0], keep_marks))
            for alt in alternatives[1:]:
                alt_f = " ".join(t for run in _content_sequence(alt, keep_marks) for t in run)
                # one generic syllable ("hội" of "ngày hội") must not stand in for a whole phrase
                too_loose = len(alt_f.split()) == 1 and len(primary.split()) > 1
                if primary and alt_f and alt_f != primary and not too_loose:
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

# English words that frame a question rather than name its topic: no plan passage holds them,
# and they must not count against a passage that has the topic ("organising", "ultimately").
EN_FRAME = frozenset(
    """
    ask asks asked provide provides provided reach reaches achieve achieves identify identifies
    organise organises organize organizes hold holds held happen happens done doing carry carries
    according regarding concerning involve involves involved related relating relate responsible
    info details detail exactly actually specifically currently mainly ultimately
    consider considered expect plan's say state states stated describe describes described
    """.split()
)
FRAME_SUFFIX_WEIGHT = 0.5  # an unmapped "-ing"/"-ed" form: usually a verb of the question, sometimes a topic noun


def foreign_weight(word: str) -> float:
    """How much an unmapped English word counts against topic coverage: 0 for a framing word or
    an "-ly" adverb, ``FRAME_SUFFIX_WEIGHT`` for an "-ing"/"-ed" form, 1 for other words (nouns
    the plans never mention: "road", "capital" keep a question about them unanswered)."""
    if word in EN_FRAME or (len(word) > 4 and word.endswith("ly")):
        return 0.0
    if len(word) > 5 and word.endswith(("ing", "ed")):
        return FRAME_SUFFIX_WEIGHT
    return 1.0
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
    (in its original case, so acronyms such as "THPT" stay recognisable).

    Terms written with an apostrophe ("people's committee") are matched first; then, in what is
    left, possessives ("workers'", "college's") become spaces of the same length, so that the
    word before them is matched and spans still line up."""
    text = text.replace("\u2019", "'")
    low = re.sub(r"(?<=\w)-(?=\w)", " ", text.lower())  # "upper-secondary" → "upper secondary"
    groups: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    chars = list(text)
    for pass_ in range(2):
        if pass_ == 1:
            low = re.sub(r"(?<=\w)'s?(?!\w)", lambda m: " " * len(m.group(0)), low)
        for m in english_pattern().finditer(low):
            groups.append(((m.start(), m.end()), en_to_vi()[m.group(1)]))
            for i in range(m.start(), m.end()):
                chars[i] = " "
        low = "".join(" " if chars[i] == " " and low[i] != " " else low[i] for i in range(len(low)))
    groups.sort(key=lambda g: g[0])
    return [alternatives for _, alternatives in groups], "".join(chars)


def _synonyms(keep_marks: bool) -> list[tuple[str, tuple[str, ...]]]:
    """``VI_SYNONYMS`` in matching form."""

    def form(phrase: str) -> str:
        return " ".join(t for run in content_runs(phrase, keep_marks=keep_marks) for t in run)

    return [(form(key), tuple(form(a) for a in alts)) for key, alts in VI_SYNONYMS.items()]


# a year written into a document's number ("101/2018", "31/2011/QĐ-UBND"), or following the
# name of an act within a few words ("Bộ luật Dân sự 2015", "Luật Đất đai năm 2013", "Decree of 2023")
_NUMBER_YEAR = re.compile(r"(?<=\d/)((?:19|20)\d\d)(?!\d)")
_ACTS = (r"(?:bo luat|luat|nghi dinh|thong tu|quyet dinh|nghi quyet|chi thi|phap lenh|van ban hop nhat|ke hoach|quy dinh"
         r"|law|code|decree|circular|decision|resolution|directive|ordinance|plan|regulation|rules)")
_ACT_YEAR = re.compile(rf"\b{_ACTS}\b[^.?!;,]{{0,40}}?\b(?:nam |of |in )?((?:19|20)\d\d)(?![\d/])")
_YEAR_ACT = re.compile(rf"(?<![\d/])((?:19|20)\d\d)(?:'s)?\s+(?:[a-z]+\s+)?{_ACTS}\b")  # "the 2013 plan", "HCMC's 2012 regulation"


def document_years(question: str) -> tuple[str, ...]:
    """Years that name an act in ``question`` (see ``QueryAnalysis.document_years``)."""
    folded = fold(question)
    found = [m.group(1) for pattern in (_NUMBER_YEAR, _ACT_YEAR, _YEAR_ACT) for m in pattern.finditer(folded)]
    return tuple(dict.fromkeys(found))


def analyze(question: str, documents: Sequence[DocumentMeta] = ()) -> QueryAnalysis:
    """Language, scope, intent and content words of ``question`` (see ``QueryAnalysis``)."""
    q = " ".join(nfc(question).split())
    provinces, province_spans = _provinces(q, documents)
    refs = plan_references(q)
    numbers = list(dict.fromkeys(n for n, _, _ in refs))
    ref_spans = [(s, e) for _, s, e in refs]
    language = detect_language(q, ignore_spans=tuple(province_spans + ref_spans))
    scoped = bool(numbers) or len(provinces) == 1
    intent, asks_amount, also, plural = detect_intent(_blank(q, province_spans + ref_spans), scoped=scoped)
    content_text = _blank(q, province_spans + ref_spans + question_phrase_spans(q) + row_reference_spans(q))
    keep_marks = language == "en" or mostly_marked(content_text)
    weights, phrases, alternates, foreign, expansions = _terms(content_text, language, keep_marks)
    return QueryAnalysis(
        question=q,
        language=language,
        intent=intent,
        provinces=expand_provinces(provinces, documents),  # issue 12: "Thái Nguyên" also covers Bắc Kạn
        plan_numbers=tuple(numbers),
        document_ids=documents_for_numbers(numbers, documents),
        keywords=tuple(weights),
        keyword_weights=tuple(weights.values()),
        phrases=tuple(phrases),
        bigrams=tuple(dict.fromkeys(b for p in phrases for b in _pairs(p))),
        alternates=tuple(alternates),
        foreign_terms=tuple(foreign),
        foreign_weights=tuple(foreign_weight(w) for w in foreign),
        expansions=tuple(expansions),
        asks_amount=asks_amount,
        also=also,
        plural=plural,
        row_refs=row_references(q),
        marked=keep_marks,
        document_years=document_years(q),
    )


