import pytest

from assistant.errors import ChatModelConfigError
from assistant.llm_factory import make_chat_model


def test_ollama_model_is_configured_without_connecting():
    model = make_chat_model("ollama", "qwen2.5:7b", base_url="http://127.0.0.1:11434", temperature=0.0, timeout=12)
    assert type(model).__name__ == "ChatOllama"
    assert model.model == "qwen2.5:7b"
    assert model.base_url == "http://127.0.0.1:11434"
    assert model.temperature == 0.0
    assert model.client_kwargs == {"timeout": 12}


def test_openai_compatible_model_uses_the_base_url():
    model = make_chat_model("openai", "Qwen2.5-7B-Instruct", base_url="http://127.0.0.1:8001/v1", timeout=30)
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "Qwen2.5-7B-Instruct"
    assert model.openai_api_base == "http://127.0.0.1:8001/v1"
    assert model.request_timeout == 30
    assert model.openai_api_key.get_secret_value() == "not-needed"


def test_api_key_is_passed_when_given():
    model = make_chat_model("OpenAI", "m", base_url="http://127.0.0.1:8001/v1", api_key="sk-test")
    assert model.openai_api_key.get_secret_value() == "sk-test"


@pytest.mark.parametrize("kind, model", [("gpt", "m"), ("", "m"), ("ollama", ""), ("openai", "  ")])
def test_bad_configuration_is_a_one_line_error(kind, model):
    with pytest.raises(ChatModelConfigError) as err:
        make_chat_model(kind, model)
    assert "\n" not in str(err.value)
