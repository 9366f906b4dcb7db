"""Evaluate tab ("Đánh giá"): run a test set, watch its progress, read and download the results,
compare two runs, and turn feedback into test questions.

Runs go to ``ui.eval_jobs.EvalJobs`` (one background worker, outside the request
queue); a ``gr.Timer`` polls the job while it runs and stops when it is done. Run
files live under ``<data_dir>/eval_runs/`` and named sets under
``<data_dir>/eval_sets/`` (next to ``feedback.jsonl``). Every event is private
(not part of the API) and, like the rest of the app, behind ``--auth`` when set.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from ui.context import AppContext
from ui.eval_jobs import DONE, FAILED, EvalJobs
from ui.eval_view import (
    SHOW_ALL,
    SHOWS,
    ResultRow,
    comparison_html,
    csv_bytes,
    done_html,
    drafts_from_table,
    drafts_value,
    filter_rows,
    progress_html,
    summary_html,
    table_value,
)
from ui.highlight import esc
from ui.i18n import t

TAB_ID = "evaluate"
LABEL_KEY = "tab.evaluate"
log = logging.getLogger(__name__)

RUNS_DIR_NAME = "eval_runs"
EXPORT_DIR_NAME = "planchat-exports"
POLL_SECONDS = 1.0
DEFAULT_SET_NAME = "phan-hoi"


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def data_dir(services) -> Path:
    return Path(services.feedback_path).parent


def sets_dir(services) -> Path:
    from evals.feedback_drafts import SETS_DIR_NAME

    return data_dir(services) / SETS_DIR_NAME


def drafts_path(services) -> Path:
    from evals.feedback_drafts import DEFAULT_DRAFTS_NAME

    return sets_dir(services) / DEFAULT_DRAFTS_NAME


def saved_sets(services) -> list[str]:
    from evals.feedback_drafts import DEFAULT_DRAFTS_NAME

    d = sets_dir(services)
    if not d.is_dir():
        return []
    return sorted(p.stem for p in d.glob("*.jsonl") if p.name != DEFAULT_DRAFTS_NAME)


def format_choices(lang: str) -> list[tuple[str, str]]:
    from evals.formats import format_names

    return [(t(lang, "eval.format_auto"), "")] + [(name, name) for name in format_names()]


def show_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"eval.show.{s}"), s) for s in SHOWS]


def write_export(data: bytes, name: str, base_dir: Path | None = None) -> str:
    """Write a download under the temp directory (one folder per content, so names stay readable)."""
    folder = (base_dir or Path(tempfile.gettempdir()) / EXPORT_DIR_NAME) / hashlib.sha256(data).hexdigest()[:20]
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.{os.getpid()}.part"
        partial.write_bytes(data)
        os.replace(partial, path)
    return str(path)


def read_run(jobs: EvalJobs, run_id: str) -> tuple[dict, list[ResultRow]]:
    d = jobs.run_dir(run_id)
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    rows = [ResultRow.from_result(json.loads(line)) for line in (d / "results.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return summary, rows


def run_choices(jobs: EvalJobs) -> list[tuple[str, str]]:
    return [(e.label(), e.run_id) for e in jobs.runs()]


def load_items(services, path: str | None, saved: str | None, fmt: str | None):
    """(items, display name, format) of an uploaded file or a saved set; raises EvalError for bad input."""
    from evals.errors import EvalError
    from evals.formats import load_test_set
    from evals.formats.corpus import Corpus

    if path:
        source = Path(str(path))
    elif saved:
        source = sets_dir(services) / f"{saved}.jsonl"
    else:
        raise EvalError("")
    imported = load_test_set(source, format=fmt or None, corpus=lambda: Corpus.from_index(services.index))
    return list(imported.items), source.stem, imported.format


def view(jobs: EvalJobs, run_id: str, show: str, text: str, lang: str):
    """(summary html, table value, csv path) of a finished run; empty values without one."""
    if not run_id:
        return summary_html(None, lang), table_value([], lang), None
    summary, rows = read_run(jobs, run_id)
    shown = filter_rows(rows, show if show in SHOWS else SHOW_ALL, text or "")
    csv_path = write_export(csv_bytes(shown, lang), f"{t(lang, 'eval.csv_name')}-{run_id}.csv")
    return summary_html(summary, lang), table_value(shown, lang), csv_path


def layout(ctx: AppContext) -> None:
    import gradio as gr

    services = ctx.services
    settings = dict(getattr(services, "settings_dict", {}) or {})
    jobs = EvalJobs(services, data_dir(services) / RUNS_DIR_NAME, k=int(settings.get("k") or 5))
    lang = ctx.language
    ctx.tr(gr.Markdown, value_key="eval.intro")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            upload = ctx.tr(gr.File, label_key="eval.upload", file_count="single", file_types=[".jsonl", ".json", ".csv"],
                            type="filepath", height=120, elem_id="pc-eval-upload")
        with gr.Column(scale=2):
            saved = ctx.tr(gr.Dropdown, label_key="eval.saved_set", choices=saved_sets(services), value=None, elem_id="pc-eval-saved")
            fmt = ctx.tr(gr.Dropdown, label_key="eval.format", choices_key=format_choices, value="", elem_id="pc-eval-format")
            start = ctx.tr(gr.Button, value_key="eval.run", variant="primary", elem_id="pc-eval-run")
    status = gr.HTML("", elem_id="pc-eval-status")
    timer = gr.Timer(POLL_SECONDS, active=False)
    summary = gr.HTML(summary_html(None, lang), elem_id="pc-eval-summary")
    ctx.tr(gr.Markdown, value_key=lambda language: f"### {t(language, 'eval.rows_title')}")
    with gr.Row(equal_height=False):
        run_select = ctx.tr(gr.Dropdown, label_key="eval.run_select", choices=run_choices(jobs), value=None, scale=3, elem_id="pc-eval-run-select")
        show = ctx.tr(gr.Radio, label_key="eval.show", choices_key=show_choices, value=SHOW_ALL, scale=2, elem_id="pc-eval-show")
        text = ctx.tr(gr.Textbox, label_key="eval.filter", placeholder_key="eval.filter_placeholder", lines=1, max_lines=1, scale=3, elem_id="pc-eval-filter")
        download = ctx.tr(gr.DownloadButton, label_key="eval.download", value=None, size="sm", variant="primary", scale=1, elem_id="pc-eval-download")
    table = gr.Dataframe(value=table_value([], lang), interactive=False, wrap=True, max_height=520, show_label=False,
                         column_widths=["6%", "6%", "16%", "28%", "14%", "12%", "4.5%", "4.5%", "4.5%", "4.5%"], elem_id="pc-eval-table")
    with ctx.tr(gr.Accordion, label_key="eval.compare_title", open=False, elem_id="pc-eval-compare-box"):
        with gr.Row(equal_height=True):
            run_a = ctx.tr(gr.Dropdown, label_key="eval.run_a", choices=run_choices(jobs), value=None, scale=3, elem_id="pc-eval-run-a")
            run_b = ctx.tr(gr.Dropdown, label_key="eval.run_b", choices=run_choices(jobs), value=None, scale=3, elem_id="pc-eval-run-b")
            compare = ctx.tr(gr.Button, value_key="eval.compare", scale=1, elem_id="pc-eval-compare")
        compared = gr.HTML("", elem_id="pc-eval-comparison")
    with ctx.tr(gr.Accordion, label_key="eval.fb_title", open=False, elem_id="pc-eval-feedback-box"):
        ctx.tr(gr.Markdown, value_key="eval.fb_intro")
        with gr.Row(equal_height=True):
            make = ctx.tr(gr.Button, value_key="eval.fb_make", scale=2, elem_id="pc-eval-fb-make")
            fb_download = ctx.tr(gr.DownloadButton, label_key="eval.fb_download", value=None, size="sm", scale=1, elem_id="pc-eval-fb-download")
        fb_status = gr.HTML("", elem_id="pc-eval-fb-status")
        drafts = gr.Dataframe(value=drafts_value([], lang), interactive=True, wrap=True, max_height=420, show_label=False,
                              static_columns=[0, 1, 2, 3],  # what the user asked and saw stays as it was
                              column_widths=["8%", "17%", "21%", "14%", "18%", "15%", "7%"], elem_id="pc-eval-drafts")
        with gr.Row(equal_height=True):
            set_name = ctx.tr(gr.Textbox, label_key="eval.fb_set", value=DEFAULT_SET_NAME, lines=1, max_lines=1, scale=3, elem_id="pc-eval-set-name")
            join = ctx.tr(gr.Button, value_key="eval.fb_join", variant="primary", scale=2, elem_id="pc-eval-fb-join")
    ctx.parts.update(
        eval_jobs=jobs, eval_upload=upload, eval_saved=saved, eval_format=fmt, eval_start=start, eval_status=status,
        eval_timer=timer, eval_summary=summary, eval_run_select=run_select, eval_show=show, eval_filter=text,
        eval_download=download, eval_table=table, eval_run_a=run_a, eval_run_b=run_b, eval_compare=compare,
        eval_compared=compared, eval_fb_make=make, eval_fb_download=fb_download, eval_fb_status=fb_status,
        eval_drafts=drafts, eval_set_name=set_name, eval_fb_join=join,
        eval_job_state=gr.State({}),
    )


def wire(ctx: AppContext) -> None:
    import gradio as gr

    from evals.errors import EvalError

    services = ctx.services
    jobs: EvalJobs = ctx["eval_jobs"]
    lang, job_state = ctx["lang"], ctx["eval_job_state"]
    run_select, show, text = ctx["eval_run_select"], ctx["eval_show"], ctx["eval_filter"]
    private = dict(api_visibility="private", show_progress="hidden")
    view_outputs = [ctx["eval_summary"], ctx["eval_table"], ctx["eval_download"]]

    def runs_updates(selected=None):
        choices = run_choices(jobs)
        ids = {v for _, v in choices}
        keep = selected if selected in ids else None
        return gr.update(choices=choices, value=keep)

    def eval_start(path, saved, fmt, state, language):
        current = jobs.status(state.get("job_id", "")) if isinstance(state, dict) else None
        if current is not None and not current.finished:
            return gr.skip(), f'<div class="pc-eval-status pc-eval-error">{esc(t(language, "eval.busy"))}</div>', gr.skip()
        try:
            items, name, found_format = load_items(services, path, saved, fmt)
        except EvalError as err:
            message = str(err) or t(language, "eval.no_file")
            return gr.skip(), f'<div class="pc-eval-status pc-eval-error">{esc(message)}</div>', gr.Timer(active=False)
        except Exception as err:  # noqa: BLE001 - an unreadable upload is one line for the user, a full log here
            log.exception("reading the test set %s failed", path or saved)
            return gr.skip(), f'<div class="pc-eval-status pc-eval-error">{esc(_one_line(err))}</div>', gr.Timer(active=False)
        job_id = jobs.submit(items, name)
        state = {"job_id": job_id, "format": found_format}
        return state, progress_html(jobs.status(job_id), language, found_format), gr.Timer(active=True)

    ctx["eval_start"].click(
        eval_start,
        inputs=[ctx["eval_upload"], ctx["eval_saved"], ctx["eval_format"], job_state, lang],
        outputs=[job_state, ctx["eval_status"], ctx["eval_timer"]],
        **private,
    )

    def eval_poll(state, show_value, text_value, language):
        status = jobs.status(state.get("job_id", "")) if isinstance(state, dict) else None
        skip_rest = [gr.skip()] * 6
        if status is None:
            return [gr.skip(), gr.Timer(active=False), *skip_rest]
        if not status.finished:
            return [progress_html(status, language, state.get("format", "")), gr.skip(), *skip_rest]
        if status.state == FAILED:
            return [progress_html(status, language), gr.Timer(active=False), *skip_rest]
        summary, rows = read_run(jobs, status.run_id)
        passed = sum(1 for r in rows if r.passed)
        shown = view(jobs, status.run_id, show_value, text_value, language)
        choices = run_choices(jobs)
        return [done_html(status.name, passed, len(rows), language), gr.Timer(active=False), *shown,
                gr.update(choices=choices, value=status.run_id), gr.update(choices=choices), gr.update(choices=choices)]

    ctx["eval_timer"].tick(
        eval_poll,
        inputs=[job_state, show, text, lang],
        outputs=[ctx["eval_status"], ctx["eval_timer"], *view_outputs, run_select, ctx["eval_run_a"], ctx["eval_run_b"]],
        **private,
    )

    def eval_view(run_id, show_value, text_value, language):
        try:
            return view(jobs, run_id or "", show_value, text_value, language)
        except (KeyError, OSError, ValueError) as err:
            gr.Warning(esc(_one_line(err)))
            return gr.skip(), gr.skip(), gr.skip()

    for trigger in (run_select.input, show.input):
        trigger(eval_view, inputs=[run_select, show, text, lang], outputs=view_outputs, **private)
    text.change(eval_view, inputs=[run_select, show, text, lang], outputs=view_outputs, trigger_mode="always_last", **private)

    def eval_compare(a, b, language):
        from evals.compare import compare_runs

        if not a or not b:
            return f"<p>{esc(t(language, 'eval.compare_need'))}</p>"
        try:
            return comparison_html(compare_runs(jobs.run_dir(a), jobs.run_dir(b)), language)
        except (KeyError, EvalError) as err:
            return f'<p class="pc-eval-error">{esc(_one_line(err))}</p>'

    ctx["eval_compare"].click(eval_compare, inputs=[ctx["eval_run_a"], ctx["eval_run_b"], lang], outputs=[ctx["eval_compared"]], **private)

    # -- feedback -> drafts -> a named set ------------------------------------------------
    def fb_make(language):
        from evals.feedback_drafts import export_drafts, read_items, sets_in

        report = export_drafts(services.feedback_path, drafts_path(services), skip_sets=sets_in(sets_dir(services)))
        drafts = read_items(drafts_path(services))
        message = t(language, "eval.fb_made", added=report.added, total=report.total)
        return f"<p>{esc(message)}</p>", drafts_value(drafts, language), str(drafts_path(services)) if drafts else None

    ctx["eval_fb_make"].click(
        fb_make, inputs=[lang], outputs=[ctx["eval_fb_status"], ctx["eval_drafts"], ctx["eval_fb_download"]], **private
    )

    def fb_join(table, name, language):
        from evals.feedback_drafts import join_set, read_items, set_path_for, write_items

        try:
            drafts = drafts_from_table(table, read_items(drafts_path(services)))
            target = set_path_for(name, data_dir(services))
            if target.parent != sets_dir(services):
                raise EvalError("give a set name, not a path")
            report, left = join_set(drafts, target)
        except EvalError as err:
            return f'<p class="pc-eval-error">{esc(_one_line(err))}</p>', gr.skip(), gr.skip()
        write_items(drafts_path(services), left)
        message = t(language, "eval.fb_joined", joined=len(report.joined), set=target.stem, replaced=len(report.replaced), left=len(left))
        return f"<p>{esc(message)}</p>", drafts_value(left, language), gr.update(choices=saved_sets(services))

    ctx["eval_fb_join"].click(
        fb_join, inputs=[ctx["eval_drafts"], ctx["eval_set_name"], lang],
        outputs=[ctx["eval_fb_status"], ctx["eval_drafts"], ctx["eval_saved"]], **private,
    )

    # -- opening the tab, changing the language -------------------------------------------
    def eval_refresh(selected, a, b, saved_value):
        sets = saved_sets(services)
        return (runs_updates(selected), runs_updates(a), runs_updates(b),
                gr.update(choices=sets, value=saved_value if saved_value in sets else None))

    tab = ctx.parts.get(f"tab_{TAB_ID}")
    if tab is not None:
        tab.select(eval_refresh, inputs=[run_select, ctx["eval_run_a"], ctx["eval_run_b"], ctx["eval_saved"]],
                   outputs=[run_select, ctx["eval_run_a"], ctx["eval_run_b"], ctx["eval_saved"]], **private)

    def eval_relabel(run_id, show_value, text_value, language):
        try:
            return view(jobs, run_id or "", show_value, text_value, language)
        except (KeyError, OSError, ValueError):
            return summary_html(None, language), table_value([], language), None

    ctx.on_language(eval_relabel, inputs=[run_select, show, text], outputs=view_outputs)
