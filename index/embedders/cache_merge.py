"""Merge embedding caches: the product of many ingest workers, for one writer (docs/deployment.md).

    python -m index.embedders.cache_merge /srv/planchat/embed_cache.sqlite /scratch/w-*/embed_cache.sqlite

Rows are keyed by (model id, text hash); a key already in the target is kept as is.
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Sequence

from index.embedders.cache import _SCHEMA


def merge_caches(target: str | Path, sources: Sequence[str | Path]) -> int:
    """Copy every vector of ``sources`` missing from ``target`` (created if absent); returns rows added."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(target), timeout=60)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_SCHEMA)
        added = 0
        for source in sources:
            if Path(source).resolve() == Path(target).resolve():
                continue
            db.execute("ATTACH DATABASE ? AS source", (str(source),))
            try:
                before = db.total_changes
                with db:
                    db.execute("INSERT OR IGNORE INTO embeddings SELECT model_id, text_sha256, dim, vector "
                               "FROM source.embeddings")
                added += db.total_changes - before
            finally:
                db.execute("DETACH DATABASE source")
        return added
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m index.embedders.cache_merge TARGET SOURCE [SOURCE ...]", file=sys.stderr)
        return 2
    missing = [s for s in args[1:] if not Path(s).is_file()]
    if missing:
        print(f"cache_merge: no such cache file: {missing[0]}", file=sys.stderr)
        return 2
    print(f"{merge_caches(args[0], args[1:])} vectors added to {args[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
