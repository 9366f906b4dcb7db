"""CSV test sets with Vietnamese column names, as a department evaluator writes them in a spreadsheet.

Headers are matched without case, diacritics, punctuation or extra spaces, so
"Câu hỏi", "CAU HOI" and "cau hoi (*)" are the same column. The accepted names
of each field are the data table :data:`COLUMNS`; unknown columns go to ``extra``.

Cells:

- ``văn bản nguồn``: the plan(s) the answer comes from, by file name or plan
  number ("Kế hoạch 72/KH-UBND"), several separated by ``;`` or line breaks;
- ``trích dẫn``: supporting passage(s), one per line; each is paired with the
  named plan that contains it (any ingested plan when none is named);
- ``ý chính``: facts the answer must contain, separated by ``;`` or line breaks,
  alternative wordings of one fact separated by ``|``;
- ``trả lời được``: có/không (also yes/no, true/false, 1/0; empty = có).

Rows without ``mã``/``id`` get ``q001``, ``q002``… in file order.
"""
from __future__ import annotations

import re
from pathlib import Path

from evals.dataset import EvalItem, Source, parse_item
from evals.errors import DatasetError
from evals.formats.base import Importer, Imported, LoadContext, Sample
from evals.formats.rows import bool_cell, csv_records

#: field -> accepted column names, as header keys (see :func:`header_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ma", "ma cau hoi", "ma so", "id", "stt", "so thu tu", "tt"),
    "question": ("cau hoi", "noi dung cau hoi", "cau hoi kiem thu"),
    "reference": ("dap an", "dap an mau", "dap an dung", "cau tra loi", "cau tra loi mau", "tra loi mau", "tra loi dung"),
    "documents": ("van ban nguon", "van ban", "nguon", "tai lieu", "tai lieu nguon", "ke hoach", "ke hoach nguon", "van ban tham chieu"),
    "quotes": ("trich dan", "doan trich", "trich doan", "doan nguon", "doan van ban", "can cu", "doan van ban nguon"),
    "must_include": ("y chinh", "y bat buoc", "phai co", "tu khoa", "tu khoa bat buoc", "noi dung bat buoc", "y can co", "thong tin bat buoc"),
    "answerable": ("tra loi duoc", "co dap an", "co the tra loi", "co tra loi"),
    "category": ("loai", "nhom", "loai cau hoi", "phan loai", "linh vuc"),
    "lang": ("ngon ngu",),
}

_FACT_SPLIT = re.compile(r"[;\n]")
_DOC_SPLIT = re.compile(r"[;\n]")
_PUNCT = re.compile(r"[^\w\s]")


def header_key(header: str) -> str:
    """"Câu hỏi (*)" → "cau hoi": diacritics folded, punctuation dropped, spaces collapsed."""
    from evals.text import _fold

    return " ".join(_PUNCT.sub(" ", _fold(header or "")).lower().split())


def column_map(headers) -> dict[str, str]:
    """field -> the header that holds it (first matching header wins)."""
    out: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        for field, names in COLUMNS.items():
            if key in names and field not in out:
                out[field] = header
    return out


def sniff(sample: Sample) -> float:
    if sample.kind != "csv":
        return 0.0
    return 0.9 if "question" in column_map(sample.fields) else 0.0


def load(path: Path, context: LoadContext) -> Imported:
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    columns: dict[str, str] | None = None
    for number, (line, row) in enumerate(csv_records(path), start=1):
        if columns is None:
            columns = column_map(row.keys())
            if "question" not in columns:
                raise DatasetError(path, 1, "câu hỏi", "missing column in the CSV header")
        item = _item(path, line, number, row, columns, context)
        if item.id in seen:
            raise DatasetError(path, line, columns.get("id", "id"), f"duplicate id '{item.id}' (first on line {seen[item.id]})")
        seen[item.id] = line
        items.append(item)
    if not items:
        raise DatasetError(path, None, None, "the test set has no items")
    return Imported(items=tuple(items), format="vi-csv")


def _cell(row: dict, columns: dict, field: str) -> str:
    header = columns.get(field)
    return (row.get(header) or "").strip() if header else ""


def _item(path: Path, line: int, number: int, row: dict, columns: dict, context: LoadContext) -> EvalItem:
    facts = [
        [alt.strip() for alt in fact.split("|") if alt.strip()]
        for fact in _FACT_SPLIT.split(_cell(row, columns, "must_include"))
        if fact.strip()
    ]
    native = {
        "id": _cell(row, columns, "id") or f"q{number:03d}",
        "question": _cell(row, columns, "question"),
        "reference": _cell(row, columns, "reference"),
        "must_include": [f for f in facts if f],
        "sources": [s.to_dict() for s in _sources(path, line, row, columns, context)],
        "answerable": bool_cell(_cell(row, columns, "answerable"), path, line, columns.get("answerable", "answerable")),
    }
    for field in ("category", "lang"):
        if _cell(row, columns, field):
            native[field] = _cell(row, columns, field)
    used = set(columns.values())
    extra = {k: v for k, v in row.items() if k not in used and (v or "").strip()}
    if not native["question"]:
        raise DatasetError(path, line, columns["question"], "must not be empty")
    return parse_item({**extra, **native}, path=path, line=line)


def _sources(path: Path, line: int, row: dict, columns: dict, context: LoadContext) -> list[Source]:
    names = [n.strip() for n in _DOC_SPLIT.split(_cell(row, columns, "documents")) if n.strip()]
    quotes = [q.strip() for q in _cell(row, columns, "quotes").splitlines() if q.strip()]
    if not names and not quotes:
        return []
    corpus = context.require_corpus(path, "sources are matched to the ingested plans")
    doc_field = columns.get("documents", "văn bản nguồn")
    documents: list[str] = []
    for name in names:
        found = corpus.find(name)
        if not found:
            raise DatasetError(path, line, doc_field, f"'{name}' matches no ingested plan (give its file name or plan number)")
        if len(found) > 1:
            raise DatasetError(path, line, doc_field, f"'{name}' matches several plans ({', '.join(found)}); give the file name")
        documents.append(found[0])
    placed: list[Source] = []
    for quote in quotes:
        holders = [d for d in corpus.locate(quote) if not documents or d in documents]
        if not holders:
            where = ", ".join(documents) if documents else "any ingested plan"
            raise DatasetError(path, line, columns.get("quotes", "trích dẫn"), f"passage not found in {where}: {quote[:60]!r}")
        placed.append(Source(holders[0], quote))
    # In the order the plans are named: each plan's passages, or the plan alone when none is quoted from it.
    sources: list[Source] = []
    for d in dict.fromkeys(documents):
        own = [s for s in placed if s.document == d]
        sources += own or [Source(d, "")]
    sources += [s for s in placed if s.document not in documents]
    return list(dict.fromkeys(sources))


IMPORTER = Importer(
    name="vi-csv",
    description="CSV with Vietnamese column names: câu hỏi, đáp án, văn bản nguồn, trích dẫn, ý chính, trả lời được (with or without diacritics)",
    sniff=sniff,
    load=load,
)
