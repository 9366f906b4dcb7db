"""A small, deterministic stand-in for planchat's services, built from the real frozen types.

``FakeIndex`` keeps hand-written plans in memory and ranks paragraphs by shared
(diacritic-folded) words; ``FakeAssistant`` answers extractively with [n]
citations; ``FakeServices`` adds ingest/remove and the paths the UI needs.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Answer, Citation, Turn
from index.errors import DocumentNotFound
from index.types import DocumentInfo, Filters, Hit
from ingest.types import Chunk, DocumentMeta, ResponsibilityRecord


@dataclass(frozen=True)
class IngestReport:
    """Same fields as ``index.ingest_run.IngestReport`` (the UI only reads these)."""

    added: tuple = ()
    replaced: tuple = ()
    skipped_unchanged: tuple = ()
    failed: tuple = ()
    chunks_added: int = 0


HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"

CAO_BANG_TEXT = """Triển khai Kế hoạch số 375 về đổi mới công tác đào tạo nghề cho lao động nông thôn

Ngày 12/11, UBND tỉnh ban hành Kế hoạch số 3058/KH-UBND triển khai thực hiện Kế hoạch số 375-KH/TU của Tỉnh ủy về đổi mới công tác đào tạo nghề cho lao động nông thôn (LĐNT).

I. MỤC TIÊU

Phấn đấu mỗi năm đào tạo cho 6.000 người lao động, trong đó, khoảng 60% LĐNT tham gia học nghề ở các cấp trình độ thuộc lĩnh vực giáo dục nghề nghiệp.

II. TỔ CHỨC THỰC HIỆN

UBND tỉnh đề nghị Sở Lao động - Thương binh và Xã hội chủ trì, chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục nghề nghiệp trên địa bàn tỉnh tổ chức triển khai thực hiện kế hoạch đào tạo nghề cho lao động nông thôn bảo đảm hiệu quả, đúng quy định.

Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội đẩy mạnh hoạt động tuyên truyền, hướng nghiệp, phân luồng trong các trường THCS, THPT."""

HA_NOI_TEXT = """KẾ HOẠCH Khắc phục hạn chế, khuyết điểm trong công tác giáo dục nghề nghiệp năm 2021

I. MỤC ĐÍCH, YÊU CẦU

Tập trung khắc phục những tồn tại, hạn chế về tỷ lệ lao động qua đào tạo và kết quả tuyển sinh còn thấp so với kế hoạch.

II. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN

1. Chỉ tiêu năm 2022

Tuyển sinh và đào tạo khoảng 224.500 lượt người (trong đó: cao đẳng 25.000, trung cấp 28.000, sơ cấp và dưới 3 tháng 171.500).

Phấn đấu tỷ lệ lao động qua đào tạo đạt từ 72,2%; trong đó tỷ lệ lao động có bằng cấp, chứng chỉ đạt từ 51,2%.

2. Giải pháp thực hiện

Sở Lao động - Thương binh và Xã hội chủ trì tổ chức ngày Hội tư vấn, tuyển sinh giáo dục nghề nghiệp hàng năm tại Hà Nội."""

HOSTILE_TEXT = f"""Kế hoạch kiểm thử an toàn hiển thị {HOSTILE_SCRIPT}

I. NỘI DUNG

Đoạn kiểm thử an toàn chứa mã độc {HOSTILE_SCRIPT} và ảnh độc {HOSTILE_IMG} cùng mẫu ${{alert(1)}} và [liên kết](javascript:alert(1)) phải hiển thị như văn bản thường.

