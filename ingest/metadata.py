"""Plan metadata from the text itself: number, issuer, province, date, title, signer.

Works on the cleaned text *before* re-flow, where the official header (agency,
national motto, "Số: …", "<place>, ngày … tháng … năm …") and the signature block
keep their line structure. Two layouts are handled by general rules:

* an official document: header cells above a "KẾ HOẠCH" line, the title below it,
  "TM./KT. …" title lines and the signer's name after "Nơi nhận";
* a news report about a plan: headline first, the number and date in the sentence
  saying the plan was issued ("Ngày 12/11, UBND tỉnh ban hành Kế hoạch số …").

Nothing is invented: a field not supported by the text stays "".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.normalize import fold_aligned, fold_diacritics, nfc
from ingest.provinces import Province, count_provinces, find_provinces, get_province, province_mentions
from ingest.types import DocumentMeta

# Document-type headings; the title follows the heading line.
_DOC_TYPE_HEADINGS = (
    "ke hoach", "ke hoach hanh dong", "quyet dinh", "chuong trinh", "chuong trinh hanh dong", "de an",
    "thong bao", "bao cao", "nghi quyet", "chi thi", "huong dan", "cong van", "to trinh",
)
_HEADING_SCAN_LINES = 80
_HEADERLESS_SCAN_LINES = 15

# --- agencies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Agency:
    name: str  # display form, e.g. "Sở Lao động - Thương binh và Xã hội"
    pattern: str  # regex over folded text matching the written-out name or its abbreviation
    codes: tuple[str, ...]  # folded abbreviations used after the type in document numbers


_AND = r"\W*(?:va|&)\W*"
AGENCIES: tuple[Agency, ...] = (
    Agency("Ủy ban nhân dân", r"uy ban nhan dan|ubnd", ("ubnd",)),
    Agency("Hội đồng nhân dân", r"hoi dong nhan dan|hdnd", ("hdnd",)),
    Agency("Sở Lao động - Thương binh và Xã hội", rf"so lao dong\W*thuong binh{_AND}xa hoi|s?ldtbxh|s?ld\W?tb\W?&?\W?xh",
           ("sldtbxh", "ldtbxh", "sldtb&xh", "ldtb&xh")),
    Agency("Sở Giáo dục và Đào tạo", rf"so giao duc{_AND}dao tao|sgddt", ("sgddt", "gddt", "sgd&dt")),
    Agency("Sở Kế hoạch và Đầu tư", rf"so ke hoach{_AND}dau tu|skhdt", ("skhdt", "khdt", "skh&dt")),
    Agency("Sở Tài chính", r"so tai chinh", ("stc",)),
    Agency("Sở Nội vụ", r"so noi vu", ("snv",)),
    Agency("Sở Y tế", r"so y te", ("syt",)),
    Agency("Sở Công Thương", r"so cong thuong", ("sct",)),
    Agency("Sở Nông nghiệp và Phát triển nông thôn", rf"so nong nghiep{_AND}phat trien nong thon|snnptnt",
           ("snnptnt", "snn")),
    Agency("Sở Thông tin và Truyền thông", rf"so thong tin{_AND}truyen thong|stttt", ("stttt", "stt&tt")),
    Agency("Sở Văn hóa, Thể thao và Du lịch", rf"so van hoa\W*the thao{_AND}du lich|svhttdl", ("svhttdl",)),
    Agency("Sở Khoa học và Công nghệ", rf"so khoa hoc{_AND}cong nghe|skhcn", ("skhcn",)),
    Agency("Sở Tài nguyên và Môi trường", rf"so tai nguyen{_AND}moi truong|stnmt", ("stnmt",)),
    Agency("Sở Tư pháp", r"so tu phap", ("stp",)),
    Agency("Sở Xây dựng", r"so xay dung", ("sxd",)),
    Agency("Sở Giao thông vận tải", r"so giao thong van tai|sgtvt", ("sgtvt",)),
)
# an administrative-unit word followed by the unit's name ("xã hội" is "social", not a commune)
_ADMIN_UNIT_RE = re.compile(r"(?<!\S)(?:thành phố|thị xã|thị trấn|huyện|quận|tỉnh|phường|xã(?! hội))\s(?=\S)")


def _agency_by_code(code: str) -> Agency | None:
    folded = fold_diacritics(code).replace(" ", "")
    return next((a for a in AGENCIES if folded in a.codes), None)


def _agencies_in(text: str) -> list[tuple[Agency, int, int]]:
    """Agencies named in ``text`` (NFC) as (agency, start, end), in order."""
    folded = fold_aligned(text)
    found = []
    for agency in AGENCIES:
        for m in re.finditer(rf"(?<![^\W_])(?:{agency.pattern})(?![^\W_])", folded):
            found.append((agency, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


# --- header cells ----------------------------------------------------------------------------

_CELL_BREAK_RE = re.compile(r"\||[-_=~*]{3,}")
_MOTTO_RE = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc")
# "Số: 37/KH-UBND" opening a cell, or "Số:" with its colon anywhere in one (PDF headers run together)
_HEADER_NUMBER_RE = re.compile(
    r"(?:^\s*(?:Số|SỐ|số)\s*:?|(?<![^\W_])(?:Số|SỐ)\s*:)"
    r"\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐ0-9&]*(?:\s*[-–]\s*[A-ZĐ0-9&]+)*)"
)
_BODY_NUMBER_RE = re.compile(
    r"(?:Kế hoạch|kế hoạch|KẾ HOẠCH)\s+(?:số\s*:?\s*)?(\d+)\s*/\s*(KH(?:\s*[-–]\s*[A-ZĐ0-9&]+)+)"
)
_VI_DATE_RE = re.compile(r"(?:ngày\s*(\d{1,2})?\s*)?tháng\s*(\d{1,2})?\s*năm\s*(\d{4})", re.IGNORECASE)
_DAY_MONTH_RE = re.compile(r"(?<![^\W_])[Nn]gày\s+(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")
_FULL_SLASH_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ISSUING_RE = re.compile(r"ban hanh|phe duyet")


def _header_cells(lines: list[str]) -> list[str]:
    """Cells of the header block: runs of lines between separators ("|", "-----", blank).

    Lines inside a cell are hard-wrap continuations and are joined with spaces.
    """
    cells: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            cells.append(" ".join(" ".join(current).split()))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        parts = _CELL_BREAK_RE.split(line)
        for i, part in enumerate(parts):
            if i:
                flush()
            if part.strip():
                current.append(part.strip())
    flush()
    return cells


def _strip_motto(cell: str) -> str:
    """The cell without the national motto (PDF extraction may interleave it with the agency)."""
    folded = fold_aligned(cell)
    kept = list(cell)
    for m in _MOTTO_RE.finditer(folded):
        kept[m.start() : m.end()] = [" "] * (m.end() - m.start())
    return " ".join("".join(kept).split())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _find_heading(lines: list[str]) -> int | None:
    """Index of the line that is exactly a document-type heading ("KẾ HOẠCH")."""
    for i, line in enumerate(lines[:_HEADING_SCAN_LINES]):
        stripped = line.strip()
        if stripped and _is_upper(stripped) and fold_diacritics(stripped) in _DOC_TYPE_HEADINGS:
            return i
    return None


# --- fields ------------------------------------------------------------------------------------


def _number(cells: list[str], sentences: list[str], doc_id: str) -> str:
    for cell in cells:
        m = _HEADER_NUMBER_RE.search(cell)
        if m:
            suffix = re.sub(r"\s+", "", m.group(2)).replace("–", "-")
            return f"{m.group(1)}/{suffix}" if m.group(1) else suffix
    # a report about the plan: prefer the number in a sentence saying it was issued
    id_numbers = set(re.findall(r"\d+", doc_id))
    best, best_score = "", 0
    for sentence in sentences:
        issuing = bool(_ISSUING_RE.search(fold_diacritics(sentence)))
        for m in _BODY_NUMBER_RE.finditer(sentence):
            score = 2 * issuing + (m.group(1) in id_numbers)
            if score > best_score:
                suffix = re.sub(r"\s+", "", m.group(2)).replace("–", "-")
                best, best_score = f"{m.group(1)}/{suffix}", score
    return best


def _place(cell: str) -> str:
    """"Bắc Kạn" from "Bắc Kạn, ngày 21 tháng 01 năm 2022"."""
    m = re.match(r"\s*([^,\d]{2,40}),\s*(?:ngày|tháng|năm)", cell, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _agency_cell(cells: list[str]) -> str:
    """The issuing-agency cell of the header (e.g. "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN")."""
    for cell in cells:
        rest = _strip_motto(cell)
        if not rest or _HEADER_NUMBER_RE.search(rest) or _VI_DATE_RE.search(rest) or _place(rest):
            continue
        if _agencies_in(rest) or (_is_upper(rest) and len(rest.split()) >= 2):
            return rest
    return ""


def _province(cells: list[str], agency_cell: str, text: str, doc_id: str) -> Province | None:
    for source in [agency_cell, *(_place(c) for c in cells)]:
        names = find_provinces(source) if source else []
        if names:
            return get_province(names[0])
    counts = count_provinces(text, capitalised_only=True)
    for name in find_provinces(re.sub(r"[-_.]+", " ", doc_id)):
        counts[name] += 2  # the file name is evidence too
    if not counts:
        return None
    return get_province(counts.most_common(1)[0][0])


def _display_unit(words: str) -> str:
    """Lower-case an upper-case name but keep its place names proper: "TỈNH BẮC KẠN" →
    "tỉnh Bắc Kạn", "HUYỆN THẠCH AN" → "huyện Thạch An", "BAN CHỈ ĐẠO TỈNH ĐIỆN BIÊN" →
    "ban chỉ đạo tỉnh Điện Biên"."""
    lowered = " ".join(words.split()).lower()
    mentions = province_mentions(lowered)
    if mentions:
        province, start, end = mentions[0]
        return lowered[:start] + province.name + lowered[end:]
    units = list(_ADMIN_UNIT_RE.finditer(lowered))
    if units:
        last = units[-1]
        return lowered[: last.end()] + lowered[last.end() :].title()
    return lowered


def _issuer_from_cell(cell: str, province: Province | None) -> str:
    agencies = _agencies_in(cell)
    if not agencies:
        unit = _display_unit(cell)
        return unit[:1].upper() + unit[1:]
    agency, _, end = agencies[-1]  # the lowest level: "UBND TỈNH X / SỞ …" is issued by the Sở
    words = []
    for word in cell[end:].split():
        letters = re.sub(r"[-–]", "", word)
        if letters and not (letters.isalpha() and letters.isupper()):
            break
        words.append(word)
    unit = " ".join(words).strip(" -–")
    if unit:
        return f"{agency.name} {_display_unit(unit)}"
    return f"{agency.name} {province.unit_name}" if province else agency.name


def _issuer(agency_cell: str, number: str, province: Province | None) -> str:
    if agency_cell:
        return _issuer_from_cell(agency_cell, province)
    agency = _agency_by_code(number.split("-")[-1]) if "-" in number else None
    if agency is None:
        return ""
    return f"{agency.name} {province.unit_name}" if province else agency.name


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _date_from_vi(m: re.Match[str]) -> tuple[str, str]:
    """(text as the document states it, ISO date or "") from a "ngày … tháng … năm …" match."""
    day, month, year = m.groups()
    if day and month:
        return f"ngày {day} tháng {month} năm {year}", _iso(int(year), int(month), int(day))
    if month:
        return f"tháng {month} năm {year}", ""
    return f"năm {year}", ""


def _issue_year(sentence: str, doc_id: str) -> int | None:
    """Year of an issue date written without one ("Ngày 12/11"): the file name's year,
    unless dates in the same sentence are later (a plan cannot predate what it implements)."""
    years = [int(y) for *_, y in _FULL_SLASH_DATE_RE.findall(sentence)]
    years += [int(y) for *_, y in _VI_DATE_RE.findall(sentence)]
    id_years = [int(y) for y in _YEAR_RE.findall(doc_id)]
    latest = max(years) if years else None
    if id_years and (latest is None or id_years[-1] >= latest):
        return id_years[-1]
    return latest


def _date_after(text: str) -> tuple[str, str] | None:
    """A full date right at the start of ``text`` ("ngày 21 tháng 01 năm 2022", "ngày 21/01/2022")."""
    rest = text.lstrip(" ,")
    vi = _VI_DATE_RE.match(rest)
    if vi and vi.group(1):
        return _date_from_vi(vi)
    slash = re.match(r"(?:ngày\s*)?" + _FULL_SLASH_DATE_RE.pattern, rest, re.IGNORECASE)
    if slash:
        d, mo, y = (int(x) for x in slash.groups())
        return f"{d:02d}/{mo:02d}/{y}", _iso(y, mo, d)
    return None


def _issued_date(cells: list[str], sentences: list[str], number: str, doc_id: str) -> tuple[str, str]:
    """(date as written, ISO date): from the header; else where the plan's number is cited
    with a date; else, in a report, the "Ngày dd/mm" opening the sentence that says it was issued."""
    for cell in cells:
        m = _VI_DATE_RE.search(cell)
        if m:
            return _date_from_vi(m)
    if not number:
        return "", ""
    number_re = re.compile(r"\s*/\s*".join(re.escape(p) for p in number.split("/")))
    for sentence in sentences:
        for m in number_re.finditer(sentence):
            cited = _date_after(sentence[m.end() : m.end() + 60])
            if cited:
                return cited
    for sentence in sentences:
        m = number_re.search(sentence)
        if not m or not _ISSUING_RE.search(fold_diacritics(sentence)):
            continue
        dm = _DAY_MONTH_RE.search(sentence[: m.start()])
        if dm:
            d, mo = int(dm.group(1)), int(dm.group(2))
            year = int(dm.group(3)) if dm.group(3) else _issue_year(sentence, doc_id)
            if year is None:
                return f"{d:02d}/{mo:02d}", ""
            return f"{d:02d}/{mo:02d}/{year}", _iso(year, mo, d)
    return "", ""


_SECTION_HEADING_RE = re.compile(r"^\s*(?:[IVXLC]+|\d+|[a-zđ])[.)]\s")
_MAX_TITLE_LINES = 6
_MAX_TITLE_CHARS = 400


def _title(lines: list[str], heading: int | None) -> str:
    """The line(s) after the document-type heading, joined; else the first line (a headline)."""
    if heading is None:
        first = next((line for line in lines if line.strip()), "")
        return " ".join(first.split())
    taken: list[str] = []
    for line in lines[heading + 1 :]:
        stripped = line.strip()
        if not taken:
            if not stripped or _CELL_BREAK_RE.fullmatch(stripped):
                continue
            taken.append(stripped)
            continue
        if not stripped or _CELL_BREAK_RE.fullmatch(stripped) or _SECTION_HEADING_RE.match(stripped):
            break
        # a continuation: the title is in capitals and so is this line, or this line
        # carries on a sentence (starts lower-case); anything else is the body
        if not ((_is_upper(" ".join(taken)) and _is_upper(stripped)) or stripped[0].islower()):
            break
        if len(taken) >= _MAX_TITLE_LINES or sum(map(len, taken)) > _MAX_TITLE_CHARS:
            break
        taken.append(stripped)
    return " ".join(" ".join(taken).split())


_ROLE_RE = re.compile(
    r"(?<![^\W_])(?:tm|kt|tl|tuq|q)\.|chu tich|giam doc|truong ban|truong phong|thu truong|bi thu|"
    r"chanh van phong|cuc truong|vien truong|hieu truong|bo truong"
)
_MAX_GAP_LINES = 6
_MAX_TITLE_BLOCK = 6


def _is_person_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def _is_signer_title_line(line: str) -> bool:
    """An upper-case line that is not a section heading ("III. TỔ CHỨC THỰC HIỆN")."""
    stripped = line.strip()
    return bool(stripped) and _is_upper(stripped) and not _SECTION_HEADING_RE.match(stripped)


def _is_gap(line: str) -> bool:
    return not line.strip() or _CELL_BREAK_RE.fullmatch(line.strip()) is not None


def _signature(lines: list[str]) -> tuple[str, str]:
    """(signer name, signer title) from the last "ROLE LINES / Name" block of the text."""
    for i in range(len(lines) - 1, 0, -1):
        name = lines[i].strip()
        if not _is_person_name(name):
            continue
        j = i - 1
        while j >= 0 and i - j <= _MAX_GAP_LINES and _is_gap(lines[j]):
            j -= 1
        block: list[str] = []
        while j >= 0 and len(block) < _MAX_TITLE_BLOCK and _is_signer_title_line(lines[j]):
            block.insert(0, lines[j].strip())
            j -= 1
        title = " ".join(" ".join(block).split())
        if title and _ROLE_RE.search(fold_diacritics(title)):
            return name, title
    return "", ""


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


def extract_metadata(text: str, doc_id: str) -> DocumentMeta:
    """Metadata found in ``text`` (cleaned, not yet re-flowed) of the file ``doc_id``."""
    text = nfc(text)
    lines = text.split("\n")
    heading = _find_heading(lines)
    if heading is not None:
        cells = _header_cells(lines[:heading])
    else:  # no type heading: only unmistakable header cells near the top count
        top = _header_cells(lines[:_HEADERLESS_SCAN_LINES])
        cells = [c for c in top if _HEADER_NUMBER_RE.match(c) or _place(c)]
    sentences = _sentences(text)
    agency_cell = _agency_cell(cells)
    number = _number(cells, sentences, doc_id)
    province = _province(cells, agency_cell, text, doc_id)
    issued_text, issued_iso = _issued_date(cells, sentences, number, doc_id)
    signer, signer_title = _signature(lines)
    return DocumentMeta(
        doc_id=doc_id,
        title=_title(lines, heading),
        number=number,
        issuer=_issuer(agency_cell, number, province),
        province=province.name if province else "",
        issued_date=issued_iso,
        issued_date_text=issued_text,
        signer=signer,
        signer_title=signer_title,
    )
