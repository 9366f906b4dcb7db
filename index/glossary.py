"""An English -> Vietnamese glossary of administrative and legal vocabulary, for lexical query expansion.

An English question shares almost no tokens with a Vietnamese document, so BM25
would find nothing. ``expand_query`` appends the Vietnamese terms of every English
phrase found (longest phrases first, each span of the question used once). Only the
lexical retriever gets the expanded text; the multilingual dense model gets the
original question.

The vocabulary is data: ``index/data/glossary/*.toml`` (format in the head of
``00_sample_plans.toml``), read once, on first use. It started from the five sample
plans on vocational training and was extended with the general vocabulary of
Vietnamese decisions, laws, official letters and reports: document types and parts,
institutions, procedures, budget and finance, and the fields such documents govern.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index._text import detect_language, english_word_share, fold_diacritics


# Weight of a question-focus concept (who leads / how much / by when / who signed) in
# lexical scoring. Topic words ("vocational training in Cao Bằng") are shared by every
# passage of the plan; the focus words pick out the passage that answers.
FOCUS_WEIGHT = 2.0

GLOSSARY_DIR = Path(__file__).parent / "data" / "glossary"

_ENTRY_KEYS = frozenset({"en", "vi", "focus"})
_WORD_GAP = re.compile(r"[\s-]+")
_ENGLISH_PHRASE = re.compile(r"^[a-z0-9][a-z0-9 ,.'&/-]*$")


class GlossaryDataError(ValueError):
    """A glossary data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class GlossaryEntry:
    english: tuple[str, ...]  # lower-case phrases; a trailing plural "s"/"es" is matched automatically
    vietnamese: tuple[str, ...]
    focus: bool = False  # names what the question asks for (a role, an amount, a date, a signer)
    group: str = ""  # the data file's group, for tests and diagnostics


@dataclass(frozen=True)
class Expansion:
    """One concept found in a question: its Vietnamese alternatives and its lexical weight."""

    alternatives: tuple[str, ...]
    weight: float = 1.0


def _split(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, str):
        raise GlossaryDataError(f"{where}: '{key}' must be a string of '|'-separated phrases")
    parts = tuple(p.strip() for p in value.split("|"))
    if not parts or any(not p for p in parts):
        raise GlossaryDataError(f"{where}: '{key}' has an empty phrase: {value!r}")
    return parts


def _entry(raw: object, where: str, group: str) -> GlossaryEntry:
    if not isinstance(raw, dict):
        raise GlossaryDataError(f"{where}: an entry must be a table {{ en = …, vi = … }}")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise GlossaryDataError(f"{where}: unknown key(s) {sorted(unknown)}")
    english = _split(raw.get("en"), where, "en")
    for phrase in english:
        if phrase != phrase.lower() or not _ENGLISH_PHRASE.match(phrase) or "  " in phrase:
            raise GlossaryDataError(f"{where}: English phrase {phrase!r} must be lower-case ASCII words")
    vietnamese = _split(raw.get("vi"), where, "vi")
    focus = raw.get("focus", False)
    if not isinstance(focus, bool):
        raise GlossaryDataError(f"{where}: 'focus' must be true or false")
    return GlossaryEntry(english, vietnamese, focus, group)


def load_glossary(folder: Path = GLOSSARY_DIR) -> tuple[GlossaryEntry, ...]:
    """Every entry of the ``*.toml`` files in ``folder``, files in name order, groups and
    entries in file order (the order matters only for the order of merged renderings)."""
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        raise GlossaryDataError(f"{folder}: no glossary data files (*.toml)")
    out: list[GlossaryEntry] = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise GlossaryDataError(f"{path.name}: not valid TOML: {e}") from None
        groups = data.get("group")
        if not isinstance(groups, list) or set(data) != {"group"}:
            raise GlossaryDataError(f"{path.name}: expected only [[group]] tables")
        for g, group in enumerate(groups, 1):
            name = group.get("name") if isinstance(group, dict) else None
            entries = group.get("entries") if isinstance(group, dict) else None
            if not isinstance(name, str) or not name or not isinstance(entries, list):
                raise GlossaryDataError(f"{path.name}: group {g} needs a name and a list of entries")
            for e, raw in enumerate(entries, 1):
                out.append(_entry(raw, f"{path.name}: group '{name}' entry {e}", name))
    return tuple(out)


@lru_cache(maxsize=1)
def glossary() -> tuple[GlossaryEntry, ...]:
    """The bundled glossary, loaded once."""
    return load_glossary()


def __getattr__(name: str):
    # ``GLOSSARY`` stays importable (``from index.glossary import GLOSSARY``) without
    # reading the data files at import time.
    if name == "GLOSSARY":
        return glossary()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Patterns = tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...]


@lru_cache(maxsize=1)
def _patterns() -> Patterns:
    return compile_patterns(glossary())


def compile_patterns(entries: "tuple[GlossaryEntry, ...] | list[GlossaryEntry]") -> Patterns:
    """(phrase pattern, Vietnamese terms, focus), longest phrase first so multi-word phrases win.

    The same phrase in several entries is one concept: their renderings in entry order,
    focus if any of them is."""
    phrases: dict[str, tuple[tuple[str, ...], bool]] = {}
    for entry in entries:
        for phrase in entry.english:
            key = " ".join(_WORD_GAP.split(fold_diacritics(phrase)))  # "land-use fee" is "land use fee"
            terms, focus = phrases.get(key, ((), False))
            phrases[key] = (tuple(dict.fromkeys(terms + entry.vietnamese)), focus or entry.focus)
    ordered = sorted(phrases.items(), key=lambda item: (-len(item[0].split()), -len(item[0]), item[0]))
    out = []
    for phrase, (terms, focus) in ordered:
        # words may be joined by spaces or hyphens in the question: "land use", "land-use"
        body = r"[\s-]+".join(re.escape(word) for word in phrase.split())
        plural = "" if phrase.endswith("s") or not phrase[-1].isalpha() else "(?:s|es)?"
        out.append((re.compile(rf"(?<![\w']){body}{plural}(?![\w'])"), terms, focus))
    return tuple(out)


def _padded_words(folded: str) -> str:
    """" w1 w2 … " so that a phrase is found in a text only as whole words."""
    return " " + " ".join(re.findall(r"[^\W_]+", folded)) + " "


def glossary_concepts(question: str, patterns: Patterns | None = None) -> list[Expansion]:
    """For each English phrase found in ``question`` (longest first, each span used once), its
    Vietnamese renderings, in the order the phrases appear. Renderings that the question
    already contains (a province written without diacritics) are left out: the question's
    own tokens match them. ``patterns`` (from ``compile_patterns``) default to the bundled glossary."""
    text = fold_diacritics(question).replace("’", "'")
    taken = [False] * len(text)
    found: list[tuple[int, Expansion]] = []
    padded = _padded_words(text)
    for pattern, terms, focus in _patterns() if patterns is None else patterns:
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
