"""What kind of fact a question asks for: cue phrases per intent, in Vietnamese and English.

Accented cues match the question as written; when the question carries no Vietnamese
diacritics at all they also match its folded form ("ai chu tri" → lead). Cue phrases
that only say what kind of answer is wanted ("ai", "khi nào", "who leads") are blanked
before content words are taken (``question_phrase_spans``).
"""
from __future__ import annotations

import re

from assistant._text import fold, fold_chars, has_vietnamese_marks, nfc, words

INTENTS = ("lead", "coordinate", "deadline", "budget", "number", "signer", "issue_date", "list", "general")

_CUES: dict[str, tuple[str, ...]] = {
    "signer": (
        "ai ký", "người ký", "ký bởi", "ký ban hành", "ký kế hoạch", "ký văn bản", "ai đã ký", "ký tên",
        "who signed", "signed by", "signer", "signatory", "who signs", "who sign",
    ),
    "issue_date": (
        "ngày ban hành", "ban hành ngày", "ban hành khi nào", "ban hành vào", "ban hành năm", "khi nào ban hành",
        "ban hành lúc nào", "ngày ký", "ký ngày", "ký khi nào", "ký vào ngày", "thời điểm ban hành",
        "issue date", "date of issue", "issued on", "date of the plan", "dated",
    ),
    "list": (
        "những tỉnh nào", "các tỉnh nào", "tỉnh nào", "tỉnh thành nào", "địa phương nào", "những kế hoạch nào",
        "kế hoạch nào", "các kế hoạch", "tất cả các kế hoạch", "so sánh", "mỗi tỉnh", "từng tỉnh", "các tỉnh",
        "which provinces", "which province", "what provinces", "which plans", "which plan", "what plans",
        "all plans", "each province", "every province", "compare", "across", "list the plans", "list provinces",
    ),
    "coordinate": (
        "phối hợp", "hỗ trợ thực hiện", "cùng thực hiện", "coordinate", "coordinates", "coordinating",
        "coordination", "support", "supports", "supporting", "cooperate", "cooperates", "work with", "works with",
        "assist", "assists", "together with",
    ),
    "explicit_lead": (
        "chủ trì", "chịu trách nhiệm", "phụ trách", "trách nhiệm chính", "lead", "leads", "leading",
        "in charge", "responsible", "lead agency",
    ),
    "strong_lead": (
        "đơn vị nào", "cơ quan nào", "sở nào", "ban nào", "phòng nào", "ngành nào", "giao cho ai", "ai thực hiện",
        "ai chỉ đạo", "ai lãnh đạo", "ai làm", "ai đảm nhiệm", "which department", "which agency", "which body",
        "which office", "which unit", "which organisation", "which organization", "who implements",
        "who handles", "who carries out", "who is tasked", "who oversees", "who directs",
        "which departments", "which agencies", "which bodies", "which offices", "which units", "which division",
        "which divisions", "what department", "what agency", "what body", "what office", "what division",
        "which organisations", "which organizations", "who must", "who should", "who will", "who has to",
        "who is in charge", "who organises", "who organizes", "who runs",
    ),
    "weak_lead": ("ai", "who"),
    "budget": (
        "kinh phí", "ngân sách", "bao nhiêu tiền", "triệu đồng", "tỷ đồng", "chi phí", "nguồn vốn", "vốn",
        "budget", "funding", "funds", "fund", "cost", "costs", "how much money", "spend", "spending", "money",
        "allocated", "allocate", "allocation", "spent", "financed", "bố trí kinh phí", "phân bổ",
    ),
    "deadline_question": (
        "khi nào", "bao giờ", "lúc nào", "ngày nào", "tháng nào", "thời hạn", "hạn chót", "hạn cuối",
        "trước ngày nào", "when", "by when", "deadline", "due", "due date", "timeline", "time frame",
        "timeframe", "what date", "until when",
    ),
    "deadline_topic": ("thời gian", "trước ngày", "hoàn thành", "tiến độ", "how long", "complete", "finish", "năm nào", "which year", "what year"),
    "number": (
        "bao nhiêu", "mấy", "chỉ tiêu", "tỷ lệ", "tỉ lệ", "số lượng", "phần trăm", "%", "how many", "how much",
        "target", "targets", "rate", "percentage", "percent", "proportion", "number of", "quota", "what share",
        "which share", "share of",
    ),
    "place": ("đâu", "where"),
    "amount_strong": (
        "bao nhiêu", "mấy", "số lượng", "phần trăm", "%", "how many", "how much", "number of", "percentage", "percent",
    ),
    "source": ("nguồn", "từ đâu", "source", "sources", "from where", "funded by", "where does"),
    "amount": ("bao nhiêu", "how much", "mấy", "tổng", "total", "amount"),
    "plural": (
        "những", "những gì", "gồm những", "bao gồm", "liệt kê", "là những", "what are", "which are",
        "list", "all the", "sources", "options", "tasks", "duties", "responsibilities", "làm gì", "nhiệm vụ gì",
        "những việc gì", "what do", "what does", "what must", "what should", "what are",
    ),
}
# Cue phrases that only say *what kind* of answer is wanted; removed before content words are taken.
_QUESTION_PHRASES = (
    "ai ký", "người ký", "ký bởi", "ký ban hành", "ai đã ký", "ký tên", "ngày ban hành", "ban hành", "ngày ký",
    "chủ trì", "chịu trách nhiệm", "phụ trách", "trách nhiệm chính", "phối hợp", "đơn vị nào", "cơ quan nào",
    "sở nào", "ban nào", "phòng nào", "ngành nào", "giao cho ai", "ai thực hiện", "ai chỉ đạo", "ai lãnh đạo",
    "ai làm", "khi nào", "bao giờ", "lúc nào", "ngày nào", "tháng nào", "bao nhiêu", "mấy", "thì sao", "là gì",
    "như thế nào", "ra sao", "những tỉnh nào", "các tỉnh nào", "tỉnh nào", "tỉnh thành nào", "địa phương nào",
    "kế hoạch nào", "so sánh", "hỗ trợ thực hiện", "hạn khi nào", "hạn là khi nào", "hạn chót", "hạn cuối",
    "thời hạn", "hạn hoàn thành", "có nhiệm vụ gì", "nhiệm vụ gì", "những nhiệm vụ nào",
    "nhiệm vụ nào", "có trách nhiệm gì", "làm gì", "phải làm gì", "được giao gì", "giao những gì",
    "who signed", "signed by", "signer", "signatory", "issue date", "date of issue", "issued", "who leads",
    "who is responsible", "responsible for", "responsible", "in charge of", "in charge", "lead agency", "leads",
    "lead", "leading", "coordinates", "coordinate", "coordinating", "coordination", "which department",
    "which agency", "which body", "which office", "which unit", "which provinces", "which province",
    "which plans", "which plan", "what provinces", "how many", "how much", "by when", "deadline", "when",
    "who", "what", "which", "signed", "sign", "supports", "support", "cooperate", "work with",
    "what are the tasks of", "what are the duties of", "tasks of", "duties of", "responsibilities of",
    "what must", "what should", "what does", "what do", "what is assigned to", "assigned to",
    "which departments", "which agencies", "which division", "which divisions", "what department",
    "what agency", "what division", "who must", "who should", "who will", "who has to", "by when",
    "how much money", "allocated", "allocate",
)


