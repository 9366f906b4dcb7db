"""A responsibility record in today's names: who holds the task now, and on what legal basis.

For the responsibility matrix's "today" column (UI tab, CSV, ``planchat who``): each lead agency
that was merged or split in 2025 becomes the agency holding that duty now (chosen by the task's
cue words, as the answer notes do, ``assistant.admin_changes.department_rows_for``), and a
province merged into a unit with another name becomes that unit. ``basis`` names the acts.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.admin_changes import department_rows_for, without_agencies
from ingest.admin_changes import load_admin_changes, vi_date
from ingest.types import ResponsibilityRecord


@dataclass(frozen=True)
class Today:
    lead: tuple[str, ...]  # lead agencies as they are today ("" entries never)
    province: str  # the unit of today
    changed: bool  # anything differs from the record
    basis: str  # "Nghị định 45/2025/NĐ-CP ngày 28/02/2025 (từ 01/03/2025); …" ("" when unchanged)

    def text(self) -> str:
        """One cell: "Sở Giáo dục và Đào tạo (Thái Nguyên)" or "" when nothing changed."""
        if not self.changed:
            return ""
        return f"{'; '.join(self.lead)} ({self.province})" if self.province else "; ".join(self.lead)


def record_today(record: ResponsibilityRecord) -> Today:
    table = load_admin_changes()
    leads: list[str] = []
    bases: list[str] = []
    changed = False
    context = without_agencies(f"{record.task} {record.quote}")
    for agency in record.lead:
        rows = department_rows_for(agency, context)
        if not rows:
            leads.append(agency)
            continue
        changed = True
        for row in rows:
            leads.append(row.new_agency)
            source = table.source(row.legal_basis)
            bases.append(f"{source.citation} (từ {vi_date(row.effective)})")
    province = record.province
    row = table.province_change(record.province) if record.province else None
    if row is not None and row.absorbed:
        changed = True
        province = row.new_unit
        bases.append(f"{table.source(row.legal_basis).citation} (từ {vi_date(row.effective)})")
    return Today(
        lead=tuple(dict.fromkeys(leads)),
        province=province,
        changed=changed,
        basis="; ".join(dict.fromkeys(bases)),
    )
