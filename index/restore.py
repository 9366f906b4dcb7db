"""Give Vietnamese marks back to a question typed without them, from the loaded corpus alone.

"ai ky quyet dinh 518" → "ai ký quyết định 518". No word list and no model: the
statistics are counts of the written forms of the corpus's own words (lower-cased,
tone placement unified by ``search_key``) and of their bigrams and trigrams, collected
from the chunks whenever the index's view is rebuilt (``MarkStatisticsBuilder``), and
persisted beside the lexical index.

Restoring is the best path through a small lattice: each word of the question
typed without marks that is a Vietnamese syllable the corpus knows (folded) may be
any of the corpus's forms with that folding ("so" → số / sở / so …); every other
token is fixed: words typed with marks, numbers ("<num>"), document codes
("37/KH-UBND" → "<code>"), acronyms, English words. Fixed tokens still give context:
"số" is what comes before a number, "sở" before "giáo dục". The path score is an
interpolated (absolute discounting) trigram language model over the corpus's forms;
Viterbi picks the path. A word the corpus has no evidence for stays as typed.

Questions are left alone when they are English (``detect_language``) or already
written with marks (at least ``MARKED_SHARE`` of their Vietnamese syllables carry
a mark: a mostly unmarked question with one marked word is still restored, and
keeps that word).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from index._text import _SEGMENT_BREAK, _WORD, detect_language, fold_diacritics
from ingest.normalize import has_vietnamese_marks, is_vietnamese_syllable, search_key

__all__ = ["MARKED_SHARE", "MarkRestorer", "MarkStatisticsBuilder", "restorer_fingerprint"]

# A question with at least this share of marked Vietnamese syllables is taken as
# written with marks and never changed. Written Vietnamese has most syllables marked
# (the accented dev questions: see docs/architecture.md); a question typed without
# marks has none, or only a province name restored from the catalog.
MARKED_SHARE = 0.5
DISCOUNT = 0.75  # absolute discounting of n-gram counts
# The word as typed is always one more candidate, as if the corpus had seen it this
# many times: a folded form with little evidence ("ai": 3 × "ái", 1 × "ại" in OCR
# noise, never "ai" — question words are rare in documents) stays as typed.
KEEP_AS_TYPED = 5.0
ORDER = 3

SEGMENT_START = "<s>"
SEGMENT_END = "</s>"
NUMBER = "<num>"
CODE = "<code>"

_TOKEN = re.compile(f"(?P<brk>{_SEGMENT_BREAK.pattern})|(?P<word>{_WORD.pattern})")
_NUMERIC = re.compile(r"^[\d.,/\-–]+$")
_ASCII_WORD = re.compile(r"^[A-Za-z]+$")
_FORMAT = "restore-v1"
_UNKNOWN = -1  # a fixed word the corpus never saw: no probability, no context
_AS_TYPED = -2  # the "leave it as typed" candidate of a restorable word


@lru_cache(maxsize=200_000)
def _word_key(word: str) -> str:
    """The token a word is counted as: its written form (lower case, unified tone placement),
    ``<num>`` for numbers, ``<code>`` for codes that mix letters and digits ("3058/kh-ubnd")."""
    if any(c.isdigit() for c in word):
        return NUMBER if _NUMERIC.match(word) else CODE
    return search_key(word)


@lru_cache(maxsize=200_000)
def _restorable_key(key: str) -> str | None:
    """The folded key under which a corpus form is a candidate, or None (not a Vietnamese syllable)."""
    if not key.isalpha() or not is_vietnamese_syllable(key):
        return None
    return fold_diacritics(key)


def _segments(text: str) -> Iterable[list[str]]:
    """Word keys of each clause of ``text`` (clauses as the lexical index cuts them)."""
    words: list[str] = []
    for m in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        if m.lastgroup == "brk":
            if words:
                yield words
                words = []
        else:
            words.append(_word_key(m.group()))
    if words:
        yield words


def restorer_fingerprint() -> str:
    """Changes when tokens are made differently, so persisted statistics get rebuilt."""
    probe = "Số 3058/KH-UBND, ngày 12/11: Sở Lao động – Thương binh và Xã hội; hoà thuý 6.000"
    return _FORMAT + ":" + "|".join(k for seg in _segments(probe) for k in seg)


# ---------------------------------------------------------------------------- statistics


class MarkStatisticsBuilder:
    """Collects the statistics; keeps each chunk's token ids so a rebuild after one more
    document tokenises only that document (like the lexical index). Not thread-safe."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {SEGMENT_END: 0, SEGMENT_START: 1}
        self._cache: dict[str, tuple[int, np.ndarray]] = {}

    def _encode(self, text: str) -> np.ndarray:
        ids = self._ids
        setdefault = ids.setdefault
        out: list[int] = []
        for words in _segments(text):
            out.append(1)
            out.extend(setdefault(w, len(ids)) for w in words)
            out.append(0)
        return np.array(out, dtype=np.int64)

    def build(self, texts: Sequence[tuple[str, str]], *, order: int = ORDER) -> "MarkRestorer":
        """Statistics of ``texts`` = (key, text) pairs (chunk id and chunk text)."""
        cache: dict[str, tuple[int, np.ndarray]] = {}
        arrays = []
        for key, text in texts:
            digest = hash(text)
            cached = self._cache.get(key)
            if cached is None or cached[0] != digest:
                cached = (digest, self._encode(text))
            cache[key] = cached
            arrays.append(cached[1])
        self._cache = cache
        restorer = MarkRestorer.count(arrays, list(self._ids), order=order)
        if len(self._ids) > 2 * restorer.vocabulary_size() + 10_000:
            # mostly forms of chunks that are gone: start afresh next time
            self._ids = {SEGMENT_END: 0, SEGMENT_START: 1}
            self._cache = {}
        return restorer


