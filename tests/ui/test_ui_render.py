"""Rendering helpers: citation links, source cards, highlighting, escaping hostile text."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from assistant.types import Answer, Citation
from index.types import DocumentInfo
from ingest.types import DocumentMeta
from ui.highlight import Span, esc, highlighted_excerpt, mark_html, salient_spans, support_spans
from ui.render import (
    answer_text_html,
    Focus,
    answer_plain_text,
    claims_for,
    cited_numbers,
    library_table,
    linkify_markers,
    locate_passage,
    render_answer,
    render_document,
    render_filters,
    render_streaming,
)

HOSTILE = "<script>alert(1)</script> và <img src=x onerror=alert(1)> ${alert(1)} `x`"


class TagCollector(HTMLParser):
    """Collects the tags and attributes a browser would create from an HTML string."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector


def citation(n=1, quote="Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề cho lao động nông thôn.", **kw):
    base = dict(
        n=n,
        document="cao-bang-3058-KH-UBND-2024.txt",
        title="Triển khai Kế hoạch số 375",
        number="3058/KH-UBND",
        section="II. TỔ CHỨC THỰC HIỆN",
        page=3,
        quote=quote,
        chunk_id=f"cb#{n}",
        province="Cao Bằng",
        issuer="Ủy ban nhân dân tỉnh Cao Bằng",
    )
    base.update(kw)
    return Citation(**base)


def test_markers_become_links_to_cards_of_the_same_answer():
    answer = Answer(
        "Sở Lao động - Thương binh và Xã hội chủ trì [1]. Sở Giáo dục phối hợp [2].",
        (citation(1), citation(2, quote="Sở Giáo dục và Đào tạo phối hợp tuyên truyền.")),
        False,
    )
    html = render_answer(answer, "Ai chủ trì?", "abc", "vi")
    tags = parse(html).tags
    links = [a["href"] for tag, a in tags if tag == "a" and "pc-cite" in a.get("class", "")]
    card_ids = [a["id"] for tag, a in tags if tag == "div" and a.get("class") == "pc-card"]
    assert links == ["#pc-abc-1", "#pc-abc-2"]
    assert card_ids == ["pc-abc-1", "pc-abc-2"]
    assert "\n" not in html  # one HTML block: the chatbot's Markdown must not touch plan text


def test_card_shows_title_number_issuer_province_section_page_and_quote():
    html = render_answer(Answer("Trả lời [1].", (citation(),), False), "Ai chủ trì?", "a1", "vi")
    text = " ".join(parse(html).text)
    for expected in ("Triển khai Kế hoạch số 375", "3058/KH-UBND", "Ủy ban nhân dân tỉnh Cao Bằng", "Cao Bằng", "II. TỔ CHỨC THỰC HIỆN", "Trang", "3", "Sở Lao động"):
        assert expected in text
    open_links = [a for tag, a in parse(html).tags if tag == "a" and a.get("class") == "pc-open"]
    assert open_links and "pc-doc=cao-bang-3058-KH-UBND-2024.txt" in open_links[0]["href"]
    assert "chunk=cb%231" in open_links[0]["href"]


def test_unknown_marker_numbers_stay_plain_text_and_grouped_markers_link_each():
    out = linkify_markers("a [1, 2] b [7]", "x", {1, 2})
    assert out.count('class="pc-cite"') == 2
    assert "[7]" in out and "#pc-x-7" not in out
    assert cited_numbers("a [2] b [1; 2] c [3]") == [2, 1, 3]


def test_claims_are_the_sentences_carrying_the_marker():
    text = "Câu một có số 6.000 người [1]. Câu hai [2].\nCâu ba cũng vậy [1]."
    assert claims_for(text, 1) == ("Câu một có số 6.000 người .", "Câu ba cũng vậy .")
    assert claims_for(text, 2) == ("Câu hai .",)


def test_supporting_words_are_highlighted_by_bigrams_and_numbers_not_lone_syllables():
    quote = "Phấn đấu mỗi năm đào tạo cho 6.000 người lao động, và các sở phối hợp."
    spans = support_spans(quote, "Mỗi năm đào tạo 6.000 người")
    marked = [quote[s.start : s.end] for s in spans]
    assert marked == ["mỗi năm đào tạo", "6.000 người"]  # "cho", "và", "các" alone are not support
    html = mark_html(quote, spans)
    assert html.count("<mark") == len(spans)


def test_highlighting_escapes_document_text_before_marking():
    quote = "Đào tạo nghề <b>in đậm</b> & <script>alert(1)</script> cho lao động"
    html = highlighted_excerpt(quote, ("đào tạo nghề cho lao động",))
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r'<mark class="pc-hl">Đào tạo nghề</mark>', html)


def test_a_quoted_sentence_is_marked_without_scattered_common_pairs():
    quote = "Nâng cao hiệu quả quản lý. UBND tỉnh đề nghị Sở Lao động chủ trì đào tạo nghề. Bảo đảm hiệu quả."
    claim = "Để nâng hiệu quả, theo kế hoạch: UBND tỉnh đề nghị Sở Lao động chủ trì đào tạo nghề."
    spans = salient_spans(quote, support_spans(quote, claim))
    assert [quote[s.start : s.end] for s in spans] == ["UBND tỉnh đề nghị Sở Lao động chủ trì đào tạo nghề"]
    short = salient_spans("Tỷ lệ đạt 72,2% năm 2022", support_spans("Tỷ lệ đạt 72,2% năm 2022", "72,2 và tỷ lệ"))
    assert short  # without a long run, short runs and numbers still show


