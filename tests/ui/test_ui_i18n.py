from ui.i18n import EXAMPLE_QUESTIONS, STRINGS, t


def test_both_languages_have_the_same_keys_and_placeholders():
    import string

    vi, en = STRINGS["vi"], STRINGS["en"]
    assert set(vi) == set(en)
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key in vi:
        assert fields(vi[key]) == fields(en[key]), key


def test_lookup_and_fallback():
    assert t("en", "tab.chat") == "Chat"
    assert t("vi", "tab.chat") == "Hỏi đáp"
    assert t("fr", "tab.chat") == "Hỏi đáp"
    assert t("en", "library.summary", docs=2, chunks=30) == "2 plans · 30 indexed passages"


def test_required_examples_are_offered():
    assert "Who leads rural vocational training in Cao Bằng?" in EXAMPLE_QUESTIONS
    assert "Hà Nội tuyển sinh bao nhiêu năm 2022?" in EXAMPLE_QUESTIONS
