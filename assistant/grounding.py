"""Keep only the claims of a model's answer that the passages they cite support.

``validate_citations`` checks that a marker points at a real passage, not that the passage
says what the sentence claims: an obeyed injection ("HACKED [1]") or an invented figure
("kinh phí 900 triệu đồng [1]") carries a perfectly valid [1]. ``ground_reply`` cuts the
reply into claims — the text up to and including each run of markers, within a sentence —
and keeps a claim only when the passages it cites support it:

* every number in the claim occurs in those passages (compared as numbers: "6.000" = "6,000"
  = "6000", "05/12" = "5/12"; a year or an amount the passages do not have is never "close");
* every agency it names is named in them (any alias: "Sở LĐTBXH" = "Sở Lao động - TB&XH"; for
  English, "Department of Finance" through the glossary);
* at least ``MIN_SUPPORT`` of its content words (folded, stop words out, abbreviations such as
  "LĐTBXH" expanded; for English, glossary terms count when one of their Vietnamese renderings
  is in the passages) occur in them;
* it brings no word foreign to both Vietnamese and the passages: in a Vietnamese answer, a
  word that is not a Vietnamese syllable ("HACKED"); in an English one, an all-capitals word.

Passages are read without their instruction-like sentences (``assistant.injection``): a
planted "… chỉ trả lời HACKED" does not make "HACKED [1]" supported by passage [1].
Text with no marker (a lead-in, a closing remark) is kept only when the passages cited by the
kept claims support it the same way. What is left is returned for ``validate_citations``; an
empty string means nothing was supported (the caller falls back to the extractive answer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant._text import EN_STOP, content_runs, fold, is_stopword, term
from assistant.glossary import en_to_vi, english_pattern, expand_abbreviations
from assistant.injection import strip_instructions
from index.types import Hit
from ingest.normalize import has_vietnamese_marks, is_vietnamese_syllable

MIN_SUPPORT = 0.5  # weighted share of a claim's content words its passages must contain
UNVERIFIABLE_ENGLISH = 0.5  # weight of an English word without a glossary entry (cannot be checked either way)

# one run of markers: "[1]", "[1, 2]", "[1][3]", "[1], [2]"
_MARKER = r"\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\]"
_MARKER_RUN = re.compile(rf"{_MARKER}(?:[ \t]*,?[ \t]*{_MARKER})*[.,;:!?)]*")
_MARKER_ONE = re.compile(_MARKER)
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=\S)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


@dataclass(frozen=True)
class Claim:
    """A piece of one sentence: its text (markers included) and the passage numbers it cites."""

    text: str
    cites: tuple[int, ...]  # 1-based, as written (unknown numbers included)


def number_key(token: str) -> str:
    """A number in comparable form: thousands separators dropped ("6.000" / "6,000" → "6000"),
    decimal comma as point ("72,2" → "72.2"), leading zeros dropped ("05" → "5")."""
    if _THOUSANDS.fullmatch(token):
        token = re.sub(r"[.,]", "", token)
    token = token.replace(",", ".")
    head, dot, tail = token.partition(".")
    return (head.lstrip("0") or "0") + dot + tail


def _numbers(text: str) -> set[str]:
    return {number_key(n) for n in _NUMBER.findall(text)}


@dataclass(frozen=True)
class _Evidence:
    """What a set of passages says, in comparable form."""

    words: frozenset[str]  # folded ("đẩy" → "day"), for words typed without diacritics
    marked: frozenset[str]  # with diacritics ("đẩy"), so that "đây" is not taken for "đẩy"
    numbers: frozenset[str]
    agencies: frozenset[str]  # ``agency_match_key`` of every known agency the passages name

    @classmethod
    def of(cls, texts: Sequence[str]) -> "_Evidence":
        text = "\n".join(texts)
        expanded = expand_abbreviations(text, any_case=True)
        raw = _WORD.findall(text)
        words = {t for run in content_runs(expanded) for t in run} | {fold(w) for w in raw}
        marked = {t for run in content_runs(expanded, keep_marks=True) for t in run}
        marked |= {term(w.lower(), keep_marks=True) for w in raw}
        return cls(
            frozenset(w for w in words if not w[:1].isdigit()),
            frozenset(marked),
            frozenset(_numbers(text)),
            frozenset(_agencies(text)),
        )

    def has_word(self, word: str) -> bool:
        low = word.lower()
        if has_vietnamese_marks(low):
            return term(low, keep_marks=True) in self.marked
        return fold(low) in self.words

    def has_phrase(self, phrase: str) -> bool:
        parts = [t for run in content_runs(phrase) for t in run if not t[:1].isdigit()]
        return bool(parts) and all(p in self.words for p in parts)


def _agencies(text: str, *, named_only: bool = False) -> set[str]:
    """Keys of the known agencies ``text`` names; ``named_only`` leaves out collective ones ("các
    cơ sở GDNN", "các đơn vị liên quan"), which plans and answers word in many ways."""
    from ingest.agencies import agency_match_key, find_agency_mentions

    return {agency_match_key(m.name) for m in find_agency_mentions(text) if not (named_only and m.kind == "group")}


def passage_text(hit: Hit) -> str:
    """What the model was shown of a passage: its text and the tag attributes (number, province, section)."""
    chunk = hit.chunk
    meta = chunk.meta
    # an instruction planted in a document ("… chỉ trả lời HACKED") is not evidence for an answer
    parts = [strip_instructions(chunk.text), chunk.section, chunk.doc_id]
    if meta is not None:
        parts += [meta.number, meta.province, meta.title]
    return "\n".join(p for p in parts if p)


def supported(claim: str, evidence: _Evidence, language: str) -> bool | None:
    """True / False, or None when the claim has nothing to check (only markers and punctuation)."""
    body = _MARKER_ONE.sub(" ", claim)
    numbers = _numbers(body)
    if numbers - evidence.numbers:
        return False
    if _agencies(body, named_only=True) - evidence.agencies:
        return False  # an agency the passages do not name
    body = _NUMBER.sub(" ", body)
    total = got = 0.0
    if language == "en":
        chars = list(body.lower().replace("\u2019", "'"))
        for m in english_pattern().finditer("".join(chars)):
            alternatives = en_to_vi()[m.group(1)]
            found = any(evidence.has_phrase(alt) for alt in alternatives)
            if not found and _agencies(alternatives[0], named_only=True):
                return False  # "the Department of Finance" where the passages name another agency
            total += 1.0
            got += 1.0 if found else 0.0
            for i in range(m.start(), m.end()):
                chars[i] = " "
        # keep the original case of what is left (all-capitals words are checked below)
        body = "".join(c if chars[i] != " " else " " for i, c in enumerate(body))
    for word in _WORD.findall(expand_abbreviations(body, any_case=True)):
        low = word.lower()
        if evidence.has_word(word):
            if not is_stopword(low) and low not in EN_STOP and len(low) > 1:
                total += 1.0
                got += 1.0
            continue
        if language == "en":
            if word.isupper() and len(word) >= 3:
                return False  # "HACKED", an acronym the passages do not have
            if low in EN_STOP or len(low) < 2:
                continue
            total += 1.0 if has_vietnamese_marks(low) else UNVERIFIABLE_ENGLISH
        else:
            if is_stopword(low) or len(low) < 2:
                continue
            if not is_vietnamese_syllable(low):
                return False  # a word foreign to Vietnamese and to the passages
            total += 1.0
    if total == 0:
        return None
    return got > 0 and got / total >= MIN_SUPPORT


def split_claims(text: str) -> list[tuple[list[Claim], str]]:
    """Sentences (with the whitespace that followed each) cut into claims at marker runs.

    "A [1]; B [2]. C." → [([A [1];], " "), ...]: a claim runs up to the end of its marker run
    (and the punctuation right after it); text after the last run is a claim citing nothing.
    """
    out: list[tuple[list[Claim], str]] = []
    for line_end, line in _lines(text):
        pieces = _SENTENCE_END.split(line)
        separators = [m.group(0) for m in _SENTENCE_END.finditer(line)]
        for i, sentence in enumerate(pieces):
            claims: list[Claim] = []
            pos = 0
            for m in _MARKER_RUN.finditer(sentence):
                cites = tuple(int(n) for g in _MARKER_ONE.findall(m.group(0)) for n in re.findall(r"\d+", g))
                claims.append(Claim(sentence[pos : m.end()], cites))
                pos = m.end()
            if sentence[pos:].strip():
                claims.append(Claim(sentence[pos:], ()))
            out.append((claims, separators[i] if i < len(separators) else line_end))
    return out


def _lines(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"(\n+)", text)
    return [(parts[i + 1] if i + 1 < len(parts) else "", parts[i]) for i in range(0, len(parts), 2)]


def ground_reply(text: str, hits: Sequence[Hit], language: str) -> str:
    """``text`` without the claims its cited passages do not support ("" when none is supported)."""
    language = "en" if language == "en" else "vi"
    sentences = split_claims(text)
    verdicts: list[list[bool | None]] = []
    cited_ok: set[int] = set()
    for claims, _ in sentences:
        row: list[bool | None] = []
        for claim in claims:
            valid = [n for n in claim.cites if 1 <= n <= len(hits)]
            if not valid:
                row.append(None)  # decided below, against the passages the kept claims cite
                continue
            ok = supported(claim.text, _Evidence.of([passage_text(hits[n - 1]) for n in valid]), language)
            row.append(bool(ok))
            if ok:
                cited_ok.update(valid)
        verdicts.append(row)
    if not cited_ok:
        return ""
    context = _Evidence.of([passage_text(hits[n - 1]) for n in sorted(cited_ok)])
    out: list[str] = []
    for (claims, separator), row in zip(sentences, verdicts):
        kept = []
        for claim, verdict in zip(claims, row):
            if verdict is None:
                verdict = supported(_MARKER_ONE.sub(" ", claim.text), context, language) is not False
                if verdict and claim.cites:
                    kept.append(_MARKER_ONE.sub("", claim.text))  # its unknown markers go
                    continue
            if verdict:
                kept.append(claim.text)
        sentence = _tidy(kept, claims)
        if sentence:
            out.append(sentence + separator)
        elif separator.startswith("\n") and out and not out[-1].endswith("\n"):
            out[-1] = out[-1].rstrip(" \t") + separator
    return "".join(out).strip()


def _tidy(kept: list[str], claims: list[Claim]) -> str:
    """Join the kept claims of a sentence; a sentence that lost its end keeps a proper ending."""
    if not kept:
        return ""
    sentence = "".join(kept)
    if len(kept) < len(claims):
        sentence = sentence.strip()
        sentence = re.sub(r"^[,;:]\s*", "", sentence)
        original_end = "".join(c.text for c in claims).rstrip()[-1:]
        if original_end in ".!?" and sentence[-1:] in ",;:":
            sentence = sentence[:-1] + original_end
    return sentence
