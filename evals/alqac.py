"""ALQAC (Automated Legal Question Answering Competition) questions as a planchat eval set.

The ALQAC release is two JSON files side by side:

- ``law.json``: ``[{"id": "91/2015/QH13", "articles": [{"id": "1", "text": "<title>\\n\\n<body>"}]}]``
- ``question.json``: ``[{"id", "text", "answer", "relevant_articles": [{"law_id", "article_id"}]}]``

``planchat eval …/question.json`` (format detected, or ``--format alqac``) runs them as they
are: each law becomes one text document, ``Số: <law id>`` followed by
``Điều <id>. <title>\\n<body>`` per article, written to ``<data dir>/alqac/<folder>/`` under a
file name safe for the law id (``91/2015/QH13`` → ``alqac2022-91-2015-QH13.txt``; the mapping
is kept in ``laws.json`` there) and ingested (files whose content did not change are skipped
by the incremental ingest). Each question becomes an :class:`~evals.dataset.EvalItem` whose
gold source is (document of the law, article) with the article's text as the index loaded it,
so the metrics can score article hit@k and MRR (``evals.metrics``), and whose one fact is the
short ``answer``.

Fact matching (``evals.text.match_key``: NFC, case and whitespace folding) is kept strict
on diacritics: "năm" and "nam" are different words. The laws write small numbers with a
leading zero ("07 năm", "từ 01 năm đến 05 năm"), and so do the answers; an answer written
"từ 1 năm đến 5 năm" is accepted through a second alternative without the zeros, but only
when every padded number in the answer follows another word: a bare "7 năm" would also
match inside "17 năm", so an answer that *starts* with a padded number ("07 năm") keeps
that spelling only.
"""
from __future__ import annotations

import hashlib

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from evals.dataset import EvalItem, Source
from evals.errors import DatasetError, EvalError

LAWS_FILE = "law.json"
MAPPING_FILE = "laws.json"
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")
_PADDED = re.compile(r"(?<![\d.,])0+(?=\d)(?!\d*[.,]\d)")


# -- the ALQAC files -------------------------------------------------------------

@dataclass(frozen=True)
class AlqacArticle:
    article_id: str
    text: str  # the article as shipped: title line, blank line, body

    @property
    def title(self) -> str:
        return self.text.strip().partition("\n")[0].strip()

    @property
    def body(self) -> str:
        return self.text.strip().partition("\n")[2].strip()


@dataclass(frozen=True)
class AlqacLaw:
    law_id: str
    articles: tuple[AlqacArticle, ...]


@dataclass(frozen=True)
class AlqacQuestion:
    id: str
    text: str
    answer: str
    relevant: tuple[tuple[str, str], ...]  # (law id, article id)


