"""Uploads processed off the event loop: read → extract → store → check.

An upload is streamed to a temporary file (hashing it on the way, so the
document's id — its sha256 — is known at once) and handed to a small thread
pool; the client follows the job's state.  A file that cannot be read ends
the job with the reader's problems and leaves the ledger as it was; the
store writes a document and all its records in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yusuan.model import Problem
from yusuan.service.i18n import JOB
from yusuan.store import Store

STATES = ("queued", "reading", "extracting", "storing", "checking", "done", "failed")
PROGRESS = {"queued": 0, "reading": 10, "extracting": 35, "storing": 60, "checking": 85,
            "done": 100, "failed": 100}
KEEP_JOBS = 1000

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_name(name: str | None) -> str:
    """A display name for an uploaded file: its last path part, no control or
    path characters, at most 200 characters ("upload" when nothing is left)."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").split("/")[-1]
    text = _UNSAFE.sub("", text).strip().lstrip(".")
    return text[:200] or "upload"


@dataclass
class Job:
    id: str
    name: str
    size: int
    sha256: str
    user: str
    created: datetime
    state: str = "queued"
    finished: datetime | None = None
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return PROGRESS[self.state]

    @property
    def done(self) -> bool:
        return self.state in ("done", "failed")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "size": self.size,
            "document": self.sha256,
            "user": self.user,
            "state": self.state,
            "state_zh": JOB[self.state][0],
            "state_en": JOB[self.state][1],
            "progress": self.progress,
            "done": self.done,
            "created": self.created.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "result": self.result,
            "error": self.error,
            "problems": self.problems,
        }


def _problem(p: Problem) -> dict[str, Any]:
    return {"code": p.code, "message": p.message, "message_en": p.message_en, "line": p.line}


def process(store: Store, job: Job, path: Path, step: Callable[[str], None]) -> dict[str, Any]:
    """Run one upload through the pipeline; returns the result summary.

    Raises :class:`UploadRejected` when the file cannot be read (nothing stored).
    """
    from yusuan.check import check
    from yusuan.extract import extract
    from yusuan.read import read_bytes

    step("reading")
    data = path.read_bytes()
    document, problems = read_bytes(data, job.name)
    job.problems = [_problem(p) for p in problems]
    if document is None:
        raise UploadRejected(
            "unreadable",
            "无法读取该文件：" + "；".join(p.message for p in problems[:3]),
            "The file cannot be read: " + "; ".join(p.message_en or p.message for p in problems[:3]),
        )
    step("extracting")
    extraction = extract(document)
    job.problems += [_problem(p) for p in extraction.problems]
    step("storing")
    stored = store.ingest(extraction)
    step("checking")
    result = check([extraction])
    saved = store.save_findings(stored.document, result.findings)
    return {
        "document": stored.document,
        "name": stored.name,
        "government": stored.government,
        "division": extraction.government.code if extraction.government else None,
        "kind": stored.kind,
        "year": stored.year,
        "facts": stored.facts,
        "tables": stored.tables,
        "relations": stored.relations,
        "findings": saved,
        "new": stored.new,
    }


class UploadRejected(Exception):
    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message, self.message_en = code, message, message_en


class Jobs:
    """The upload queue: a thread pool and the recent jobs, newest last."""

    def __init__(
        self,
        store: Store,
        workers: int = 2,
        on_done: Callable[[Job], None] | None = None,
    ) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="yusuan-upload")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._on_done = on_done

    def submit(self, path: Path, name: str, size: int, sha256: str, user: str) -> Job:
        job = Job(secrets.token_hex(8), name, size, sha256, user, datetime.now(UTC))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                old, _ = self._jobs.popitem(last=False)
                self._futures.pop(old, None)
            self._futures[job.id] = self._pool.submit(self._run, job, path)
        return job

    def _run(self, job: Job, path: Path) -> None:
        def step(state: str) -> None:
            job.state = state

        try:
            job.result = process(self.store, job, path, step)
            job.state = "done"
        except UploadRejected as exc:
            job.error = {"code": exc.code, "message": exc.message, "message_en": exc.message_en}
            job.state = "failed"
        except Exception as exc:  # a bug or the database: reported, the ledger rolled back
            job.error = {
                "code": "processing_failed",
                "message": f"处理失败，已回滚：{type(exc).__name__}: {exc}",
                "message_en": f"Processing failed and was rolled back: {type(exc).__name__}: {exc}",
            }
            job.state = "failed"
        finally:
            job.finished = datetime.now(UTC)
            with contextlib.suppress(OSError):
                os.unlink(path)
            if self._on_done is not None:
                # the audit log must not turn a done job into a failure
                with contextlib.suppress(Exception):
                    self._on_done(job)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, user: str | None = None, limit: int = 20) -> list[Job]:
        with self._lock:
            jobs = [j for j in self._jobs.values() if user is None or j.user == user]
        return jobs[-limit:][::-1]

    def wait(self, job_id: str, timeout: float | None = None) -> Job | None:
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
