"""Give Vietnamese marks back to a question typed without them, from the loaded corpus alone.

"ai ky quyet dinh 518" → "ai ký quyết định 518". No word list and no model: the
statistics are counts of the written forms of the corpus's own words (lower-cased,
tone placement unified by ``search_key``) and of their bigrams, collected
from the chunks whenever the index's view is rebuilt (``MarkStatisticsBuilder``), and
persisted beside the lexical index.

Restoring is the best path through a small lattice: each word of the question
typed without marks that is a Vietnamese syllable the corpus knows (folded) may be
any of the corpus's forms with that folding ("so" → số / sở / so …); every other
token is fixed: words typed with marks, numbers ("<num>"), document codes
("37/KH-UBND" → "<code>"), acronyms, English words. Fixed tokens still give context:
"số" is what comes before a number, "sở" before "giáo dục". The path score is an
interpolated (absolute discounting) bigram language model over the corpus's forms;
Viterbi picks the path. A word the corpus has little or no evidence for stays as typed.
Trigrams were tried and did not pay: the same syllable accuracy on the dev questions
(0.919 / 0.876) and the same retrieval, for more memory and build time.

Questions are left alone when they are English (``english_word_share``) or already
written with marks (at least ``MARKED_SHARE`` of their Vietnamese syllables carry
a mark; a mostly unmarked question with one marked word is still restored, and
keeps that word as typed).
"""
from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from index._files import swap_into_place
from index._text import _SEGMENT_BREAK, _WORD, english_word_share, fold_diacritics
from ingest.normalize import has_vietnamese_marks, is_vietnamese_syllable, search_key

__all__ = ["MARKED_SHARE", "MarkRestorer", "MarkStatisticsBuilder", "restorer_fingerprint"]

# A question with at least this share of marked Vietnamese syllables is taken as
# written with marks and never changed. In the accented questions of the dev sets the
# share is 0.58 to 1.0 (110 questions); in those typed without marks it is 0.
MARKED_SHARE = 1 / 3
DISCOUNT = 0.75  # absolute discounting of n-gram counts
# The word as typed is always one more candidate, as if the corpus had seen it this
# many times: a folded form with little evidence stays as typed ("ai": 3 × "ái",
# 1 × "ại" from OCR, never "ai" in the external dev documents — question words are
# rare in documents). 5 against 1, 3, 10: fewer wrong marks than 1 or 3 for about as
# many right ones on the dev questions (10 leaves more unmarked); retrieval was the same.
KEEP_AS_TYPED = 5.0

SEGMENT_START = "<s>"
SEGMENT_END = "</s>"
NUMBER = "<num>"
CODE = "<code>"

_TOKEN = re.compile(f"(?P<brk>{_SEGMENT_BREAK.pattern})|(?P<word>{_WORD.pattern})")
_NUMERIC = re.compile(r"^[\d.,/\-–]+$")
_ASCII_WORD = re.compile(r"^[A-Za-z]+$")
_FORMAT = "restore-v2"
_UNKNOWN = -1  # a fixed word the corpus never saw: no probability, no context
_AS_TYPED = -2  # the "leave it as typed" candidate of a restorable word
_BLOCK = 4096  # chunks per counting pass


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
        return np.array(out, dtype=np.int32)

    def build(self, texts: Sequence[tuple[str, str]]) -> "MarkRestorer":
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
        restorer = MarkRestorer.count(arrays, list(self._ids))
        if len(self._ids) > 2 * restorer.vocabulary_size() + 10_000:
            # mostly forms of chunks that are gone: start afresh next time
            self._ids = {SEGMENT_END: 0, SEGMENT_START: 1}
            self._cache = {}
        return restorer


@dataclass(frozen=True)
class _Tables:
    """Counts over a dense form vocabulary (ids 0..V-1; 0 = segment end, 1 = segment start)."""

    forms: tuple[str, ...]
    unigrams: np.ndarray  # [V]
    bigram_keys: np.ndarray  # sorted a*V+b
    bigram_counts: np.ndarray
    context_total: np.ndarray  # [V]: sum over b of c(a, b)
    context_types: np.ndarray  # [V]: number of distinct b seen after a

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "forms"}


