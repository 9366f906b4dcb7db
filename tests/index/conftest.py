"""Fixtures for the index tests: small plans built by hand from passages of data/sample_plans/.

The chunks are made here (one per paragraph) so index tests do not depend on the
real chunker; the slow end-to-end test uses the real loader and chunker.
"""
from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from index.embedders.hash_embedder import HashEmbedder
from ingest.types import Chunk, Document, DocumentMeta, ResponsibilityRecord

for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}.items():
    os.environ.setdefault(_key, _value)

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample_plans"

CAO_BANG_PARAGRAPHS = (
    "Ngày 12/11, UBND tỉnh ban hành Kế hoạch số 3058/KH-UBND triển khai thực hiện Kế hoạch số 375-KH/TU "
    "ngày 10/10/2024 của Tỉnh ủy thực hiện Chỉ thị số 37-CT/TW, ngày 10/7/2024 của Ban Bí thư về đổi mới "
    "công tác đào tạo nghề cho lao động nông thôn (LĐNT).",
    "Phấn đấu mỗi năm đào tạo cho 6.000 người lao động, trong đó, khoảng 60% LĐNT tham gia học nghề ở các "
    "cấp trình độ thuộc lĩnh vực giáo dục nghề nghiệp.",
    "Với mục tiêu đổi mới công tác đào tạo nghề cho LĐNT, UBND tỉnh đề nghị Sở Lao động - Thương binh và "
    "Xã hội chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục nghề nghiệp trên địa bàn tỉnh tổ chức "
    "triển khai thực hiện kế hoạch bảo đảm hiệu quả, đúng quy định.",
    "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội, các đơn vị liên quan "
    "đẩy mạnh hoạt động tuyên truyền, phổ biến, giáo dục, hướng nghiệp, phân luồng trong các trường THCS, THPT.",
)

YEN_BAI_PARAGRAPHS = (
    "Tiếp tục triển khai thực hiện có hiệu quả Đề án “Giáo dục hướng nghiệp và định hướng phân luồng học "
    "sinh trong giáo dục phổ thông giai đoạn 2018- 2025” trên địa bàn tỉnh Yên Bái.",
    "Tỷ lệ học sinh sau tốt nghiệp THPT đi học cao đẳng, trung cấp, sơ cấp và đào tạo nghề dưới 3 tháng "
    "đạt trên 44%.",
    "Nguồn ngân sách nhà nước được giao theo phân cấp ngân sách; nguồn kinh phí lồng ghép trong các chương "
    "trình, đề án được các cấp có thẩm quyền phê duyệt.",
    "Sở Kế hoạch và Đầu tư chủ trì, phối hợp các sở, ngành có liên quan bố trí nguồn vốn, kinh phí ngân sách "
    "nhà nước để thực hiện Đề án, trình cấp có thẩm quyền phê duyệt.",
)

HAI_DUONG_PARAGRAPHS = (
    "Sở Lao động Thương binh và Xã hội xây dựng Kế hoạch thực hiện kết luận của đồng chí Bí thư Tỉnh ủy tại "
    "Hội nghị tiếp xúc, đối thoại với cán bộ, công chức, viên chức lĩnh vực giáo dục và đào tạo.",
    "Phân công thực hiện: Phòng Giáo dục nghề nghiệp chủ trì, phối hợp với các phòng, đơn vị liên quan "
    "tổ chức tuyên truyền Thông báo số 502-TB/VPTU trên các phương tiện thông tin đại chúng.",
    "Bố trí và sử dụng nguồn kinh phí thực hiện Chương trình bảo đảm chất lượng, tiến độ và hiệu quả, "
    "tránh lãng phí.",
)


def _meta(doc_id: str, number: str, province: str, title: str, body: str) -> DocumentMeta:
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        number=number,
        issuer=f"Ủy ban nhân dân tỉnh {province}",
        province=province,
        source_path=f"/plans/{doc_id}",
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        file_type="txt",
        encoding="utf-8",
    )


def build_plan(
    doc_id: str, number: str, province: str, title: str, paragraphs: tuple[str, ...] | list[str]
) -> tuple[Document, list[Chunk]]:
    """A Document and one Chunk per paragraph (ids ``doc_id#position``, offsets into the text)."""
    text = "\n\n".join(paragraphs)
    meta = _meta(doc_id, number, province, title, text)
    chunks = []
    offset = 0
    for position, paragraph in enumerate(paragraphs):
        start = text.index(paragraph, offset)
        end = start + len(paragraph)
        offset = end
        chunks.append(
            Chunk(
                id=f"{doc_id}#{position}",
                doc_id=doc_id,
                position=position,
                kind="text",
                text=paragraph,
                section_path=("II. NỘI DUNG",),
                page=None,
                start=start,
                end=end,
                meta=meta,
            )
        )
    return Document(meta=meta, text=text), chunks


