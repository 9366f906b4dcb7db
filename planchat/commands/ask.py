"""planchat ask / chat."""
from __future__ import annotations

import json
import sys


def register(sub, common) -> None:
    p = sub.add_parser("ask", parents=[common], help="ask one question, get a cited answer")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help='print {"answer", "abstained", "citations": [...]}')
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    p.add_argument("--province", action="append", default=[], help="restrict to a province (repeatable)")
    p.add_argument("--document", action="append", default=[], help="restrict to a plan file name (repeatable)")
    p.set_defaults(handler=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="interactive chat in the terminal")
    p.add_argument("--k", type=int, default=None)
    p.set_defaults(handler=cmd_chat)


def _open(args):
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    extra = {"k": args.k} if getattr(args, "k", None) else {}
    return open_services(settings_from_args(args, extra))


def make_filters(services, provinces, documents):
    from index.types import Filters
    from ingest.provinces import find_provinces

    canon = []
    for p in provinces:
        found = find_provinces(p)
        if not found:
            raise ValueError(f"unknown province '{p}'")
        canon.extend(found)
    return Filters(provinces=tuple(canon), documents=tuple(documents))


def format_answer(answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            where = " · ".join(x for x in (c.number, c.province, c.section, f"p. {c.page}" if c.page else "") if x)
            lines.append(f"[{c.n}] {c.document} — {where}")
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
