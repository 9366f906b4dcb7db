"""The 2025 administrative changes: provinces merged into 34 units, departments merged or split.

The facts live as data in ``ingest/data/admin_changes_2025/`` (read once, lazily):

- ``sources.csv``: one row per legal act (number, issuer, date, title, when it took effect,
  and where each fact was read);
- ``provinces.csv``: one row per former province (all 63): the unit it belongs to today,
  whether it was ``merged``, ``unchanged`` or ``renamed``, from when, and the clause of the act;
- ``departments.csv``: one row per (old department, new agency): a whole department (or what is
  left of it) ``merged`` into another, or named duties ``split`` off to a third, with the cue words
  that show a text is about those duties, a statement of the change in our words and where it
  was read.

Every row names its legal basis (``legal_basis`` → ``sources.csv``). Names are matched
with or without diacritics (``ingest.provinces`` spellings, ``ingest.agencies`` for departments).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ingest.normalize import fold_diacritics, nfc

DATA_DIR = Path(__file__).resolve().parent / "data" / "admin_changes_2025"

PROVINCE_CHANGES = ("merged", "unchanged", "renamed")
DEPARTMENT_CHANGES = ("merged", "split")


class UnknownProvince(ValueError):
    """A province name that is neither one of the 63 former provinces nor one of the 34 units of today."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"unknown province '{name}' (`planchat provinces` lists the 63 former and 34 current names)"
        )
        self.name = name


@dataclass(frozen=True)
class LegalSource:
    id: str
    act: str  # "Nghị quyết 202/2025/QH15"
    issuer: str
    date: str  # ISO, "" when the text does not show it
    title: str
    effective: str  # as read, in words
    read_at: str  # where the facts were read (URLs, repository paths, search-tool ids)

    @property
    def citation(self) -> str:
        """"Nghị quyết 202/2025/QH15 ngày 12/06/2025"."""
        return f"{self.act} ngày {_vi_date(self.date)}" if self.date else self.act


@dataclass(frozen=True)
class ProvinceChange:
    old_province: str  # one of the 63 names of ``ingest.provinces``
    new_unit: str  # the unit of today ("Thái Nguyên", "Huế")
    new_kind: str  # "tỉnh" | "thành phố"
    change: str  # one of PROVINCE_CHANGES
    effective: str  # ISO date the new unit operates from ("" when unchanged)
    legal_basis: str  # LegalSource.id
    clause: str
    read_at: str

    @property
    def absorbed(self) -> bool:
        """True when the province is now known under another name (merged into a unit named after
        another province, or renamed): documents naming it need "X, now part of Y"."""
        return self.old_province != self.new_unit


@dataclass(frozen=True)
class DepartmentChange:
    old_agency: str  # canonical name as ``ingest.agencies.canonical_agency`` gives it
    new_agency: str
    change: str  # one of DEPARTMENT_CHANGES
    duties: tuple[str, ...]  # areas of duty that moved ("giáo dục nghề nghiệp"); () = the whole department
    cues: tuple[str, ...]  # words that show a text is about those duties ("đào tạo nghề"); () = any
    statement: str  # the change in one sentence (our words)
    effective: str  # ISO
    legal_basis: str
    read_at: str


@dataclass(frozen=True)
class AdminChanges:
    sources: tuple[LegalSource, ...]
    provinces: tuple[ProvinceChange, ...]
    departments: tuple[DepartmentChange, ...]

    def source(self, source_id: str) -> LegalSource:
        return next(s for s in self.sources if s.id == source_id)

    # -- provinces ---------------------------------------------------------------------
    def province_change(self, old_name: str) -> ProvinceChange | None:
        """The row of a former province, the name written any way ("bac kan", "Bắc Cạn")."""
        canonical = _canonical_old(old_name)
        return next((p for p in self.provinces if p.old_province == canonical), None) if canonical else None

    def current_units(self) -> tuple[str, ...]:
        """The 34 units of today, in table order."""
        return tuple(dict.fromkeys(p.new_unit for p in self.provinces))

    def current_unit(self, name: str) -> str:
        """The unit of today called ``name`` (any spelling), or ""."""
        key = _key(name)
        for unit in self.current_units():
            if _key(unit) == key:
                return unit
        old = self.province_change(name)
        # a unit whose name is also the name of a former province ("Thái Nguyên", "Huế" → Thừa Thiên Huế)
        if old is not None and old.new_unit in self.current_units() and (
            old.new_unit == old.old_province or old.change == "renamed"
        ):
            return old.new_unit
        return ""

    def predecessors(self, unit: str) -> tuple[str, ...]:
        """The former provinces a unit of today was formed from (the name-bearing one first)."""
        current = self.current_unit(unit)
        rows = [p for p in self.provinces if p.new_unit == current]
        rows.sort(key=lambda p: p.old_province != p.new_unit)
        return tuple(p.old_province for p in rows)

    # -- departments ---------------------------------------------------------------------
    def department_changes(self, old_agency: str) -> tuple[DepartmentChange, ...]:
        """Rows for a department that no longer exists as it was (canonical name, any spelling)."""
        canonical = _canonical_agency(old_agency)
        return tuple(d for d in self.departments if d.old_agency == canonical)

    def changed_agencies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.old_agency for d in self.departments))


def _vi_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def vi_date(iso: str) -> str:
    """"2025-03-01" → "01/03/2025" ("" stays "")."""
    return _vi_date(iso) if iso else ""


def _key(name: str) -> str:
    return re.sub(r"[\s\-–.]+", "", fold_diacritics(nfc(name or "").strip()))


def _canonical_old(name: str) -> str:
    from ingest.provinces import get_province

    province = get_province(name)
    return province.name if province is not None else ""


def _canonical_agency(name: str) -> str:
    from ingest.agencies import canonical_agency

    return canonical_agency(name)


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: nfc(v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@lru_cache(maxsize=1)
def load_admin_changes() -> AdminChanges:
    """The table, read once. Raises ValueError when a row is malformed (unknown change kind or source)."""
    sources = tuple(LegalSource(**row) for row in _read("sources.csv"))
    ids = {s.id for s in sources}
    provinces = tuple(ProvinceChange(**row) for row in _read("provinces.csv"))
    departments = tuple(
        DepartmentChange(**{**row, "duties": _split(row["duties"]), "cues": _split(row["cues"])}) for row in _read("departments.csv")
    )
    for p in provinces:
        if p.change not in PROVINCE_CHANGES or p.legal_basis not in ids:
            raise ValueError(f"bad province row: {p}")
    for d in departments:
        if d.change not in DEPARTMENT_CHANGES or d.legal_basis not in ids:
            raise ValueError(f"bad department row: {d}")
    return AdminChanges(sources=sources, provinces=provinces, departments=departments)
