"""Responsibilities tab ("Phân công"): who leads and who coordinates which task, by when, with what budget.

A searchable, filterable table over the responsibility records extracted at ingest
(``services.index.responsibilities()``), a CSV download of the filtered rows, and a
"show in document" link per row that opens the record's source passage, highlighted,
in the Library tab's viewer (the same viewer and focus mark the chat's source cards use).
The filtered view is kept per session in ``gr.State``; every event is private.
"""
# No `from __future__ import annotations`: Gradio must see the real gr.EventData
# subclasses in handler signatures (gradio is imported lazily inside wire()).
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from ui.assets import read_static
from ui.context import AppContext
from ui.highlight import Span, esc
from ui.i18n import t
from ui.render import Focus, render_document
from ui.responsibilities_view import (
    ROLE_ALL,
    ROLES,
    DateInputError,
    PlanRef,
    RecordQuery,
    RecordView,
    agency_choices,
    csv_bytes,
    filter_records,
    fold,
    locate_record,
    parse_date_bound,
    province_choices,
    record_key,
    render_table,
)

TAB_ID = "responsibilities"
LABEL_KEY = "tab.responsibilities"
log = logging.getLogger(__name__)

#: Where CSV downloads are written (Gradio serves files from the system temp directory).
EXPORT_DIR_NAME = "planchat-exports"


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


# --- reading the index --------------------------------------------------------------------


def read_records(index) -> list:
    """The index's responsibility records ([] for an index that has none or cannot say)."""
    fetch = getattr(index, "responsibilities", None)
    if fetch is None:
        return []
    try:
        return list(fetch())
    except Exception:  # noqa: BLE001 - the tab shows "no records" rather than breaking the app
        log.exception("reading responsibility records failed")
        return []


def read_plans(index) -> dict[str, PlanRef]:
    return {
        info.meta.doc_id: PlanRef(info.meta.doc_id, info.meta.number, info.meta.title) for info in index.documents()
    }


def make_query(text, agencies, provinces, role, after, before) -> RecordQuery:
    """The filters as a :class:`RecordQuery`; raises :class:`DateInputError` for a bad date."""
    return RecordQuery(
        text=str(text or ""),
        agencies=tuple(agencies or ()),
        provinces=tuple(provinces or ()),
        role=role if role in ROLES else ROLE_ALL,
        after=parse_date_bound(after, end=False, field_key="rsp.after"),
        before=parse_date_bound(before, end=True, field_key="rsp.before"),
    )


# --- CSV export ---------------------------------------------------------------------------


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def csv_file_name(query: RecordQuery, lang: str) -> str:
    """E.g. ``phan-cong_so-noi-vu_bac-kan.csv`` (the chosen agencies and provinces, shortened)."""
    parts = [t(lang, "rsp.csv_name")] + [_slug(x) for x in (*query.agencies, *query.provinces)][:3]
    name = "_".join(p for p in parts if p)[:90]
    return f"{name}.csv"


def export_csv(view: RecordView, plans, lang: str, base_dir: Path | None = None) -> str:
    """Write the view's CSV under the temp directory (one folder per content) and return its path."""
    data = csv_bytes(view, plans, lang)
    folder = (base_dir or Path(tempfile.gettempdir()) / EXPORT_DIR_NAME) / hashlib.sha256(data).hexdigest()[:20]
    path = folder / csv_file_name(view.query, lang)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{path.name}.{os.getpid()}.part"
        partial.write_bytes(data)
        os.replace(partial, path)
    return str(path)


# --- source passage -----------------------------------------------------------------------


def render_record_source(index, record, lang: str) -> str:
    """The Library viewer's HTML for ``record``'s plan with its quote marked as the focus."""
    meta = index.document(record.document)
    text = index.document_text(record.document)
    chunk_span = None
    if record.chunk_id:
        for chunk in index.chunks(record.document):
            if chunk.id == record.chunk_id:
                chunk_span = Span(chunk.start, chunk.end)
                break
    span = locate_record(text, record.quote, chunk_span)
    return render_document(meta, text, Focus(span=span, requested=True), lang)


