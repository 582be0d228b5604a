"""What the commands share: the database option, reading a file, CJK-aligned tables."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from yusuan.model import Extraction, Problem
from yusuan.store import DEFAULT_URL, IngestResult, Store

F = TypeVar("F", bound=Callable[..., Any])

BOOK_ZH = {
    "general": "一般公共预算",
    "fund": "政府性基金预算",
    "capital": "国有资本经营预算",
    "social": "社会保险基金预算",
    "all": "四本合计",
}
STAGE_ZH = {
    "budget": "年初预算",
    "adjusted": "调整预算",
    "execution": "执行数",
    "final": "决算数",
    "limit": "限额",
    "balance": "余额",
    "plan": "安排",
    "other": "其他",
}
SCOPE_ZH = {"whole": "全口径", "own": "本级"}
KIND_ZH = {
    "budget_report": "预算报告",
    "execution_report": "预算执行情况报告",
    "final_report": "决算报告",
    "department_budget": "部门预算",
    "tables": "公开表",
    "other": "其他",
}


def default_db() -> str:
    """``$YUSUAN_DB`` or ``sqlite:///yusuan.db``."""
    return os.environ.get("YUSUAN_DB") or DEFAULT_URL


def db_option(func: F) -> F:
    """The ``--db URL`` option every command that uses the ledger takes."""
    return click.option(
        "--db",
        "db",
        default=default_db,
        show_default="$YUSUAN_DB 或 sqlite:///yusuan.db",
        help="账本数据库：SQLite 文件路径或 URL（postgresql://…）。 Ledger database path or URL.",
    )(func)


def open_store(db: str) -> Store:
    """Open the ledger or stop with a one-line Chinese error."""
    try:
        return Store.open(db)
    except Exception as exc:  # a bad URL, an unreachable server, a locked file
        raise click.ClickException(f"无法打开数据库 {db}：{type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------
# One file into the ledger


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file: stored (``result``) or not (``result`` None)."""

    path: str
    result: IngestResult | None
    problems: tuple[Problem, ...]
    error: str | None = None  # a failure that is no reader problem (a bug, the database)

    @property
    def failed(self) -> bool:
        return self.result is None


def read_extract(path: str | Path) -> tuple[Extraction | None, list[Problem]]:
    """Read and extract one file; ``None`` with the reader's problems when unreadable."""
    from yusuan.extract import extract
    from yusuan.read import read

    document, problems = read(path)
    if document is None:
        return None, list(problems)
    extraction = extract(document)
    return extraction, list(problems)


def ingest_file(store: Store, path: str | Path) -> Outcome:
    """Read, extract and store one file; never raises for a bad file."""
    name = str(path)
    try:
        extraction, problems = read_extract(path)
    except Exception as exc:  # a reader or extractor bug must not stop the other files
        return Outcome(name, None, (), f"读取或抽取时出错：{type(exc).__name__}: {exc}")
    if extraction is None:
        return Outcome(name, None, tuple(problems))
    try:
        result = store.ingest(extraction)
    except Exception as exc:  # rolled back by the store
        return Outcome(name, None, tuple(problems), f"写入数据库失败，已回滚：{type(exc).__name__}: {exc}")
    return Outcome(name, result, tuple(problems) + extraction.problems)


def echo_failure(outcome: Outcome) -> None:
    """Why a file could not be ingested, on standard error: its problems, or the error."""
    for problem in outcome.problems:
        click.echo(problem_text(outcome.path, problem), err=True)
    if outcome.error:
        click.echo(f"{outcome.path}: {outcome.error}", err=True)
    if not outcome.problems and not outcome.error:
        click.echo(f"{outcome.path}: 无法读取。", err=True)


def resolve_document(store: Store, document: str | None) -> str | None:
    """The id of the stored document a name, path or id prefix names (None for None)."""
    if document is None:
        return None
    document_id = store.resolve(document)
    if document_id is None:
        raise click.ClickException(f"找不到文件 {document}（或不止一个文件与之匹配）。")
    return document_id


def problem_text(path: str, problem: Problem) -> str:
    """``path: message``; the file name the message starts with is not repeated."""
    message = problem.message
    for prefix in (Path(problem.file).name, Path(path).name, problem.file):
        if prefix and message.startswith(prefix):
            message = message[len(prefix) :].lstrip("：: ")
            break
    where = f"{path}:{problem.line}" if problem.line else path
    return f"{where}: {message}"


# --------------------------------------------------------------------------
# Tables for the terminal


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters take two."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` columns, with an ellipsis when cut."""
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out += ch
        used += w
    return out + "…"


def pad(text: str, columns: int, right: bool = False) -> str:
    gap = " " * max(0, columns - width(text))
    return gap + text if right else text + gap


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[int] = (),
    max_width: int = 40,
) -> list[str]:
    """Lines of an aligned table; columns in ``right`` are right-aligned (numbers)."""
    cells = [[clip(c, max_width) for c in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))
    lines = ["  ".join(pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip())
    return lines
