"""Library tab: ingested plans, upload and ingest, remove, full text with the cited passage in view."""
# No `from __future__ import annotations`: Gradio must see the real gr.EventData
# subclasses in handler signatures (gradio is imported lazily inside wire()).
import logging
from pathlib import Path

from ui.assets import viewer_js
from ui.catalog import Catalog, read_catalog
from ui.context import AppContext
from ui.highlight import esc
from ui.i18n import t
from ui.render import Focus, library_table, locate_passage, render_document, render_library_summary, render_viewer_empty
from ui.session import ChatSession
from ui.tabs.filters import filters_html, picker_updates
from ui.uploads import ALLOWED_EXTENSIONS, allowed_types_text, human_size, store_uploads

TAB_ID = "library"
LABEL_KEY = "tab.library"
log = logging.getLogger(__name__)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _entry_name(entry: object) -> str:
    doc_id = getattr(entry, "doc_id", None) or getattr(getattr(entry, "meta", None), "doc_id", None)
    return str(doc_id) if doc_id else Path(str(entry)).name


def render_results(report, rejected_messages: list[str], lang: str, extra_errors: list[str] = ()) -> str:
    """Per-file outcome of an upload: ingested, updated, unchanged, refused or failed."""
    items: list[str] = []
    if report is not None:
        for entry in getattr(report, "added", ()):
            items.append(f'<li class="pc-ok">{esc(t(lang, "library.result.added", name=_entry_name(entry)))}</li>')
        for entry in getattr(report, "replaced", ()):
            items.append(f'<li class="pc-ok">{esc(t(lang, "library.result.replaced", name=_entry_name(entry)))}</li>')
        for entry in getattr(report, "skipped_unchanged", ()):
            items.append(f'<li class="pc-same">{esc(t(lang, "library.result.unchanged", name=_entry_name(entry)))}</li>')
        for path, message in getattr(report, "failed", ()):
            name = Path(str(path)).name
            message = str(message)
            text = message if message.startswith(name) else f"{name}: {message}"
            items.append(f'<li class="pc-fail">{esc(t(lang, "library.result.failed", message=text))}</li>')
    for message in [*rejected_messages, *extra_errors]:
        items.append(f'<li class="pc-fail">{esc(t(lang, "library.result.failed", message=message))}</li>')
    if not items:
        items.append(f'<li class="pc-same">{esc(t(lang, "library.no_files"))}</li>')
    footer = ""
    chunks = getattr(report, "chunks_added", 0) if report is not None else 0
    if chunks:
        footer = f'<div class="pc-doc-note">{esc(t(lang, "library.result.chunks", chunks=chunks))}</div>'
    return f'<ul class="pc-results" id="pc-upload-results">{"".join(items)}</ul>{footer}'


def render_viewer(services, doc_id: str, lang: str, *, chunk_id: str = "", quote: str = "", requested: bool = False) -> str:
    """The viewer HTML for ``doc_id``; with ``requested`` the cited passage is located and marked."""
    meta = services.index.document(doc_id)
    text = services.index.document_text(doc_id)
    span = None
    if requested:
        start = end = -1
        if chunk_id:
            for chunk in services.index.chunks(doc_id):
                if chunk.id == chunk_id:
                    start, end = chunk.start, chunk.end
                    quote = quote or chunk.text
                    break
        span = locate_passage(text, start=start, end=end, quote=quote)
    return render_document(meta, text, Focus(span=span, requested=requested), lang)


