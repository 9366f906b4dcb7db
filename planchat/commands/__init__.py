"""Subcommands of the ``planchat`` CLI, one module per group."""
from __future__ import annotations

import argparse


def register_all(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from planchat.commands import ask, corpus, evaluate, serve

    for module in (corpus, ask, serve, evaluate):
        module.register(sub, common)
    try:  # optional groups land as their issues do
        from planchat.commands import responsibilities

        responsibilities.register(sub, common)
    except ImportError:
        pass
    try:
        from planchat.commands import feedback

        feedback.register(sub, common)
    except ImportError:
        pass
    try:
        from planchat.commands import bench

        bench.register(sub, common)
    except ImportError:
        pass
