"""The chat as an API: gradio_client against the app launched on 127.0.0.1 (slow: starts a server)."""
from __future__ import annotations

from pathlib import Path

import pytest
from planchat_ui_fakes import make_services
from planchat_ui_harness import SAMPLE_PLANS, LaunchedApp, RealServices, real_layers_available

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    services = make_services(tmp_path_factory.mktemp("api"))
    launched = LaunchedApp(services)
    yield launched
    launched.close()


def test_chat_endpoint_returns_answer_text_with_markers(app):
    from gradio_client import Client

    client = Client(app.url, verbose=False, download_files=False)
    text = client.predict("Hà Nội tuyển sinh bao nhiêu năm 2022?", api_name="/chat")
    assert isinstance(text, str)
    assert "224.500" in text and "[1]" in text
    english = client.predict("Who leads rural vocational training in Cao Bằng?", api_name="/chat")
    assert english.startswith("According to the loaded plans:") and "Sở Lao động - Thương binh và Xã hội" in english
    data = client.predict("Hà Nội tuyển sinh bao nhiêu năm 2022?", api_name="/ask")
    assert data["citations"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"


def test_only_the_api_endpoints_are_exposed(app):
    from gradio_client import Client

    client = Client(app.url, verbose=False, download_files=False)
    named = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert named == {"/chat", "/ask"}


def test_empty_message_is_a_clear_error(app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(app.url, verbose=False, download_files=False)
    with pytest.raises(AppError, match="message is empty"):
        client.predict("   ", api_name="/chat")


def test_auth_protects_the_app(tmp_path: Path):
    from gradio_client import Client

    launched = LaunchedApp(make_services(tmp_path), auth="an:bí-mật")
    try:
        with pytest.raises(Exception):
            Client(launched.url, verbose=False, download_files=False)
        client = Client(launched.url, auth=("an", "bí-mật"), verbose=False, download_files=False)
        assert "[1]" in client.predict("Hà Nội tuyển sinh bao nhiêu năm 2022?", api_name="/chat")
    finally:
        launched.close()


@pytest.mark.skipif(not real_layers_available(), reason="index/assistant layers not available yet")
def test_chat_endpoint_over_the_real_index(tmp_path: Path):
    from gradio_client import Client

    services = RealServices(tmp_path)
    assert len(services.ingest([SAMPLE_PLANS]).added) == 5
    launched = LaunchedApp(services)
    try:
        client = Client(launched.url, verbose=False, download_files=False)
        text = client.predict("Who leads rural vocational training in Cao Bằng?", api_name="/chat")
        assert "Sở Lao động - Thương binh và Xã hội" in text and "[1]" in text
    finally:
        launched.close()
        services.close()
