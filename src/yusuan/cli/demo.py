"""``yusuan demo``: the sample documents into a fresh ledger, and what was found."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from yusuan.cli.common import (
    BOOK_ZH,
    KIND_ZH,
    STAGE_ZH,
    Outcome,
    clip,
    echo_failure,
    ingest_file,
    open_store,
    render_table,
)
from yusuan.model import Extraction, Fact, Finding
from yusuan.store import Store

SAMPLES = Path(__file__).resolve().parent / "samples"
DEFAULT_DB = "yusuan-demo.db"
QUOTES = 3  # source quotes shown per finding


def sample_files() -> list[Path]:
    """The sample documents the project ships (its own, written for the demo)."""
    return sorted(SAMPLES.glob("*.txt"))


def run_checks(extractions: Sequence[Extraction]) -> list[Finding] | None:
    """EXTENSION POINT: the checker's findings on the demo documents.

    Uses ``yusuan.check.check(extractions)`` (a result with ``findings``);
    returns None when no checker is installed, so the demo still runs.
    """
    try:
        from yusuan.check import check
    except ImportError:
        return None
    result = check(list(extractions))
    return list(getattr(result, "findings", result))


def _fresh(path: Path) -> None:
    """Remove an earlier demo database (and SQLite's side files)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()


def _heading(text: str) -> None:
    click.echo("")
    click.echo(click.style(text, bold=True))


def _counts(store: Store) -> list[str]:
    facts = store.facts()
    counts = Counter((f.book.value if f.book else "", f.stage.value) for f in facts)
    books = sorted({b for b, _ in counts}, key=lambda b: list(BOOK_ZH).index(b) if b in BOOK_ZH else 99)
    stages = [s for s in STAGE_ZH if any(st == s for _, st in counts)]
    rows = []
    for book in books:
        row = [BOOK_ZH.get(book, "（未分类）")]
        row += [str(counts.get((book, s), "")) for s in stages]
        row.append(str(sum(counts.get((book, s), 0) for s in stages)))
        rows.append(row)
    rows.append(["合计", *[str(sum(counts.get((b, s), 0) for b in books)) for s in stages],
                 str(len(facts))])
    headers = ["预算本", *[STAGE_ZH[s] for s in stages], "合计"]
    return render_table(headers, rows, right=tuple(range(1, len(headers))))


def _key_facts(facts: Sequence[Fact], limit: int) -> list[Fact]:
    """Narrative facts first (they carry the report's claims), then table figures."""
    narrative = [f for f in facts if f.table is None]
    return (narrative or list(facts))[:limit]


@click.command("demo", help="演示：把项目自带的示例文件读入一个新的账本并展示结果。 "
               "Ingest the bundled samples into a fresh ledger and show what was found.")
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
              help="演示用的 SQLite 文件（已存在则替换）。 SQLite file, replaced if present.")
@click.option("--facts", "n_facts", default=8, show_default=True,
              help="展示多少条关键数据项。 How many key facts to show.")
def demo_cmd(db: str, n_facts: int) -> None:
    path = Path(db)
    _fresh(path)
    files = sample_files()
    if not files:
        raise click.ClickException(f"找不到示例文件：{SAMPLES}")
    store = open_store(str(path))
    try:
        outcomes: list[Outcome] = [ingest_file(store, f) for f in files]
        _report(store, outcomes, n_facts)
    finally:
        store.close()
    click.echo("")
    click.echo(f"账本已写入 {path}。接着可以试试：")
    click.echo(f"  yusuan facts --db {path} --book general --stage execution")
    click.echo(f"  yusuan facts --db {path} --format csv > 示例.csv")
    if any(o.failed for o in outcomes):
        sys.exit(1)


def _report(store: Store, outcomes: Sequence[Outcome], n_facts: int) -> None:
    _heading(f"一、读入的文件（{len(outcomes)} 份）")
    for outcome in outcomes:
        if outcome.failed:
            echo_failure(outcome)
    docs = store.documents()
    rows = [
        [d.name, d.government or "—", KIND_ZH.get(d.kind, d.kind), str(d.year or "—"),
         str(d.facts), str(d.tables)]
        for d in docs
    ]
    for line in render_table(["文件", "政府", "类型", "年度", "数据项", "表"], rows,
                             right=(4, 5), max_width=44):
        click.echo(line)

    _heading("二、数据项：按预算本和口径计数")
    for line in _counts(store):
        click.echo(line)

    _heading("三、关键数据项及其原文")
    for fact in _key_facts(store.facts(), n_facts):
        stage = STAGE_ZH.get(fact.stage.value, fact.stage.value)
        where = f"{Path(fact.source.file).name or fact.source.document[:8]}:{fact.source.line}"
        growth = ""
        if fact.yoy_pct is not None:
            word = "下降" if fact.yoy_pct < 0 else "增长"
            growth = f"，{word} {abs(fact.yoy_pct)}%"
        click.echo(f"· {fact.indicator}（{stage}，{fact.period}）：{fact.amount}{growth}")
        click.echo(f"    “{clip(fact.source.quote, 70)}”  —— {where}")

    _heading("四、检查发现")
    extractions = [store.extraction(d.id) for d in docs]
    findings = run_checks(extractions)
    if findings is None:
        click.echo("检查器尚未接入本命令；示例文件中故意留有一处错误（见 samples/README.md）。")
        return
    by_document: dict[str, list[Finding]] = {d.id: [] for d in docs}
    for finding in findings:
        doc = finding.document or (finding.sources[0].document if finding.sources else None)
        by_document.setdefault(doc or docs[0].id, []).append(finding)
    for document, items in by_document.items():
        if store.has(document):
            store.save_findings(document, items)
    if not findings:
        click.echo("没有发现问题。")
    for finding in findings:
        click.echo(f"[{finding.code}] {finding.message}")
        for source in finding.sources[:QUOTES]:
            where = f"{Path(source.file).name or source.document[:8]}:{source.line}"
            click.echo(f"    “{clip(source.quote, 70)}”  —— {where}")
        if len(finding.sources) > QUOTES:
            click.echo(f"    ……另有 {len(finding.sources) - QUOTES} 处原文")
    stored = store.findings()
    click.echo(f"共 {len(stored)} 条发现，已存入账本。")