def test_spans_do_not_run_across_sentences_or_lines():
    quote = "tuyển sinh hàng năm.\n- Chủ trì, phối hợp với Sở Giáo dục"
    spans = support_spans(quote, "tuyển sinh hàng năm. Chủ trì, phối hợp với Sở Giáo dục")
    assert [quote[s.start : s.end] for s in spans] == ["tuyển sinh hàng năm", "Chủ trì, phối hợp với Sở Giáo dục"]


def test_multi_line_quotes_never_put_raw_newlines_in_chat_html():
    c = citation(1, quote="Dòng một.\n\n\n* không phải danh sách\n# không phải tiêu đề\nSở Lao động chủ trì.")
    html = render_answer(Answer("Sở Lao động chủ trì [1].\nDòng hai.", (c,), False), "q", "n1", "vi")
    assert "\n" not in html
    assert "Dòng một.<br>* không phải danh sách<br># không phải tiêu đề" in html


def test_long_quotes_are_cut_around_the_support_with_ellipses():
    quote = ("mở đầu " * 200) + "Sở Lao động chủ trì thực hiện" + (" kết thúc" * 200)
    html = highlighted_excerpt(quote, ("Sở Lao động chủ trì",), max_chars=300)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark" in html and len(html) < 600


def test_hostile_document_renders_as_text_everywhere():
    meta = DocumentMeta(doc_id="x<script>.txt", title=HOSTILE, number="1/KH", issuer=HOSTILE, province="<b>P</b>")
    c = citation(1, quote=HOSTILE, title=HOSTILE, issuer=HOSTILE, section=HOSTILE, document="evil\"><img src=x>.txt")
    outputs = [
        render_answer(Answer(f"{HOSTILE} [1]", (c,), False), HOSTILE, "z", "vi"),
        render_streaming(HOSTILE + " [1]"),
        render_document(meta, "Mở đầu. " + HOSTILE + " kết thúc.", Focus(Span(8, 8 + len(HOSTILE)), True), "vi"),
        render_document(meta, HOSTILE, Focus(None, True), "en"),
        render_filters([HOSTILE], ["d"], {"d": HOSTILE}, "vi"),
    ]
    assert "&lt;b&gt;P&lt;/b&gt;" in outputs[2]  # the province "<b>P</b>" is text, not bold
    for html in outputs:
        parsed = parse(html)
        tag_names = {tag for tag, _ in parsed.tags}
        assert not tag_names & {"script", "img"}, tag_names
        assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
        assert "${" not in html and "`" not in html
        text = "".join(parsed.text)
        assert "<script>alert(1)</script>" in text  # shown to the reader as text
        assert "<img src=x onerror=alert(1)>" in text


def test_document_view_marks_the_cited_passage_for_scrolling():
    meta = DocumentMeta(doc_id="d.txt", title="T")
    text = "Phần đầu.\n\nĐoạn được trích dẫn ở đây.\n\nPhần cuối."
    span = locate_passage(text, quote="Đoạn được trích dẫn ở đây.")
    assert span == Span(11, 11 + len("Đoạn được trích dẫn ở đây."))
    html = render_document(meta, text, Focus(span, True), "vi")
    assert '<mark class="pc-focus" id="pc-focus">Đoạn được trích dẫn ở đây.</mark>' in html
    assert locate_passage(text, start=0, end=4) == Span(0, 4)
    assert locate_passage(text, start=-1, end=-1, quote="không có trong văn bản này đâu") is None


def test_plain_text_copy_has_answer_markers_and_numbered_sources():
    answer = Answer("Sở Lao động chủ trì [1].", (citation(1),), False)
    text = answer_plain_text("Ai chủ trì?", answer, "en")
    assert text.splitlines()[0] == "Question: Ai chủ trì?"
    assert "Sở Lao động chủ trì [1]." in text
    assert "Sources:" in text
    assert re.search(r"^\[1\] Triển khai Kế hoạch số 375 — No\. 3058/KH-UBND — .*Page 3 — cao-bang-3058-KH-UBND-2024\.txt$", text, re.M)
    assert "<" not in text


def test_library_table_has_translated_headers_and_chunk_counts():
    info = DocumentInfo(DocumentMeta(doc_id="a.txt", title="T", number="1/KH", province="Hà Nội", issued_date="2022-03-04"), 12, "2025-01-02T03:04:05")
    vi, en = library_table([info], "vi"), library_table([info], "en")
    assert vi["headers"][0] == "Tệp" and en["headers"][0] == "File"
    assert vi["data"] == [["a.txt", "T", "1/KH", "", "Hà Nội", "2022-03-04", 12, "2025-01-02 03:04", "", ""]]


def test_answer_text_keeps_simple_llm_formatting_but_nothing_else():
    html = answer_text_html("**Sở Lao động** chủ trì [1]\n- phối hợp <b>x</b>\n* một *sao* thôi")
    assert html == "<strong>Sở Lao động</strong> chủ trì [1]<br>• phối hợp &lt;b&gt;x&lt;/b&gt;<br>• một *sao* thôi"


def test_esc_neutralises_template_syntax():
    assert esc("${x} `y` <z>") == "&#36;{x} &#96;y&#96; &lt;z&gt;"
