"""Lines of Vietnamese legal and administrative documents: Phần / Chương / Mục / Điều / khoản / điểm.

A law, decree, circular or decision is built of articles ("Điều 3. Mục đích hoạt động
thanh tra"), grouped in chapters ("Chương II" with its title on the next line), sections
("Mục 1. THANH TRA CHÍNH PHỦ") and parts ("Phần thứ nhất"). Inside an article, "1." lines
are clauses (khoản) and "a)" lines are points (điểm). Text quoted by an amending
document ("2. Sửa đổi, bổ sung Điều 3 như sau: “Điều 3. Mức chuẩn …”") is content of
the amending clause, not structure: ``QuoteTracker`` follows the quotation marks.

A decision often carries an attached document after its signature: "QUY ĐỊNH",
"QUY CHẾ", "KẾ HOẠCH" … with a caption and "(Ban hành kèm theo Quyết định số …)".
``ATTACHMENT_WORDS`` lists the title words; ``is_attachment_title`` decides from the line
and its neighbours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold_diacritics

# Legal ranks, outermost first (offset by the caller's base rank).
RANK_PART, RANK_CHAPTER, RANK_SECTION, RANK_ARTICLE, RANK_CLAUSE, RANK_POINT = range(6)

_PART = re.compile(r"^(?P<label>(?:PHẦN|Phần)\s+(?:THỨ\s+\S+|thứ\s+\S+|[IVXLC]+|\d+))\b\s*[.:\-–]?\s*(?P<text>.*)$")
_CHAPTER = re.compile(r"^(?P<label>(?:CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+))\b\s*[.:\-–]?\s*(?P<text>.*)$")
_SECTION = re.compile(r"^(?P<label>(?:MỤC|Mục)\s+(?:\d+|[IVXLC]+))\b\s*[.:\-–]?\s*(?P<text>.*)$")
_ARTICLE = re.compile(r"^(?P<label>Điều\s+(?P<num>\d{1,3}[a-zđ]?))\s*[.:]\s*(?P<text>.*)$")
_CLAUSE = re.compile(r"^(?P<num>\d{1,2})\s*\.\s+(?P<text>\S.*)$")
_POINT = re.compile(r"^(?P<num>[a-zđ])\s*[)]\s*(?P<text>\S.*)$|^(?P<num2>[a-zđ])\s*\.\s+(?P<text2>\S.*)$")

# Title words of documents attached to a decision (folded, first words of the title line).
ATTACHMENT_WORDS: tuple[str, ...] = (
    "quy dinh", "quy che", "ke hoach", "dieu le", "huong dan", "chuong trinh", "de an", "dinh muc",
    "bo dinh muc", "danh muc", "phuong an", "tieu chi", "bo tieu chi", "noi quy", "quy trinh",
    "chien luoc", "du an", "bang gia", "khung", "danh sach",
)
_ATTACHED_NOTE = re.compile(r"^\(?\s*(?:ban\s+hanh\s+)?kem\s+theo\s+(?:quyet\s+dinh|nghi\s+quyet|thong\s+tu|nghi\s+dinh|ke\s+hoach|van\s+ban)")
_ENACTING = re.compile(r"^(?:quyet\s+dinh|quyet\s+nghi|nghi\s+quyet)\s*:\s*$")


@dataclass(frozen=True)
class LegalMark:
    """A structural line: ``rank`` (RANK_*), ``label`` ("Điều 3", "khoản 1", "Chương II"),
    ``title`` (the words after the label on the line, may be "")."""

    rank: int
    label: str
    title: str


def is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def outer_mark(line: str) -> LegalMark | None:
    """Phần / Chương / Mục / Điều at the start of a stripped line (anywhere in a legal unit)."""
    s = line.strip()
    for rank, rx in ((RANK_PART, _PART), (RANK_CHAPTER, _CHAPTER), (RANK_SECTION, _SECTION)):
        m = rx.match(s)
        if m:
            return LegalMark(rank, " ".join(m.group("label").split()), m.group("text").strip())
    m = _ARTICLE.match(s)
    if m:
        return LegalMark(RANK_ARTICLE, f"Điều {m.group('num')}", m.group("text").strip())
    return None


def inner_mark(line: str) -> LegalMark | None:
    """khoản ("1. …") or điểm ("a) …") at the start of a stripped line inside an article."""
    s = line.strip()
    m = _CLAUSE.match(s)
    if m:
        return LegalMark(RANK_CLAUSE, f"khoản {m.group('num')}", m.group("text").strip())
    m = _POINT.match(s)
    if m:
        num = m.group("num") or m.group("num2")
        return LegalMark(RANK_POINT, f"điểm {num}", (m.group("text") or m.group("text2")).strip())
    return None


def is_article_line(line: str) -> bool:
    return bool(_ARTICLE.match(line.strip()))


MAX_ARTICLE_TITLE = 250
MAX_TITLE_BEFORE_COLON = 90


def article_label(mark: LegalMark) -> str:
    """"Điều 3. Mục đích hoạt động thanh tra"; an article whose line is a sentence
    ("Điều 2. Quyết định này có hiệu lực …") is labelled by its number only, and
    "Điều 2. Thời hạn ủy quyền: Từ ngày …" by the words before the colon."""
    text = mark.title.strip()
    if not text:
        return mark.label
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and len(head) <= MAX_TITLE_BEFORE_COLON and not re.search(r"[;,]", head):
        return f"{mark.label}. {head.strip()}"
    body = text.rstrip("/. ")
    if len(text) <= MAX_ARTICLE_TITLE and not re.search(r"[.;]\s*/?\.?$", text) and ". " not in body:
        return f"{mark.label}. {text}"
    return mark.label


def heading_label(mark: LegalMark, next_line_title: str = "") -> str:
    """Path label of a Phần/Chương/Mục line; the title may be on the next line."""
    title = mark.title or next_line_title
    return f"{mark.label}. {title}" if title else mark.label


class QuoteTracker:
    """Whether a line lies inside text quoted with “…” (amendments quote whole articles).

    ``inside(line)`` is called for every line in order; it answers for that line and
    then updates the depth. A real article line outside any quote resets a depth left
    open by a missing closing mark.
    """

    def __init__(self) -> None:
        self.depth = 0

    def inside(self, line: str) -> bool:
        s = line.strip()
        quoted = self.depth > 0 or s.startswith(("“", "\"“"))
        if self.depth > 0 and is_article_line(s) and not s.startswith("“"):
            self.depth = 0
            quoted = False
        self.depth = max(0, self.depth + s.count("“") - s.count("”"))
        return quoted


def is_attachment_word_line(line: str) -> bool:
    """An upper-case line starting with a title word of an attached document ("QUY ĐỊNH …")."""
    s = line.strip().rstrip(":")
    if not s or len(s) > 300 or not is_upper_line(s):
        return False
    folded = " ".join(fold_diacritics(s).split())
    return any(folded == w or folded.startswith(w + " ") for w in ATTACHMENT_WORDS)


def is_attached_note(line: str) -> bool:
    """"(Ban hành kèm theo Quyết định số … )", "(Kèm theo Nghị quyết số …)"."""
    folded = " ".join(fold_diacritics(line.strip()).split())
    return bool(_ATTACHED_NOTE.match(folded))


def has_attached_note(line: str) -> bool:
    """The note anywhere in the line ("… TỈNH GIA LAI (Ban hành kèm theo Quyết định số …)")."""
    folded = " ".join(fold_diacritics(line).split())
    return bool(re.search(r"\(\s*(?:ban\s+hanh\s+)?kem\s+theo\s+", folded))


def is_enacting_line(line: str) -> bool:
    """"QUYẾT ĐỊNH:" (the enacting formula after the preamble of a decision)."""
    return bool(_ENACTING.match(" ".join(fold_diacritics(line.strip()).split())))


_ARTICLE_LABEL = re.compile(r"^Điều\s+(?P<num>\d{1,3}[a-zđ]?)(?![\w])")


def short_section(path: tuple[str, ...] | list[str]) -> str:
    """How a passage of a legal document is cited: from the article on, article titles left
    out ("Chương II. …", "Điều 3. Mục đích …", "khoản 1" → "Điều 3 › khoản 1"); a path
    without an article is returned joined as it is."""
    parts = list(path)
    for k, part in enumerate(parts):
        m = _ARTICLE_LABEL.match(part)
        if m:
            return " › ".join([f"Điều {m.group('num')}"] + parts[k + 1:])
    return " › ".join(parts)
