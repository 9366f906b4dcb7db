"""The shapes every test-set importer shares: what it is shown to sniff, what it returns.

An importer is data (:class:`Importer`): a name, a one-line description, a
``sniff(sample) -> float`` confidence in [0, 1] and a ``load(path, context) ->
Imported``. ``evals.formats`` keeps the registry and picks the importer with the
highest confidence when no ``--format`` is named.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from evals.dataset import EvalItem


@dataclass(frozen=True)
class Sample:
    """What sniffing sees of a file: its suffix, how it parsed, and the field names of its first record.

    ``kind`` is "jsonl" (one object per line), "json" (one document: an object or
    a list), "csv" or "unknown"; ``fields`` are the JSON keys of the first object or
    the CSV header cells as written; ``head`` is the first 4 KB of text.
    """

    path: Path
    suffix: str
    kind: str
    fields: tuple[str, ...] = ()
    head: str = ""


@dataclass(frozen=True)
class LoadContext:
    """What an importer may use besides the file.

    ``corpus`` resolves plan names, plan numbers and passages to ingested
    documents (:class:`evals.formats.corpus.Corpus`); it is None when no index is
    at hand, and only importers that need it ask for it (``context.require_corpus``).
    """

    corpus_factory: Callable[[], object] | None = None
    want_outputs: bool = False  # also read stored system outputs (RAGAS ``response``) for ``--given``
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def require_corpus(self, path: Path, why: str):
        from evals.errors import DatasetError

        if "corpus" not in self._cache:
            if self.corpus_factory is None:
                raise DatasetError(path, None, None, f"{why}: this needs the ingested plans, and no index is open")
            self._cache["corpus"] = self.corpus_factory()
        return self._cache["corpus"]


@dataclass(frozen=True)
class Imported:
    """A test set read from any format; ``outputs`` maps item id to a stored answer when the file carries one.

    ``outputs`` values are :class:`evals.rescore.StoredOutput` (RAGAS files may
    hold ``response`` and ``retrieved_contexts`` of the system that was run).
    """

    items: tuple[EvalItem, ...]
    format: str
    outputs: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Importer:
    name: str
    description: str
    sniff: Callable[[Sample], float]
    load: Callable[[Path, LoadContext], Imported]
