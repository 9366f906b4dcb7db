"""Plan metadata from the text itself: number, issuer, province, date, title, signer.

Works on the cleaned text *before* re-flow, where the official header (agency,
national motto, "Số: …", "<place>, ngày … tháng … năm …") and the signature block
keep their line structure. Two layouts are handled by general rules:

* an official document: header cells above a "KẾ HOẠCH" line, the title below it,
  "TM./KT. …" title lines and the signer's name after "Nơi nhận";
* a news report about a plan: headline first, the number and date in the sentence
  saying the plan was issued ("Ngày 12/11, UBND tỉnh ban hành Kế hoạch số …").

Real headers from other sources add more layouts, also handled by general rules:
header cells flattened into markdown tables ("| Số: 31/2011/QĐ-UBND | Gia Lai, ngày … |"),
PDF headers whose cells run together on one line or come out of order, numbers with a
year ("31/2011/QĐ-UBND") or OCR spacing ("Q Đ-U B ND", see ``ingest.doc_number``), dates
with split digits ("tháng 0 6"), official letters without a type heading (title from
the "V/v …" subject line), central bodies (no province) and signer cells
("TM. ỦY BAN NHÂN DÂN … CHỦ TỊCH Phạm Thế Dũng"). The document type comes from
``ingest.doctype``.

Nothing is invented: a field not supported by the text stays "".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.doc_number import DocNumber, parse_number
from ingest.doctype import classify, heading_type, shape_cues
from ingest.normalize import fold_aligned, fold_diacritics, is_vietnamese_syllable, nfc
from ingest.provinces import Province, count_provinces, find_provinces, get_province, province_mentions
from ingest.types import DocumentMeta

# Document-type headings; the title follows the heading line.
_DOC_TYPE_HEADINGS = (
    "ke hoach", "ke hoach hanh dong", "quyet dinh", "chuong trinh", "chuong trinh hanh dong", "de an",
    "thong bao", "bao cao", "nghi quyet", "chi thi", "huong dan", "cong van", "to trinh",
    "luat", "nghi dinh", "thong tu", "thong tu lien tich", "phap lenh",
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
    Agency("Sở Nông nghiệp và Môi trường", rf"so nong nghiep{_AND}moi truong|snnmt", ("snnmt",)),
    Agency("Sở Dân tộc và Tôn giáo", rf"so dan toc{_AND}ton giao|sdttg", ("sdttg",)),
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
_SEPARATOR_LINE_RE = re.compile(r"^[\s\-_=~*|]+$")
_MOTTO_RE = re.compile(r"cong hoa xa hoi chu nghia viet(?: nam)?|doc lap\W+tu do\W+hanh phuc")
_NUMBER_LABEL_START_RE = re.compile(r"(?<=\S)\s+(?=(?:Số|SỐ)\s*:)")
# "<Place>, ngày …" glued after other header text on one PDF line
_PLACE_DATE_START_RE = re.compile(
    r"(?<=\S)\s+(?=(?:[A-ZĐÀ-Ỹ][^\s,|]*\s+){0,5}[A-ZĐÀ-Ỹ][^\s,|]*\s*,\s*(?:ngày|Ngày))"
)
_URL_RE = re.compile(r"https?://|^\s*Source\s*:", re.IGNORECASE)
_VI_DATE_RE = re.compile(
    r"(?:ngày\s*(\d\s\d(?=\s*tháng)|\d{1,2})?\s*)?tháng\s*(\d\s\d(?=\s*năm)|\d{1,2})?\s*năm\s*(\d{4})",
    re.IGNORECASE,
)
_DAY_MONTH_RE = re.compile(r"(?<![^\W_])[Nn]gày\s+(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")
_FULL_SLASH_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ISSUING_RE = re.compile(r"ban hanh|phe duyet")
_BODY_NUMBER_RE = re.compile(
    r"(?:Kế hoạch|kế hoạch|KẾ HOẠCH)\s+(?:số\s*:?\s*)?(\d+)\s*/\s*(KH(?:\s*[-–]\s*[A-ZĐ0-9&]+)+)"
)
_SUBJECT_RE = re.compile(r"(?<![^\W_])V/[vV]\s*[:.]?\s*(?P<text>.+)")
_ADDRESSEE_RE = re.compile(r"^\s*[-|]*\s*(?:Kính\s+gửi|KÍNH\s+GỬI)\s*:")
_HEADERLESS_MAX_LINES = 30


def _split_header_line(line: str) -> list[str]:
    """A header line cut where a PDF ran several cells together: before "Số:" and before
    "<Place>, ngày". (The national motto is not cut out here: PDF columns interleave it with
    the agency's lines, so it is removed from the joined cell by ``_strip_motto``.)"""
    for rx in (_NUMBER_LABEL_START_RE, _PLACE_DATE_START_RE):
        line = rx.sub("\x00", line)
    return line.split("\x00")


def _header_cells(lines: list[str]) -> list[str]:
    """Cells of the header block: runs of lines between separators ("|", "-----", "_", blank).

    Lines inside a cell are hard-wrap continuations and are joined with spaces.
    """
    cells: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            cell = " ".join(" ".join(current).split())
            if cell:
                cells.append(cell)
            current.clear()

    for line in lines:
        if not line.strip() or _SEPARATOR_LINE_RE.match(line):
            flush()
            continue
        for j, piece in enumerate(_split_header_line(line)):
            if j:
                flush()
            parts = _CELL_BREAK_RE.split(piece)
            for i, part in enumerate(parts):
                if i:
                    flush()
                if part.strip():
                    current.append(part.strip())
    flush()
    return [c for c in cells if not _URL_RE.search(c)]


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


def _mostly_upper(text: str, share: float = 0.85) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= share * len(letters)


def _find_heading(lines: list[str]) -> int | None:
    """Index of the line that is exactly a document-type heading ("KẾ HOẠCH", "QUYẾT ĐỊNH")."""
    for i, line in enumerate(lines[:_HEADING_SCAN_LINES]):
        stripped = line.strip()
        if stripped and _is_upper(stripped) and fold_diacritics(stripped) in _DOC_TYPE_HEADINGS:
            return i
    return None


def _headerless_end(lines: list[str]) -> int:
    """Where the header of a document without a type heading ends: at "Kính gửi:" (an
    official letter) or after a few lines (a news page)."""
    for i, line in enumerate(lines[:_HEADERLESS_MAX_LINES]):
        if _ADDRESSEE_RE.match(line):
            return i
    return min(len(lines), _HEADERLESS_SCAN_LINES)


def _is_official_header(cells: list[str]) -> bool:
    """The national motto or a "Số:" cell: an official header, not a news page."""
    return any(_MOTTO_RE.search(fold_diacritics(c)) or parse_number(c) for c in cells)


# --- fields ------------------------------------------------------------------------------------


def _header_number(cells: list[str], agency_cell: str) -> DocNumber | None:
    for cell in cells:
        parsed = parse_number(cell, issuer_cell=agency_cell)
        if parsed is not None:
            return parsed
    return None


def _body_number(sentences: list[str], doc_id: str) -> str:
    """A report about the plan: the number in a sentence saying it was issued."""
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
    m = re.match(r"\s*([^,\d|]{2,40}),\s*(?:ngày|tháng|năm)", cell, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _despace(cell: str) -> str:
    """Undo OCR spacing inside words of a header cell: "B Ộ LAO ĐỘNG … V À X Ã HỘI" →
    "BỘ LAO ĐỘNG … VÀ XÃ HỘI". A lone letter that is no syllable by itself joins the next
    token when together they make a Vietnamese syllable ("Y" in "SỞ Y TẾ" stays)."""
    words = cell.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if (
            len(word) == 1 and word.isalpha() and not is_vietnamese_syllable(word)
            and i + 1 < len(words) and words[i + 1].isalpha()
            and is_vietnamese_syllable(word + words[i + 1])
        ):
            out.append(word + words[i + 1])
            i += 2
            continue
        out.append(word)
        i += 1
    return " ".join(out)


def _agency_cell(cells: list[str]) -> str:
    """The issuing-agency cell of the header (e.g. "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN")."""
    for cell in cells:
        rest = _despace(_strip_motto(cell))
        if not rest or parse_number(rest) or _VI_DATE_RE.search(rest) or _place(rest):
            continue
        if _SUBJECT_RE.match(rest) or _ADDRESSEE_RE.match(rest):
            continue
        if (_agencies_in(rest) and _mostly_upper(rest, 0.5)) or (_is_upper(rest) and len(rest.split()) >= 2) \
                or _is_central(rest):
            return rest
    return ""


# Central bodies: a header naming one of these (and no province) issues for the whole country.
_CENTRAL_ISSUERS = (
    "bo ", "chinh phu", "thu tuong", "quoc hoi", "uy ban thuong vu quoc hoi", "tong cuc", "cuc ",
    "ban chi dao quoc gia", "van phong chinh phu", "toa an nhan dan toi cao",
    "vien kiem sat nhan dan toi cao", "kiem toan nha nuoc", "ngan hang nha nuoc", "bao hiem xa hoi viet nam",
)


def _is_central(agency_cell: str) -> bool:
    folded = " ".join(fold_diacritics(agency_cell).split())
    if not folded or find_provinces(agency_cell):
        return False
    return folded.startswith(_CENTRAL_ISSUERS) or folded in {"chinh phu", "quoc hoi"}


def _province(cells: list[str], agency_cell: str, text: str, doc_id: str) -> Province | None:
    names = find_provinces(agency_cell) if agency_cell else []
    if names:
        return get_province(names[0])
    if agency_cell and _is_central(agency_cell):
        return None  # a ministry, the Government, the National Assembly: no province
    for source in (_place(c) for c in cells):
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


# Head nouns of a central body's name, as written in a header; the issuer is the last level.
_BODY_HEADS: tuple[tuple[str, str], ...] = (
    ("thu tuong chinh phu", "Thủ tướng Chính phủ"),
    ("uy ban thuong vu quoc hoi", "Ủy ban Thường vụ Quốc hội"),
    ("van phong chinh phu", "Văn phòng Chính phủ"),
    ("chinh phu", "Chính phủ"),
    ("quoc hoi", "Quốc hội"),
    ("tong cuc", "Tổng cục"),
    ("chi cuc", "Chi cục"),
    ("cuc", "Cục"),
    ("bo", "Bộ"),
    ("ban", "Ban"),
)


def _central_issuer(cell: str) -> str:
    """"BỘ TÀI CHÍNH TỔNG CỤC THUẾ" → "Tổng cục Thuế"; "BỘ LAO ĐỘNG-THƯƠNG BINH VÀ XÃ HỘI" →
    "Bộ Lao động - Thương binh và Xã hội"; "QUỐC HỘI" → "Quốc hội"."""
    from ingest.agencies import canonical_agency, is_known_agency

    text = " ".join(re.sub(r"\s*[-–]\s*", " - ", cell).split())
    folded = fold_diacritics(text)
    starts = []
    for words, display in _BODY_HEADS:
        for m in re.finditer(rf"(?<![a-z]){words}(?![a-z])", folded):
            if not any(s <= m.start() < e for s, e, _ in starts):
                starts.append((m.start(), m.end(), display))
    if not starts:
        return ""
    start, end, display = max(starts)
    level = text[start:]
    canonical = canonical_agency(level)
    if is_known_agency(canonical):
        return canonical
    rest = " ".join(text[end:].split()).lower()
    if not rest:
        return display
    return f"{display} {rest[:1].upper()}{rest[1:]}"


def _issuer_from_cell(cell: str, province: Province | None) -> str:
    agencies = _agencies_in(cell)
    if not agencies:
        if _is_central(cell):
            central = _central_issuer(cell)
            if central:
                return central
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


def _issuer(agency_cell: str, code: str, province: Province | None) -> str:
    if agency_cell:
        return _issuer_from_cell(agency_cell, province)
    agency = _agency_by_code(code.split("-")[-1]) if "-" in code else None
    if agency is None:
        return ""
    return f"{agency.name} {province.unit_name}" if province else agency.name


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _date_from_vi(m: re.Match[str]) -> tuple[str, str]:
    """(text as the document states it, ISO date or "") from a "ngày … tháng … năm …" match.

    Digits split by a space ("tháng 0 6", OCR) are joined."""
    day, month, year = (g.replace(" ", "") if g else g for g in m.groups())
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
        first = next((line for line in lines if line.strip() and not _URL_RE.search(line)), "")
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
        # carries on a sentence (starts lower-case or with an opening quote); anything else is the body
        joined = " ".join(taken)
        if not ((_is_upper(joined) and _is_upper(stripped)) or stripped[0].islower()
                or (stripped[0] in "“\"" and not _is_upper(joined))):
            break
        if len(taken) >= _MAX_TITLE_LINES or sum(map(len, taken)) > _MAX_TITLE_CHARS:
            break
        taken.append(stripped)
    return " ".join(" ".join(taken).split())


def _subject_line(lines: list[str]) -> str:
    """The "V/v …" subject of an official letter, up to a cell break, a blank line or "Kính gửi"."""
    for i, line in enumerate(lines):
        m = _SUBJECT_RE.search(line)
        if not m:
            continue
        parts = [m.group("text")]
        for nxt in lines[i + 1 : i + 8]:
            if "|" in parts[-1] or not nxt.strip() or _ADDRESSEE_RE.match(nxt) or _VI_DATE_RE.search(nxt):
                break
            parts.append(nxt)
        text = " ".join(" ".join(parts).split("|")[0].split())
        text = _PLACE_DATE_START_RE.split(text)[0] if _VI_DATE_RE.search(text) else text
        return ("V/v " + text.strip(" ,;")).strip() if text.strip() else ""
    return ""


_ROLE_RE = re.compile(
    r"(?<![^\W_])(?:tm|kt|tl|tuq|q)\.|chu tich|giam doc|truong ban|truong phong|thu truong|bi thu|"
    r"chanh van phong|cuc truong|vien truong|hieu truong|bo truong|thu tuong|chu nhiem|tong cuc truong"
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


def _signer_in_cell(cell: str) -> tuple[str, str]:
    """("Phạm Thế Dũng", "TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH") from a flattened signer cell."""
    words = cell.split()
    for k in range(min(5, len(words) - 1), 1, -1):
        name, title = " ".join(words[-k:]), " ".join(words[:-k])
        if _is_person_name(name) and title and _is_upper(title) and _ROLE_RE.search(fold_diacritics(title)):
            return name, title
    return "", ""


def _signature(lines: list[str]) -> tuple[str, str]:
    """(signer name, signer title) from the last "ROLE LINES / Name" block of the text,
    or from the last table cell holding both (header and signer blocks flattened into tables)."""
    for i in range(len(lines) - 1, 0, -1):
        if "|" in lines[i]:
            for cell in reversed(lines[i].split("|")):
                name, title = _signer_in_cell(" ".join(cell.split()))
                if name:
                    return name, title
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
    header_lines = lines[:heading] if heading is not None else lines[: _headerless_end(lines)]
    cells = _header_cells(header_lines)
    if heading is None and not _is_official_header(cells):
        # a news page: only unmistakable header cells near the top count
        cells = [c for c in cells if parse_number(c) or _place(c)]
    sentences = _sentences(text)
    agency_cell = _agency_cell(cells)
    parsed = _header_number(cells, agency_cell)
    number = parsed.number if parsed is not None else _body_number(sentences, doc_id)
    code = parsed.code if parsed is not None else ""
    if not code and number:
        code = number.split("/")[-1]
    province = _province(cells, agency_cell, text, doc_id)
    issued_text, issued_iso = _issued_date(cells, sentences, number, doc_id)
    signer, signer_title = _signature(lines)
    heading_types = [heading_type(lines[heading])] if heading is not None else []
    header_text = "\n".join(header_lines)
    doc_type = classify(headings=[t for t in heading_types if t], code=code, shapes=shape_cues(header_text, code))
    title = _title(lines, heading)
    if heading is None and doc_type == "Công văn":
        title = _subject_line(header_lines + lines[len(header_lines):len(header_lines) + 10]) or title
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        number=number,
        issuer=_issuer(agency_cell, code, province),
        province=province.name if province else "",
        issued_date=issued_iso,
        issued_date_text=issued_text,
        signer=signer,
        signer_title=signer_title,
        doc_type=doc_type,
    )
