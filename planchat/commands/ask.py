"""planchat ask / chat."""
from __future__ import annotations

import json
import sys


def register(sub, common) -> None:
    p = sub.add_parser("ask", parents=[common], help="ask one question, get a cited answer")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help='print {"answer", "abstained", "citations": [...]}')
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    p.add_argument("--province", action="append", default=[],
                   help="restrict to a province, former or current name (repeatable; `planchat provinces` lists them)")
    p.add_argument("--document", action="append", default=[], help="restrict to a plan file name (repeatable)")
    p.set_defaults(handler=cmd_ask)

    p = sub.add_parser("provinces", help="the 63 former provinces and the 34 units of today (2025 mergers)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_provinces)

    p = sub.add_parser("chat", parents=[common], help="interactive chat in the terminal")
    p.add_argument("--k", type=int, default=None)
    p.set_defaults(handler=cmd_chat)


def _open(args):
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    extra = {"k": args.k} if getattr(args, "k", None) else {}
    return open_services(settings_from_args(args, extra))


def make_filters(services, provinces, documents):
    """Filters from --province / --document; a province may be one of the 63 former or 34 current
    names (issue 12: the assistant widens a current name to its predecessors). Unknown names raise
    ``ValueError`` with a one-line message."""
    from assistant.scope import resolve_province
    from index.types import Filters

    canon = [resolve_province(p) for p in provinces]
    return Filters(provinces=tuple(dict.fromkeys(canon)), documents=tuple(documents))


def format_answer(answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            where = " · ".join(x for x in (c.number, c.province, c.section, f"p. {c.page}" if c.page else "", c.status) if x)
            head = "căn cứ pháp lý / legal basis" if c.kind == "legal_basis" else c.document
            lines.append(f"[{c.n}] {head} — {where}")
            quote = " ".join(c.quote.split())
            lines.append(f"    “{quote[:300]}{'…' if len(quote) > 300 else ''}”")
    return "\n".join(lines)


def _require_documents(services) -> None:
    if not services.index.documents():
        from planchat.errors_cli import NothingIngested

        raise NothingIngested()


def cmd_ask(args) -> int:
    services = _open(args)
    try:
        _require_documents(services)
        try:
            filters = make_filters(services, args.province, args.document)
        except ValueError as e:
            print(f"planchat: error: {e}", file=sys.stderr)
            return 2
        answer = services.assistant.ask(args.question, filters=None if filters.is_empty() else filters, k=args.k)
    finally:
        services.close()
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def cmd_provinces(args) -> int:
    """Former province → unit of today, with the change and its legal basis (issue 12)."""
    from ingest.admin_changes import load_admin_changes, vi_date

    table = load_admin_changes()
    if args.json:
        rows = [
            {"former": p.old_province, "today": p.new_unit, "change": p.change, "effective": p.effective,
             "legal_basis": table.source(p.legal_basis).citation, "clause": p.clause}
            for p in table.provinces
        ]
        print(json.dumps({"provinces": rows}, ensure_ascii=False, indent=2))
        return 0
    for unit in table.current_units():
        rows = [p for p in table.provinces if p.new_unit == unit]
        former = ", ".join(p.old_province for p in rows)
        row = rows[0]
        when = f" từ {vi_date(row.effective)}" if row.effective else ""
        print(f"{unit}: {former} ({row.change}{when}; {table.source(row.legal_basis).citation})")
    return 0


def cmd_chat(args) -> int:
    from assistant.types import Turn

    services = _open(args)
    history: list[Turn] = []
    try:
        _require_documents(services)
        print("planchat — hỏi về các kế hoạch đã nạp / ask about the loaded plans. Ctrl-D to quit.")
        while True:
            try:
                question = input("\n> ").strip()
            except EOFError:
                print()
                return 0
            if not question:
                continue
            answer = services.assistant.ask(question, history=tuple(history))
            print(format_answer(answer))
            history += [Turn("user", question), Turn("assistant", answer.text)]
    finally:
        services.close()
