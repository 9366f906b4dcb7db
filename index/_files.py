"""Replacing an on-disk index directory atomically (the dense matrix, the lexical index, the mark
statistics): a reader sees the old directory or the new one, never half of either."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished sibling ``tmp`` to ``target``, moving any old ``target`` aside first and
    deleting it afterwards."""
    old = None
    if target.exists():
        old = target.with_name(target.name + f".old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
