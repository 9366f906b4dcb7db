"""Diacritic restoration of questions typed without marks (index/restore.py), on small hand-made corpora."""
from __future__ import annotations

import pytest

from index.embedders.hash_embedder import HashEmbedder
from index.restore import KEEP_AS_TYPED, MarkRestorer, MarkStatisticsBuilder

CORPUS = (
    "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Y tế tổ chức thực hiện.",
    "Sở Giáo dục và Đào tạo hướng dẫn các trường; Sở Tài chính bố trí kinh phí.",
    "Giao Sở Lao động - Thương binh và Xã hội chủ trì triển khai Kế hoạch này.",
    "Căn cứ Kế hoạch số 3058/KH-UBND ngày 12/11/2024 của Ủy ban nhân dân tỉnh.",
    "Thực hiện Quyết định số 518/QĐ-UBND về phân bổ vốn.",
    "Chủ tịch Ủy ban nhân dân tỉnh ký ban hành.",
)


def often(text: str, times: int = int(KEEP_AS_TYPED)) -> str:
    """``text`` repeated: a form seen fewer than ``KEEP_AS_TYPED`` times is weak evidence."""
    return " ".join([text] * times)


def restorer_of(*texts: str) -> MarkRestorer:
    return MarkStatisticsBuilder().build([(f"c{i}", t) for i, t in enumerate(texts)])


@pytest.fixture(scope="module")
def restorer() -> MarkRestorer:
    return restorer_of(*(often(t) for t in CORPUS))


def test_words_get_the_corpus_form(restorer):
    assert restorer.restore("so giao duc va dao tao chu tri") == "sở giáo dục và đào tạo chủ trì"
    assert restorer.restore("ai ky ban hanh") == "ai ký ban hành"


def test_an_ambiguous_form_is_resolved_by_its_neighbours(restorer):
    # "so" is "sở" 4 times as often as "số" in the corpus: on its own it becomes "sở" …
    assert restorer.restore("so nao chu tri") == "sở nao chủ trì"  # "nào" is not in the corpus
    # … but before a number the corpus writes "số", before "giáo dục"/"tài chính" "sở"
    assert restorer.restore("ke hoach so 72 do so tai chinh bo tri") == "kế hoạch số 72 do sở tài chính bố trí"
    assert restorer.restore("quyet dinh so 37") == "quyết định số 37"


def test_the_case_typed_is_kept(restorer):
    assert restorer.restore("So Giao duc chu tri") == "Sở Giáo dục chủ trì"
    assert restorer.restore("SO Y TE chu tri") == "SỞ Y TẾ chủ trì"


def test_marked_words_numbers_codes_and_acronyms_are_left_alone(restorer):
    # a mostly unmarked question: its one marked word is kept as typed
    assert restorer.restore("ai kỷ quyet dinh 518/QĐ-UBND cua ubnd tinh") == "ai kỷ quyết định 518/QĐ-UBND của ubnd tỉnh"
    assert restorer.restore("so GDDT 3058/KH-UBND ngay 12/11/2024") == "sở GDDT 3058/KH-UBND ngày 12/11/2024"


def test_questions_written_with_marks_or_in_english_are_not_changed(restorer):
    accented = "Sở nào chủ trì thực hien kế hoạch?"  # one word without its marks: still a marked question
    assert restorer.restore(accented) == accented
    english = "Who leads the plan to do training in Cao Bang?"
    assert restorer.restore(english) == english
    mixed = "When will the department act on the promotion (thăng hạng) of teachers?"
    assert restorer.restore(mixed) == mixed


def test_words_without_evidence_stay_as_typed(restorer):
    # "bao", "nhieu" and "ai" occur in no form
    assert restorer.restore("bao nhieu so giao duc") == "bao nhieu sở giáo dục"
    # one "trạm" is less evidence than KEEP_AS_TYPED on its own …
    once = restorer_of(*(often(t) for t in CORPUS), "Bệnh viện trạm y tế")
    assert once.restore("ai chu tri tram") == "ai chủ trì tram"
    # … but enough in the context it was seen in
    assert once.restore("ai chu tri tram y te") == "ai chủ trì trạm y tế"


def test_empty_corpus_changes_nothing():
    for restorer in (MarkRestorer.empty(), restorer_of(), restorer_of("", "  ")):
        assert restorer.restore("so giao duc chu tri") == "so giao duc chu tri"
        assert restorer.vocabulary_size() == 0


def test_punctuation_and_spacing_are_kept(restorer):
    assert restorer.restore("  so giao duc,  chu tri?  ") == "  sở giáo dục,  chủ trì?  "


