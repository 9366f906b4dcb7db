"""Text helpers for the assistant: folding (from ``ingest.normalize``), words, stop words, language guess.

``fold_chars`` keeps a one-to-one character alignment with its input, so spans found
in folded text (a province name in a question, a cue in a passage) can be cut from
the original text with diacritics intact.

``detect_language`` is the assistant's own: ``ingest.normalize.detect_language`` calls
any text with a diacritic Vietnamese, but an English question often quotes Vietnamese
names ("Who leads … in Cao Bằng?"), so here function words decide.
"""
from __future__ import annotations

import re

from ingest.normalize import fold_aligned, fold_diacritics, has_vietnamese_marks, nfc, search_key

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# content tokens: numbers keep their separators ("6.000", "72,2", "1.1"), words are letters only
_CONTENT_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def fold_chars(text: str) -> str:
    """Lower-case, strip diacritics, đ→d; one output character per character of NFC ``text``."""
    return fold_aligned(nfc(text))


def fold(text: str) -> str:
    """Folded search form: "Cao Bằng" → "cao bang"; whitespace collapsed."""
    return fold_diacritics(text)


def words(text: str) -> list[str]:
    """Word tokens of ``text`` as written (NFC), no punctuation."""
    return _WORD_RE.findall(nfc(text))


# Function words and question words. Kept in their written (accented) form: folding
# would merge e.g. "có" (has) with "cơ" (as in "cơ sở") or "để" (to) with "đề" (as in "đề án").
_VI_STOP_ACCENTED = set(
    """
    và của các cho với trong theo tại ở là có được những một này đó để thì về từ đến như khi đã sẽ
    đang còn cũng nào gì ai đâu sao thế vậy nhé ạ không chưa hay hoặc mà nên nếu bị do bởi cùng
    ra vào lên trên dưới giữa sau trước nữa rồi lại thêm mọi mỗi việc người hãy xin biết
    bao nhiêu giờ vì phải đạt lấy đi gồm nay số năm ngày tháng tỉnh dùng đặt
    """.split()
)
# The same, typed without diacritics. Folded forms that are also content syllables we care
# about ("co" = cơ, "de" = đề, "so" = sở) are left out.
_VI_STOP_FOLDED = set(
    """
    va cua cac cho voi trong theo tai o la duoc nhung mot nay thi ve tu den nhu khi da se dang con
    cung nao gi ai dau sao the vay nhe a khong chua hay hoac ma nen neu bi boi ra vao len sau
    truoc nua roi lai them moi viec nguoi xin biet bao nhieu gio vi phai dat lay di gom nam ngay dung
    thang tinh
    """.split()
)
# Multi-syllable words so common in plans that they say nothing about a passage. Removed as
# phrases: their syllables alone are meaningful elsewhere ("quan" in "cơ quan", "văn" in "văn hóa").
STOP_PHRASES = (
    "kế hoạch", "thực hiện", "triển khai", "công tác", "nội dung", "liên quan", "quy định", "đơn vị",
    "văn bản", "thành phố", "địa bàn", "tổ chức thực hiện",
)
EN_STOP = set(
    """
    a an the of in on at to for from by with and or but is are was were be been being do does did
    what who whom whose which when where why how this that these those it its there their they them
    he she his her we our you your i me my about please tell show give list any some all each
    can could would should will shall may might must has have had not no yes than then also as into
    under over between per via out up down if so such only just more most other same both either
    plan plans province provinces provincial document documents according say says said result results
    take takes taken go goes going set sets come comes after before get gets make makes made put given
    give gives need needs want wants use used using based here meet meets meeting kind type types name
    names named mention mentions mentioned 's asked ask asks supposed expected intended intend required
    planned
    """.split()
)


def is_stopword(token: str, *, marked_text: bool = False) -> bool:
    """A Vietnamese stop word; ``token`` as written (lower-case NFC).

    In text written with diacritics (``marked_text``) a word without any ("thi", exam) is
    itself, not "thì" typed plain, so only the accented list applies. English stop words
    are checked separately (``EN_STOP``): "so", "to", "an" are Vietnamese syllables typed plain.
    """
    if has_vietnamese_marks(token) or marked_text:
        return token in _VI_STOP_ACCENTED
    return token in _VI_STOP_FOLDED or token in _VI_STOP_ACCENTED


# --- language guess -------------------------------------------------------------
# Function words decide first: an English question quotes Vietnamese *names* (agencies,
# provinces, plan titles) but never Vietnamese function words, and vice versa. Words whose
# folded form is also an English word ("do", "to", "can", "the") are left out.
_VI_FUNCTION = {
    "ai", "gi", "nao", "sao", "thi", "khong", "co", "cua", "la", "o", "nhung", "cac", "duoc", "bao",
    "nhieu", "khi", "gio", "dau", "the", "vay", "con", "hay", "phai", "voi", "trong", "ve", "tai",
    "cho", "va", "tu", "den", "theo", "may", "nhe", "a", "hien", "nay", "ra",
}
_VI_FUNCTION_AMBIGUOUS_PLAIN = {"the", "con", "may", "a", "hay"}  # count only when written with diacritics
_EN_FUNCTION = {
    "the", "of", "in", "on", "at", "for", "by", "with", "and", "or", "is", "are", "was", "were", "does",
    "did", "what", "who", "whom", "which", "when", "where", "why", "how", "about", "much", "many", "this",
    "that", "from", "has", "have", "will", "should", "must", "there", "their", "its", "any", "all", "each",
    "please", "tell", "me", "list", "whose",
}
_EN_QUESTION_WORDS = {"who", "what", "when", "which", "how", "where", "why", "does", "did", "is", "are", "list", "tell", "please"}
_EN_CONTENT = {
    "lead", "leads", "leading", "responsible", "charge", "department", "agency", "coordinate", "coordinates",
    "deadline", "budget", "signed", "sign", "issued", "issue", "date", "target", "targets", "training",
    "vocational", "rural", "workers", "students", "schools", "school", "task", "tasks", "funding", "cost",
    "percent", "percentage", "rate", "report", "reports", "support", "guidance", "plan", "plans", "province",
    "provinces", "enrollment", "enrolment", "teachers", "business", "businesses", "career", "education",
}
_VI_CONTENT_PLAIN = {
    "chu", "tri", "phoi", "hop", "dao", "tao", "nghe", "lao", "dong", "nong", "thon", "tinh", "thanh",
    "pho", "kinh", "phi", "han", "truoc", "ky", "hanh", "hoc", "sinh", "giao", "duc", "viec", "lam",
    "tuyen", "muc", "tieu", "ty", "le", "nhiem", "vu", "trach", "doanh", "nghiep", "huong", "phan",
    "luong", "chi", "ke", "hoach", "nam", "ngay", "thang", "trinh", "trung", "cap",
}


