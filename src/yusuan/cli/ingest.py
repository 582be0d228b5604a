"""``yusuan ingest``: read files into the ledger."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from yusuan.cli.common import (
    Outcome,
    db_option,
    echo_failure,
    ingest_file,
    open_store,
    problem_text,
)

# Extensions taken when a folder is walked; a file named on the command line
# is always read (the reader says when it cannot be).
FALLBACK_EXTENSIONS = (".txt", ".pdf", ".docx", ".xlsx", ".html", ".htm")


def known_extensions() -> frozenset[str]:
    """The extensions the readers claim (from the reader registry when it has one)."""
    try:
        from yusuan.read.registry import EXTENSIONS
    except ImportError:
        return frozenset(FALLBACK_EXTENSIONS)
    return frozenset(EXTENSIONS)


def collect(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files to read, in a stable order, and the paths that do not exist."""
    extensions = known_extensions()
    files: list[Path] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in extensions and not f.name.startswith(".")
            )
        elif p.is_file():
            found = [p]
        else:
            missing.append(given)
            continue
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, missing


def summary_line(outcome: Outcome) -> str:
    """One line per stored file: name, government, facts, tables, new or already present."""
    r = outcome.result
    assert r is not None
    state = "新入库" if r.new else "已存在，未重复入库"
    government = r.government or "（未识别政府）"
    return f"{r.name}\t{government}\t事实 {r.facts}\t表 {r.tables}\t{state}"


@click.command("ingest", help="读取文件或文件夹并存入账本。 Read files or folders into the ledger.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
def ingest_cmd(paths: tuple[str, ...], db: str) -> None:
    files, missing = collect(paths)
    for given in missing:
        click.echo(f"{given}: 文件或文件夹不存在。", err=True)
    if not files and not missing:
        click.echo("没有找到可读取的文件（支持 " + "、".join(sorted(known_extensions())) + "）。",
                   err=True)
        sys.exit(1)
    store = open_store(db)
    outcomes: list[Outcome] = []
    try:
        with click.progressbar(
            files,
            label="入库",
            file=sys.stderr,
            item_show_func=lambda f: f.name if f else None,
        ) as bar:
            for f in bar:
                outcomes.append(ingest_file(store, f))
    finally:
        store.close()
    for outcome in outcomes:
        if outcome.failed:
            echo_failure(outcome)
            continue
        click.echo(summary_line(outcome))
        for problem in outcome.problems:
            click.echo("  注意：" + problem_text(outcome.path, problem), err=True)
    new = sum(1 for o in outcomes if o.result is not None and o.result.new)
    present = sum(1 for o in outcomes if o.result is not None and not o.result.new)
    failed = sum(1 for o in outcomes if o.failed) + len(missing)
    click.echo(f"共 {len(files) + len(missing)} 个文件：新入库 {new}，已存在 {present}，失败 {failed}。", err=True)
    if failed:
        sys.exit(1)