def status_html(message: str) -> str:
    return f'<div class="pc-rsp-error">{esc(message)}</div>' if message else ""


def status_update(message: str) -> dict:
    """The error line above the table: shown with a message, hidden (taking no room) without."""
    import gradio as gr

    return gr.update(value=status_html(message), visible=bool(message))


def role_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"rsp.role.{role}"), role) for role in ROLES]


# --- layout and events --------------------------------------------------------------------


def layout(ctx: AppContext) -> None:
    import gradio as gr

    index = ctx.services.index
    records = read_records(index)
    plans = read_plans(index)
    view = filter_records(records, RecordQuery())
    ctx.tr(gr.Markdown, value_key="rsp.intro")
    with gr.Row(equal_height=False):
        search = ctx.tr(
            gr.Textbox,
            label_key="rsp.search",
            info_key="rsp.search_info",
            placeholder_key="rsp.search_placeholder",
            lines=1,
            max_lines=1,
            scale=3,
            elem_id="pc-rsp-search",
        )
        agencies = ctx.tr(
            gr.Dropdown,
            label_key="rsp.agencies",
            info_key="rsp.agencies_info",
            choices=agency_choices(records),
            value=[],
            multiselect=True,
            scale=3,
            elem_id="pc-rsp-agencies",
        )
        provinces = ctx.tr(
            gr.Dropdown,
            label_key="rsp.provinces",
            info_key="rsp.provinces_info",
            choices=province_choices(records),
            value=[],
            multiselect=True,
            scale=2,
            elem_id="pc-rsp-provinces",
        )
    with gr.Row(equal_height=True):
        role = ctx.tr(gr.Radio, label_key="rsp.role", choices_key=role_choices, value=ROLE_ALL, scale=3, elem_id="pc-rsp-role")
        after = ctx.tr(
            gr.Textbox, label_key="rsp.after", placeholder_key="rsp.date_placeholder", lines=1, max_lines=1, scale=2, elem_id="pc-rsp-after"
        )
        before = ctx.tr(
            gr.Textbox, label_key="rsp.before", placeholder_key="rsp.date_placeholder", lines=1, max_lines=1, scale=2, elem_id="pc-rsp-before"
        )
        with gr.Column(scale=1, min_width=160):
            clear = ctx.tr(gr.Button, value_key="rsp.clear", size="sm", variant="secondary", elem_id="pc-rsp-clear")
            download = ctx.tr(
                gr.DownloadButton,
                label_key="rsp.download",
                value=export_csv(view, plans, ctx.language),
                size="sm",
                variant="primary",
                elem_id="pc-rsp-download",
            )
    status = gr.HTML("", visible=False, elem_id="pc-rsp-status")
    table = gr.HTML(
        render_table(view, plans, ctx.language),
        js_on_load=read_static("responsibilities.js"),
        head=f"<style>{read_static('responsibilities.css')}</style>",
        apply_default_css=False,
        elem_id="pc-rsp-table",
    )
    ctx.parts.update(
        rsp_search=search,
        rsp_agencies=agencies,
        rsp_provinces=provinces,
        rsp_role=role,
        rsp_after=after,
        rsp_before=before,
        rsp_clear=clear,
        rsp_download=download,
        rsp_status=status,
        rsp_table=table,
        rsp_state=gr.State(view),
    )


