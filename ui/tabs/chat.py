"""Chat tab: streaming cited answers, source cards, example chips, copy, quick ratings."""
# No `from __future__ import annotations`: Gradio must see the real gr.EventData
# subclasses in handler signatures (gradio is imported lazily inside wire()).
import logging
import time

from assistant.types import Answer
from index.types import Filters
from ui.context import AppContext
from ui.feedback import FeedbackError, FeedbackRecord
from ui.highlight import esc
from ui.i18n import EXAMPLE_QUESTIONS, t
from ui.render import answer_plain_text, render_answer, render_filters, render_notice, render_streaming
from ui.session import AnswerRecord, ChatMessage, ChatSession, new_answer_id

TAB_ID = "chat"
LABEL_KEY = "tab.chat"
log = logging.getLogger(__name__)

#: Streaming: the answer appears in about this many steps, this far apart.
STREAM_STEPS = 14
STREAM_DELAY_S = 0.03


def one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def question_html(question: str) -> str:
    return f'<div class="pc-question">{esc(question)}</div>'


def stream_steps(text: str, steps: int = STREAM_STEPS) -> list[str]:
    """Growing prefixes of ``text``, cut at spaces, ending before the full text."""
    words = text.split(" ")
    if len(words) < 4:
        return []
    size = max(1, len(words) // steps)
    return [" ".join(words[:i]) for i in range(size, len(words), size)]


def make_filters(provinces, plans) -> Filters:
    return Filters(provinces=tuple(provinces or ()), documents=tuple(plans or ()))


def layout(ctx: AppContext) -> None:
    import gradio as gr

    ctx.parts["chat_filters_bar"] = gr.HTML(render_filters((), (), {}, ctx.language), elem_id="pc-chat-filters")
    chatbot = ctx.tr(
        gr.Chatbot,
        label_key="chat.chatbot",
        placeholder_key="chat.empty",
        show_label=False,
        height=600,
        elem_id="pc-chatbot",
        buttons=[],
        feedback_options=("Like", "Dislike"),
        latex_delimiters=[],
        layout="bubble",
        group_consecutive_messages=False,
    )
    with gr.Row(equal_height=True):
        question = ctx.tr(
            gr.Textbox,
            label_key="chat.input",
            placeholder_key="chat.placeholder",
            show_label=False,
            lines=1,
            max_lines=5,
            scale=8,
            autofocus=True,
            elem_id="pc-question",
            container=False,
        )
        send = ctx.tr(gr.Button, value_key="chat.send", variant="primary", scale=1, min_width=90, elem_id="pc-send")
    ctx.tr(gr.HTML, value_key=lambda lang: f'<div class="pc-section-label">{esc(t(lang, "chat.examples"))}</div>')
    with gr.Row(elem_classes="pc-examples"):
        chips = [gr.Button(q, size="sm", variant="secondary", elem_classes="pc-example") for q in EXAMPLE_QUESTIONS]
    with gr.Row(elem_classes="pc-actions"):
        copy = ctx.tr(gr.Button, value_key="chat.copy", size="sm", variant="secondary", elem_id="pc-copy")
        clear = ctx.tr(gr.Button, value_key="chat.clear", size="sm", variant="secondary", elem_id="pc-clear")
    copy_box = ctx.tr(
        gr.Textbox,
        label_key="chat.copy_box",
        lines=8,
        max_lines=20,
        visible=False,
        interactive=False,
        buttons=["copy"],
        elem_id="pc-copy-box",
    )
    ctx.parts.update(chatbot=chatbot, question=question, send=send, chips=chips, copy=copy, clear=clear, copy_box=copy_box)


def wire(ctx: AppContext) -> None:
    import gradio as gr

    services = ctx.services
    session, lang = ctx["session"], ctx["lang"]
    provinces, plans = ctx["provinces"], ctx["plans"]
    chatbot, question = ctx["chatbot"], ctx["question"]

    def respond(message, state: ChatSession, provinces_value, plans_value, language):
        text = (message or "").strip()
        state = state if isinstance(state, ChatSession) else ChatSession()
        if not text:
            yield state.chatbot_value(), state, ""
            return
        asked = question_html(text)
        pending = state.with_messages(ChatMessage("user", asked), ChatMessage("assistant", render_notice(t(language, "chat.thinking"))))
        yield pending.chatbot_value(), state, ""
        filters = make_filters(provinces_value, plans_value)
        try:
            answer: Answer = services.assistant.ask(text, filters=None if filters.is_empty() else filters, history=state.history())
        except Exception as err:  # noqa: BLE001 - shown to the user as one line, logged in full
            log.exception("answering %r failed", text)
            failed = state.with_messages(
                ChatMessage("user", asked), ChatMessage("assistant", render_notice(t(language, "chat.error", error=one_line(err)), "error"))
            )
            yield failed.chatbot_value(), failed, ""
            return
        for prefix in stream_steps(answer.text):
            partial = state.with_messages(ChatMessage("user", asked), ChatMessage("assistant", render_streaming(prefix)))
            yield partial.chatbot_value(), state, ""
            time.sleep(STREAM_DELAY_S)
        answer_id = new_answer_id()
        record = AnswerRecord(answer_id=answer_id, question=text, answer=answer, filters=filters, message_index=-1)
        done = state.with_answer(asked, render_answer(answer, text, answer_id, language), record)
        yield done.chatbot_value(), done, ""

    common = dict(outputs=[chatbot, session, question], api_visibility="private", show_progress="hidden")
    question.submit(respond, inputs=[question, session, provinces, plans, lang], **common)
    ctx["send"].click(respond, inputs=[question, session, provinces, plans, lang], **common)
    for chip in ctx["chips"]:
        chip.click(respond, inputs=[chip, session, provinces, plans, lang], **common)

    def copy_text(state: ChatSession, language):
        record = state.latest if isinstance(state, ChatSession) else None
        if record is None:
            gr.Info(esc(t(language, "chat.nothing_to_copy")))
            return gr.update(visible=False, value="")
        return gr.update(visible=True, value=answer_plain_text(record.question, record.answer, language))

    ctx["copy"].click(copy_text, inputs=[session, lang], outputs=[ctx["copy_box"]], api_visibility="private").then(
        None,
        inputs=[ctx["copy_box"]],
        js="(text) => { if (text && navigator.clipboard) { navigator.clipboard.writeText(text).catch(() => {}); } }",
    )

    def clear_chat():
        fresh = ChatSession()
        return fresh.chatbot_value(), fresh, gr.update(visible=False, value="")

    ctx["clear"].click(clear_chat, outputs=[chatbot, session, ctx["copy_box"]], api_visibility="private")
    chatbot.clear(clear_chat, outputs=[chatbot, session, ctx["copy_box"]], api_visibility="private")

    def rate(state: ChatSession, language, evt: gr.LikeData):
        record = state.record_at_message(evt.index if isinstance(evt.index, int) else evt.index[0]) if isinstance(state, ChatSession) else None
        if record is None or evt.liked not in (True, False):
            return gr.skip(), gr.skip()
        rating = "up" if evt.liked else "down"
        try:
            ctx.feedback_log.append(
                FeedbackRecord(
                    answer_id=record.answer_id,
                    question=record.question,
                    answer=record.answer,
                    feedback=rating,
                    filters=record.filters,
                    ui_language=language,
                )
            )
        except FeedbackError as err:
            gr.Warning(esc(str(err)))  # toasts render HTML
            return gr.skip(), gr.skip()
        gr.Info(esc(t(language, "chat.rated")))
        return gr.update(value=record.answer_id), gr.update(value=rating)

    chatbot.like(rate, inputs=[session, lang], outputs=[ctx["feedback_answer"], ctx["feedback_rating"]], api_visibility="private")
