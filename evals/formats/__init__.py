"""Test-set formats: a small registry of importers, chosen by ``--format`` or detected from the file.

Each importer lives in its own module exposing ``IMPORTER`` (an
:class:`evals.formats.base.Importer`). The modules are listed in
:data:`IMPORTER_MODULES` and imported only when a test set is loaded; adding a
format is adding a module name there, or calling :func:`register` at run time::

    # evals/alqac.py
    from evals.formats.base import Importer, Imported
    IMPORTER = Importer(name="alqac", description="…", sniff=sniff, load=load)

    # evals/formats/__init__.py
    IMPORTER_MODULES = (…, "evals.alqac")

Detection asks every importer for its confidence in [0, 1] on a
:class:`~evals.formats.base.Sample` of the file and takes the highest (ties go to
the earlier module); nothing above 0 is a one-line error listing the formats.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from evals.errors import DatasetError
from evals.formats.base import Importer, Imported, LoadContext, Sample

#: Modules with an ``IMPORTER``, in detection-priority order.
IMPORTER_MODULES: tuple[str, ...] = (
    "evals.formats.native",
    "evals.formats.ragas",
    "evals.formats.vietnamese",
)

_registered: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Add (or replace) an importer at run time, e.g. from a plugin or a test."""
    _registered[importer.name] = importer


def importers() -> list[Importer]:
    """Every known importer: the listed modules (those that import), then registered ones."""
    found: dict[str, Importer] = {}
    for module_name in IMPORTER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # a format whose module is not in this build
        importer = getattr(module, "IMPORTER", None)
        if isinstance(importer, Importer):
            found.setdefault(importer.name, importer)
    found.update(_registered)
    return list(found.values())


def format_names() -> list[str]:
    return [i.name for i in importers()]


def get_importer(name: str) -> Importer:
    for importer in importers():
        if importer.name == name:
            return importer
    raise DatasetError(name, None, None, f"unknown test-set format (known: {', '.join(format_names())})")


def detect_format(path: str | Path) -> Importer:
    from evals.formats.rows import sample_file

    sample = sample_file(path)
    scored = [(importer.sniff(sample), -i, importer) for i, importer in enumerate(importers())]
    best = max(scored, key=lambda s: (s[0], s[1]))
    if best[0] <= 0:
        raise DatasetError(
            path, None, None,
            f"cannot tell the test-set format (fields: {', '.join(sample.fields) or 'none'}); name it with --format ({', '.join(format_names())})",
        )
    return best[2]


def load_test_set(
    path: str | Path,
    *,
    format: str | None = None,
    corpus: Callable[[], object] | None = None,
    want_outputs: bool = False,
) -> Imported:
    """Read a test set in any known format.

    ``corpus`` is a zero-argument callable returning an :class:`evals.formats.corpus.Corpus`;
    it is called only if the file names sources the importer must find in the plans.
    """
    path = Path(path)
    importer = get_importer(format) if format else detect_format(path)
    return importer.load(path, LoadContext(corpus_factory=corpus, want_outputs=want_outputs))


__all__ = ["Importer", "Imported", "LoadContext", "Sample", "register", "importers", "format_names",
           "get_importer", "detect_format", "load_test_set", "IMPORTER_MODULES"]
