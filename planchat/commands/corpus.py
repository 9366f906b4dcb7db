"""planchat ingest / documents / remove."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub, common) -> None:
    p = sub.add_parser("ingest", parents=[common], help="add plan files or folders to the index")
    p.add_argument("paths", nargs="+", help="files or folders (.txt .md .pdf .docx .doc .html)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    p.add_argument(
        "--reindex",
        action="store_true",
        help="re-embed every stored chunk with the configured --embedding-model (to switch models)",
    )
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("documents", parents=[common], help="list ingested plans")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_documents)

    p = sub.add_parser("remove", parents=[common], help="remove a plan (by file name) from the index")
    p.add_argument("file", help="document id: the file name as ingested")
    p.set_defaults(handler=cmd_remove)


def _services(args, **kwargs):
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    return open_services(settings_from_args(args), **kwargs)


def print_ingest_report(report, *, as_json: bool = False, out=None) -> None:
    out = out or sys.stdout
    if as_json:
        print(json.dumps({
            "added": list(report.added),
            "replaced": list(report.replaced),
            "skipped_unchanged": list(report.skipped_unchanged),
            "failed": [{"path": str(p), "error": m} for p, m in report.failed],
            "chunks_added": report.chunks_added,
        }, ensure_ascii=False, indent=2), file=out)
        return
    for path, message in report.failed:
        print(f"FAILED  {message}", file=sys.stderr)
    print(
        f"ingested {len(report.added)} new, {len(report.replaced)} changed, "
        f"{len(report.skipped_unchanged)} unchanged (skipped), {len(report.failed)} failed; "
        f"{report.chunks_added} chunks added",
        file=out,
    )


def cmd_ingest(args) -> int:
    from planchat.progress import TerminalProgress

    progress = TerminalProgress(enabled=False if args.no_progress else None)
    services = _services(args, reindex=args.reindex, progress=progress)
    try:
        report = services.ingest(args.paths, progress=progress)
    finally:
        progress.close()
        services.close()
    print_ingest_report(report, as_json=args.json)
    return 1 if report.failed else 0


def cmd_documents(args) -> int:
    services = _services(args)
    try:
        infos = services.index.documents()
    finally:
        services.close()
    from index.doc_status import library_status

    statuses = library_status([i.meta for i in infos])  # issue 12: which documents still stand
    if args.json:
        rows = [
            dict(_meta_dict(i.meta), chunks=i.chunk_count, ingested_at=i.ingested_at,
                 status=statuses[i.meta.doc_id].state, status_label=statuses[i.meta.doc_id].label())
            for i in infos
        ]
        print(json.dumps({"documents": rows}, ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print("no documents ingested yet: run `planchat ingest PATH`")
        return 0
    for i in infos:
        m = i.meta
        date = (m.issued_date or m.issued_date_text or "?") + _source_note(getattr(m, "date_source", ""))
        number = (m.number or "-") + _source_note(getattr(m, "number_source", ""))
        ocr = f" · OCR {m.ocr_pages} p., confidence {m.ocr_confidence:.0%}" if getattr(m, "ocr_pages", 0) else ""
        ocr += f" (garbled text layer replaced: p. {m.garbled_pages})" if getattr(m, "garbled_pages", "") else ""
        standing = statuses[m.doc_id].label() or "hiệu lực: chưa rõ"
        print(f"{m.doc_id}\n    {number} · {m.province or '-'} · {date} · {i.chunk_count} chunks{ocr} · {standing}\n    {m.title}")
        said = [f"thay thế {r.split('|')[0]}" for r in m.replaces] + [f"bãi bỏ {r.split('|')[0]}" for r in m.repeals]
        if said:
            print(f"    văn bản ghi: {'; '.join(said)}")
    return 0


_SOURCE_NAMES = {
    "header_ocr": "header OCR",
    "signature_block": "signature block",
    "signature_timestamp": "digital-signature time",
    "header_ocr+signature_timestamp": "header OCR + digital-signature time",
}


def _source_note(source: str) -> str:
    """" (from header OCR)" when a field was not in the text layer itself."""
    return f" (from {_SOURCE_NAMES.get(source, source)})" if source else ""


def _meta_dict(meta) -> dict:
    from dataclasses import asdict

    return asdict(meta)


def cmd_remove(args) -> int:
    services = _services(args)
    try:
        services.remove(args.file)
    finally:
        services.close()
    print(f"removed {args.file}")
    return 0
