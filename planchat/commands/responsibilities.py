"""planchat who / deadlines / eval-responsibilities: the responsibility matrix as data."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from dataclasses import asdict


def register(sub, common) -> None:
    p = sub.add_parser("who", parents=[common], help="tasks an agency leads or coordinates, across all plans")
    p.add_argument("agency", nargs="?", help='agency name or alias, e.g. "Sở LĐTBXH", "Sở Nội vụ"')
    p.add_argument("--province", default="", help="keep one province (with or without diacritics)")
    p.add_argument("--role", choices=["lead", "coordinator"], default="", help="keep one role")
    p.add_argument("--all", action="store_true", help="every record of every plan")
    p.add_argument("--json", action="store_true", help='print {"records": [...]}')
    p.add_argument("--csv", metavar="FILE", help="write the records as CSV ('-' for stdout)")
    p.set_defaults(handler=cmd_who)

    p = sub.add_parser("deadlines", parents=[common], help="timeline of dated tasks across plans")
    p.add_argument("--before", help="only deadlines on or before this date (YYYY-MM-DD or DD/MM/YYYY)")
    p.add_argument("--after", help="only deadlines on or after this date")
    p.add_argument("--province", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_deadlines)

    p = sub.add_parser("eval-responsibilities", parents=[common], help="precision/recall of extracted responsibilities against a gold file")
    p.add_argument("--gold", default=None, help="gold JSONL (default: evals/datasets/responsibilities_gold.jsonl)")
    p.add_argument("--files", nargs="*", default=None, help="extract from these files instead of the index")
    p.add_argument("--docs-dir", default=None, metavar="DIR",
                   help="extract from the gold file's documents found in DIR (e.g. ../shared/external/dev-docs)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_eval_responsibilities)


class UsageError(ValueError):
    pass


def record_dict(record, role: str = "") -> dict:
    d = asdict(record)
    d["lead"] = list(record.lead)
    d["coordinators"] = list(record.coordinators)
    d["extra"] = dict(record.extra)
    if role:
        d["role"] = role
    from assistant.today import record_today

    today = record_today(record)  # issue 12: who holds the task after the 2025 mergers, and why
    d["today"] = today.text()
    d["today_basis"] = today.basis
    return d


def _records(args):
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    services = open_services(settings_from_args(args))
    try:
        if not services.index.documents():
            from planchat.errors_cli import NothingIngested

            raise NothingIngested()
        return list(services.index.responsibilities())
    finally:
        services.close()


def _province(name: str) -> str:
    """A former or current province name (issue 12), canonical; "" for none."""
    if not name:
        return ""
    from assistant.scope import resolve_province

    try:
        return resolve_province(name)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _provinces(province: str) -> tuple[str, ...]:
    """``province`` and, for a unit of today, the former provinces it took in."""
    from assistant.scope import expand_provinces

    return expand_provinces((province,)) if province else ()


def _parse_date(text: str | None, flag: str) -> str:
    if not text:
        return ""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise UsageError(f"{flag} must be a date like 2023-11-30 or 30/11/2023, got '{text}'")


def _write_csv(rows: list[dict], target: str) -> None:
    fields = ["role", "document", "province", "section", "task", "lead", "coordinators", "deadline", "deadline_iso", "budget", "target", "source", "quote", "today", "today_basis"]
    out = sys.stdout if target == "-" else open(target, "w", encoding="utf-8-sig", newline="")
    try:
        w = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "lead": "; ".join(r["lead"]), "coordinators": "; ".join(r["coordinators"])})
    finally:
        if out is not sys.stdout:
            out.close()


def _cite(r: dict) -> str:
    return f"{r['document']} › {r['section']}" if r.get("section") else r["document"]


def cmd_who(args) -> int:
    from assistant.records import records_for_agency

    try:
        province = _province(args.province)
        if not args.all and not args.agency:
            raise UsageError("name an agency (e.g. planchat who \"Sở Nội vụ\") or use --all")
    except UsageError as e:
        print(f"planchat: error: {e}", file=sys.stderr)
        return 2
    records = _records(args)
    scope = _provinces(province)
    if scope:
        records = [r for r in records if r.province in scope]
    if args.all:
        rows = [record_dict(r) for r in records]
    else:
        rows = [record_dict(r, role) for role, r in records_for_agency(args.agency, records, role=args.role)]
    if args.csv:
        _write_csv(rows, args.csv)
        if args.csv != "-":
            print(f"wrote {len(rows)} records to {args.csv}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps({"records": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"no tasks found for '{args.agency}'" + (f" in {province}" if province else ""))
        return 0
    for role, title in (("lead", "Chủ trì / Leads"), ("coordinator", "Phối hợp / Coordinates"), ("", "Records")):
        group = [r for r in rows if r.get("role", "") == role]
        if not group:
            continue
        print(f"\n== {title} ({len(group)}) ==")
        for r in group:
            print(f"- [{r['province']}] {r['task']}")
            details = []
            if role != "lead" and r["lead"]:
                details.append("chủ trì: " + "; ".join(r["lead"]))
            if role != "coordinator" and r["coordinators"]:
                details.append("phối hợp: " + "; ".join(r["coordinators"]))
            if r["deadline"]:
                details.append("thời hạn: " + r["deadline"])
            if r["budget"]:
                details.append("kinh phí: " + r["budget"])
            if r.get("today"):
                details.append(f"hiện nay / today: {r['today']} — {r['today_basis']}")
            for d in details:
                print(f"    {d}")
            print(f"    nguồn: {_cite(r)}")
    return 0


def cmd_deadlines(args) -> int:
    try:
        province = _province(args.province)
        before = _parse_date(args.before, "--before")
        after = _parse_date(args.after, "--after")
    except UsageError as e:
        print(f"planchat: error: {e}", file=sys.stderr)
        return 2
    rows = [record_dict(r) for r in _records(args) if r.deadline_iso]
    rows = [r for r in rows if (not province or r["province"] == province)
            and (not before or r["deadline_iso"] <= before) and (not after or r["deadline_iso"] >= after)]
    rows.sort(key=lambda r: (r["deadline_iso"], r["province"], r["document"]))
    if args.json:
        print(json.dumps({"deadlines": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no dated tasks match")
        return 0
    for r in rows:
        lead = "; ".join(r["lead"]) or "?"
        print(f"{r['deadline_iso']}  [{r['province']}] {lead}: {r['task'][:110]}{'…' if len(r['task']) > 110 else ''}")
        print(f"            {r['deadline']} — {_cite(r)}")
    return 0


def cmd_eval_responsibilities(args) -> int:
    from evals.responsibilities import DEFAULT_GOLD, records_for_files, run_responsibility_eval

    gold = args.gold or DEFAULT_GOLD
    if getattr(args, "docs_dir", None):
        from evals.errors import DatasetError
        from evals.responsibilities import gold_document_paths

        try:
            args.files = [str(p) for p in gold_document_paths(gold, args.docs_dir)]
        except DatasetError as e:
            print(f"planchat: error: {e}", file=sys.stderr)
            return 2
    records = records_for_files(args.files) if args.files else _records(args)
    result = run_responsibility_eval(records, gold)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "report"}, ensure_ascii=False, indent=2, default=str))
    else:
        print(result["report"])
    return 0
