"""planchat eval: delegates to evals.cli with the real services."""
from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("eval", parents=[common], help="evaluate retrieval and answers on a question-answer test set")
    try:
        from evals.cli import add_eval_arguments
    except ImportError:  # evals not installed in this build
        p.set_defaults(handler=lambda args: _missing())
        return
    add_eval_arguments(p)
    p.set_defaults(handler=cmd_eval)


def _missing() -> int:
    print("planchat: error: the evals package is not available", flush=True)
    return 2


def cmd_eval(args) -> int:
    from evals.cli import run_eval_command
    from planchat.cli import settings_from_args
    from planchat.wiring import open_services

    if getattr(args, "compare", None):
        return run_eval_command(args, None)
    opened = []

    def services():  # opened only when the command needs the index (--rescore and native sets may not)
        if not opened:
            opened.append(open_services(settings_from_args(args)))
        return opened[0]

    try:
        return run_eval_command(args, services)
    finally:
        for s in opened:
            s.close()
