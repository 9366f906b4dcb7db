"""planchat feedback export / join: thumbs-down and comments from the app become test items.

``export`` writes draft items (question, answer given, passages seen; reference
and must_include empty) to a drafts file; the evaluator completes them in the
file or in the app's Evaluate tab; ``join`` moves the complete ones into a named
set (``<data_dir>/eval_sets/<name>.jsonl``, or a path).
"""
from __future__ import annotations

import sys


def register(sub, common) -> None:
    p = sub.add_parser("feedback", parents=[common], help="turn app feedback into draft test items, and add completed ones to a test set")
    actions = p.add_subparsers(dest="feedback_action", metavar="ACTION")
    export = actions.add_parser("export", parents=[common], help="write thumbs-down and commented answers as draft test items")
    export.add_argument("--out", default=None, help="drafts file (default: <data_dir>/eval_sets/feedback-drafts.jsonl); new drafts are appended")
    export.add_argument("--set", dest="set_name", default=None, help="also skip answers already in this set (a name or a .jsonl path; sets in <data_dir>/eval_sets/ are always checked)")
    export.set_defaults(handler=cmd_export)
    join = actions.add_parser("join", parents=[common], help="move completed drafts (reference and must_include filled in) into a named set")
    join.add_argument("drafts", nargs="?", default=None, help="drafts file (default: <data_dir>/eval_sets/feedback-drafts.jsonl)")
    join.add_argument("--set", dest="set_name", required=True, help="set name (kept in <data_dir>/eval_sets/) or a .jsonl path")
    join.set_defaults(handler=cmd_join)
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])


def _paths(args):
    from evals.feedback_drafts import DEFAULT_DRAFTS_NAME, SETS_DIR_NAME
    from planchat.cli import settings_from_args

    settings = settings_from_args(args)
    default_drafts = settings.data_dir / SETS_DIR_NAME / DEFAULT_DRAFTS_NAME
    return settings, default_drafts


def cmd_export(args) -> int:
    from evals.feedback_drafts import export_drafts, set_path_for, sets_in

    settings, default_drafts = _paths(args)
    drafts = args.out or default_drafts
    skip = sets_in(default_drafts.parent) + ([set_path_for(args.set_name, settings.data_dir)] if args.set_name else [])
    report = export_drafts(settings.feedback_path, drafts, skip_sets=skip)
    print(f"{report.added} new draft item(s) from {settings.feedback_path}; {report.total} in {report.path}")
    if report.total:
        print("complete 'reference' and 'must_include' in that file (or in the app's Evaluate tab), then: planchat feedback join --set NAME", file=sys.stderr)
    return 0


def cmd_join(args) -> int:
    from evals.feedback_drafts import join_set, read_items, set_path_for, write_items

    settings, default_drafts = _paths(args)
    drafts_path = args.drafts or default_drafts
    drafts = read_items(drafts_path)
    set_path = set_path_for(args.set_name, settings.data_dir)
    report, left = join_set(drafts, set_path)
    write_items(drafts_path, left)
    print(f"{len(report.joined)} item(s) added to {report.set_path}, {len(report.replaced)} replaced; "
          f"{len(report.incomplete)} draft(s) still need a reference and must_include (left in {drafts_path})")
    return 0