class MarkRestorer:
    """Immutable; safe to use from many threads. ``MarkRestorer.empty()`` changes nothing."""

    def __init__(self, tables: _Tables | None, *, discount: float = DISCOUNT, keep_as_typed: float = KEEP_AS_TYPED):
        self._tables = tables
        self.discount = discount
        self.keep_as_typed = keep_as_typed
        self._form_id: dict[str, int] = {}
        self._candidates: dict[str, tuple[int, ...]] = {}
        self._total = 0
        if tables is not None:
            self._form_id = {f: i for i, f in enumerate(tables.forms)}
            by_fold: dict[str, list[int]] = {}
            for i, form in enumerate(tables.forms):
                folded = _restorable_key(form)
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
    def count(cls, arrays: Sequence[np.ndarray], forms: Sequence[str]) -> "MarkRestorer":
        """Count forms and bigrams over token id ``arrays`` (ids index ``forms``); unused forms are dropped.

        Bigrams are counted ``_BLOCK`` chunks at a time and merged, so the temporary
        int64 arrays are bounded by a block, not by the corpus. Each clause is <s> … </s>
        and clauses follow each other, so a bigram never spans two clauses (the pair
        (</s>, <s>) joins them, and is lost between blocks: harmless)."""
        size = len(forms)
        unigrams = np.zeros(size, dtype=np.int64)
        block_keys, block_counts = [], []
        for start in range(0, len(arrays), _BLOCK):
            stream = np.concatenate([np.zeros(0, dtype=np.int32), *arrays[start : start + _BLOCK]]).astype(np.int64)
            unigrams += np.bincount(stream, minlength=size)
            keys, counts = np.unique(stream[:-1] * size + stream[1:], return_counts=True)
            block_keys.append(keys)
            block_counts.append(counts)
        used = np.flatnonzero(unigrams)
        if not len(used):
            return cls.empty()
        keys, where = np.unique(np.concatenate(block_keys), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate(block_counts)).astype(np.int64)
        # renumber the forms in use 0..V-1 (an increasing map: the keys stay sorted)
        remap = np.full(size, -1, dtype=np.int64)
        remap[used] = np.arange(len(used), dtype=np.int64)
        first, second = remap[keys // size], remap[keys % size]
        vocabulary = len(used)
        tables = _Tables(
            forms=tuple(forms[i] for i in used.tolist()),
            unigrams=unigrams[used],
            bigram_keys=first * vocabulary + second,
            bigram_counts=counts,
            context_total=np.bincount(first, weights=counts, minlength=vocabulary).astype(np.int64),
            context_types=np.bincount(first, minlength=vocabulary).astype(np.int64),
        )
        return cls(tables)

    # -------------------------------------------------------------- probabilities
    def _unigram(self, c: int) -> float:
        seen = self.keep_as_typed if c == _AS_TYPED else int(self._tables.unigrams[c]) + 0.5
        return seen / (self._total + 0.5 * len(self._tables.forms))

    def _bigram(self, b: int, c: int) -> float:
        """P(c | b): absolute discounting interpolated with the unigram; ``c`` may be ``_AS_TYPED``."""
        t = self._tables
        lower = self._unigram(c)
        if b < 0 or t.context_total[b] == 0:
            # after a word the corpus never saw, all the probability goes to the unigram,
            # as absolute discounting gives most of it to the unigram after a rare word
            return lower
        total = int(t.context_total[b])
        seen = 0
        if c >= 0:
            key = b * len(t.forms) + c
            i = int(np.searchsorted(t.bigram_keys, key))
            seen = int(t.bigram_counts[i]) if i < len(t.bigram_keys) and t.bigram_keys[i] == key else 0
        d = self.discount
        return max(seen - d, 0.0) / total + d * int(t.context_types[b]) / total * lower

    # -------------------------------------------------------------- restoring
    def should_restore(self, text: str) -> bool:
        """False for English questions and for questions already written with marks."""
        if self._tables is None or not text.strip():
            return False
        text = unicodedata.normalize("NFC", text)
        words = [w for w in re.findall(r"[^\W\d_]+", text) if is_vietnamese_syllable(w)]
        if not words:
            return False
        marked = sum(has_vietnamese_marks(w) for w in words)
        if marked >= MARKED_SHARE * len(words):
            return False
        # English: more English function words than Vietnamese ones ("When will the …
        # (thăng hạng) …?" has marks), or mostly words that are no Vietnamese syllable;
        # acronyms (GDĐT, UBND) count for neither
        english, vietnamese = english_word_share(text)
        plain = [w for w in re.findall(r"[^\W\d_]+", text) if not (len(w) > 1 and w.isupper())]
        return english <= vietnamese and 2 * sum(is_vietnamese_syllable(w) for w in plain) >= len(plain)

    def restore(self, text: str) -> str:
        """``text`` with marks given back to its unmarked Vietnamese words (see the module doc)."""
        if not self.should_restore(text):
            return text
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        last = 0
        for clause in self._clauses(text):
            for (start, end, typed, _), form in zip(clause, self._best_path(clause)):
                if form is not None:
                    out.append(text[last:start])
                    out.append(_with_case(form, typed))
                    last = end
        out.append(text[last:])
        return "".join(out)

    def _clauses(self, text: str) -> Iterable[list[tuple[int, int, str, tuple[int, ...]]]]:
        """Per clause: (start, end, word as typed, candidate ids) for each word.

        A fixed word has one candidate: its own id, or ``_UNKNOWN`` when the corpus never
        saw it. A restorable word has the ids of the corpus forms that fold to it, plus
        ``_AS_TYPED`` unless the word as typed is one of them."""
        clause: list[tuple[int, int, str, tuple[int, ...]]] = []
        for m in _TOKEN.finditer(text):
            if m.lastgroup == "brk":
                if clause:
                    yield clause
                    clause = []
                continue
            word = m.group()
            if _ASCII_WORD.match(word) and is_vietnamese_syllable(word):
                forms = self._candidates.get(word.lower(), ())
                options = forms if self._form_id.get(word.lower()) in forms else forms + (_AS_TYPED,)
            else:
                options = (self._form_id.get(_word_key(word), _UNKNOWN),)
            clause.append((m.start(), m.end(), word, options))
        if clause:
            yield clause

    def _best_path(self, clause: list[tuple[int, int, str, tuple[int, ...]]]) -> list[str | None]:
        """Viterbi over the clause (from </s> <s>, to </s>): per word, the form to write or None."""
        paths: dict[int, tuple[float, tuple[int, ...]]] = {1: (0.0, ())}  # last id -> (log p, ids)
        for options in [options for *_, options in clause] + [(0,)]:
            step: dict[int, tuple[float, tuple[int, ...]]] = {}
            for b, (score, path) in paths.items():
                for c in options:
                    total = score + (0.0 if c == _UNKNOWN else math.log(self._bigram(b, c)))
                    if c not in step or total > step[c][0]:
                        step[c] = (total, path + (c,))
            paths = step
        (_, best), = paths.values()
        forms = self._tables.forms
        return [
            forms[c] if c >= 0 and len(options) > 1 and forms[c] != word.lower() else None
            for (_, _, word, options), c in zip(clause, best)
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
                "empty": self._tables is None,
            }
            if self._tables is not None:
                meta["forms"] = list(self._tables.forms)
                np.savez(tmp / "counts.npz", **self._tables.arrays())
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            swap_into_place(tmp, directory)
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
        return cls(tables)


def _with_case(form: str, typed: str) -> str:
    """``form`` written in the case pattern of ``typed`` ("Ha" → "Hà", "NOI" → "NỘI")."""
    if len(typed) > 1 and typed.isupper():
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
