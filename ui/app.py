"""The planchat web app: a Gradio Blocks app over the index and the assistant.

``build_app(services)`` returns the Blocks; ``serve(services, ...)`` configures the
queue, auth and limits and launches it (bound to 127.0.0.1 unless told otherwise).
Tabs live in ``ui/tabs/``: each module has ``TAB_ID``, ``LABEL_KEY``,
``layout(ctx)`` and ``wire(ctx)``; adding a tab is adding a module to :data:`TABS`.
"""
from __future__ import annotations

import logging
import os
from types import ModuleType

from ui.assets import bridge_js, css
from ui.auth import parse_auth
from ui.catalog import read_catalog
from ui.context import AppContext
from ui.feedback import FeedbackLog
from ui.highlight import esc
from ui.i18n import normalize_language, t
from ui.ports import Services
from ui.session import ChatSession
from ui.tabs import chat, evaluate, feedback, filters, library, responsibilities

log = logging.getLogger(__name__)

#: Tabs in display order.
TABS: tuple[ModuleType, ...] = (chat, filters, responsibilities, library, feedback, evaluate)

LANGUAGE_CHOICES = [("Tiếng Việt", "vi"), ("English", "en")]
SYSTEM_FONTS = ["Noto Sans", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans", "sans-serif"]
MONO_FONTS = ["DejaVu Sans Mono", "Consolas", "Liberation Mono", "monospace"]


def header_html(lang: str) -> str:
    return (
        '<div class="pc-header">'
        f'<h1><span class="pc-logo">planchat</span> · {esc(t(lang, "app.title").split("·", 1)[-1].strip())}</h1>'
        f"<p>{esc(t(lang, 'app.subtitle'))}</p>"
        "</div>"
    )


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _api_functions(services: Services):
    """Functions exposed as API endpoints (typed: Gradio derives the API schema from the hints)."""
    import gradio as gr

    def _ask(message: str):
        text = (message or "").strip()
        if not text:
            raise gr.Error("message is empty")
        try:
            return services.assistant.ask(text)
        except Exception as err:  # noqa: BLE001 - one line to the client, full log here
            log.exception("API question %r failed", text)
            raise gr.Error(_one_line(err)) from None

    def chat(message: str) -> str:
        """Ask the loaded plans a question. Returns the answer text with inline [n] citation markers."""
        return _ask(message).text

    def ask(message: str) -> dict:
        """Ask the loaded plans a question. Returns {"answer", "abstained", "citations": [{n, document, title, number, section, page, quote}]}."""
        return _ask(message).to_dict()

    return chat, ask


def build_app(services: Services, *, language: str = "vi"):
    """The Gradio Blocks app over ``services`` (see :class:`ui.ports.Services`). Nothing is launched."""
    import gradio as gr

    lang0 = normalize_language(language)
    ctx = AppContext(
        services=services,
        language=lang0,
        feedback_log=FeedbackLog(services.feedback_path),
        parts={"catalog": read_catalog(services.index)},
    )
    with gr.Blocks(title="planchat", analytics_enabled=False) as demo:
        ctx.parts["bridge"] = gr.HTML(
            "",
            js_on_load=bridge_js(),
            head=f"<style>{css()}</style>",
            elem_id="pc-bridge",
            container=False,
            padding=False,
        )
        with gr.Row(equal_height=True):
            ctx.tr(gr.HTML, value_key=header_html, scale=5)
            ctx.parts["lang"] = ctx.tr(
                gr.Radio,
                label_key="app.language",
                choices=LANGUAGE_CHOICES,
                value=lang0,
                show_label=False,
                container=False,
                scale=1,
                min_width=220,
                elem_id="pc-language",
            )
        ctx.parts["session"] = gr.State(ChatSession())
        with gr.Tabs(selected=TABS[0].TAB_ID, elem_id="pc-tabs") as tabs:
            ctx.parts["tabs"] = tabs
            for tab in TABS:
                with ctx.tr(gr.Tab, label_key=tab.LABEL_KEY, id=tab.TAB_ID, elem_id=f"pc-tab-{tab.TAB_ID}") as tab_component:
                    ctx.parts[f"tab_{tab.TAB_ID}"] = tab_component  # e.g. to refresh a tab when it is opened
                    tab.layout(ctx)
        for tab in TABS:
            tab.wire(ctx)
        _wire_language(ctx)
        refresh, refresh_inputs, refresh_outputs = ctx["refresh_catalog"]
        demo.load(refresh, inputs=refresh_inputs, outputs=refresh_outputs, api_visibility="private", show_progress="hidden")
        chat_fn, ask_fn = _api_functions(services)
        gr.api(chat_fn, api_name="chat")
        gr.api(ask_fn, api_name="ask")
    return demo


def _wire_language(ctx: AppContext) -> None:
    import gradio as gr

    lang = ctx["lang"]
    components = [component for component, _ in ctx.translatables]

    def relabel(language):
        language = normalize_language(language)
        return [
            gr.update(**{prop: ctx.text(spec, language) for prop, spec in specs.items()})
            for _, specs in ctx.translatables
        ]

    private = dict(api_visibility="private", show_progress="hidden")
    lang.change(relabel, inputs=[lang], outputs=components, **private)
    for hook in ctx.language_hooks:
        lang.change(hook.fn, inputs=[*hook.inputs, lang], outputs=hook.outputs, **private)


def launch_options() -> dict:
    """Keyword arguments for ``Blocks.launch`` that style the app (system fonts only: nothing fetched)."""
    import gradio as gr

    theme = gr.themes.Default(
        primary_hue="teal",
        neutral_hue="slate",
        radius_size="md",
        font=SYSTEM_FONTS,
        font_mono=MONO_FONTS,
    )
    return {"theme": theme}


def serve(
    services: Services,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str = "",
    concurrency_limit: int = 4,
    max_upload_mb: float = 20.0,
    language: str = "vi",
    prevent_thread_lock: bool = False,
):
    """Launch the app. ``auth`` is "user:password" or a file of such lines (raises ``AuthConfigError``)."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    credentials = parse_auth(auth)
    demo = build_app(services, language=language)
    demo.queue(default_concurrency_limit=max(1, int(concurrency_limit)))
    demo.launch(
        server_name=host or "127.0.0.1",
        server_port=port,
        auth=credentials,
        auth_message=esc(t(language, "app.title")) if credentials else None,
        max_file_size=int(max_upload_mb * 1024 * 1024) if max_upload_mb else None,
        share=False,
        inbrowser=False,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        footer_links=["api", "settings"],
        prevent_thread_lock=prevent_thread_lock,
        **launch_options(),
    )
    return demo
