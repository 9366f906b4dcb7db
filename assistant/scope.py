"""Province scope in today's names: a unit formed in 2025 also covers its predecessors' documents.

"Thái Nguyên" (today: the former Thái Nguyên and Bắc Kạn) widens to ("Thái Nguyên", "Bắc Kạn"),
so a question or a filter in today's names finds plans written before the merger. A former
name ("Bắc Kạn", "bac kan") stays itself. The names come from ``ingest.admin_changes``;
spellings are the documents' own when a loaded document has the province.
"""
from __future__ import annotations

from typing import Sequence

from assistant._provinces import canonical_province, same_province
from index.types import Filters
from ingest.admin_changes import UnknownProvince, load_admin_changes
from ingest.types import DocumentMeta


def _spelling(name: str, documents: Sequence[DocumentMeta]) -> str:
    return next((d.province for d in documents if d.province and same_province(d.province, name)), name)


def expand_provinces(names: Sequence[str], documents: Sequence[DocumentMeta] = ()) -> tuple[str, ...]:
    """``names`` followed by the former provinces each unit of today was formed from."""
    table = load_admin_changes()
    out: list[str] = list(names)
    for name in names:
        for old in table.predecessors(name):
            spelled = _spelling(old, documents)
            if not any(same_province(spelled, n) for n in out):
                out.append(spelled)
    return tuple(dict.fromkeys(out))


def expand_filters(filters: Filters | None, documents: Sequence[DocumentMeta] = ()) -> Filters | None:
    """The same filters with each province of today widened to its predecessors."""
    if filters is None or not filters.provinces:
        return filters
    return Filters(provinces=expand_provinces(filters.provinces, documents), documents=filters.documents)


def resolve_province(name: str) -> str:
    """The canonical name of a former province or of a unit of today, written any way.

    Raises ``UnknownProvince`` (a ``ValueError`` with a one-line message) for anything else.
    """
    table = load_admin_changes()
    unit = table.current_unit(name)
    if unit and len(table.predecessors(unit)) > 1:
        return unit  # a merged unit of today: expand_filters widens it
    canonical = canonical_province(name)
    if canonical:
        return canonical
    if unit:
        return table.predecessors(unit)[0]
    raise UnknownProvince(name.strip())


def province_choices(loaded: Sequence[str]) -> tuple[str, ...]:
    """Names a province picker offers for the loaded provinces: each loaded (former) name, and
    the unit of today it belongs to when that unit has another name ("Bắc Kạn" → also "Thái Nguyên")."""
    from ingest.normalize import fold_diacritics

    table = load_admin_changes()
    out: list[str] = []
    for name in loaded:
        out.append(name)
        row = table.province_change(name)
        if row is not None and row.absorbed:
            out.append(row.new_unit)
    return tuple(sorted(dict.fromkeys(out), key=fold_diacritics))


def all_province_names() -> tuple[tuple[str, str, str], ...]:
    """(former province, unit of today, change) for the 63 former provinces, table order."""
    return tuple((p.old_province, p.new_unit, p.change) for p in load_admin_changes().provinces)
