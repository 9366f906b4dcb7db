"""The Evaluate tab behind ``--auth``: its events are not API endpoints, and nothing it writes is served without login."""
from __future__ import annotations

import pytest

from ui.app import build_app
from ui.tabs.evaluate import write_export

from planchat_ui_fakes import make_services
from planchat_ui_harness import LaunchedApp

httpx = pytest.importorskip("httpx")


def test_evaluate_events_are_private(tmp_path):
    demo = build_app(make_services(tmp_path))
    named = {name for name in demo.get_api_info().get("named_endpoints", {})}
    assert named == {"/chat", "/ask"}
    assert {fn.name for fn in demo.fns.values()} >= {"eval_start", "eval_poll", "eval_view", "eval_compare", "fb_make", "fb_join"}


@pytest.mark.slow
def test_runs_and_downloads_need_login(tmp_path):
    services = make_services(tmp_path)
    exported = write_export("Mã,Kết quả\ncb-1,Đạt\n".encode("utf-8"), "ket-qua-tung-cau-test.csv", base_dir=tmp_path / "exports")
    app = LaunchedApp(services, auth="danh-gia:mật-khẩu")
    try:
        base = app.url.rstrip("/")
        with httpx.Client() as client:
            for method, path in (("GET", "/config"), ("POST", "/gradio_api/queue/join"), ("GET", f"/gradio_api/file={exported}")):
                r = client.request(method, base + path, json={"data": [], "fn_index": 0, "session_hash": "x"} if method == "POST" else None,
                                   follow_redirects=False, timeout=20)
                assert r.status_code == 401 or (300 <= r.status_code < 400 and "login" in r.headers.get("location", "")), (path, r.status_code)
                assert "cb-1" not in r.text and "eval_start" not in r.text
            r = client.post(base + "/login", data={"username": "danh-gia", "password": "mật-khẩu"}, timeout=20)
            assert r.status_code in (200, 302, 303)
            config = client.get(base + "/config", timeout=20)
            assert config.status_code == 200 and "pc-eval-run" in config.text
    finally:
        app.close()
