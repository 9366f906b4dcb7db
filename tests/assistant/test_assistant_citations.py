from assistant_samples import CB_LEAD, HA_NOI, HN_LABOUR, HN_TARGET, YB_EDU, hits

from assistant.citations import has_valid_citation, validate_citations

HITS = hits(CB_LEAD, HN_LABOUR, HN_TARGET)


def test_markers_are_renumbered_in_order_of_first_use():
    text, citations = validate_citations("A [3]. B [1]. C [3].", HITS)
    assert text == "A [1]. B [2]. C [1]."
    assert [c.n for c in citations] == [1, 2]
    assert [c.document for c in citations] == [HN_TARGET.doc_id, CB_LEAD.doc_id]


def test_unknown_markers_are_dropped_with_their_space():
    text, citations = validate_citations("Sở Lao động chủ trì [7]. Sở Giáo dục phối hợp [2].", HITS)
    assert text == "Sở Lao động chủ trì. Sở Giáo dục phối hợp [1]."
    assert len(citations) == 1 and citations[0].chunk_id == HN_LABOUR.id


def test_grouped_and_adjacent_markers():
    text, citations = validate_citations("X [2, 3]; Y [3][9]; Z [0].", HITS)
    assert text == "X [1][2]; Y [2]; Z."
    assert [c.chunk_id for c in citations] == [HN_LABOUR.id, HN_TARGET.id]


def test_citation_fields_come_from_the_chunk_and_its_document():
    _, (citation,) = validate_citations("Chỉ tiêu [3]", HITS)
    assert citation.document == "ha-noi-72-KH-UBND-2022.txt"
    assert citation.title == HA_NOI.title
    assert citation.number == "72/KH-UBND"
    assert citation.province == "Hà Nội"
    assert citation.issuer == HA_NOI.issuer
    assert citation.section == "II. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN › 1. Chỉ tiêu năm 2022"
    assert citation.quote == HN_TARGET.text
    assert citation.page is None


def test_no_markers_means_no_citations():
    text, citations = validate_citations("Không có trích dẫn.", HITS)
    assert text == "Không có trích dẫn." and citations == ()


def test_has_valid_citation():
    assert has_valid_citation("… [1]", hits(YB_EDU))
    assert not has_valid_citation("… [2]", hits(YB_EDU))
    assert not has_valid_citation("… [1]", [])
    assert not has_valid_citation("no marker", hits(YB_EDU))