@pytest.fixture
def cao_bang():
    return build_plan(
        "cao-bang-3058-KH-UBND-2024.txt",
        "3058/KH-UBND",
        "Cao Bằng",
        "Triển khai Kế hoạch số 375 về đổi mới công tác đào tạo nghề cho lao động nông thôn",
        CAO_BANG_PARAGRAPHS,
    )


@pytest.fixture
def yen_bai():
    return build_plan(
        "yen-bai-49-KH-UBND-2020.txt",
        "49/KH-UBND",
        "Yên Bái",
        "Triển khai thực hiện Đề án giáo dục hướng nghiệp và định hướng phân luồng học sinh năm 2020",
        YEN_BAI_PARAGRAPHS,
    )


@pytest.fixture
def hai_duong():
    return build_plan(
        "hai-duong-KH-SLDTBXH-2023.txt",
        "KH-SLĐTBXH",
        "Hải Dương",
        "Thực hiện Thông báo kết luận số 502-TB/VPTU",
        HAI_DUONG_PARAGRAPHS,
    )


@pytest.fixture
def record_for():
    def make(doc: Document, chunk: Chunk, task: str, lead: str) -> ResponsibilityRecord:
        return ResponsibilityRecord(
            task=task,
            lead=(lead,),
            coordinators=("Sở Lao động - Thương binh và Xã hội",),
            document=doc.meta.doc_id,
            province=doc.meta.province,
            section=chunk.section,
            quote=chunk.text[:120],
            source="prose",
            chunk_id=chunk.id,
            extra=(("note", "test"),),
        )

    return make


class CountingEmbedder:
    """A fake embedder that counts the texts it is asked to embed (per role)."""

    def __init__(self, dim: int = 64, model_id: str = "counting-64"):
        self._inner = HashEmbedder(dim)
        self.dim = dim
        self.model_id = model_id
        self.calls: list[tuple[str, int]] = []
        self.texts: dict[str, int] = {"query": 0, "passage": 0}

    def embed(self, texts, role):
        texts = list(texts)
        self.calls.append((role, len(texts)))
        self.texts[role] += len(texts)
        return self._inner.embed(texts, role)


@pytest.fixture
def counting_embedder():
    return CountingEmbedder()


@pytest.fixture
def make_counting_embedder():
    return CountingEmbedder


@pytest.fixture
def plan_builder():
    """``build_plan(doc_id, number, province, title, paragraphs) -> (Document, chunks)``."""
    return build_plan


@pytest.fixture
def hash_embedder():
    return HashEmbedder(256)


@pytest.fixture
def open_index(tmp_path):
    """Open PlanIndex objects under tmp_path and close them all at the end."""
    from index.plan_index import PlanIndex

    opened = []

    def _open(embedder=None, data_dir=None, **kwargs):
        index = PlanIndex.open(data_dir or tmp_path / "data", embedder or HashEmbedder(256), **kwargs)
        opened.append(index)
        return index

    yield _open
    for index in opened:
        try:
            index.close()
        except Exception:
            pass


@pytest.fixture
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _changed(doc: Document, chunks: list[Chunk], extra_paragraph: str) -> tuple[Document, list[Chunk]]:
    """The same plan with one more paragraph (a new file version)."""
    paragraphs = [c.text for c in chunks] + [extra_paragraph]
    new_doc, new_chunks = build_plan(
        doc.meta.doc_id, doc.meta.number, doc.meta.province, doc.meta.title, paragraphs
    )
    return replace(new_doc, meta=replace(new_doc.meta, source_path=doc.meta.source_path)), new_chunks


@pytest.fixture
def changed_plan():
    """``changed_plan(doc, chunks, extra_paragraph)``: a new version of a plan with one more paragraph."""
    return _changed


def _wait_until_answers(url: str, proc, timeout_s: float) -> None:
    import time

    import httpx

    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not answer within {timeout_s}s ({last})")


@pytest.fixture
def run_server(tmp_path):
    """Start a server subprocess, wait until ``health_url`` answers; always stopped at teardown."""
    import subprocess

    started = []

    def _run(cmd: list[str], health_url: str, *, timeout_s: float = 60.0):
        log = open(tmp_path / f"server-{len(started)}.log", "wb")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
        started.append((proc, log))
        _wait_until_answers(health_url, proc, timeout_s)
        return proc

    yield _run
    for proc, log in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        log.close()
