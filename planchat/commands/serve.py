"""planchat serve: the Gradio app over the index."""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="start the web app (Gradio)")
    p.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")
    p.add_argument("--auth", default=None, help="'user:password' or a file with one such line per user")
    p.add_argument("--language", choices=["vi", "en"], default=None, help="interface language (default vi)")
    p.add_argument(
        "--ingest-if-empty",
        metavar="PATH",
        default=None,
        help="ingest PATH first when the index holds no plans (used by `make run` with the sample plans)",
    )
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args) -> int:
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    extra = {"host": args.host, "port": args.port, "auth": args.auth, "ui_language": args.language}
    settings = settings_from_args(args, extra)
    services = open_services(settings)
    if args.ingest_if_empty and not services.index.documents():
        from planchat.commands.corpus import print_ingest_report
        from planchat.progress import TerminalProgress

        print(f"index is empty: ingesting {args.ingest_if_empty} …", file=sys.stderr)
        progress = TerminalProgress()
        try:
            report = services.ingest([Path(args.ingest_if_empty)], progress=progress)
        finally:
            progress.close()
        print_ingest_report(report, out=sys.stderr)
    from ui.app import serve

    serve(
        services,
        host=settings.host,
        port=settings.port,
        auth=settings.auth,
        concurrency_limit=settings.concurrency_limit,
        max_upload_mb=settings.max_upload_mb,
        language=settings.ui_language,
    )
    return 0
