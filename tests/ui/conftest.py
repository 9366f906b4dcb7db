"""Shared set-up for the UI tests.

``fakes.py`` and ``harness.py`` are registered as the modules ``planchat_ui_fakes``
and ``planchat_ui_harness`` so test files can import them under names no other test
directory uses, whatever pytest's import mode.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _register(name: str, file_name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file_name))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register("planchat_ui_fakes", "fakes.py")
_register("planchat_ui_harness", "harness.py")