def layout(ctx: AppContext) -> None:
    import gradio as gr

    catalog: Catalog = ctx["catalog"]
    services = ctx.services
    ctx.tr(gr.Markdown, value_key="library.intro")
    summary = gr.HTML(render_library_summary(catalog.infos, ctx.language), elem_id="pc-library-summary")
    table = gr.Dataframe(
        value=library_table(catalog.infos, ctx.language),
        interactive=False,
        wrap=True,
        max_height=360,
        datatype=["str", "str", "str", "str", "str", "str", "number", "str"],
        column_widths=["15%", "27%", "10%", "15%", "9%", "9%", "6%", "9%"],
        elem_id="pc-library-table",
        show_label=False,
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            limit = human_size(services.max_upload_bytes)
            upload = ctx.tr(
                gr.File,
                label_key=lambda lang: t(lang, "library.upload", types=allowed_types_text(), limit=limit),
                file_count="multiple",
                file_types=list(ALLOWED_EXTENSIONS),
                type="filepath",
                height=150,
                elem_id="pc-upload",
            )
        with gr.Column(scale=2):
            ingest = ctx.tr(gr.Button, value_key="library.ingest", variant="primary", elem_id="pc-ingest")
            results = gr.HTML("", elem_id="pc-upload-status")
    with gr.Row(equal_height=False, elem_id="pc-doc-row"):
        doc_select = ctx.tr(
            gr.Dropdown,
            label_key="library.select",
            choices=catalog.plan_choices(),
            value=None,
            scale=5,
            elem_id="pc-doc-select",
        )
        remove = ctx.tr(gr.Button, value_key="library.remove", variant="stop", size="md", scale=0, min_width=150, elem_id="pc-remove")
    with gr.Row(visible=False, equal_height=True) as confirm_row:
        confirm_text = gr.HTML("", elem_id="pc-remove-question")
        confirm = ctx.tr(gr.Button, value_key="library.remove_confirm", variant="stop", size="sm", scale=0, min_width=150, elem_id="pc-remove-confirm")
        cancel = ctx.tr(gr.Button, value_key="library.remove_cancel", size="sm", scale=0, min_width=90)
    viewer = gr.HTML(render_viewer_empty(ctx.language), js_on_load=viewer_js(), elem_id="pc-viewer", min_height=120)
    ctx.parts.update(
        library_summary=summary,
        library_table=table,
        upload=upload,
        ingest=ingest,
        upload_results=results,
        doc_select=doc_select,
        remove=remove,
        confirm_row=confirm_row,
        confirm_text=confirm_text,
        confirm=confirm,
        cancel=cancel,
        viewer=viewer,
    )


def wire(ctx: AppContext) -> None:
    import gradio as gr

    services = ctx.services
    lang, session = ctx["lang"], ctx["session"]
    doc_select, viewer = ctx["doc_select"], ctx["viewer"]
    private = dict(api_visibility="private")

    # -- catalog refresh: after ingest/remove, and when a page loads -------------
    refresh_outputs = [
        ctx["library_table"],
        ctx["library_summary"],
        doc_select,
        ctx["provinces"],
        ctx["plans"],
        ctx["filters_summary"],
        ctx["chat_filters_bar"],
    ]

    def refresh_catalog(provinces_value, plans_value, selected, language):
        catalog = read_catalog(services.index)
        province_update, plan_update = picker_updates(catalog, provinces_value, plans_value)
        bar = filters_html(catalog, province_update["value"], plan_update["value"], language)
        selected = selected if selected in catalog.doc_ids() else None
        return (
            library_table(catalog.infos, language),
            render_library_summary(catalog.infos, language),
            gr.update(choices=catalog.plan_choices(), value=selected),
            province_update,
            plan_update,
            bar,
            bar,
        )

    refresh_inputs = [ctx["provinces"], ctx["plans"], doc_select, lang]
    ctx.parts["refresh_catalog"] = (refresh_catalog, refresh_inputs, refresh_outputs)

    # -- upload and ingest --------------------------------------------------------
    def ingest_files(files, language, progress=gr.Progress()):
        files = [f for f in (files or []) if f]
        if not files:
            return render_results(None, [], language), gr.skip()
        pairs = [(f, Path(str(f)).name) for f in files]
        batch = store_uploads(pairs, services.upload_dir, services.max_upload_bytes)
        rejected = [err.message(language) for err in batch.rejected]
        report, errors = None, []
        if batch.stored:
            total = len(batch.stored)
            progress((0, total), desc=t(language, "library.progress", detail=batch.stored[0].path.name))

            def on_progress(event: str, done: int, total_: int, detail: str) -> None:
                if not total_:
                    return
                if event == "embed":
                    desc = t(language, "library.progress_embed", done=done, total=total_)
                else:
                    desc = t(language, "library.progress", detail=Path(str(detail)).name if detail else "…")
                progress((min(done, total_), total_), desc=desc)

            try:
                report = services.ingest([s.path for s in batch.stored], progress=on_progress)
            except Exception as err:  # noqa: BLE001 - one line for the user, full log for the operator
                log.exception("ingest of uploads failed")
                errors.append(_one_line(err))
        return render_results(report, rejected, language, errors), None

    ctx["ingest"].click(
        ingest_files, inputs=[ctx["upload"], lang], outputs=[ctx["upload_results"], ctx["upload"]], **private
    ).then(refresh_catalog, inputs=refresh_inputs, outputs=refresh_outputs, **private)

    # -- viewing ------------------------------------------------------------------
    def show(doc_id, language):
        if not doc_id:
            return render_viewer_empty(language)
        try:
            return render_viewer(services, doc_id, language)
        except Exception as err:  # noqa: BLE001 - e.g. removed meanwhile
            gr.Warning(esc(_one_line(err)))  # toasts render HTML
            return render_viewer_empty(language)

    doc_select.input(show, inputs=[doc_select, lang], outputs=[viewer], **private)

    def on_row(language, evt: gr.SelectData):
        row = evt.row_value or []
        doc_id = str(row[0]) if row else ""
        if not doc_id:
            return gr.skip(), gr.skip()
        return gr.update(value=doc_id), show(doc_id, language)

    ctx["library_table"].select(on_row, inputs=[lang], outputs=[doc_select, viewer], **private)

    def open_cited(state, language, evt: gr.EventData):
        data = evt._data if isinstance(getattr(evt, "_data", None), dict) else {}
        doc_id, chunk_id = str(data.get("doc") or ""), str(data.get("chunk") or "")
        n = int(data["n"]) if str(data.get("n") or "").isdigit() else None
        if not doc_id:
            return gr.skip(), gr.skip(), gr.skip()
        citation = state.find_citation(doc_id, chunk_id, n) if isinstance(state, ChatSession) else None
        try:
            html = render_viewer(
                services, doc_id, language, chunk_id=chunk_id, quote=citation.quote if citation else "", requested=True
            )
        except Exception as err:  # noqa: BLE001 - e.g. the plan was removed since the answer
            gr.Warning(esc(_one_line(err)))  # toasts render HTML
            return gr.skip(), gr.skip(), gr.skip()
        return gr.Tabs(selected=TAB_ID), gr.update(value=doc_id), html

    ctx["bridge"].click(open_cited, inputs=[session, lang], outputs=[ctx["tabs"], doc_select, viewer], **private)

    # -- removal ------------------------------------------------------------------
    def ask_remove(doc_id, language):
        if not doc_id:
            return gr.update(visible=False), gr.skip()
        question = esc(t(language, "library.remove_ask", doc="\x00")).replace("\x00", f"<b>{esc(doc_id)}</b>")
        return gr.update(visible=True), f'<div class="pc-confirm">{question}</div>'

    def do_remove(doc_id, language):
        if not doc_id:
            return gr.update(visible=False), gr.skip(), gr.skip()
        try:
            services.remove(doc_id)
        except Exception as err:  # noqa: BLE001
            gr.Warning(esc(_one_line(err)))  # toasts render HTML
            return gr.update(visible=False), gr.skip(), gr.skip()
        gr.Info(esc(t(language, "library.removed", doc=doc_id)))
        return gr.update(visible=False), render_viewer_empty(language), ""

    ctx["remove"].click(ask_remove, inputs=[doc_select, lang], outputs=[ctx["confirm_row"], ctx["confirm_text"]], **private)
    ctx["cancel"].click(lambda: gr.update(visible=False), outputs=[ctx["confirm_row"]], **private)
    ctx["confirm"].click(
        do_remove, inputs=[doc_select, lang], outputs=[ctx["confirm_row"], viewer, ctx["upload_results"]], **private
    ).then(refresh_catalog, inputs=refresh_inputs, outputs=refresh_outputs, **private)

    def relabel(language):
        catalog = read_catalog(services.index)
        return library_table(catalog.infos, language), render_library_summary(catalog.infos, language)

    ctx.on_language(relabel, inputs=[], outputs=[ctx["library_table"], ctx["library_summary"]])