def is_alqac_questions(path: str | Path) -> bool:
    """Cheap sniff: a ``.json`` file holding a JSON array whose objects have ``relevant_articles``."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig") as f:
            head = f.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith("[") and '"relevant_articles"' in head


def _read_json_array(path: Path) -> list:
    if not path.is_file():
        raise DatasetError(path, None, None, "file not found" if not path.exists() else "not a file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as e:
        raise DatasetError(path, None, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise DatasetError(path, e.lineno, None, f"invalid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(data, list) or not data:
        raise DatasetError(path, None, None, "expected a non-empty JSON array (ALQAC format)")
    return data


def _text(row: Any, key: str, path: Path, index: int) -> str:
    value = row.get(key) if isinstance(row, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(path, None, f"[{index}].{key}", "missing or not a non-empty string")
    return value.strip()


def read_questions(path: str | Path) -> tuple[AlqacQuestion, ...]:
    path = Path(path)
    out: list[AlqacQuestion] = []
    seen: set[str] = set()
    for i, row in enumerate(_read_json_array(path)):
        qid = _text(row, "id", path, i)
        if qid in seen:
            raise DatasetError(path, None, f"[{i}].id", f"duplicate id '{qid}'")
        seen.add(qid)
        relevant = row.get("relevant_articles")
        if not isinstance(relevant, list) or not relevant:
            raise DatasetError(path, None, f"[{i}].relevant_articles", "must be a non-empty list of {law_id, article_id}")
        pairs = tuple((_text(r, "law_id", path, i), _text(r, "article_id", path, i)) for r in relevant)
        out.append(AlqacQuestion(qid, _text(row, "text", path, i), _text(row, "answer", path, i), pairs))
    return tuple(out)


def read_laws(path: str | Path) -> tuple[AlqacLaw, ...]:
    path = Path(path)
    laws: list[AlqacLaw] = []
    for i, row in enumerate(_read_json_array(path)):
        law_id = _text(row, "id", path, i)
        articles = row.get("articles")
        if not isinstance(articles, list) or not articles:
            raise DatasetError(path, None, f"[{i}].articles", "must be a non-empty list of {id, text}")
        arts = tuple(AlqacArticle(_text(a, "id", path, i), _text(a, "text", path, i)) for a in articles)
        if len({a.article_id for a in arts}) != len(arts):
            raise DatasetError(path, None, f"[{i}].articles", f"duplicate article ids in law {law_id}")
        laws.append(AlqacLaw(law_id, arts))
    if len({law.law_id for law in laws}) != len(laws):
        raise DatasetError(path, None, "id", "duplicate law ids")
    return tuple(laws)


# -- law documents ---------------------------------------------------------------

def law_file_names(law_ids: Iterable[str], prefix: str) -> dict[str, str]:
    """law id → file name: ``<prefix>-<id with unsafe runs as '-'>.txt``; distinct ids must stay distinct."""
    names: dict[str, str] = {}
    for law_id in law_ids:
        stem = _UNSAFE.sub("-", f"{prefix}-{law_id}").strip("-.")
        names[law_id] = f"{stem}.txt"
    clashes = {n for n in names.values() if list(names.values()).count(n) > 1}
    if clashes:
        raise EvalError(f"law ids map to the same file name: {', '.join(sorted(clashes))}")
    return names


def law_document_text(law: AlqacLaw) -> str:
    parts = [f"Số: {law.law_id}"]
    for article in law.articles:
        heading = f"Điều {article.article_id}. {article.title}"
        parts.append(f"{heading}\n{article.body}" if article.body else heading)
    return "\n\n".join(parts) + "\n"


def write_law_files(laws: Sequence[AlqacLaw], directory: Path, prefix: str) -> dict[str, Path]:
    """Write each law as a text document (only when its content changed) and the id → file mapping."""
    directory.mkdir(parents=True, exist_ok=True)
    names = law_file_names((law.law_id for law in laws), prefix)
    paths: dict[str, Path] = {}
    for law in laws:
        path = directory / names[law.law_id]
        text = law_document_text(law)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[law.law_id] = path
    mapping = json.dumps(names, ensure_ascii=False, indent=2) + "\n"
    mapping_path = directory / MAPPING_FILE
    if not mapping_path.is_file() or mapping_path.read_text(encoding="utf-8") != mapping:
        mapping_path.write_text(mapping, encoding="utf-8")
    return paths


def article_texts(document_text: str, law: AlqacLaw) -> dict[str, str]:
    """article id → that article's span of the loaded document text (heading included).

    Headings are searched in order, allowing any whitespace between words, so the loader's
    re-flowing does not matter; an article whose heading is not found is an error. Text
    before the first heading (the ``Số:`` line) belongs to the first article, so the
    document's first passage is not left without an article.
    """
    starts: list[int] = []
    pos = 0
    for article in law.articles:
        words = f"Điều {article.article_id}. {article.title}".split()
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        m = pattern.search(document_text, pos)
        if not m:
            raise EvalError(f"article {article.article_id} of law {law.law_id} not found in the loaded document")
        starts.append(m.start())
        pos = m.end()
    ends = starts[1:] + [len(document_text)]
    starts[0] = 0
    return {a.article_id: document_text[s:e].strip() for a, s, e in zip(law.articles, starts, ends)}


# -- eval items ------------------------------------------------------------------

def answer_alternatives(answer: str) -> tuple[str, ...]:
    """The answer, plus the spelling without leading zeros when that cannot match a longer number."""
    answer = answer.strip()
    padded = list(_PADDED.finditer(answer))
    if not padded or any(m.start() == 0 for m in padded):
        return (answer,)
    return (answer, _PADDED.sub("", answer))


def alqac_half(question_id: str) -> str:
    """"dev" or "heldout": a fixed split of the questions by a hash of their id (about half each).

    The answerer's calibration (``evals.calibrate``) may use only the dev half; reports give both."""
    digest = hashlib.sha256(question_id.encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "heldout"


def to_eval_items(questions: Sequence[AlqacQuestion], files: dict[str, Path],
                  texts: dict[str, dict[str, str]]) -> list[EvalItem]:
    """One answerable item per question: gold = the law documents' articles, fact = the short answer."""
    items: list[EvalItem] = []
    for q in questions:
        sources = []
        for law_id, article_id in q.relevant:
            if law_id not in files:
                raise EvalError(f"question {q.id}: unknown law '{law_id}'")
            if article_id not in texts[law_id]:
                raise EvalError(f"question {q.id}: law '{law_id}' has no article '{article_id}'")
            sources.append(Source(document=files[law_id].name, article=article_id, article_text=texts[law_id][article_id]))
        items.append(EvalItem(
            id=q.id,
            question=q.text,
            reference=q.answer,
            must_include=(answer_alternatives(q.answer),),
            sources=tuple(sources),
            answerable=True,
            extra={"lang": "vi", "category": f"alqac-{alqac_half(q.id)}", "half": alqac_half(q.id),
                   "law": q.relevant[0][0], "dataset": "alqac"},
        ))
    return items


@dataclass(frozen=True)
class PreparedAlqac:
    items: tuple[EvalItem, ...]
    law_files: dict[str, Path]  # law id → cached document
    ingest_report: Any = None


Ingest = Callable[[list[Path]], Any]


def prepare(questions_path: str | Path, cache_root: Path, ingest: Ingest | None = None,
            laws_path: str | Path | None = None) -> PreparedAlqac:
    """Read both files, write the law documents under ``cache_root/<folder>``, ingest them, build the items."""
    from ingest.loaders import load_document

    questions_path = Path(questions_path)
    laws_path = Path(laws_path) if laws_path else questions_path.with_name(LAWS_FILE)
    if not laws_path.is_file():
        raise EvalError(f"ALQAC laws not found: {laws_path} (law.json must sit next to {questions_path.name})")
    questions = read_questions(questions_path)
    laws = read_laws(laws_path)
    folder = _UNSAFE.sub("-", questions_path.resolve().parent.name).strip("-.") or "alqac"
    files = write_law_files(laws, Path(cache_root) / folder, prefix=folder)
    report = ingest(list(files.values())) if ingest is not None else None
    failed = getattr(report, "failed", ())
    if failed:
        raise EvalError(f"ingesting the ALQAC laws failed: {failed[0][1]}")
    texts = {law.law_id: article_texts(load_document(files[law.law_id]).text, law) for law in laws}
    return PreparedAlqac(tuple(to_eval_items(questions, files, texts)), files, report)


def load_for_eval(dataset: str | Path, services: Any, *, progress: bool | None = None) -> list[EvalItem]:
    """The ``planchat eval`` hook: prepare the laws in ``services``' data dir and ingest them there."""
    settings = getattr(services, "settings", None)
    data_dir = Path(getattr(settings, "data_dir", None) or getattr(services, "data_dir", None) or ".planchat")
    ingest_fn = getattr(services, "ingest", None)
    if ingest_fn is None:
        raise EvalError("ALQAC needs an index that can ingest its laws")

    def ingest(paths: list[Path]):
        from evals.run import progress_reporter

        tick, close = progress_reporter(progress, 0, "ingest ALQAC laws", unit="chunk")
        try:
            return ingest_fn(paths, progress=lambda event, done, total, detail="": tick(done, total) if event == "embed" else None)
        finally:
            close()

    prepared = prepare(dataset, data_dir / "alqac", ingest)
    report = prepared.ingest_report
    if report is not None:
        print(f"alqac: {len(prepared.law_files)} laws in {next(iter(prepared.law_files.values())).parent}: "
              f"{len(report.added)} new, {len(report.replaced)} changed, {len(report.skipped_unchanged)} unchanged; "
              f"{len(prepared.items)} questions", file=sys.stderr)
    return list(prepared.items)
