"""RAGAS-style evaluation sets (JSONL, a JSON list, or CSV).

Field list from the RAGAS documentation of ``SingleTurnSample``
(https://docs.ragas.io/en/stable/concepts/components/eval_sample/ and
``ragas/dataset_schema.py``): ``user_input`` (the question), ``retrieved_contexts``
(passages the system retrieved), ``reference_contexts`` (passages that support the
answer), ``response`` (the system's answer), ``multi_responses``, ``reference`` (the
expected answer) and ``rubric``/``rubrics``. RAGAS writes CSV with
``csv.DictWriter``, so list cells hold Python list literals; JSON lists are read too.

Mapping to planchat items:

- ``user_input`` → ``question``; ``reference`` → ``reference``;
- each ``reference_contexts`` passage → a gold source: the ingested plan whose text
  contains it (first in index order when several do; an error when none does);
- RAGAS has no ids, facts or answerability: ``id`` is ``q001``, ``q002``… unless the
  row has an ``id``; ``must_include`` and ``answerable`` are read when a row carries
  them (planchat's own fields), else none and true; other fields go to ``extra``;
- ``response`` and ``retrieved_contexts`` are the outputs of a system that was
  already run. ``planchat eval FILE --given`` scores them as they are, without asking
  planchat: each context is located in the plans like a reference context (doc id ""
  when it is in none), and an ``[n]`` marker in the response cites
  ``retrieved_contexts[n-1]``. An empty response counts as an abstention.
"""
from __future__ import annotations

from pathlib import Path

from evals.dataset import EvalItem, Source, parse_item
from evals.errors import DatasetError
from evals.formats.base import Importer, Imported, LoadContext, Sample
from evals.formats.rows import bool_cell, csv_records, json_records, list_cell

RAGAS_FIELDS = (
    "user_input",
    "retrieved_contexts",
    "reference_contexts",
    "retrieved_context_ids",
    "reference_context_ids",
    "response",
    "multi_responses",
    "reference",
    "rubric",
    "rubrics",
)
#: planchat fields a RAGAS-style row may also carry.
PLANCHAT_FIELDS = ("id", "must_include", "answerable", "abstained")


def sniff(sample: Sample) -> float:
    return 0.95 if "user_input" in sample.fields else 0.0


def _records(path: Path, sample_kind: str):
    return csv_records(path) if sample_kind == "csv" else json_records(path)


def load(path: Path, context: LoadContext) -> Imported:
    from evals.formats.rows import sample_file

    kind = sample_file(path).kind
    items: list[EvalItem] = []
    outputs: dict[str, object] = {}
    seen: dict[str, int] = {}
    for number, (line, row) in enumerate(_records(path, kind), start=1):
        item, output = _item(path, line, number, row, context, kind)
        if item.id in seen:
            raise DatasetError(path, line, "id", f"duplicate id '{item.id}' (first on line {seen[item.id]})")
        seen[item.id] = line
        items.append(item)
        if output is not None:
            outputs[item.id] = output
    if not items:
        raise DatasetError(path, None, None, "the test set has no items")
    return Imported(items=tuple(items), format="ragas", outputs=outputs)


def _item(path: Path, line: int, number: int, row: dict, context: LoadContext, kind: str):
    question = row.get("user_input")
    if isinstance(question, list):
        raise DatasetError(path, line, "user_input", "multi-turn samples (a list of messages) are not supported; give the question as text")
    if not isinstance(question, str) or not question.strip():
        raise DatasetError(path, line, "user_input", "missing or empty")
    reference = row.get("reference") or ""
    if not isinstance(reference, str):
        raise DatasetError(path, line, "reference", f"must be a string, got {type(reference).__name__}")

    sources = []
    contexts = list_cell(row.get("reference_contexts"), path, line, "reference_contexts")
    if contexts:
        corpus = context.require_corpus(path, "reference_contexts are matched to the ingested plans")
        for i, passage in enumerate(contexts):
            docs = corpus.locate(passage)
            if not docs:
                raise DatasetError(path, line, f"reference_contexts[{i}]", "passage not found in any ingested plan")
            source = Source(docs[0], passage)
            if source not in sources:
                sources.append(source)

    native = {
        "id": str(row.get("id") or f"q{number:03d}").strip(),
        "question": question,
        "reference": reference,
        "sources": [s.to_dict() for s in sources],
    }
    if row.get("must_include") not in (None, ""):
        facts = row["must_include"]
        if isinstance(facts, str):
            import json

            try:
                facts = json.loads(facts)
            except json.JSONDecodeError as e:
                raise DatasetError(path, line, "must_include", f"invalid JSON in cell ({e.msg})") from None
        native["must_include"] = facts
    native["answerable"] = bool_cell(row.get("answerable"), path, line, "answerable")
    extra = {k: v for k, v in row.items() if k not in RAGAS_FIELDS and k not in PLANCHAT_FIELDS and v not in (None, "")}
    item = parse_item({**extra, **native}, path=path, line=line)

    output = None
    if context.want_outputs and ("response" in row or "retrieved_contexts" in row):
        output = _stored_output(path, line, row, context)
    return item, output


def _stored_output(path: Path, line: int, row: dict, context: LoadContext):
    from evals.metrics import cited_numbers
    from evals.rescore import StoredOutput
    from evals.run import CitedSource, RetrievedPassage

    retrieved_texts = list_cell(row.get("retrieved_contexts"), path, line, "retrieved_contexts")
    corpus = context.require_corpus(path, "retrieved_contexts are matched to the ingested plans") if retrieved_texts else None
    passages = []
    for rank, text in enumerate(retrieved_texts, start=1):
        docs = corpus.locate(text) if corpus is not None else []
        passages.append(RetrievedPassage(rank=rank, doc_id=docs[0] if docs else "", chunk_id=f"context-{rank}", text=text, score=0.0))
    response = row.get("response") or ""
    if not isinstance(response, str):
        raise DatasetError(path, line, "response", f"must be a string, got {type(response).__name__}")
    citations = tuple(
        CitedSource(n=n, document=passages[n - 1].doc_id, quote=passages[n - 1].text, chunk_id=passages[n - 1].chunk_id)
        for n in cited_numbers(response)
        if n <= len(passages)
    )
    abstained = bool_cell(row.get("abstained"), path, line, "abstained", default=not response.strip())
    return StoredOutput(retrieved=tuple(passages), answer_text=response, abstained=abstained, citations=citations)


IMPORTER = Importer(
    name="ragas",
    description="RAGAS-style samples: user_input, reference, reference_contexts (+ response, retrieved_contexts) in JSONL, JSON or CSV",
    sniff=sniff,
    load=load,
)