def wire(ctx: AppContext) -> None:
    import gradio as gr

    from ui.tabs import library

    index = ctx.services.index
    lang, state = ctx["lang"], ctx["rsp_state"]
    filters = [ctx[name] for name in ("rsp_search", "rsp_agencies", "rsp_provinces", "rsp_role", "rsp_after", "rsp_before")]
    results = [ctx["rsp_table"], state, ctx["rsp_download"], ctx["rsp_status"]]
    private = dict(api_visibility="private", show_progress="hidden")

    def _results(query: RecordQuery, language: str, records=None):
        records = read_records(index) if records is None else records
        plans = read_plans(index)
        view = filter_records(records, query)
        return render_table(view, plans, language), view, export_csv(view, plans, language), status_update("")

    def rsp_apply(text, agencies, provinces, role, after, before, language):
        try:
            query = make_query(text, agencies, provinces, role, after, before)
        except DateInputError as err:
            return gr.skip(), gr.skip(), gr.skip(), status_update(err.message(language))
        return _results(query, language)

    # The search box reacts to any change (Gradio's Textbox "input" event follows key presses
    # only, so a pasted query would be missed); the pickers to the user's choices.
    filters[0].change(rsp_apply, inputs=[*filters, lang], outputs=results, trigger_mode="always_last", **private)
    for component in filters[1:4]:
        component.input(rsp_apply, inputs=[*filters, lang], outputs=results, trigger_mode="always_last", **private)
    for component in filters[4:]:
        component.submit(rsp_apply, inputs=[*filters, lang], outputs=results, **private)
        component.blur(rsp_apply, inputs=[*filters, lang], outputs=results, **private)

    def rsp_refresh(text, agencies, provinces, role, after, before, language):
        """On opening the tab: new plans may have been added or removed since the page loaded."""
        records = read_records(index)
        agency_names, province_names = agency_choices(records), province_choices(records)
        agencies = [a for a in (agencies or ()) if a in agency_names]
        provinces = [p for p in (provinces or ()) if p in province_names]
        updates = (gr.update(choices=agency_names, value=agencies), gr.update(choices=province_names, value=provinces))
        try:
            query = make_query(text, agencies, provinces, role, after, before)
        except DateInputError as err:
            return (*updates, gr.skip(), gr.skip(), gr.skip(), status_update(err.message(language)))
        return (*updates, *_results(query, language, records))

    tab = ctx.parts.get(f"tab_{TAB_ID}")
    if tab is not None:
        tab.select(rsp_refresh, inputs=[*filters, lang], outputs=[filters[1], filters[2], *results], **private)

    def rsp_clear(language):
        return ("", [], [], ROLE_ALL, "", "", *_results(RecordQuery(), language))

    ctx["rsp_clear"].click(rsp_clear, inputs=[lang], outputs=[*filters, *results], **private)

    def rsp_open_source(view, language, evt: gr.EventData):
        data = evt._data if isinstance(getattr(evt, "_data", None), dict) else {}
        key = str(data.get("key") or "")
        if not key:
            return gr.skip(), gr.skip(), gr.skip()
        row = view.row(key) if isinstance(view, RecordView) else None
        record = row.record if row else next((r for r in read_records(index) if record_key(r) == key), None)
        if record is None:
            gr.Warning(esc(t(language, "rsp.not_found")))  # toasts render HTML
            return gr.skip(), gr.skip(), gr.skip()
        try:
            html = render_record_source(index, record, language)
        except Exception as err:  # noqa: BLE001 - e.g. the plan was removed since the table was shown
            log.exception("opening the source of %s failed", key)
            gr.Warning(esc(_one_line(err)))
            return gr.skip(), gr.skip(), gr.skip()
        return gr.Tabs(selected=library.TAB_ID), gr.update(value=record.document), html

    ctx["rsp_table"].click(
        rsp_open_source, inputs=[state, lang], outputs=[ctx["tabs"], ctx["doc_select"], ctx["viewer"]], **private
    )

    def rsp_relabel(view, language):
        view = view if isinstance(view, RecordView) else RecordView()
        plans = read_plans(index)
        return render_table(view, plans, language), export_csv(view, plans, language), status_update("")

    ctx.on_language(rsp_relabel, inputs=[state], outputs=[ctx["rsp_table"], ctx["rsp_download"], ctx["rsp_status"]])