Sở Thông tin và Truyền thông chủ trì kiểm thử an toàn hiển thị của hệ thống hỏi đáp."""

SAMPLE_DOCS: tuple[tuple[DocumentMeta, str], ...] = (
    (
        DocumentMeta(
            doc_id="cao-bang-3058-KH-UBND-2024.txt",
            title="Triển khai Kế hoạch số 375 về đổi mới công tác đào tạo nghề cho lao động nông thôn",
            number="3058/KH-UBND",
            issuer="Ủy ban nhân dân tỉnh Cao Bằng",
            province="Cao Bằng",
            issued_date="2024-11-12",
            file_type="txt",
        ),
        CAO_BANG_TEXT,
    ),
    (
        DocumentMeta(
            doc_id="ha-noi-72-KH-UBND-2022.txt",
            title="Khắc phục hạn chế, khuyết điểm trong công tác giáo dục nghề nghiệp năm 2021",
            number="72/KH-UBND",
            issuer="Ủy ban nhân dân thành phố Hà Nội",
            province="Hà Nội",
            issued_date="2022-03-04",
            file_type="txt",
        ),
        HA_NOI_TEXT,
    ),
)

HOSTILE_DOC: tuple[DocumentMeta, str] = (
    DocumentMeta(
        doc_id="hostile-plan.txt",
        title=f"Kế hoạch kiểm thử {HOSTILE_SCRIPT}",
        number="99/KH-UBND",
        issuer=f"Ủy ban {HOSTILE_IMG}",
        province="Hà Giang",
        file_type="txt",
    ),
    HOSTILE_TEXT,
)

BAC_KAN_TEXT = """Kế hoạch triển khai thực hiện Nghị quyết số 96/NQ-HĐND phê duyệt Kế hoạch phát triển giáo dục nghề nghiệp tỉnh Bắc Kạn giai đoạn 2021-2025

III. TỔ CHỨC THỰC HIỆN

1. Sở Lao động - Thương binh và Xã hội

Phối hợp với Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính và UBND các huyện, thành phố xây dựng kế hoạch rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên để nâng cao chất lượng, hiệu quả hoạt động.

2. Sở Nội vụ

Chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội và Sở Giáo dục và Đào tạo tham mưu cho UBND tỉnh rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên trên địa bàn tỉnh; thực hiện các thủ tục sắp xếp lại, kiện toàn bộ máy và tinh giản biên chế theo quy định. Thời gian hoàn thành: trước ngày 30/6/2022.

3. Sở Tài chính

Hằng năm, căn cứ dự toán của các đơn vị và khả năng cân đối ngân sách, tham mưu cho UBND tỉnh bố trí kinh phí thực hiện kế hoạch theo quy định hiện hành về phân cấp ngân sách.

4. Biểu kế hoạch triển khai

Rà soát, sắp xếp cơ cấu lại bộ máy tổ chức các cơ sở GDNN | Các cơ sở GDNN công lập | Sở Nội Vụ | Sở Lao động - TB&XH; Sở Giáo dục và Đào tạo; Sở Kế hoạch và Đầu tư | 2023, 2025 | KP từ nguồn các CTMTQG"""

#: A plan with responsibilities of Sở Nội vụ, only in ``make_services(..., bac_kan=True)``
#: (the other UI tests expect three plans).
BAC_KAN_DOC: tuple[DocumentMeta, str] = (
    DocumentMeta(
        doc_id="bac-kan-37-KH-UBND-2022.txt",
        title="Triển khai thực hiện Nghị quyết số 96/NQ-HĐND phê duyệt Kế hoạch phát triển giáo dục nghề nghiệp tỉnh Bắc Kạn giai đoạn 2021-2025",
        number="37/KH-UBND",
        issuer="Ủy ban nhân dân tỉnh Bắc Kạn",
        province="Bắc Kạn",
        issued_date="2022-01-21",
        file_type="txt",
    ),
    BAC_KAN_TEXT,
)

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
GDDT = "Sở Giáo dục và Đào tạo"
NOI_VU = "Sở Nội vụ"
#: Task text of the hostile plan's record (also a hostile coordinator and a formula as budget).
HOSTILE_TASK = f"Kiểm thử an toàn hiển thị chứa mã độc {HOSTILE_SCRIPT} và ảnh độc {HOSTILE_IMG} cùng mẫu ${{alert(1)}}"
HOSTILE_BUDGET = '=HYPERLINK("http://evil.example","1 tỷ đồng")'


def _record(doc: tuple[DocumentMeta, str], quote: str, task: str, lead, coordinators=(), **fields) -> ResponsibilityRecord:
    """A record whose quote is a verbatim span of ``doc``'s text, with the id of the chunk holding it."""
    meta, text = doc
    assert quote in text, quote
    chunk = next(c for c in make_chunks(meta, text) if quote in c.text)
    return ResponsibilityRecord(
        task=task,
        lead=tuple(lead),
        coordinators=tuple(coordinators),
        document=meta.doc_id,
        province=meta.province,
        section=chunk.section,
        quote=quote,
        chunk_id=chunk.id,
        **fields,
    )


