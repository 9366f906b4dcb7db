"""planchat's own schema (``evals/dataset.py``): JSONL or CSV with ``id``, ``question``, ``reference``,
``must_include``, ``sources``, ``answerable``."""
from __future__ import annotations

from pathlib import Path

from evals.formats.base import Importer, Imported, LoadContext, Sample


def sniff(sample: Sample) -> float:
    fields = set(sample.fields)
    if sample.kind in ("jsonl", "json", "csv") and {"id", "question"} <= fields:
        return 1.0
    if sample.kind in ("jsonl", "json", "csv") and fields & {"id", "question"}:
        return 0.5  # load_dataset will say which native field is missing
    return 0.0


def load(path: Path, context: LoadContext) -> Imported:
    from evals.dataset import load_dataset

    return Imported(items=tuple(load_dataset(path)), format="native")


IMPORTER = Importer(
    name="native",
    description="planchat's schema: id, question, reference, must_include, sources, answerable (JSONL or CSV)",
    sniff=sniff,
    load=load,
)