def _cue_regex(cue: str) -> re.Pattern[str]:
    if cue == "%":
        return re.compile("%")
    return re.compile(r"(?<![^\W_])" + r"\s+".join(map(re.escape, cue.split())) + r"(?![^\W_])")


_CUE_PATTERNS: dict[str, list[tuple[re.Pattern[str], re.Pattern[str]]]] = {}


def _patterns(group: str) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    if group not in _CUE_PATTERNS:
        _CUE_PATTERNS[group] = [(_cue_regex(c.lower()), _cue_regex(fold(c))) for c in _CUES[group]]
    return _CUE_PATTERNS[group]


def _has_cue(group: str, lower: str, folded: str, plain: bool) -> bool:
    for accented, folded_pat in _patterns(group):
        if accented.search(lower) or (plain and folded_pat.search(folded)):
            return True
    return False


_ALSO_ORDER = ("signer", "issue_date", "lead", "coordinate", "deadline", "budget", "number")


def detect_intent(question: str, *, scoped: bool = False) -> tuple[str, bool, tuple[str, ...], bool]:
    """(intent, asks_amount, further kinds of fact asked, asks for several items).

    ``scoped``: the question names one province or plan, so "kế hoạch nào" in it ("triển
    khai kế hoạch nào của Tỉnh ủy?") asks about that plan, not across plans.
    """
    intent, asks_amount, present = _primary_intent(question, scoped)
    also = tuple(i for i in _ALSO_ORDER if i in present and i != intent)
    lower = nfc(question).lower()
    plural = _has_cue("plural", lower, fold(question), not any(has_vietnamese_marks(w) for w in words(lower)))
    return intent, asks_amount, also, plural


