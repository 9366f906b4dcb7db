"""The texts the engine comparison embeds: the sample plans' passages and a sample of ALQAC 2022 articles."""
from __future__ import annotations

import json
import random
from pathlib import Path

from evals.external import PROJECT_ROOT, alqac2022_dir

SAMPLE_PLANS = PROJECT_ROOT / "data" / "sample_plans"


def sample_plan_passages(folder: Path = SAMPLE_PLANS) -> list[str]:
    """What the index embeds for every chunk of the sample plans (``passage_text``), in file order."""
    from index.embed_text import passage_text
    from index.ingest_run import expand_paths
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    texts: list[str] = []
    for path in expand_paths([folder]):
        doc = load_document(path)
        texts.extend(passage_text(c) for c in chunk_document(doc))
    return texts


def alqac_articles(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """Every (law id, article id, text) of ALQAC 2022's law.json; empty when the set is not on this machine."""
    path = (folder or alqac2022_dir()) / "law.json"
    if not path.is_file():
        return []
    laws = json.loads(path.read_text(encoding="utf-8"))
    return [(law["id"], article["id"], article["text"]) for law in laws for article in law["articles"]]


def alqac_questions(folder: Path | None = None) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """(question id, text, relevant (law id, article id) pairs) from ALQAC 2022's question.json."""
    path = (folder or alqac2022_dir()) / "question.json"
    if not path.is_file():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    return [
        (item["id"], item["text"], tuple((r["law_id"], r["article_id"]) for r in item["relevant_articles"]))
        for item in items
    ]


def alqac_article_sample(n: int, seed: int = 13) -> list[str]:
    """``n`` article texts drawn at random (fixed seed), for speed comparisons on legal prose."""
    articles = alqac_articles()
    if not articles or n <= 0:
        return []
    picked = random.Random(seed).sample(articles, min(n, len(articles)))
    return [text for _, _, text in picked]
