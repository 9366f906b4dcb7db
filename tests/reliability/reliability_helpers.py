"""Helpers shared by the reliability tests: the CLI as a subprocess, bad-file builders,
a synthetic plan generator and an index consistency check that reads the storage
directly (catalog sqlite, Chroma, persisted BM25) rather than trusting PlanIndex.
"""
from __future__ import annotations

import os
import random
import socket
import sqlite3
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PLANS = REPO / "data" / "sample_plans"
PLANCHAT = REPO / ".venv" / "bin" / "planchat"
PYTHON = REPO / ".venv" / "bin" / "python"

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCHAT_")}
    env.update(OFFLINE_ENV)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def planchat_cmd(*args: str | Path, data_dir: Path, embedding_model: str = "hash") -> list[str]:
    return [str(PLANCHAT), *map(str, args), "--data-dir", str(data_dir), "--embedding-model", embedding_model]


def run_planchat(*args: str | Path, data_dir: Path, timeout: float = 300, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    """``planchat ARGS --data-dir D --embedding-model hash`` with no config file in reach."""
    return subprocess.run(
        planchat_cmd(*args, data_dir=data_dir, **kw),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
        cwd=str(cwd or data_dir.parent),
        stdin=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size of a process (psutil when installed, else /proc/<pid>/status VmRSS)."""
    try:
        import psutil  # type: ignore

        return psutil.Process(None if pid == "self" else int(pid)).memory_info().rss
    except ImportError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS not found")


# --- file builders ---------------------------------------------------------------------------

_TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")


def encode_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 stores it: shapes precomposed, tone marks as combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in decomposed if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


def unicode_font() -> str | None:
    return next((f for f in FONT_CANDIDATES if Path(f).is_file()), None)


def make_pdf(path: Path, pages: list[str]) -> Path:
    """One PDF page per string; "" makes a page with only a drawing (a scan without text layer)."""
    from fpdf import FPDF

    pdf = FPDF()
    font = unicode_font()
    if font:
        pdf.add_font("U", fname=font)
        pdf.set_font("U", size=11)
    else:  # pragma: no cover - Debian images have DejaVu
        pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 7, text)
        else:
            pdf.rect(20, 20, 80, 40)
    pdf.output(str(path))
    return path


def encrypt_pdf(source: Path, target: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    with target.open("wb") as fh:
        writer.write(fh)
    return target


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(path))
    return path


PLAN_HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH {province_upper}\n\nSố: {number}/KH-UBND\n\n"
    "{province}, ngày 15 tháng 3 năm 2024\n\nKẾ HOẠCH\n{title}\n\n"
)
_AGENCIES = (
    "Sở Lao động - Thương binh và Xã hội", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế", "Sở Thông tin và Truyền thông", "Sở Công Thương",
)
_WORDS = (
    "đào tạo nghề nâng cao chất lượng nguồn nhân lực lao động nông thôn hỗ trợ việc làm chuyển đổi số "
    "tuyên truyền kiểm tra giám sát báo cáo định kỳ kinh phí ngân sách tỉnh huyện xã doanh nghiệp hợp tác "
    "xây dựng kế hoạch triển khai thực hiện hiệu quả đồng bộ phối hợp chặt chẽ đánh giá kết quả"
).split()
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def synthetic_plan(target_chars: int, *, seed: int = 7, province: str = "Lào Cai", number: int = 88) -> str:
    """A plan of about ``target_chars`` characters: header, many numbered sections with
    agency paragraphs and bullet lists; every paragraph differs (numbers and word order)."""
    rng = random.Random(seed)
    parts = [
        PLAN_HEADER.format(
            province_upper=province.upper(), province=province, number=number,
            title="Triển khai đào tạo nghề cho lao động nông thôn giai đoạn 2024-2030",
        )
    ]
    parts.append(
        f"I. MỤC TIÊU\n\nSở Lao động - Thương binh và Xã hội tỉnh {province} chủ trì đào tạo nghề cho "
        f"{1000 + number} lao động nông thôn năm 2025.\n\n"
    )
    size = len(parts[0]) + len(parts[1])
    section = 1
    while size < target_chars:
        roman = _ROMAN[section % len(_ROMAN)]
        heading = f"{roman}. NỘI DUNG THỰC HIỆN PHẦN {section + 1}\n\n"
        parts.append(heading)
        size += len(heading)
        for sub in range(1, 9):
            agency = _AGENCIES[(section + sub) % len(_AGENCIES)]
            words = " ".join(rng.choice(_WORDS) for _ in range(60))
            para = (
                f"{sub}. {agency}\n\n{agency} chủ trì, phối hợp với các sở, ngành thực hiện nhiệm vụ số "
                f"{section}.{sub}: {words}; hoàn thành trước ngày {1 + sub}/{1 + section % 12}/2025 với kinh phí "
                f"{rng.randint(100, 99999)} triệu đồng.\n\n"
                f"- Chỉ tiêu {section}.{sub}.a: {' '.join(rng.choice(_WORDS) for _ in range(25))}.\n"
                f"- Chỉ tiêu {section}.{sub}.b: {' '.join(rng.choice(_WORDS) for _ in range(25))}.\n\n"
            )
            parts.append(para)
            size += len(para)
        section += 1
    parts.append("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An\n")
    return "".join(parts)


# --- consistency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexState:
    """What is stored, read straight from the catalog sqlite, Chroma and the BM25 files."""

    documents: dict[str, str]  # doc_id -> status
    chunk_ids: frozenset[str]
    chunk_docs: dict[str, str]  # chunk id -> doc id
    orphan_chunks: frozenset[str]  # chunks whose document row is missing or not 'ready'
    vector_ids: frozenset[str]
    vector_docs: dict[str, str]  # chunk id -> metadata doc_id in Chroma
    lexical_ids: tuple[str, ...] | None  # None: no persisted lexical index
    lexical_matches_generation: bool
    catalog_chunk_order: tuple[str, ...]

    def problems(self) -> list[str]:
        out = []
        pending = sorted(d for d, s in self.documents.items() if s != "ready")
        if pending:
            out.append(f"documents not ready: {pending}")
        if self.orphan_chunks:
            out.append(f"{len(self.orphan_chunks)} orphan chunks, e.g. {sorted(self.orphan_chunks)[:3]}")
        if self.vector_ids != self.chunk_ids:
            extra = sorted(self.vector_ids - self.chunk_ids)
            missing = sorted(self.chunk_ids - self.vector_ids)
            out.append(f"Chroma ≠ catalog: {len(extra)} extra vectors {extra[:3]}, {len(missing)} missing {missing[:3]}")
        wrong_doc = sorted(c for c, d in self.vector_docs.items() if self.chunk_docs.get(c, d) != d)
        if wrong_doc:
            out.append(f"vectors with the wrong doc_id: {wrong_doc[:3]}")
        if self.lexical_ids is not None and self.lexical_matches_generation:
            if tuple(self.lexical_ids) != self.catalog_chunk_order:
                out.append("persisted lexical index claims the current generation but holds other chunks")
        return out


def read_index_state(data_dir: Path, collection: str = "planchat") -> IndexState:
    """Read-only snapshot. Run it only when no process writes to ``data_dir``."""
    db = sqlite3.connect(f"file:{data_dir / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        documents = dict(db.execute("SELECT doc_id, status FROM documents").fetchall())
        rows = db.execute("SELECT id, doc_id FROM chunks ORDER BY doc_id, position").fetchall()
        order_rows = db.execute(
            "SELECT c.id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.status = 'ready' "
            "ORDER BY c.doc_id, c.position"
        ).fetchall()
        kv = dict(db.execute("SELECT key, value FROM kv").fetchall())
    finally:
        db.close()
    chunk_docs = {cid: doc for cid, doc in rows}
    orphans = frozenset(cid for cid, doc in rows if documents.get(doc) != "ready")

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    )
    try:
        col = client.get_collection(collection)
        got = col.get(include=["metadatas"])
        vector_docs = {i: (m or {}).get("doc_id", "") for i, m in zip(got["ids"], got["metadatas"])}
    except Exception:  # no collection yet
        vector_docs = {}

    lexical_ids, lexical_generation_ok = _read_lexical(data_dir / "lexical", kv)
    return IndexState(
        documents=documents,
        chunk_ids=frozenset(chunk_docs),
        chunk_docs=chunk_docs,
        orphan_chunks=orphans,
        vector_ids=frozenset(vector_docs),
        vector_docs=vector_docs,
        lexical_ids=lexical_ids,
        lexical_matches_generation=lexical_generation_ok,
        catalog_chunk_order=tuple(cid for (cid,) in order_rows),
    )


def _read_lexical(directory: Path, kv: dict[str, str]) -> tuple[tuple[str, ...] | None, bool]:
    from index.lexical import LexicalIndex

    try:
        generation = int(kv.get("generation", "0"))
    except ValueError:
        return None, False
    loaded = LexicalIndex.load(directory, generation=generation, catalog_id=kv.get("catalog_id", ""))
    if loaded is None:
        return None, False
    return tuple(loaded.chunk_ids), True


def state_as_json(data_dir: Path) -> dict:
    s = read_index_state(data_dir)
    return {
        "documents": s.documents,
        "chunks": len(s.chunk_ids),
        "vectors": len(s.vector_ids),
        "lexical": None if s.lexical_ids is None else len(s.lexical_ids),
        "problems": s.problems(),
    }


def read_state_in_subprocess(data_dir: Path, timeout: float = 120) -> dict:
    """``read_index_state`` in a fresh interpreter: no Chroma client cached in this process
    can hide what another process wrote (or make that process see our handles)."""
    import json

    out = subprocess.run(
        [str(PYTHON), str(Path(__file__)), "state", str(data_dir)],
        capture_output=True, text=True, timeout=timeout, env=cli_env(), cwd=str(REPO),
    )
    if out.returncode != 0:
        raise AssertionError(f"state reader failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":  # python reliability_helpers.py state DATA_DIR
    import json
    import sys

    sys.path.insert(0, str(REPO))
    if len(sys.argv) == 3 and sys.argv[1] == "state":
        print(json.dumps(state_as_json(Path(sys.argv[2])), ensure_ascii=False))
    else:
        raise SystemExit("usage: reliability_helpers.py state DATA_DIR")