def detect_language(text: str, *, ignore_spans: tuple[tuple[int, int], ...] = ()) -> str:
    """"vi" or "en" for a question. Vietnamese typed without diacritics counts as Vietnamese.

    ``ignore_spans`` (character ranges of the NFC text) are blanked first: they hold names
    (provinces, plan numbers) that say nothing about the question's language.
    """
    chars = list(nfc(text))
    for start, end in ignore_spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    toks = [t.lower() for t in _WORD_RE.findall("".join(chars))]
    if not toks:
        return "vi"
    vi_fn = en_fn = 0
    vi_ct = en_ct = 0
    for i, tok in enumerate(toks):
        marked = has_vietnamese_marks(tok)
        folded = fold(tok)
        if marked:
            vi_ct += 1
            if folded in _VI_FUNCTION:
                vi_fn += 1
            continue
        if tok in _EN_FUNCTION:
            en_fn += 3 if (i == 0 and tok in _EN_QUESTION_WORDS) else 1
        elif tok in _VI_FUNCTION and tok not in _VI_FUNCTION_AMBIGUOUS_PLAIN:
            vi_fn += 1
        if tok in _EN_CONTENT:
            en_ct += 1
        elif tok in _VI_CONTENT_PLAIN:
            vi_ct += 1
    if en_fn != vi_fn:
        return "en" if en_fn > vi_fn else "vi"
    return "en" if en_ct > vi_ct else "vi"


_STOP_PHRASE_RE = re.compile(
    r"(?<![^\W_])(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(
        {fold(p) for p in STOP_PHRASES}, key=len, reverse=True)) + r")(?![^\W_])"
)


# Two-syllable words whose second syllable, alone, means something else: "cơ sở"
# (facility) must not match "Sở" (provincial department). Each becomes one token.
_COMPOUNDS = {("co", "so"): "coso", ("cơ", "sở"): "cơsở"}
# Spelling variants of the same syllable (i/y after t, k, l, m: "tỉ lệ"/"tỷ lệ", "kĩ năng"/"kỹ năng").
_VARIANTS = {"tỉ": "tỷ", "kĩ": "kỹ", "lí": "lý", "mĩ": "mỹ", "kì": "kỳ", "ti": "ty", "ki": "ky", "li": "ly"}


def _merge_compounds(run: list[str]) -> list[str]:
    out: list[str] = []
    for tok in run:
        if out and (out[-1], tok) in _COMPOUNDS:
            out[-1] = _COMPOUNDS[(out[-1], tok)]
        else:
            out.append(tok)
    return out


def term(token: str, *, keep_marks: bool) -> str:
    """The matching form of one lower-case word: folded, or with diacritics (tone placement unified)."""
    key = search_key(token) if keep_marks else fold(token)
    return _VARIANTS.get(key, key)


def mostly_marked(text: str) -> bool:
    """Whether ``text`` is Vietnamese written with diacritics (then matching keeps them, so that
    "sơ cấp" never meets "Sở" nor "số"); text typed without them is matched folded."""
    toks = [t for t in _WORD_RE.findall(nfc(text)) if not t.isdigit() and len(t) > 1]
    if not toks:
        return False
    return sum(has_vietnamese_marks(t) for t in toks) / len(toks) >= 0.4


def content_runs(text: str, *, keep_marks: bool = False) -> list[list[str]]:
    """Runs of content syllables of ``text``, folded (default) or with diacritics kept.

    Stop words and stop phrases end a run, so bigrams made from a run never jump over
    them. Single letters (list markers "a", "b") are dropped; digits are kept; "cơ sở"
    is one token so that it never matches "Sở".
    """
    text = nfc(text)
    folded = fold_chars(text)
    chars = list(text)
    for m in _STOP_PHRASE_RE.finditer(folded):
        for i in range(m.start(), m.end()):
            chars[i] = "|"
    runs: list[list[str]] = [[]]
    for piece in re.split(r"(\|+)", "".join(chars)):
        if piece.startswith("|"):
            runs.append([])
            continue
        for tok in _CONTENT_TOKEN.findall(piece):
            low = tok.lower()
            if is_stopword(low, marked_text=keep_marks) or (len(low) == 1 and not low.isdigit()):
                runs.append([])
                continue
            runs[-1].append(term(low, keep_marks=keep_marks))
    return [_merge_compounds(r) for r in runs if r]
