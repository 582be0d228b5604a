"""``yusuan facts``: list facts of the ledger as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import click

from yusuan.cli.common import (
    BOOK_ZH,
    SCOPE_ZH,
    STAGE_ZH,
    db_option,
    open_store,
    render_table,
    resolve_document,
)
from yusuan.model import Amount, Book, Fact, Period, Source, Stage, Unit
from yusuan.model.serialize import dumps, fact_dict

TABLE_HEADERS = ("政府", "范围", "预算本", "指标", "科目", "口径", "期间", "数值", "单位", "增长%", "来源")


def table_row(fact: Fact) -> list[str]:
    scope = str(fact.scope)
    source = f"{Path(fact.source.file).name or fact.source.document[:8]}:{fact.source.line}"
    return [
        fact.government or "",
        SCOPE_ZH.get(scope, scope),
        BOOK_ZH.get(fact.book.value, fact.book.value) if fact.book else "",
        fact.indicator,
        fact.code or "",
        STAGE_ZH.get(fact.stage.value, fact.stage.value),
        str(fact.period),
        format(fact.amount.value, "f"),
        fact.amount.unit.value,
        format(fact.yoy_pct, "f") if fact.yoy_pct is not None else "",
        source,
    ]


def to_csv(facts: list[Fact]) -> str:
    """CSV with a UTF-8 byte order mark, so that Excel shows the Chinese correctly."""
    out = io.StringIO()
    rows = [fact_dict(f) for f in facts]
    columns = list(rows[0]) if rows else list(_columns())
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return "\ufeff" + out.getvalue()


def _columns() -> list[str]:
    """The CSV header when there are no facts: the keys of ``fact_dict``."""
    sample = Fact("", Amount(Decimal(0), Unit.YUAN), Stage.OTHER, Period(2000), Source("", 0, 0, 0, ""))
    return list(fact_dict(sample))


@click.command("facts", help="列出账本中的数据项。 List facts in the ledger.")
@db_option
@click.option("--government", help="政府名称或区划代码。 Government name or division code.")
@click.option("--book", type=click.Choice([b.value for b in Book]), help="预算本。 Budget book.")
@click.option("--indicator", help="指标名称，可用 * 通配。 Indicator; * is a wildcard.")
@click.option("--code", help="科目编码，可用 * 通配（如 201*）。 Classification code; * is a wildcard.")
@click.option("--stage", type=click.Choice([s.value for s in Stage]), help="口径。 Stage.")
@click.option("--period", help="期间，如 2024 或 2024-01..06。 Period.")
@click.option("--scope", help="范围：whole（全口径）、own（本级）或下级政府名称。 Scope.")
@click.option("--document", help="文件 sha256（或其前缀）或文件名。 Document.")
@click.option("--limit", type=int, default=None, help="最多显示多少条。 At most this many facts.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="输出格式。 Output format.")
def facts_cmd(
    db: str,
    government: str | None,
    book: str | None,
    indicator: str | None,
    code: str | None,
    stage: str | None,
    period: str | None,
    scope: str | None,
    document: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    store = open_store(db)
    try:
        document_id = resolve_document(store, document)
        facts = store.facts(
            government=government,
            book=book,
            indicator=indicator,
            code=code,
            stage=stage,
            period=period,
            scope=scope,
            document=document_id,
        )
    finally:
        store.close()
    if limit is not None:
        facts = facts[:limit]
    if fmt == "json":
        click.echo(dumps([fact_dict(f) for f in facts]))
    elif fmt == "csv":
        click.echo(to_csv(facts), nl=False)
    else:
        if not facts:
            click.echo("没有符合条件的数据项。", err=True)
            return
        for line in render_table(TABLE_HEADERS, [table_row(f) for f in facts], right=(7, 9)):
            click.echo(line)
        click.echo(f"共 {len(facts)} 条。", err=True)
