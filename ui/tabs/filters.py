"""Filters tab: restrict retrieval to provinces and/or plans; the active filters show in the chat too."""
from __future__ import annotations

from ui.catalog import Catalog, read_catalog
from ui.context import AppContext
from ui.render import render_filters

TAB_ID = "filters"
LABEL_KEY = "tab.filters"


def filters_html(catalog: Catalog, provinces, plans, lang: str) -> str:
    return render_filters(list(provinces or ()), list(plans or ()), catalog.labels, lang)


def picker_updates(catalog: Catalog, provinces, plans) -> tuple[dict, dict]:
    """Updates for the province and plan pickers, dropping selections that no longer exist."""
    import gradio as gr

    province_values = [p for p in (provinces or ()) if p in catalog.provinces]
    choices = catalog.plan_choices(province_values)
    allowed = {doc_id for _, doc_id in choices}
    plan_values = [d for d in (plans or ()) if d in allowed]
    return (
        gr.update(choices=list(catalog.provinces), value=province_values),
        gr.update(choices=choices, value=plan_values),
    )


def layout(ctx: AppContext) -> None:
    import gradio as gr

    catalog: Catalog = ctx["catalog"]
    ctx.tr(gr.Markdown, value_key="filters.intro")
    with gr.Row():
        provinces = ctx.tr(
            gr.Dropdown,
            label_key="filters.provinces",
            info_key="filters.provinces_info",
            choices=list(catalog.provinces),
            value=[],
            multiselect=True,
            scale=1,
            elem_id="pc-filter-provinces",
        )
        plans = ctx.tr(
            gr.Dropdown,
            label_key="filters.plans",
            info_key="filters.plans_info",
            choices=catalog.plan_choices(),
            value=[],
            multiselect=True,
            scale=2,
            elem_id="pc-filter-plans",
        )
    with gr.Row(equal_height=False):
        summary = gr.HTML(filters_html(catalog, (), (), ctx.language), elem_id="pc-filters-summary")
        clear = ctx.tr(gr.Button, value_key="filters.clear", size="sm", variant="secondary", scale=0, min_width=140, elem_id="pc-filters-clear")
    ctx.parts.update(provinces=provinces, plans=plans, filters_summary=summary, filters_clear=clear)


def wire(ctx: AppContext) -> None:
    services = ctx.services
    provinces, plans, lang = ctx["provinces"], ctx["plans"], ctx["lang"]
    bars = [ctx["filters_summary"], ctx["chat_filters_bar"]]

    def on_provinces(provinces_value, plans_value, language):
        catalog = read_catalog(services.index)
        _, plan_update = picker_updates(catalog, provinces_value, plans_value)
        html = filters_html(catalog, provinces_value, plan_update["value"], language)
        return plan_update, html, html

    def on_plans(provinces_value, plans_value, language):
        html = filters_html(read_catalog(services.index), provinces_value, plans_value, language)
        return html, html

    private = dict(api_visibility="private", show_progress="hidden")
    provinces.change(on_provinces, inputs=[provinces, plans, lang], outputs=[plans, *bars], **private)
    plans.change(on_plans, inputs=[provinces, plans, lang], outputs=bars, **private)
    ctx["filters_clear"].click(lambda: ([], []), outputs=[provinces, plans], **private)
    ctx.on_language(on_plans, inputs=[provinces, plans], outputs=bars)