@lru_cache(maxsize=1)
def fake_records() -> tuple[ResponsibilityRecord, ...]:
    """Hand-written responsibility records over the fake plans (quotes are verbatim spans)."""
    cao_bang, ha_noi = SAMPLE_DOCS
    return (
        _record(
            cao_bang,
            "UBND tỉnh đề nghị Sở Lao động - Thương binh và Xã hội chủ trì, chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục nghề nghiệp trên địa bàn tỉnh tổ chức triển khai thực hiện kế hoạch đào tạo nghề cho lao động nông thôn bảo đảm hiệu quả, đúng quy định.",
            "Chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục nghề nghiệp trên địa bàn tỉnh tổ chức triển khai thực hiện kế hoạch đào tạo nghề cho lao động nông thôn bảo đảm hiệu quả, đúng quy định",
            [LDTBXH],
            source="prose",
        ),
        _record(
            cao_bang,
            "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội đẩy mạnh hoạt động tuyên truyền, hướng nghiệp, phân luồng trong các trường THCS, THPT.",
            "Đẩy mạnh hoạt động tuyên truyền, hướng nghiệp, phân luồng trong các trường THCS, THPT",
            [GDDT],
            [LDTBXH],
            source="prose",
        ),
        _record(
            ha_noi,
            "Sở Lao động - Thương binh và Xã hội chủ trì tổ chức ngày Hội tư vấn, tuyển sinh giáo dục nghề nghiệp hàng năm tại Hà Nội.",
            "Tổ chức ngày Hội tư vấn, tuyển sinh giáo dục nghề nghiệp hàng năm tại Hà Nội",
            [LDTBXH],
            deadline="Hằng năm",
            source="prose",
        ),
        _record(
            HOSTILE_DOC,
            "Sở Thông tin và Truyền thông chủ trì kiểm thử an toàn hiển thị của hệ thống hỏi đáp.",
            HOSTILE_TASK,
            ["Sở Thông tin và Truyền thông"],
            [HOSTILE_IMG],
            deadline="31/12/2024",
            deadline_iso="2024-12-31",
            budget=HOSTILE_BUDGET,
            source="prose",
        ),
        _record(
            BAC_KAN_DOC,
            "Phối hợp với Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính và UBND các huyện, thành phố xây dựng kế hoạch rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên để nâng cao chất lượng, hiệu quả hoạt động.",
            "Xây dựng kế hoạch rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên để nâng cao chất lượng, hiệu quả hoạt động",
            [LDTBXH],
            [NOI_VU, GDDT, "Sở Tài chính", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
            source="agency_section",
        ),
        _record(
            BAC_KAN_DOC,
            "Chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội và Sở Giáo dục và Đào tạo tham mưu cho UBND tỉnh rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên trên địa bàn tỉnh",
            "Tham mưu cho UBND tỉnh rà soát, sắp xếp, cơ cấu lại các Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên trên địa bàn tỉnh; thực hiện các thủ tục sắp xếp lại, kiện toàn bộ máy và tinh giản biên chế theo quy định",
            [NOI_VU],
            [LDTBXH, GDDT],
            deadline="trước ngày 30/6/2022",
            deadline_iso="2022-06-30",
            source="agency_section",
        ),
        _record(
            BAC_KAN_DOC,
            "Hằng năm, căn cứ dự toán của các đơn vị và khả năng cân đối ngân sách, tham mưu cho UBND tỉnh bố trí kinh phí thực hiện kế hoạch theo quy định hiện hành về phân cấp ngân sách.",
            "Tham mưu cho UBND tỉnh bố trí kinh phí thực hiện kế hoạch theo quy định hiện hành về phân cấp ngân sách",
            ["Sở Tài chính"],
            deadline="Hằng năm",
            source="agency_section",
        ),
        _record(
            BAC_KAN_DOC,
            "Rà soát, sắp xếp cơ cấu lại bộ máy tổ chức các cơ sở GDNN | Các cơ sở GDNN công lập | Sở Nội Vụ | Sở Lao động - TB&XH; Sở Giáo dục và Đào tạo; Sở Kế hoạch và Đầu tư | 2023, 2025 | KP từ nguồn các CTMTQG",
            "Rà soát, sắp xếp cơ cấu lại bộ máy tổ chức các cơ sở GDNN",
            [NOI_VU],
            [LDTBXH, GDDT, "Sở Kế hoạch và Đầu tư"],
            deadline="2023, 2025",
            budget="Kinh phí các chương trình MTQG: KP từ nguồn các CTMTQG",
            target="Các cơ sở GDNN công lập",
            source="table",
        ),
    )


KNOWN_PROVINCES = ("Cao Bằng", "Hà Nội", "Bắc Kạn", "Yên Bái", "Hải Dương", "Hà Giang", "Lào Cai")
_HEADING = re.compile(r"^(?:[IVX]+\.|\d+\.)\s+\S")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def is_vietnamese(text: str) -> bool:
    """More than a quarter of the words carry Vietnamese letters (so "… in Cao Bằng?" stays English)."""
    tokens = re.findall(r"\w+", text)
    marked = [w for w in tokens if any(ord(ch) > 127 for ch in w)]
    return bool(tokens) and len(marked) / len(tokens) > 0.25


def make_chunks(meta: DocumentMeta, text: str) -> list[Chunk]:
    """One chunk per paragraph, with the heading path and character offsets."""
    chunks: list[Chunk] = []
    section: list[str] = []
    pos = 0
    for para in text.split("\n\n"):
        start = text.index(para, pos)
        end = start + len(para)
        pos = end
        stripped = para.strip()
        if not stripped:
            continue
        if _HEADING.match(stripped) and len(stripped) < 90:
            if re.match(r"^[IVX]+\.", stripped):
                section = [stripped]
            else:
                section = section[:1] + [stripped]
            continue
        chunks.append(
            Chunk(
                id=f"{meta.doc_id}#{len(chunks)}",
                doc_id=meta.doc_id,
                position=len(chunks),
                kind="text",
                text=para,
                section_path=tuple(section),
                page=1,
                start=start,
                end=end,
                meta=meta,
            )
        )
    return chunks


@dataclass
class FakeIndex:
    docs: dict[str, tuple[DocumentMeta, str, list[Chunk]]] = field(default_factory=dict)

    def add(self, meta: DocumentMeta, text: str) -> int:
        chunks = make_chunks(meta, text)
        self.docs[meta.doc_id] = (meta, text, chunks)
        return len(chunks)

    def documents(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(meta=meta, chunk_count=len(chunks), ingested_at="2025-01-15T09:30:00")
            for meta, _, chunks in self.docs.values()
        ]

    def _get(self, doc_id: str):
        if doc_id not in self.docs:
            raise DocumentNotFound(doc_id)
        return self.docs[doc_id]

    def document(self, doc_id: str) -> DocumentMeta:
        return self._get(doc_id)[0]

    def document_text(self, doc_id: str) -> str:
        return self._get(doc_id)[1]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            return [c for _, _, chunks in self.docs.values() for c in chunks]
        return list(self._get(doc_id)[2])

    def provinces(self) -> list[str]:
        return sorted({meta.province for meta, _, _ in self.docs.values() if meta.province})

    def responsibilities(self) -> list[ResponsibilityRecord]:
        """The hand-written records of the plans that are in the index."""
        return [r for r in fake_records() if r.document in self.docs]

    def remove(self, doc_id: str) -> None:
        self._get(doc_id)
        del self.docs[doc_id]

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        wanted = set(words(query))
        scored = []
        for meta, _, chunks in self.docs.values():
            if filters and filters.provinces and meta.province not in filters.provinces:
                continue
            if filters and filters.documents and meta.doc_id not in filters.documents:
                continue
            for chunk in chunks:
                score = len(wanted & set(words(chunk.context_text())))
                if score:
                    scored.append((score, chunk))
        scored.sort(key=lambda sc: (-sc[0], sc[1].id))
        return [Hit(chunk=c, score=float(s), lexical_rank=i + 1) for i, (s, c) in enumerate(scored[:k])]


#: Just enough English → Vietnamese for the fake to answer the English example questions.
GLOSSARY = {
    "leads": "chủ trì",
    "lead": "chủ trì",
    "rural": "nông thôn",
    "vocational": "nghề",
    "training": "đào tạo",
    "enrol": "tuyển sinh",
    "enrolment": "tuyển sinh",
    "enrollment": "tuyển sinh",
    "target": "chỉ tiêu",
    "workers": "lao động",
}


def translate_query(question: str) -> str:
    extra = [vi for en, vi in GLOSSARY.items() if re.search(rf"\b{en}\b", question, re.IGNORECASE)]
    return " ".join([question, *extra])


def _best_sentence(text: str, question: str) -> str:
    wanted = set(words(question))
    sentences = [s.strip() for s in re.split(r"(?<=[.;!?])\s+", text) if s.strip()]
    return max(sentences, key=lambda s: len(wanted & set(words(s))))


@dataclass
class FakeAssistant:
    """Extractive: the best sentence of each of the top two hits, each followed by its [n]."""

    index: FakeIndex
    calls: list[tuple[str, Filters | None, tuple[Turn, ...]]] = field(default_factory=list)

    def ask(self, question: str, filters: Filters | None = None, history: Sequence[Turn] = (), k: int | None = None) -> Answer:
        self.calls.append((question, filters, tuple(history)))
        language = "vi" if is_vietnamese(question) else "en"
        query = question
        if history and len(question.split()) <= 5:  # follow-up: carry the previous question's topic
            previous = [turn.content for turn in history if turn.role == "user"]
            query = (previous[-1] + " " + question) if previous else question
        query = translate_query(query)
        hits = self.index.retrieve(query, k=3, filters=filters)
        hits = [h for h in hits if h.score >= 2]
        if not hits:
            return Answer(ABSTAIN_VI if language == "vi" else ABSTAIN_EN, (), True, language, answerer="fake")
        parts, citations = [], []
        for n, hit in enumerate(hits[:2], 1):
            parts.append(f"{_best_sentence(hit.chunk.text, query)} [{n}]")
            meta = hit.chunk.meta
            citations.append(
                Citation(
                    n=n,
                    document=hit.chunk.doc_id,
                    title=meta.title,
                    number=meta.number,
                    section=hit.chunk.section,
                    page=hit.chunk.page,
                    quote=hit.chunk.text,
                    chunk_id=hit.chunk.id,
                    province=meta.province,
                    issuer=meta.issuer,
                )
            )
        lead = "Theo các kế hoạch đã nạp:" if language == "vi" else "According to the loaded plans:"
        return Answer(f"{lead}\n" + "\n".join(parts), tuple(citations), False, language, tuple(hits), answerer="fake")


def meta_from_text(path: Path, text: str) -> DocumentMeta:
    first = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    number = re.search(r"\b\d+/KH-[A-ZĐ]+", text)
    province = next((p for p in KNOWN_PROVINCES if p in text), "")
    return DocumentMeta(
        doc_id=path.name,
        title=first[:200],
        number=number.group() if number else "",
        issuer=f"Ủy ban nhân dân tỉnh {province}" if province else "",
        province=province,
        source_path=str(path),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        file_type=path.suffix.lstrip("."),
    )


@dataclass
class FakeServices:
    index: FakeIndex
    assistant: FakeAssistant
    feedback_path: Path
    upload_dir: Path
    max_upload_bytes: int = 2 * 1024 * 1024
    ingested: list[Path] = field(default_factory=list)

    def ingest(self, paths, progress=None):
        added, replaced, unchanged, failed, chunks_added = [], [], [], [], 0
        paths = [Path(p) for p in paths]
        for i, path in enumerate(paths):
            if progress:
                progress("file", i, len(paths), str(path))
            self.ingested.append(path)
            if path.suffix.lower() not in (".txt", ".md"):
                failed.append((str(path), f"{path.name}: the fake index reads only .txt and .md"))
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                failed.append((str(path), f"{path.name}: {e}"))
                continue
            meta = meta_from_text(path, text)
            old = self.index.docs.get(meta.doc_id)
            if old and old[0].sha256 == meta.sha256:
                unchanged.append(meta.doc_id)
                continue
            chunks_added += self.index.add(meta, text)
            (replaced if old else added).append(meta.doc_id)
        if progress:
            progress("done", len(paths), len(paths), "")
        return IngestReport(
            added=tuple(added),
            replaced=tuple(replaced),
            skipped_unchanged=tuple(unchanged),
            failed=tuple(failed),
            chunks_added=chunks_added,
        )

    def remove(self, doc_id: str) -> None:
        self.index.remove(doc_id)


def make_services(
    tmp_path: Path, *, hostile: bool = True, bac_kan: bool = False, max_upload_bytes: int = 2 * 1024 * 1024
) -> FakeServices:
    index = FakeIndex()
    for meta, text in SAMPLE_DOCS + ((HOSTILE_DOC,) if hostile else ()) + ((BAC_KAN_DOC,) if bac_kan else ()):
        index.add(meta, text)
    return FakeServices(
        index=index,
        assistant=FakeAssistant(index),
        feedback_path=tmp_path / "data" / "feedback.jsonl",
        upload_dir=tmp_path / "data" / "uploads",
        max_upload_bytes=max_upload_bytes,
    )


#: Ten test questions over the fake plans, as a department evaluator would type them
#: (Vietnamese column names; plans named by number or file name). Used by the Evaluate tab tests.
EVAL_CSV_10 = """Mã,Câu hỏi,Đáp án,Văn bản nguồn,Trích dẫn,Ý chính,Trả lời được
cb-1,Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?,Sở Lao động - Thương binh và Xã hội,Kế hoạch 3058/KH-UBND,"Sở Lao động - Thương binh và Xã hội chủ trì, chỉ đạo",Sở Lao động - Thương binh và Xã hội | Sở LĐTBXH,có
cb-2,Cao Bằng phấn đấu mỗi năm đào tạo nghề cho bao nhiêu người lao động?,6.000 người,Kế hoạch 3058/KH-UBND,mỗi năm đào tạo cho 6.000 người lao động,6.000,có
cb-3,Sở Giáo dục và Đào tạo Cao Bằng chủ trì việc gì?,"Tuyên truyền, hướng nghiệp, phân luồng",cao-bang-3058-KH-UBND-2024.txt,"đẩy mạnh hoạt động tuyên truyền, hướng nghiệp",hướng nghiệp,có
cb-4,Kế hoạch 3058/KH-UBND được ban hành ngày nào?,Ngày 12/11,Kế hoạch 3058/KH-UBND,Ngày 12/11,12/11,có
hn-1,Hà Nội tuyển sinh bao nhiêu năm 2022?,Khoảng 224.500 lượt người,ha-noi-72-KH-UBND-2022.txt,Tuyển sinh và đào tạo khoảng 224.500 lượt người,224.500,có
hn-2,Tỷ lệ lao động qua đào tạo của Hà Nội phấn đấu đạt bao nhiêu?,"Từ 72,2%",Kế hoạch 72/KH-UBND,"tỷ lệ lao động qua đào tạo đạt từ 72,2%","72,2%",có
hn-3,Hà Nội tuyển sinh cao đẳng bao nhiêu người?,25.000,Kế hoạch 72/KH-UBND,cao đẳng 25.000,25.000,có
hn-4,Ai chủ trì tổ chức ngày Hội tư vấn tuyển sinh ở Hà Nội?,Sở Lao động - Thương binh và Xã hội,Kế hoạch 72/KH-UBND,chủ trì tổ chức ngày Hội tư vấn,Sở Lao động - Thương binh và Xã hội,có
un-1,Ngân sách đào tạo nghề của tỉnh Lai Châu năm 2030 là bao nhiêu?,,,,,không
un-2,Thủ đô của nước Pháp là gì?,,,,,không
"""
