"""Deadlines: the phrase as written, plus an ISO date when the phrase names a date.

ISO rules (``deadline_iso``):

* a full date ("trước ngày 30/11/2023", "Xong trước ngày 05/3/2020",
  "trước ngày 15 tháng 11 năm 2023") → that date;
* a month of a year ("Tháng 10/ 2023", "trong tháng 10/2023") → the *last day* of that
  month, i.e. the latest day that still meets the deadline, so date filters such as
  ``--before`` treat it conservatively;
* a quarter of a year ("trong quý 1/2019", "Xong trong Quý II/2026", "quý IV năm 2025") →
  the last day of that quarter;
* a day without a year ("trước ngày 05/12", a yearly report), a year alone ("trong
  năm 2023"), an impossible date ("0/12/2020") or a period ("Triển khai từ tháng 9")
  → "" (the text is kept).

A month written as part of a full date ("Quyết định số 22/2013/QĐ-TTg ngày 26 tháng 4 năm
2013") is the date of a cited document, not a deadline.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ingest.normalize import fold_aligned, nfc

_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?"
_PHRASES = (
    # "Xong trước ngày 05/3/2020", "trước ngày 30/11/2023", "(gửi trước 15/12)", "hạn 31/12/2020"
    re.compile(rf"(?<![a-z0-9])(?:(?:xong|hoan thanh)\s+)?(?:truoc|han|cham nhat)(?:\s+ngay)?\s+{_DATE}(?![0-9/])"),
    re.compile(r"(?<![a-z0-9])(?:(?:xong|hoan thanh)\s+)?truoc\s+ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?"),
    # "Tháng 10/ 2023", "trong tháng 10/2023", "trong tháng 10 năm 2023"
    re.compile(r"(?<![a-z0-9])(?:(?:trong|truoc|cuoi)\s+)?thang\s+(\d{1,2})\s*(?:/\s*|\s+nam\s+)(\d{4})(?![0-9])"),
    # "trong năm 2020": timing, no ISO
    re.compile(r"(?<![a-z0-9])trong\s+nam\s+(\d{4})(?![0-9])"),
    # "trong quý 1/2019", "Xong trong Quý II/2026", "quý IV năm 2025"
    re.compile(r"(?<![a-z0-9])(?:(?:xong|hoan\s+thanh)\s+)?(?:(?:trong|truoc|cuoi)\s+)?quy\s+([1-4]|i{1,3}|iv)"
               r"\s*(?:/\s*|\s+nam\s+)(\d{4})(?![0-9])"),
)
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_CITED_DATE = re.compile(r"ngay\s+\d{1,2}\s+$")


@dataclass(frozen=True)
class Deadline:
    text: str  # as written (spaces folded)
    iso: str = ""
    start: int = -1  # span of the phrase in the text it was found in
    end: int = -1


def iso_date(day: int, month: int, year: int) -> str:
    """"yyyy-mm-dd", or "" when the date does not exist."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def month_end(month: int, year: int) -> str:
    if not 1 <= month <= 12 or year < 1900:
        return ""
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _tidy(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).strip(" ,;.()")


def find_deadline(text: str) -> Deadline | None:
    """The first deadline phrase in running text ("… báo cáo trước ngày 30/11/2023 …")."""
    text = nfc(text)
    folded = fold_aligned(text).replace("*", " ")
    best: tuple[int, re.Match[str], int] | None = None
    for kind, rx in enumerate(_PHRASES):
        m = next((m for m in rx.finditer(folded) if not (kind == 2 and _CITED_DATE.search(folded, 0, m.start()))),
                 None)
        if m and (best is None or (m.start(), kind) < (best[1].start(), best[2])):
            best = (m.start(), m, kind)
    if best is None:
        return None
    _, m, kind = best
    return Deadline(_tidy(text[m.start():m.end()]), _iso_of(m, kind), m.start(), m.end())


def _iso_of(m: re.Match[str], kind: int) -> str:
    if kind in (0, 1):
        day, month, year = m.group(1), m.group(2), m.group(3)
        return iso_date(int(day), int(month), int(year)) if year else ""
    if kind == 2:
        return month_end(int(m.group(1)), int(m.group(2)))
    if kind == 4:
        return month_end(3 * _QUARTERS[m.group(1)], int(m.group(2)))
    return ""


def parse_deadline(value: str) -> Deadline:
    """A deadline cell or "Thời gian thực hiện: …" value: the whole text, ISO from its first date."""
    text = _tidy(nfc(value))
    if not text:
        return Deadline("")
    found = find_deadline(text)
    iso = found.iso if found else ""
    if not iso:
        # a bare date cell: "05/3/2020", "Tháng 10/ 2023" is handled above
        m = re.fullmatch(_DATE, text)
        if m and m.group(3):
            iso = iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return Deadline(text, iso)
