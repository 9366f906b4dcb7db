"""Load a question-answer test set (JSONL, or CSV with the same columns).

One item per line (JSONL) or row (CSV):

- ``id`` (str, unique), ``question`` (str), ``reference`` (str, the expected answer; may be empty)
- ``must_include``: list of facts, each a list of acceptable strings (alternatives);
  a bare string is accepted as a fact with one alternative
- ``sources``: list of ``{"document": file name as ingested, "quote": exact passage text or ""}``;
  a source may also name an ``"article"`` (the ``Điều`` number, e.g. ``"418"``) and carry that
  article's ``"article_text"``: gold at article level (ALQAC, ``evals.alqac``), see ``evals.metrics``
- ``answerable`` (bool, default true): false means the right behaviour is to abstain

Unknown fields (e.g. ``lang``, ``category``) are kept in ``EvalItem.extra``.
In CSV, ``must_include`` and ``sources`` cells hold JSON text, ``answerable`` is
true/false/yes/no/1/0 (empty = true). Every validation error names the line and field.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from evals.errors import DatasetError

KNOWN_FIELDS = ("id", "question", "reference", "must_include", "sources", "answerable")


@dataclass(frozen=True)
class Source:
    """A gold source: the document (file name) and, optionally, a passage that supports the answer.

    ``article`` makes the gold an article (``Điều``) of the document: a retrieved passage is
    relevant when it belongs to that article. ``article_text`` is the article's text as the
    index loaded it (heading included); it lets the metrics place passages that carry no
    ``Điều`` heading or section (see ``evals.metrics.passage_in_article``).
    """

    document: str
    quote: str = ""
    article: str = ""
    article_text: str = ""

    def to_dict(self) -> dict:
        out = {"document": self.document, "quote": self.quote}
        if self.article:
            out["article"] = self.article
        if self.article_text:
            out["article_text"] = self.article_text
        return out


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    reference: str = ""
    must_include: tuple[tuple[str, ...], ...] = ()
    sources: tuple[Source, ...] = ()
    answerable: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def gold_documents(self) -> frozenset[str]:
        return frozenset(s.document for s in self.sources)

    @property
    def category(self) -> str:
        value = self.extra.get("category", "")
        return value if isinstance(value, str) else str(value)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "reference": self.reference,
            "must_include": [list(f) for f in self.must_include],
            "sources": [s.to_dict() for s in self.sources],
            "answerable": self.answerable,
            **self.extra,
        }


def load_dataset(path: str | Path) -> list[EvalItem]:
    """Read a ``.jsonl``/``.json`` (one object per line) or ``.csv`` test set; raise DatasetError when malformed."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(path, None, None, "file not found" if not path.exists() else "not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DatasetError(path, None, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        rows = _jsonl_rows(path, text)
    elif suffix == ".csv":
        rows = _csv_rows(path, text)
    else:
        raise DatasetError(path, None, None, "unsupported test-set format (use .jsonl or .csv)")
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        item = parse_item(row, path=path, line=line)
        if item.id in seen:
            raise DatasetError(path, line, "id", f"duplicate id '{item.id}' (first on line {seen[item.id]})")
        seen[item.id] = line
        items.append(item)
    if not items:
        raise DatasetError(path, None, None, "the test set has no items")
    return items


def _jsonl_rows(path: Path, text: str) -> Iterable[tuple[int, dict]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as e:
            raise DatasetError(path, number, None, f"invalid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(row, dict):
            raise DatasetError(path, number, None, f"expected a JSON object, got {type(row).__name__}")
        yield number, row


def _csv_rows(path: Path, text: str) -> Iterable[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        return
    missing = [c for c in ("id", "question") if c not in reader.fieldnames]
    if missing:
        raise DatasetError(path, 1, missing[0], "missing column in the CSV header")
    start = reader.line_num + 1
    for row in reader:
        line = start
        start = reader.line_num + 1
        if None in row:
            raise DatasetError(path, line, None, "more cells than header columns")
        if not any((v or "").strip() for v in row.values()):
            continue
        out: dict[str, Any] = {}
        for key, value in row.items():
            value = value if value is not None else ""
            if key in ("must_include", "sources"):
                if not value.strip():
                    continue
                try:
                    out[key] = json.loads(value)
                except json.JSONDecodeError as e:
                    raise DatasetError(path, line, key, f"invalid JSON in cell ({e.msg})") from None
            elif key == "answerable":
                if value.strip():
                    out[key] = _csv_bool(value, path, line)
            else:
                out[key] = value
        yield line, out


def _csv_bool(value: str, path: Path, line: int) -> bool:
    v = value.strip().lower()
    if v in ("true", "yes", "1", "y", "t"):
        return True
    if v in ("false", "no", "0", "n", "f"):
        return False
    raise DatasetError(path, line, "answerable", f"expected true or false, got {value!r}")


def parse_item(row: dict, *, path: str | Path = "<dataset>", line: int | None = None) -> EvalItem:
    """Validate one raw row into an EvalItem."""

    def fail(field_name: str, detail: str) -> DatasetError:
        return DatasetError(path, line, field_name, detail)

    def text_field(name: str, required: bool) -> str:
        if name not in row or row[name] is None:
            if required:
                raise fail(name, "missing")
            return ""
        value = row[name]
        if not isinstance(value, str):
            raise fail(name, f"must be a string, got {type(value).__name__}")
        if required and not value.strip():
            raise fail(name, "must not be empty")
        return value

    item_id = text_field("id", True).strip()
    question = text_field("question", True)
    reference = text_field("reference", False)

    facts_raw = row.get("must_include") or []
    if not isinstance(facts_raw, list):
        raise fail("must_include", "must be a list of facts (each a list of acceptable strings)")
    facts: list[tuple[str, ...]] = []
    for i, fact in enumerate(facts_raw):
        name = f"must_include[{i}]"
        alternatives = [fact] if isinstance(fact, str) else fact
        if not isinstance(alternatives, list) or not alternatives:
            raise fail(name, "must be a non-empty list of acceptable strings")
        for j, alt in enumerate(alternatives):
            if not isinstance(alt, str) or not alt.strip():
                raise fail(f"{name}[{j}]", "must be a non-empty string")
        facts.append(tuple(alternatives))

    sources_raw = row.get("sources") or []
    if not isinstance(sources_raw, list):
        raise fail("sources", 'must be a list of {"document": ..., "quote": ...}')
    sources: list[Source] = []
    for i, src in enumerate(sources_raw):
        name = f"sources[{i}]"
        if not isinstance(src, dict):
            raise fail(name, 'must be an object {"document": ..., "quote": ...}')
        document = src.get("document")
        if not isinstance(document, str) or not document.strip():
            raise fail(f"{name}.document", "must be a non-empty string (the file name as ingested)")
        quote = src.get("quote", "")
        if quote is None:
            quote = ""
        if not isinstance(quote, str):
            raise fail(f"{name}.quote", "must be a string")
        article = src.get("article", "")
        if isinstance(article, int) and not isinstance(article, bool):
            article = str(article)
        if article is None:
            article = ""
        if not isinstance(article, str):
            raise fail(f"{name}.article", "must be a string (the article number, e.g. \"418\")")
        article_text = src.get("article_text", "") or ""
        if not isinstance(article_text, str):
            raise fail(f"{name}.article_text", "must be a string")
        sources.append(Source(document=Path(document.strip()).name, quote=quote, article=article.strip(),
                              article_text=article_text))

    answerable = row.get("answerable", True)
    if answerable is None:
        answerable = True
    if not isinstance(answerable, bool):
        raise fail("answerable", f"must be true or false, got {answerable!r}")

    extra = {k: v for k, v in row.items() if k not in KNOWN_FIELDS}
    return EvalItem(
        id=item_id,
        question=question,
        reference=reference,
        must_include=tuple(facts),
        sources=tuple(sources),
        answerable=answerable,
        extra=extra,
    )
