"""Reading raw records (with their line numbers) from JSONL, JSON and CSV files, and parsing list cells.

Every problem is a :class:`evals.errors.DatasetError` naming the file, the line and the field.
"""
from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path
from typing import Iterator

from evals.errors import DatasetError
from evals.formats.base import Sample

JSONL_SUFFIXES = (".jsonl", ".ndjson")
HEAD_CHARS = 4096


def read_text(path: Path) -> str:
    if not path.is_file():
        raise DatasetError(path, None, None, "file not found" if not path.exists() else "not a file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DatasetError(path, None, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def sample_file(path: str | Path) -> Sample:
    """Parse just enough of ``path`` to tell its format (never raises for content problems)."""
    path = Path(path)
    text = read_text(path)
    suffix = path.suffix.lower()
    head = text[:HEAD_CHARS]
    stripped = text.lstrip()
    if suffix == ".csv":
        try:
            header = next(csv.reader(io.StringIO(head)), [])
        except csv.Error:
            header = []
        return Sample(path, suffix, "csv", tuple(h.strip() for h in header), head)
    if suffix not in JSONL_SUFFIXES and stripped.startswith(("[", "{")):
        try:
            doc = json.loads(text)  # one JSON document (a list of objects, or one object)
        except json.JSONDecodeError:
            pass
        else:
            first = doc[0] if isinstance(doc, list) and doc else doc
            return Sample(path, suffix, "json", tuple(first) if isinstance(first, dict) else (), head)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        first = json.loads(first_line)
        if isinstance(first, dict):
            return Sample(path, suffix, "jsonl", tuple(first), head)
    except json.JSONDecodeError:
        pass
    if stripped.startswith(("[", "{")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            return Sample(path, suffix, "unknown", (), head)
        first = doc[0] if isinstance(doc, list) and doc else doc
        return Sample(path, suffix, "json", tuple(first) if isinstance(first, dict) else (), head)
    return Sample(path, suffix, "unknown", (), head)


def json_records(path: Path) -> Iterator[tuple[int, dict]]:
    """(line, object) from a JSONL file, or from a JSON file holding a list of objects (line = position)."""
    text = read_text(path)
    sample = sample_file(path)
    if sample.kind == "json":
        doc = json.loads(text)
        rows = doc if isinstance(doc, list) else [doc]
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise DatasetError(path, number, None, f"expected a JSON object, got {type(row).__name__}")
            yield number, row
        return
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


def csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {header: cell}) for each non-empty CSV row; the line is where the row starts."""
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        return
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise DatasetError(path, reader.line_num, None, f"malformed CSV ({e})") from None
        line = start
        start = reader.line_num + 1
        if None in row:
            raise DatasetError(path, line, None, "more cells than header columns")
        if not any((v or "").strip() for v in row.values()):
            continue
        yield line, {k.strip(): (v or "") for k, v in row.items()}


def list_cell(value, path: Path, line: int, field: str) -> list[str]:
    """A list of strings from a JSON value or a CSV cell.

    CSV cells may hold a JSON list (``["a", "b"]``) or a Python list literal
    (``['a', 'b']``, what ``csv.DictWriter`` writes for a list, as RAGAS'
    ``EvaluationDataset.to_csv`` does); any other non-empty text is one element.
    """
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        items = None
        if text.startswith("["):
            for parse in (json.loads, ast.literal_eval):
                try:
                    parsed = parse(text)
                except (ValueError, SyntaxError, json.JSONDecodeError):
                    continue
                if isinstance(parsed, list):
                    items = parsed
                    break
        if items is None:
            items = [text]
    else:
        raise DatasetError(path, line, field, f"must be a list of strings, got {type(value).__name__}")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise DatasetError(path, line, f"{field}[{i}]", f"must be a string, got {type(item).__name__}")
        if item.strip():
            out.append(item)
    return out


TRUE_WORDS = ("true", "yes", "y", "t", "1", "có", "co", "x", "đúng", "dung", "được", "duoc")
FALSE_WORDS = ("false", "no", "n", "f", "0", "không", "khong", "ko", "sai")


def bool_cell(value, path: Path, line: int, field: str, default: bool = True) -> bool:
    """true/false, yes/no, 1/0 and Vietnamese có/không (with or without diacritics); empty = ``default``."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise DatasetError(path, line, field, f"expected true or false (có/không), got {value!r}")
