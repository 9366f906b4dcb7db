from __future__ import annotations

from pathlib import Path

import pytest

from ui.auth import AuthConfigError, parse_auth


def test_no_auth():
    assert parse_auth("") is None and parse_auth(None) is None


def test_single_pair_password_may_contain_colons():
    assert parse_auth("an:mật:khẩu") == [("an", "mật:khẩu")]


def test_auth_file_with_comments(tmp_path: Path):
    f = tmp_path / "users.txt"
    f.write_text("# team\nan:pw1\n\nbinh:pw2\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("an", "pw1"), ("binh", "pw2")]


@pytest.mark.parametrize("value, message", [("nocolon", "user:password"), (":pw", "expected 'user:password'"), ("user:", "expected")])
def test_bad_values_raise_one_line_errors(value, message):
    with pytest.raises(AuthConfigError, match=message) as info:
        parse_auth(value)
    assert "\n" not in str(info.value)


def test_bad_line_in_file_names_the_line(tmp_path: Path):
    f = tmp_path / "users.txt"
    f.write_text("an:pw\nbroken\n", encoding="utf-8")
    with pytest.raises(AuthConfigError, match=r"users.txt:2"):
        parse_auth(f)