def _ngram_counts(stream: np.ndarray, n: int, base: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct n-gram keys (ids packed in base ``base``) and their counts."""
    if len(stream) < n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = stream[: len(stream) - n + 1].copy()
    for i in range(1, n):
        keys = keys * base + stream[i : len(stream) - n + 1 + i]
    keys, counts = np.unique(keys, return_counts=True)
    return keys, counts.astype(np.int64)


def _lookup(keys: np.ndarray, values: np.ndarray, key: int) -> int:
    i = int(np.searchsorted(keys, key))
    return int(values[i]) if i < len(keys) and keys[i] == key else 0


@dataclass(frozen=True)
class _Tables:
    """Counts over a dense form vocabulary (ids 0..V-1; 0 = segment end, 1 = segment start)."""

    forms: tuple[str, ...]
    unigrams: np.ndarray  # [V]
    bigram_keys: np.ndarray  # sorted a*V+b
    bigram_counts: np.ndarray
    context1_total: np.ndarray  # [V]: sum_b c(a, b)
    context1_types: np.ndarray  # [V]: number of distinct b after a
    trigram_keys: np.ndarray  # sorted (a*V+b)*V+c
    trigram_counts: np.ndarray
    context2_keys: np.ndarray  # sorted a*V+b that start a trigram
    context2_total: np.ndarray
    context2_types: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "forms"}


class MarkRestorer:
    """Immutable; safe to use from many threads. ``MarkRestorer.empty()`` changes nothing."""

    def __init__(
        self,
        tables: _Tables | None,
        *,
        order: int = ORDER,
        discount: float = DISCOUNT,
        keep_as_typed: float = KEEP_AS_TYPED,
    ):
        self._tables = tables
        self.order = order
        self.discount = discount
        self.keep_as_typed = keep_as_typed
        self._form_id: dict[str, int] = {}
        self._candidates: dict[str, tuple[int, ...]] = {}
        self._total = 0
        if tables is not None:
            self._form_id = {f: i for i, f in enumerate(tables.forms)}
            by_fold: dict[str, list[int]] = {}
            for i, form in enumerate(tables.forms):
                folded = _restorable_key(form) if tables.unigrams[i] > 0 else None
                if folded is not None:
                    by_fold.setdefault(folded, []).append(i)
            self._candidates = {k: tuple(v) for k, v in by_fold.items()}
            self._total = int(tables.unigrams.sum())

    @classmethod
    def empty(cls) -> "MarkRestorer":
        return cls(None)

    def vocabulary_size(self) -> int:
        return 0 if self._tables is None else len(self._tables.forms)

    def nbytes(self) -> int:
        """Memory held by the count arrays (the form dictionaries come on top)."""
        return 0 if self._tables is None else sum(a.nbytes for a in self._tables.arrays().values())

    # -------------------------------------------------------------- counting
    @classmethod
    def count(cls, arrays: Sequence[np.ndarray], forms: Sequence[str], *, order: int = ORDER) -> "MarkRestorer":
        """Count n-grams over token id ``arrays`` (ids index ``forms``); unused forms get dropped."""
        if not arrays or not any(len(a) for a in arrays):
            return cls.empty()
        stream = np.concatenate(arrays)
        used = np.unique(stream)
        remap = np.full(len(forms), -1, dtype=np.int64)
        remap[used] = np.arange(len(used), dtype=np.int64)
        stream = remap[stream]
        vocab = tuple(forms[i] for i in used.tolist())
        size = len(vocab)
        unigrams = np.bincount(stream, minlength=size).astype(np.int64)
        bigram_keys, bigram_counts = _ngram_counts(stream, 2, size)
        first = bigram_keys // size
        context1_total = np.bincount(first, weights=bigram_counts, minlength=size).astype(np.int64)
        context1_types = np.bincount(first, minlength=size).astype(np.int64)
        if order >= 3:
            trigram_keys, trigram_counts = _ngram_counts(stream, 3, size)
            prefix = trigram_keys // size
            context2_keys, start, types = np.unique(prefix, return_index=True, return_counts=True)
            context2_total = np.add.reduceat(trigram_counts, start) if len(start) else np.zeros(0, dtype=np.int64)
        else:
            trigram_keys = trigram_counts = context2_keys = context2_total = np.zeros(0, dtype=np.int64)
            types = np.zeros(0, dtype=np.int64)
        tables = _Tables(
            vocab, unigrams, bigram_keys, bigram_counts, context1_total, context1_types,
            trigram_keys, trigram_counts, context2_keys, context2_total.astype(np.int64), types.astype(np.int64),
        )
        return cls(tables, order=order)

    # -------------------------------------------------------------- probabilities
    def _unigram(self, c: int) -> float:
        seen = self.keep_as_typed if c == _AS_TYPED else int(self._tables.unigrams[c]) + 0.5
        return seen / (self._total + 0.5 * len(self._tables.forms))

    def _bigram(self, b: int, c: int) -> float:
        """P(c | b), interpolated with the unigram; ``c`` may be ``_AS_TYPED`` (never seen)."""
        t = self._tables
        lower = self._unigram(c)
        if b < 0 or int(t.context1_total[b]) == 0:
            return lower
        total = int(t.context1_total[b])
        seen = _lookup(t.bigram_keys, t.bigram_counts, b * len(t.forms) + c) if c >= 0 else 0
        d = self.discount
        return max(seen - d, 0.0) / total + d * int(t.context1_types[b]) / total * lower

    def _trigram(self, a: int, b: int, c: int) -> float:
        """P(c | a, b), interpolated with P(c | b)."""
        lower = self._bigram(b, c)
        t = self._tables
        if self.order < 3 or a < 0 or b < 0:
            return lower
        size = len(t.forms)
        i = int(np.searchsorted(t.context2_keys, a * size + b))
        if i >= len(t.context2_keys) or t.context2_keys[i] != a * size + b:
            return lower
        total = int(t.context2_total[i])
        seen = _lookup(t.trigram_keys, t.trigram_counts, (a * size + b) * size + c) if c >= 0 else 0
        d = self.discount
        return max(seen - d, 0.0) / total + d * int(t.context2_types[i]) / total * lower

    # -------------------------------------------------------------- restoring
    def should_restore(self, text: str) -> bool:
        """False for English questions and for questions already written with marks."""
        if self._tables is None or not text.strip():
            return False
        words = [w for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text)) if is_vietnamese_syllable(w)]
        if not words:
            return False
        marked = sum(has_vietnamese_marks(w) for w in words)
        if marked >= MARKED_SHARE * len(words):
            return False
        return detect_language(text) == "vi"

    def restore(self, text: str) -> str:
        """``text`` with marks given back to its unmarked Vietnamese words (see the module doc)."""
        if not self.should_restore(text):
            return text
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        last = 0
        for span in self._clauses(text):
            choices = self._best_path(span)
            for (start, end, typed, _), form in zip(span, choices):
                if form is None:
                    continue
                out.append(text[last:start])
                out.append(_with_case(form, typed))
                last = end
        out.append(text[last:])
        return "".join(out)

    def _clauses(self, text: str) -> Iterable[list[tuple[int, int, str, tuple[int, ...]]]]:
        """Per clause: (start, end, word as typed, candidate form ids) for each word.

        A fixed word has one candidate (its own id, or -1 when the corpus never saw it);
        a restorable word has the ids of the corpus forms that fold to it."""
        span: list[tuple[int, int, str, tuple[int, ...]]] = []
        for m in _TOKEN.finditer(text):
            if m.lastgroup == "brk":
                if span:
                    yield span
                    span = []
                continue
            word = m.group()
            options = None
            if _ASCII_WORD.match(word) and is_vietnamese_syllable(word):
                forms = self._candidates.get(word.lower(), ())
                typed = self._form_id.get(word.lower())
                # the typed form is a candidate anyway: as the corpus's form, or as "as typed"
                options = forms if typed in forms else forms + (_AS_TYPED,)
            if options is None:
                options = (self._form_id.get(_word_key(word), _UNKNOWN),)
            span.append((m.start(), m.end(), word, options))
        if span:
            yield span

    def _best_path(self, span: list[tuple[int, int, str, tuple[int, ...]]]) -> list[str | None]:
        """Viterbi over the clause; the chosen form for each restorable word, None for fixed ones."""
        # state: the last two ids -> (log probability, chosen ids so far)
        states: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, 1): (0.0, ())}
        steps = [options for _, _, _, options in span] + [(0,)]
        for options in steps:
            nxt: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
            for (a, b), (score, path) in states.items():
                for c in options:
                    gain = 0.0 if c == _UNKNOWN else math.log(self._trigram(a, b, c))
                    key = (b, c)
                    total = score + gain
                    if key not in nxt or total > nxt[key][0]:
                        nxt[key] = (total, path + (c,))
            states = nxt
        _, best = max(states.values(), key=lambda s: s[0])
        forms = self._tables.forms
        return [
            forms[c] if len(options) > 1 and c >= 0 and forms[c] != word.lower() else None
            for (_, _, word, options), c in zip(span, best)
        ]

    # -------------------------------------------------------------- persistence
    def save(self, directory: str | Path, *, generation: int, catalog_id: str) -> None:
        """Write atomically beside the catalog (a sibling temp dir swapped into place)."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".restore-", dir=directory.parent))
        try:
            meta = {
                "generation": generation,
                "catalog_id": catalog_id,
                "fingerprint": restorer_fingerprint(),
                "order": self.order,
                "empty": self._tables is None,
            }
            if self._tables is not None:
                meta["forms"] = list(self._tables.forms)
                np.savez(tmp / "counts.npz", **self._tables.arrays())
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            old = None
            if directory.exists():
                old = directory.with_name(directory.name + f".old-{os.getpid()}")
                shutil.rmtree(old, ignore_errors=True)
                directory.rename(old)
            tmp.rename(directory)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: str | Path, *, generation: int, catalog_id: str) -> "MarkRestorer | None":
        """The persisted statistics if they reflect exactly this catalog generation, else None."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            meta.get("generation") != generation
            or meta.get("catalog_id") != catalog_id
            or meta.get("fingerprint") != restorer_fingerprint()
        ):
            return None
        if meta.get("empty"):
            return cls.empty()
        try:
            with np.load(directory / "counts.npz") as data:
                arrays = {name: data[name] for name in data.files}
            tables = _Tables(forms=tuple(meta["forms"]), **arrays)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(tables, order=int(meta.get("order", ORDER)))


def _with_case(form: str, typed: str) -> str:
    """``form`` written in the case pattern of ``typed`` ("Ha" → "Hà", "NOI" → "NỘI")."""
    if len(typed) > 1 and typed.isupper():
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
