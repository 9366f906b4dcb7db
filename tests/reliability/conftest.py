"""Shared set-up for the reliability tests.

``reliability_helpers.py`` is registered as the module ``planchat_reliability_helpers``
so test files can import it under a name no other test directory uses, whatever
pytest's import mode (the same trick as tests/ui/conftest.py).
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}.items():
    os.environ.setdefault(_key, _value)


def _register(name: str, file_name: str, directory: Path) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, directory / file_name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_HERE = Path(__file__).resolve().parent
_register("planchat_reliability_helpers", "reliability_helpers.py", _HERE)
# the UI engineer's harness (served app, real services over the hash embedder) and fakes
if (_HERE.parent / "ui" / "harness.py").is_file():
    _register("planchat_ui_harness", "harness.py", _HERE.parent / "ui")
if (_HERE.parent / "ui" / "fakes.py").is_file():
    _register("planchat_ui_fakes", "fakes.py", _HERE.parent / "ui")
