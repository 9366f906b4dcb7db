"""Feedback tab: rate an answer of this session with an optional comment (appended to the JSONL log)."""
from __future__ import annotations

from ui.context import AppContext
from ui.feedback import FeedbackError, FeedbackRecord
from ui.highlight import esc
from ui.i18n import t
from ui.session import ChatSession

TAB_ID = "feedback"
LABEL_KEY = "tab.feedback"


def answer_choices(state: ChatSession) -> list[tuple[str, str]]:
    """(label, answer_id) for this session's answers, newest first."""
    out = []
    for i, record in reversed(list(enumerate(state.records, 1))):
        question = record.question if len(record.question) <= 90 else record.question[:87] + "…"
        out.append((f"#{i} · {question}", record.answer_id))
    return out


def rating_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "feedback.up"), "up"), (t(lang, "feedback.down"), "down")]


def layout(ctx: AppContext) -> None:
    import gradio as gr

    ctx.tr(gr.Markdown, value_key="feedback.intro")
    answer = ctx.tr(gr.Dropdown, label_key="feedback.answer", choices=[], value=None, elem_id="pc-feedback-answer")
    rating = ctx.tr(
        gr.Radio, label_key="feedback.rating", choices_key=rating_choices, value=None, elem_id="pc-feedback-rating"
    )
    comment = ctx.tr(
        gr.Textbox,
        label_key="feedback.comment",
        placeholder_key="feedback.comment_placeholder",
        lines=3,
        max_lines=10,
        elem_id="pc-feedback-comment",
    )
    with gr.Row():
        submit = ctx.tr(gr.Button, value_key="feedback.submit", variant="primary", scale=0, min_width=180, elem_id="pc-feedback-submit")
        status = gr.Markdown("", elem_id="pc-feedback-status")
    ctx.parts.update(feedback_answer=answer, feedback_rating=rating, feedback_comment=comment, feedback_submit=submit, feedback_status=status)


def wire(ctx: AppContext) -> None:
    import gradio as gr

    session, lang = ctx["session"], ctx["lang"]
    answer, rating, comment = ctx["feedback_answer"], ctx["feedback_rating"], ctx["feedback_comment"]

    def on_session(state, selected):
        state = state if isinstance(state, ChatSession) else ChatSession()
        choices = answer_choices(state)
        ids = {value for _, value in choices}
        value = selected if selected in ids else (choices[0][1] if choices else None)
        return gr.update(choices=choices, value=value)

    session.change(on_session, inputs=[session, answer], outputs=[answer], api_visibility="private", show_progress="hidden")

    def submit(state, answer_id, rating_value, comment_value, language):
        record = state.record(answer_id) if isinstance(state, ChatSession) and answer_id else None
        if record is None:
            return t(language, "feedback.no_answer"), gr.skip()
        if rating_value not in ("up", "down"):
            return t(language, "feedback.need_rating"), gr.skip()
        try:
            ctx.feedback_log.append(
                FeedbackRecord(
                    answer_id=record.answer_id,
                    question=record.question,
                    answer=record.answer,
                    feedback=rating_value,
                    comment=(comment_value or "").strip(),
                    filters=record.filters,
                    ui_language=language,
                )
            )
        except FeedbackError as err:
            return esc(str(err)), gr.skip()
        return "✓ " + t(language, "feedback.saved"), ""

    ctx["feedback_submit"].click(
        submit,
        inputs=[session, answer, rating, comment, lang],
        outputs=[ctx["feedback_status"], comment],
        api_visibility="private",
    )
