"""Evaluation runs started from the app, executed in the background.

A run is a job on one worker thread owned by the app, outside Gradio's request
queue: starting it returns at once, the page polls :meth:`EvalJobs.status` with a
timer, and chat requests keep every slot of the queue (``concurrency_limit``)
while a run goes on. Only one run executes at a time; further runs wait their
turn, and the worker yields between questions so chat answers are not held up
behind a long test set. Finished runs are ordinary run directories
(``summary.json``, ``results.jsonl``, reports) under ``runs_dir``, the same files
``planchat eval`` writes, so ``--compare`` and ``--rescore`` work on them too.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Sequence

log = logging.getLogger(__name__)

#: Pause after each question so that chat requests get the interpreter between two evaluated questions.
YIELD_SECONDS = 0.01
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class JobStatus:
    job_id: str
    name: str
    state: str
    done: int = 0
    total: int = 0
    run_id: str = ""
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


@dataclass(frozen=True)
class RunEntry:
    """A finished run directory under ``runs_dir``."""

    run_id: str  # the directory name
    name: str
    created_at: str
    n_items: int
    pass_rate: float | None

    def label(self) -> str:
        rate = "–" if self.pass_rate is None else f"{self.pass_rate:.0%}"
        return f"{self.name} · {self.created_at[:16].replace('T', ' ')} · {self.n_items} · pass {rate}"


def slug(text: str) -> str:
    from evals.text import _fold

    base = re.sub(r"[^a-z0-9]+", "-", _fold(Path(text).stem).lower() if text else "").strip("-")
    return base[:40] or "run"


class EvalJobs:
    def __init__(self, services, runs_dir: str | Path, *, k: int = 5):
        self.services = services
        self.runs_dir = Path(runs_dir)
        self.k = k
        self._lock = threading.Lock()
        self._jobs: dict[str, JobStatus] = {}
        self._executor: ThreadPoolExecutor | None = None

    # -- jobs ----------------------------------------------------------------------------
    def submit(self, items: Sequence, name: str) -> str:
        """Queue a run over ``items``; returns the job id at once."""
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._jobs[job_id] = JobStatus(job_id, name, QUEUED, 0, len(items))
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planchat-eval")
            executor = self._executor
        executor.submit(self._run, job_id, list(items), name)
        return job_id

    def status(self, job_id: str) -> JobStatus | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _update(self, job_id: str, **changes) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: str, items: list, name: str) -> None:
        from evals.run import run_eval

        self._update(job_id, state=RUNNING)
        run_dir = self._new_run_dir(name)

        def progress(done: int, total: int) -> None:
            self._update(job_id, done=done, total=total)
            time.sleep(YIELD_SECONDS)

        try:
            services = self.services
            run_eval(
                items,
                retrieve=lambda q, k: services.index.retrieve(q, k, None),
                ask=lambda q: services.assistant.ask(q),
                k=self.k,
                progress=progress,
                config={"started_from": "app", **dict(getattr(services, "settings_dict", {}) or {})},
                label=name,
                dataset=name,
                out_dir=run_dir,
            )
        except Exception as err:  # noqa: BLE001 - shown in the tab as one line, logged in full
            log.exception("evaluation run %s failed", name)
            self._update(job_id, state=FAILED, error=" ".join(str(err).split()) or type(err).__name__)
            return
        self._update(job_id, state=DONE, run_id=run_dir.name)

    def _new_run_dir(self, name: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        base = f"{stamp}-{slug(name)}"
        with self._lock:
            candidate, i = self.runs_dir / base, 1
            while candidate.exists():
                candidate, i = self.runs_dir / f"{base}-{i}", i + 1
            candidate.mkdir(parents=True)
        return candidate

    # -- finished runs -------------------------------------------------------------------
    def runs(self) -> list[RunEntry]:
        """Finished runs, newest first."""
        if not self.runs_dir.is_dir():
            return []
        entries = []
        for d in self.runs_dir.iterdir():
            summary_path = d / "summary.json"
            if not (d / "results.jsonl").is_file() or not summary_path.is_file():
                continue
            try:
                s = json.loads(summary_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            rate = (s.get("metrics", {}).get("pass_rate") or {}).get("value")
            entries.append(RunEntry(d.name, str(s.get("label") or d.name), str(s.get("created_at") or ""),
                                    int(s.get("counts", {}).get("items") or 0), rate))
        return sorted(entries, key=lambda e: (e.created_at, e.run_id), reverse=True)

    def run_dir(self, run_id: str) -> Path:
        """The directory of a finished run; the id must name a directory directly under ``runs_dir``."""
        path = (self.runs_dir / str(run_id)).resolve()
        if path.parent != self.runs_dir.resolve() or not (path / "results.jsonl").is_file():
            raise KeyError(run_id)
        return path

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