def test_saved_statistics_load_only_for_the_same_generation(tmp_path, restorer):
    restorer.save(tmp_path / "restore", generation=3, catalog_id="abc")
    loaded = MarkRestorer.load(tmp_path / "restore", generation=3, catalog_id="abc")
    assert loaded is not None and loaded.vocabulary_size() == restorer.vocabulary_size()
    assert loaded.restore("ke hoach so 72 do so tai chinh bo tri") == "kế hoạch số 72 do sở tài chính bố trí"
    assert MarkRestorer.load(tmp_path / "restore", generation=4, catalog_id="abc") is None
    assert MarkRestorer.load(tmp_path / "restore", generation=3, catalog_id="other") is None
    assert MarkRestorer.load(tmp_path / "missing", generation=3, catalog_id="abc") is None


class CountingBuilder(MarkStatisticsBuilder):
    def __init__(self):
        super().__init__()
        self.encoded: list[str] = []

    def _encode(self, text):
        self.encoded.append(text)
        return super()._encode(text)


def test_a_rebuild_encodes_only_new_or_changed_chunks():
    a, b, b2, c = (often(t) for t in CORPUS[:4])
    builder = CountingBuilder()
    first = builder.build([("a", a), ("b", b)])
    assert first.restore("so tai chinh") == "sở tài chính"
    builder.encoded.clear()
    rebuilt = builder.build([("a", a), ("b", b2), ("c", c)])
    assert builder.encoded == [b2, c]
    # chunk "a" still counts, the new text of "b" and "c" count, the old text of "b" no longer does
    assert rebuilt.restore("so giao duc va dao tao chu tri") == "sở giáo dục và đào tạo chủ trì"
    assert rebuilt.restore("so lao dong thuong binh va xa hoi") == "sở lao động thương binh và xã hội"
    assert rebuilt.restore("so tai chinh") == "sở tai chinh"


# ------------------------------------------------------------------ in PlanIndex


class RecordingEmbedder:
    """A hash embedder that remembers the query texts it embedded."""

    def __init__(self):
        self._inner = HashEmbedder(64)
        self.dim = 64
        self.model_id = "recording-64"
        self.queries: list[str] = []

    def embed(self, texts, role):
        texts = list(texts)
        if role == "query":
            self.queries.extend(texts)
        return self._inner.embed(texts, role)


TRAINING = (
    often("Đào tạo nghề và giải quyết việc làm cho lao động nông thôn."),
    often("Sở Giáo dục và Đào tạo chủ trì tuyên truyền về đào tạo nghề."),
)
BUDGET = (
    often("Nguồn ngân sách nhà nước được giao theo phân cấp."),
    often("Kinh phí từ ngân sách nhà nước và nguồn vốn xã hội hóa."),
)


def test_the_dense_side_embeds_the_restored_question(open_index, plan_builder):
    embedder = RecordingEmbedder()
    index = open_index(embedder, cache_embeddings=False)
    index.add(*plan_builder("dao-tao.txt", "1/KH-UBND", "Cao Bằng", "Đào tạo nghề", TRAINING))
    index.retrieve("so giao duc va dao tao chu tri gi o cao bang", k=3)
    # "gì", "ở", "cao", "bằng" are not in the chunks' text: left as typed, then the
    # province name is written as the catalog has it
    assert embedder.queries[-1] == "sở giáo dục và đào tạo chủ trì gi o Cao Bằng"
    index.retrieve("Sở nào chủ trì?", k=3)
    assert embedder.queries[-1] == "Sở nào chủ trì?"


def test_restorer_follows_the_documents(open_index, tmp_path, plan_builder):
    index = open_index()
    index.add(*plan_builder("dao-tao.txt", "1/KH-UBND", "Cao Bằng", "Đào tạo nghề", TRAINING))
    question = "dao tao nghe va ngan sach nha nuoc"
    before, after = "đào tạo nghề và ngan sach nha nuoc", "đào tạo nghề và ngân sách nhà nước"
    assert index.restore_marks(question) == before
    index.add(*plan_builder("ngan-sach.txt", "2/KH-UBND", "Yên Bái", "Kinh phí", BUDGET))
    assert index.restore_marks(question) == after
    index.close()
    reopened = open_index(data_dir=tmp_path / "data")  # the saved statistics are loaded
    assert (tmp_path / "data" / "restore" / "meta.json").exists()
    assert reopened.restore_marks(question) == after
    reopened.remove("ngan-sach.txt")
    assert reopened.restore_marks(question) == before


def test_restore_marks_writes_province_names_as_stored(open_index, cao_bang):
    index = open_index()
    index.add(*cao_bang)
    assert index.restore_marks("who leads training in cao bang?") == "who leads training in Cao Bằng?"
    assert index.restore_marks("") == ""
