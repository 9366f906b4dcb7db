"""Write an eval run to disk: summary.json, results.jsonl, report.md and report.html.

The reports list every question with failures first; each failure shows what was
expected (reference, facts, gold sources) and what was retrieved and answered.
All text in the HTML report is escaped.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Iterable, Sequence

from evals.run import EvalRun, ItemResult
from evals.text import fold_whitespace

SNIPPET = 240


def write_run(run: EvalRun, out_dir: str | Path) -> Path:
    """Write the four files of one run into ``out_dir`` (created if needed); return the directory."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "summary.json", run.summary_dict())
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for r in run.results:
            f.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    (out / "report.md").write_text(render_markdown(run), encoding="utf-8")
    (out / "report.html").write_text(render_html(run), encoding="utf-8")
    return out


def write_json(path: str | Path, data: dict) -> None:
    _write_json(Path(path), data)


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- shared helpers ----------------------------------------------------------

def ordered(results: Iterable[ItemResult]) -> list[ItemResult]:
    """Failures first, then passes; dataset order within each group."""
    results = list(results)
    return [r for r in results if not r.passed] + [r for r in results if r.passed]


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _snippet(text: str, limit: int = SNIPPET) -> str:
    text = fold_whitespace(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _result_word(r: ItemResult) -> str:
    return "pass" if r.passed else "FAIL"


def _header_lines(run: EvalRun) -> list[tuple[str, str]]:
    s = run.summary
    return [
        ("dataset", run.dataset or "–"),
        ("created", run.created_at),
        ("k", str(run.k)),
        ("corpus", run.corpus_id or "–"),
        ("model", run.model_id or "–"),
        ("questions", f"{s.n_items} ({s.n_answerable} answerable, {s.n_unanswerable} unanswerable, "
                      f"{sum(1 for r in run.results if r.passed)} passed, {s.n_errors} errors)"),
    ]


# -- markdown ----------------------------------------------------------------

def _md(text: str) -> str:
    """Make text safe inside a markdown table cell or paragraph."""
    return (fold_whitespace(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))


def _code(text: str) -> str:
    """A markdown code span (its content is literal, so only backticks need care)."""
    return "`" + fold_whitespace(text).replace("`", "'") + "`"


def render_markdown(run: EvalRun) -> str:
    s = run.summary
    lines = [f"# Eval report: {_md(run.label)}", ""]
    lines += [f"- **{k}**: {_md(v)}" for k, v in _header_lines(run)]
    lines += ["", "## Summary", "", "| metric | value | 95% CI | n |", "|---|---:|---:|---:|"]
    for m in s.metrics:
        ci = "–" if m.ci_low is None else f"{m.ci_low:.3f}–{m.ci_high:.3f}"
        lines.append(f"| {m.name} | {fmt(m.value)} | {ci} | {m.n} |")
    lines += ["", "| latency | seconds |", "|---|---:|"]
    lines += [f"| {name} | {fmt(v)} |" for name, v in s.latency]
    if s.by_category:
        lines += ["", "## By category", "", "| category | n | pass rate | fact recall | doc hit@k |", "|---|---:|---:|---:|---:|"]
        for c in s.by_category:
            lines.append(f"| {_md(c.category)} | {c.n} | {fmt(c.pass_rate)} | {fmt(c.fact_recall)} | {fmt(c.doc_hit_at_k)} |")
    lines += ["", "## Questions (failures first)", "",
              "| result | id | question | fact recall | doc hit | cites gold | abstained | why |",
              "|---|---|---|---:|---:|---:|---|---|"]
    for r in ordered(run.results):
        m = r.metrics
        lines.append(
            f"| {_result_word(r)} | {_md(r.item.id)} | {_md(_snippet(r.item.question, 120))} | {fmt(m.fact_recall, 2)} | "
            f"{fmt(m.doc_hit_at_k, 0)} | {fmt(m.citation_recall, 0)} | {'yes' if r.abstained else 'no'} | {_md('; '.join(r.reasons))} |"
        )
    failures = [r for r in run.results if not r.passed]
    if failures:
        lines += ["", "## Failures", ""]
        for r in failures:
            lines += _md_failure(r)
    return "\n".join(lines) + "\n"


def _md_failure(r: ItemResult) -> list[str]:
    it = r.item
    out = [f"### {_md(it.id)}: {_md(it.question)}", ""]
    out.append(f"- **why**: {_md('; '.join(r.reasons))}")
    out.append(f"- **answerable**: {'yes' if it.answerable else 'no (should abstain)'}")
    if it.reference:
        out.append(f"- **reference**: {_md(it.reference)}")
    if it.must_include:
        out.append("- **expected facts** (each needs one of its alternatives):")
        out += ["  - " + " / ".join(_code(alt) for alt in alts) for alts in it.must_include]
    for s in it.sources:
        article = f" (Điều {_md(s.article)})" if getattr(s, "article", "") else ""
        out.append(f"- **gold source**: {_md(s.document)}{article}" + (f" — “{_md(_snippet(s.quote))}”" if s.quote else ""))
    out.append("- **retrieved**:" + ("" if r.retrieved else " nothing"))
    for p in r.retrieved:
        where = f" ({_md(p.section)})" if p.section else ""
        out.append(f"  {p.rank}. {_md(p.doc_id)}{where} — {_md(_snippet(p.text))}")
    out.append(f"- **answer**{' (abstained)' if r.abstained else ''}: {_md(_snippet(r.answer_text, 800)) or '(empty)'}")
    for c in r.citations:
        out.append(f"  - [{c.n}] {_md(c.document)}" + (f" ({_md(c.section)})" if c.section else ""))
    if r.error:
        out.append(f"- **error**: {_md(r.error)}")
    out.append("")
    return out


# -- html --------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.fail td.res{color:#b00020;font-weight:bold}tr.pass td.res{color:#1b5e20}
details{margin:.5rem 0 1rem;border-left:3px solid #b00020;padding-left:.8rem}summary{cursor:pointer;font-weight:bold}
.q{color:#555}blockquote{margin:.2rem 0 .2rem 1rem;color:#444}
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(run: EvalRun, *, title: str | None = None) -> str:
    s = run.summary
    title = title or f"Eval report: {run.label}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(title)}</h1><ul>",
    ]
    parts += [f"<li><b>{_h(k)}</b>: {_h(v)}</li>" for k, v in _header_lines(run)]
    parts += ["</ul><h2>Summary</h2><table><tr><th>metric</th><th>value</th><th>95% CI</th><th>n</th></tr>"]
    for m in s.metrics:
        ci = "–" if m.ci_low is None else f"{m.ci_low:.3f}–{m.ci_high:.3f}"
        parts.append(f'<tr><td>{_h(m.name)}</td><td class="num">{fmt(m.value)}</td><td class="num">{ci}</td><td class="num">{m.n}</td></tr>')
    parts.append("</table><table><tr><th>latency</th><th>seconds</th></tr>")
    parts += [f'<tr><td>{_h(n)}</td><td class="num">{fmt(v)}</td></tr>' for n, v in s.latency]
    parts.append("</table>")
    if s.by_category:
        parts.append("<h2>By category</h2><table><tr><th>category</th><th>n</th><th>pass rate</th><th>fact recall</th><th>doc hit@k</th></tr>")
        for c in s.by_category:
            parts.append(f'<tr><td>{_h(c.category)}</td><td class="num">{c.n}</td><td class="num">{fmt(c.pass_rate)}</td>'
                         f'<td class="num">{fmt(c.fact_recall)}</td><td class="num">{fmt(c.doc_hit_at_k)}</td></tr>')
        parts.append("</table>")
    parts.append("<h2>Questions (failures first)</h2><table><tr><th>result</th><th>id</th><th>question</th><th>fact recall</th>"
                 "<th>doc hit</th><th>cites gold</th><th>abstained</th><th>why</th></tr>")
    for r in ordered(run.results):
        m = r.metrics
        cls = "pass" if r.passed else "fail"
        ident = f'<a href="#{_h(_anchor(r))}">{_h(r.item.id)}</a>' if not r.passed else _h(r.item.id)
        parts.append(
            f'<tr class="{cls}"><td class="res">{_result_word(r)}</td><td>{ident}</td><td>{_h(r.item.question)}</td>'
            f'<td class="num">{fmt(m.fact_recall, 2)}</td><td class="num">{fmt(m.doc_hit_at_k, 0)}</td>'
            f'<td class="num">{fmt(m.citation_recall, 0)}</td><td>{"yes" if r.abstained else "no"}</td><td>{_h("; ".join(r.reasons))}</td></tr>'
        )
    parts.append("</table>")
    failures = [r for r in run.results if not r.passed]
    if failures:
        parts.append("<h2>Failures</h2>")
        parts += [_html_failure(r) for r in failures]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _anchor(r: ItemResult) -> str:
    return "q-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in r.item.id)


def _html_failure(r: ItemResult) -> str:
    it = r.item
    p = [f'<details open id="{_h(_anchor(r))}"><summary>{_h(it.id)}: <span class="q">{_h(it.question)}</span></summary><ul>']
    p.append(f"<li><b>why</b>: {_h('; '.join(r.reasons))}</li>")
    p.append(f"<li><b>answerable</b>: {'yes' if it.answerable else 'no (should abstain)'}</li>")
    if it.reference:
        p.append(f"<li><b>reference</b>: {_h(it.reference)}</li>")
    if it.must_include:
        facts = "".join("<li>" + " / ".join(f"<code>{_h(a)}</code>" for a in alts) + "</li>" for alts in it.must_include)
        p.append(f"<li><b>expected facts</b> (each needs one of its alternatives):<ul>{facts}</ul></li>")
    for s in it.sources:
        quote = f"<blockquote>{_h(_snippet(s.quote))}</blockquote>" if s.quote else ""
        article = f" (Điều {_h(s.article)})" if getattr(s, "article", "") else ""
        p.append(f"<li><b>gold source</b>: {_h(s.document)}{article}{quote}</li>")
    p.append("<li><b>retrieved</b>:" + (" nothing" if not r.retrieved else "<ol>"))
    for x in r.retrieved:
        where = f" ({_h(x.section)})" if x.section else ""
        p.append(f"<li>{_h(x.doc_id)}{where}<blockquote>{_h(_snippet(x.text))}</blockquote></li>")
    p.append(("</ol>" if r.retrieved else "") + "</li>")
    abst = " (abstained)" if r.abstained else ""
    p.append(f"<li><b>answer</b>{abst}: {_h(_snippet(r.answer_text, 800)) or '(empty)'}")
    if r.citations:
        p.append("<ul>" + "".join(f"<li>[{c.n}] {_h(c.document)}{(' (' + _h(c.section) + ')') if c.section else ''}</li>" for c in r.citations) + "</ul>")
    p.append("</li>")
    if r.error:
        p.append(f"<li><b>error</b>: {_h(r.error)}</li>")
    p.append("</ul></details>")
    return "\n".join(p)


# -- side by side --------------------------------------------------------------

def render_side_by_side_markdown(rows: Sequence[tuple[str, str, str, str, str]], labels: tuple[str, str]) -> str:
    """A markdown table of (metric, a, b, delta, p) rows."""
    a, b = labels
    lines = [f"| metric | {_md(a)} | {_md(b)} | Δ ({_md(b)} − {_md(a)}) | p |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {' | '.join(_md(c) for c in row)} |" for row in rows]
    return "\n".join(lines) + "\n"
