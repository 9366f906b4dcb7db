"""The served app with ``--auth``: every data-bearing route refuses a request without
credentials, the API clients fail without (or with wrong) credentials and work with them;
a logged-in user still cannot read files outside the app; uploads over HTTP respect the
size limit and cannot choose where they land. The app is served on 127.0.0.1 only.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from planchat_reliability_helpers import SAMPLE_PLANS, free_port, run_planchat

httpx = pytest.importorskip("httpx")
pytestmark = pytest.mark.slow

USER, PASSWORD = "can-bo", "mật:khẩu-dài-2024"
MAX_UPLOAD_BYTES = 1024 * 1024
QUESTION = "Hà Nội tuyển sinh bao nhiêu năm 2022?"

# (method, path) of the routes that reveal or change data
PROTECTED = [
    ("GET", "/config"),
    ("GET", "/gradio_api/info"),
    ("GET", "/gradio_api/openapi.json"),
    ("POST", "/gradio_api/call/chat"),
    ("POST", "/gradio_api/call/ask"),
    ("POST", "/gradio_api/run/chat"),
    ("POST", "/gradio_api/api/chat"),
    ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data?session_hash=reliability"),
    ("POST", "/gradio_api/upload"),
    ("GET", f"/gradio_api/file={SAMPLE_PLANS / 'ha-noi-72-KH-UBND-2022.txt'}"),
    ("GET", "/monitoring"),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    harness = pytest.importorskip("planchat_ui_harness")
    if not harness.real_layers_available():
        pytest.skip("index/assistant layers not available yet")
    services = harness.RealServices(tmp_path_factory.mktemp("auth"), max_upload_bytes=MAX_UPLOAD_BYTES)
    assert len(services.ingest([SAMPLE_PLANS]).added) == 5
    app = harness.LaunchedApp(services, auth=f"{USER}:{PASSWORD}")
    assert app.url.startswith("http://127.0.0.1:")
    yield app, services
    app.close()
    services.close()


def _request(client, method: str, url: str):
    body = {"data": [QUESTION], "fn_index": 0, "session_hash": "reliability"}
    if method == "POST":
        return client.post(url, json=body, follow_redirects=False, timeout=20)
    return client.get(url, follow_redirects=False, timeout=20)


@pytest.mark.parametrize("method, path", PROTECTED)
def test_routes_refuse_requests_without_credentials(served, method, path):
    app, _ = served
    with httpx.Client() as client:
        r = _request(client, method, app.url.rstrip("/") + path)
    assert r.status_code == 401 or (300 <= r.status_code < 400 and "login" in r.headers.get("location", "")), (
        r.status_code, r.text[:200]
    )
    assert "224.500" not in r.text and "ha-noi-72-KH-UBND-2022" not in r.text


def test_the_page_without_credentials_is_a_login_page_without_data(served):
    app, _ = served
    r = httpx.get(app.url, timeout=20)
    assert r.status_code == 200
    for secret in ("ha-noi-72-KH-UBND-2022", "Sở Lao động", "72/KH-UBND", "224.500"):
        assert secret not in r.text


def test_wrong_password_is_refused(served):
    app, _ = served
    with httpx.Client() as client:
        r = client.post(app.url.rstrip("/") + "/login", data={"username": USER, "password": PASSWORD + "x"}, timeout=20)
        assert r.status_code in (400, 401)
        assert client.get(app.url.rstrip("/") + "/config", timeout=20).status_code == 401


def test_gradio_client_needs_the_right_credentials(served):
    from gradio_client import Client

    app, _ = served
    for auth in (None, (USER, "wrong"), ("someone", PASSWORD)):
        with pytest.raises(Exception):
            client = Client(app.url, auth=auth, verbose=False, download_files=False)
            client.predict(QUESTION, api_name="/chat")
    client = Client(app.url, auth=(USER, PASSWORD), verbose=False, download_files=False)
    text = client.predict(QUESTION, api_name="/chat")
    assert "224.500" in text and "[1]" in text


@pytest.fixture(scope="module")
def logged_in(served):
    app, _ = served
    client = httpx.Client(base_url=app.url.rstrip("/"), timeout=30)
    r = client.post("/login", data={"username": USER, "password": PASSWORD})
    assert r.status_code == 200, r.text
    yield client
    client.close()


def test_logged_in_session_reaches_the_app(logged_in):
    assert logged_in.get("/config").status_code == 200
    r = logged_in.post("/gradio_api/call/chat", json={"data": [QUESTION]})
    assert r.status_code == 200 and "event_id" in r.json()


@pytest.mark.parametrize("target", ["/etc/passwd", "DATA/index/catalog.sqlite", "DATA/feedback.jsonl", "SAMPLE"])
def test_logged_in_user_cannot_read_files_outside_the_app(served, logged_in, target):
    _, services = served
    target = (
        target.replace("DATA", str(services.data_dir))
        .replace("SAMPLE", str(SAMPLE_PLANS / "ha-noi-72-KH-UBND-2022.txt"))
    )
    for route in (f"/gradio_api/file={target}", f"/file={target}", f"/gradio_api/file=../../..{target}"):
        r = logged_in.get(route)
        assert r.status_code in (403, 404), (route, r.status_code)
        assert "root:" not in r.text and "SQLite format" not in r.text and "224.500" not in r.text


def test_upload_over_the_size_limit_is_refused_by_the_server(logged_in):
    big = b"K" * (3 * MAX_UPLOAD_BYTES)
    r = logged_in.post("/gradio_api/upload", files={"files": ("big.txt", big, "text/plain")})
    assert r.status_code in (413, 400), (r.status_code, r.text[:200])


def test_upload_file_name_cannot_choose_the_destination(logged_in, tmp_path):
    marker = f"evil-{uuid.uuid4().hex}.txt"
    escape = f"../../../../../../tmp/{marker}"
    r = logged_in.post("/gradio_api/upload", files={"files": (escape, b"xin chao", "text/plain")})
    assert r.status_code == 200, r.text[:200]
    (stored,) = r.json()
    assert Path(stored).name == marker
    assert ".." not in Path(stored).parts
    assert not Path("/tmp", marker).exists()
    assert Path(stored).resolve() != Path("/tmp", marker)


def test_bad_auth_setting_is_a_one_line_error(tmp_path):
    result = run_planchat("serve", "--auth", "no-colon-here", "--port", str(free_port()), data_dir=tmp_path / "data", timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and "auth" in lines[-1]