def _primary_intent(question: str, scoped: bool) -> tuple[str, bool, set[str]]:
    lower = nfc(question).lower()
    folded = fold(question)
    plain = not any(has_vietnamese_marks(w) for w in words(lower))

    def has(group: str) -> bool:
        return _has_cue(group, lower, folded, plain)

    # English "when was … issued/signed/adopted" asks for the issue date, not a deadline
    issue_en = re.search(r"\bwhen\b.*\b(issued|signed|adopted|promulgated|released)\b", lower) is not None
    asks_amount = not has("source")
    present = set()
    if has("explicit_lead") or has("strong_lead"):
        present.add("lead")
    if has("coordinate"):
        present.add("coordinate")
    if has("deadline_question") or has("deadline_topic"):
        present.add("deadline")
    if has("budget"):
        present.add("budget")
    # "đưa chỉ tiêu … vào đâu?" names a target but asks where it goes, not a figure
    if has("number") and not (has("place") and not has("amount_strong")):
        present.add("number")

    def result(intent: str) -> tuple[str, bool, set[str]]:
        return intent, asks_amount, present

    if has("weak_lead") and present & {"deadline", "budget", "number"}:
        present.add("lead")  # "who must …, and by when?" asks for both
    if has("signer") and not issue_en:
        present.add("signer")
    if has("issue_date") or issue_en:
        present.add("issue_date")
    if has("list") and not scoped:
        return result("list")
    if "signer" in present:
        return result("signer")
    if "issue_date" in present:
        return result("issue_date")
    if has("coordinate") and not has("explicit_lead"):
        return result("coordinate")
    if has("explicit_lead") or has("strong_lead"):
        return result("lead")
    if has("deadline_question"):
        return result("deadline")
    if has("weak_lead") and not has("amount"):
        return result("lead")  # "ai bố trí vốn …?" asks who, not how much
    if has("budget"):
        return result("budget")
    if has("weak_lead"):
        return result("lead")
    if "number" in present:
        return result("number")
    if has("deadline_topic"):
        return result("deadline")
    return result("general")




def question_phrase_spans(text: str) -> list[tuple[int, int]]:
    lower = text.lower()
    folded = fold_chars(text)
    plain = not any(has_vietnamese_marks(w) for w in words(lower))
    spans = []
    for phrase in _QUESTION_PHRASES:
        for m in _cue_regex(phrase.lower()).finditer(lower):
            spans.append((m.start(), m.end()))
        if plain:
            for m in _cue_regex(fold(phrase)).finditer(folded):
                spans.append((m.start(), m.end()))
    return spans
