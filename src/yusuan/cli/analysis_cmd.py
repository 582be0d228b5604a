"""``yusuan indicators | compare | report | export``: analysis and output.

Each command takes its facts from the ledger (``--db``) with the same
filters as ``yusuan facts``, or straight from files given as arguments
(read and extracted, not stored).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

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
from yusuan.model import Book, Extraction, Fact, Finding, Level, Period, Stage
from yusuan.model.serialize import dumps

F = TypeVar("F", bound=Callable[..., Any])


def fact_filters(func: F) -> F:
    """The filters of ``yusuan facts`` plus FILES to read instead of the ledger."""
    options = [
        click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False)),
        db_option,
        click.option("--government", help="政府名称或区划代码。 Government name or division code."),
        click.option("--book", type=click.Choice([b.value for b in Book]), help="预算本。 Budget book."),
        click.option("--indicator", help="指标名称，可用 * 通配。 Indicator; * is a wildcard."),
        click.option("--code", help="科目编码，可用 * 通配。 Classification code; * is a wildcard."),
        click.option("--stage", type=click.Choice([s.value for s in Stage]), help="口径。 Stage."),
        click.option("--period", help="期间，如 2024 或 2024-01..06。 Period."),
        click.option("--scope", help="范围：whole、own 或下级政府名称。 Scope."),
        click.option("--document", help="文件 sha256（或其前缀）或文件名。 Document."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class Loaded:
    """Facts (and, from files, the extractions) a command works on."""

    def __init__(self, facts: list[Fact], extractions: list[Extraction]) -> None:
        self.facts = facts
        self.extractions = extractions


def _match(value: str | None, pattern: str | None) -> bool:
    if pattern is None:
        return True
    if value is None:
        return False
    import fnmatch

    return fnmatch.fnmatchcase(value, pattern)


def load(files: tuple[str, ...], db: str, **filters: str | None) -> Loaded:
    """Facts from FILES when given, else from the ledger, filtered alike."""
    if files:
        from yusuan.cli.common import read_extract

        facts: list[Fact] = []
        extractions: list[Extraction] = []
        for path in files:
            ex, problems = read_extract(path)
            for p in problems:
                click.echo(f"{p.file}: {p.message}", err=True)
            if ex is None:
                continue
            extractions.append(ex)
            facts.extend(ex.facts)
        g, doc = filters.get("government"), filters.get("document")
        out = [
            f for f in facts
            if (g is None or g in (f.government, f.division))
            and (filters.get("book") is None or (f.book is not None and f.book.value == filters["book"]))
            and _match(f.indicator, filters.get("indicator"))
            and (filters.get("code") is None or _match(f.code, filters.get("code")))
            and (filters.get("stage") is None or f.stage.value == filters["stage"])
            and (filters.get("period") is None or str(f.period) == filters["period"])
            and (filters.get("scope") is None or str(f.scope) == filters["scope"])
            and (doc is None or f.source.document.startswith(doc) or Path(f.source.file).name == doc)
        ]
        return Loaded(out, extractions)
    store = open_store(db)
    try:
        document_id = resolve_document(store, filters.get("document"))
        facts = store.facts(
            government=filters.get("government"), book=filters.get("book"),
            indicator=filters.get("indicator"), code=filters.get("code"),
            stage=filters.get("stage"), period=filters.get("period"),
            scope=filters.get("scope"), document=document_id,
        )
    finally:
        store.close()
    return Loaded(facts, [])


def _with_filters(func: Callable[..., None]) -> Callable[..., None]:
    """Collect the filter options into ``loaded`` before calling ``func``."""

    @functools.wraps(func)
    def wrapper(files: tuple[str, ...], db: str, government: str | None, book: str | None,
                indicator: str | None, code: str | None, stage: str | None, period: str | None,
                scope: str | None, document: str | None, **rest: Any) -> None:
        loaded = load(files, db, government=government, book=book, indicator=indicator, code=code,
                      stage=stage, period=period, scope=scope, document=document)
        func(loaded, government=government, period=period, **rest)

    return wrapper


def _num(value: Decimal | None, places: str = "0.01") -> str:
    return "" if value is None else str(value.quantize(Decimal(places)))


def _scope_zh(scope: str) -> str:
    return SCOPE_ZH.get(scope, scope)


def _csv(headers: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def _emit(fmt: str, headers: list[str], rows: list[list[str]], payload: Any, right: tuple[int, ...]) -> None:
    if fmt == "json":
        click.echo(dumps(payload))
    elif fmt == "csv":
        click.echo(_csv(headers, rows), nl=False)
    else:
        if not rows:
            click.echo("没有结果。 Nothing to show.", err=True)
            return
        for line in render_table(headers, rows, right=right):
            click.echo(line)


# --------------------------------------------------------------------------
# yusuan indicators


def _result_dict(r: Any) -> dict[str, Any]:
    return {
        "indicator": r.indicator, "name": r.name, "version": r.version,
        "government": r.context.government, "scope": r.context.scope,
        "stage": r.context.stage.value, "period": str(r.context.period),
        "value": r.value, "unit": r.unit,
        "rating": r.rating.label if r.rating else None,
        "level": r.rating.level if r.rating else None,
        "rated_on": r.rated_on, "elapsed": r.elapsed, "formula": r.formula,
        "missing": list(r.missing), "assumed_zero": list(r.assumed_zero), "note": r.note,
        "inputs": [{"term": t, "fact": f.id, "value": f.amount.value, "unit": f.amount.unit.value,
                    "quote": f.source.quote, "line": f.source.line, "file": f.source.file}
                   for t, f in r.inputs],
    }


@click.command("indicators", help="计算指标（财政自给率、债务率、PEFA 等）。 Compute indicators.")
@fact_filters
@click.option("--select", "select", multiple=True, help="只算这些指标（id 或名称，可多次）。 Indicator ids or names.")
@click.option("--all/--computed", "show_all", default=False,
              help="也列出缺少输入而未算出的指标。 Also list indicators whose inputs are missing.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_with_filters
def indicators_cmd(loaded: Loaded, government: str | None, period: str | None, select: tuple[str, ...],
                   show_all: bool, fmt: str) -> None:
    from yusuan.analyze.indicators import compute, context_cn

    results = compute(loaded.facts, select=select or None)
    if period is not None:
        results = [r for r in results if str(r.context.period) == period]
    if not show_all:
        results = [r for r in results if r.value is not None]
    headers = ["政府", "范围", "指标", "口径与期间", "数值", "单位", "评级", "缺少的输入", "依据（行）"]
    rows = []
    for r in results:
        value = r.value
        unit = r.unit
        if unit == "元" and value is not None:
            value, unit = value / Decimal(100_000_000), "亿元"
        rows.append([r.context.government, _scope_zh(r.context.scope), r.name, context_cn(r.context),
                     _num(value), unit, r.rating.label if r.rating else "", "、".join(r.missing),
                     ",".join(str(f.source.line) for _, f in r.inputs)])
    _emit(fmt, headers, rows, [_result_dict(r) for r in results], right=(4,))


# --------------------------------------------------------------------------
# yusuan compare


def _levels(facts: list[Fact]) -> dict[str, Level | str]:
    from yusuan.analyze.ledger import gov_of, level_of_division

    levels: dict[str, Level | str] = {}
    for f in facts:
        g = gov_of(f)
        if g in levels:
            continue
        level = level_of_division(f.division)
        if level is None:
            try:
                from yusuan.refdata.regions import resolve

                gov = resolve(g)
                level = gov.level if gov is not None else None
            except Exception:  # refdata absent or name unknown: the group "unknown"
                level = None
        if level is not None:
            levels[g] = level
    return levels


@click.command("compare", help="比较：跨年度、同级政府之间、预算与执行。 Compare across years, peers, budget and outturn.")
@fact_filters
@click.option("--by", "mode", type=click.Choice(["years", "peers", "outturn"]), default="outturn",
              show_default=True, help="years 跨年度；peers 与同级均值；outturn 预算对执行。")
@click.option("--select", "select", multiple=True, help="指标 id 或名称（years/peers）。 Indicators.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_with_filters
def compare_cmd(loaded: Loaded, government: str | None, period: str | None, mode: str,
                select: tuple[str, ...], fmt: str) -> None:
    from yusuan.analyze.compare import across_years, against_peers
    from yusuan.analyze.indicators import compute
    from yusuan.analyze.outturn import outturn_lines

    if mode == "outturn":
        lines = outturn_lines(loaded.facts)
        yi = Decimal(100_000_000)

        def y(f: Fact | None) -> str:
            return "" if f is None else _num(f.yuan / yi)

        headers = ["政府", "范围", "预算本", "项目", "年度", "年初预算", "调整预算", "执行", "执行期间",
                   "决算", "完成%", "差额", "序时进度%", "文件所列%"]
        rows = [[ln.government, _scope_zh(ln.scope), BOOK_ZH.get(ln.book or "", ln.book or ""), ln.item,
                 str(ln.year), y(ln.budget), y(ln.adjusted), y(ln.execution),
                 str(ln.execution.period) if ln.execution else "", y(ln.final), _num(ln.execution_rate),
                 _num(ln.variance / yi) if ln.variance is not None else "", _num(ln.elapsed),
                 _num(ln.stated_rate)] for ln in lines]
        payload = [{
            "government": ln.government, "scope": ln.scope, "book": ln.book, "item": ln.item,
            "name": ln.name, "year": ln.year,
            "budget": ln.budget.yuan if ln.budget else None,
            "adjusted": ln.adjusted.yuan if ln.adjusted else None,
            "execution": ln.execution.yuan if ln.execution else None,
            "execution_period": str(ln.execution.period) if ln.execution else None,
            "final": ln.final.yuan if ln.final else None,
            "execution_rate": ln.execution_rate, "variance": ln.variance, "elapsed": ln.elapsed,
            "stated_rate": ln.stated_rate,
            "cumulative": [{"period": str(f.period), "yuan": f.yuan, "fact": f.id} for f in ln.cumulative],
            "singles": [{"period": str(d.period), "yuan": d.yuan, "derived": d.derivation} for d in ln.singles],
            "facts": [f.id for f in ln.facts()],
        } for ln in lines]
        _emit(fmt, headers, rows, payload, right=(5, 6, 7, 9, 10, 11, 12, 13))
        click.echo("金额单位：亿元。 Amounts in 亿元.", err=True) if fmt == "table" else None
        return
    results = [r for r in compute(loaded.facts, select=select or None) if r.value is not None]
    if mode == "years":
        year_rows = across_years(results)
        headers = ["政府", "范围", "指标", "口径", "月份", "各年数值", "比上年变化"]
        rows = [[r.government, _scope_zh(r.scope), r.name, STAGE_ZH.get(r.stage.value, r.stage.value),
                 r.months, "；".join(f"{y}: {_num(v)}" for y, v in zip(r.years, r.values, strict=True)),
                 "；".join(_num(c) for c in r.changes[1:])] for r in year_rows]
        payload = [{"government": r.government, "scope": r.scope, "indicator": r.indicator,
                    "stage": r.stage.value, "months": r.months, "unit": r.unit,
                    "values": dict(zip([str(y) for y in r.years], r.values, strict=True)),
                    "changes": list(r.changes)} for r in year_rows]
        _emit(fmt, headers, rows, payload, right=())
        return
    peer_rows = against_peers(results, _levels(loaded.facts))
    headers = ["指标", "期间", "口径", "范围", "层级", "政府", "数值", "同级均值", "偏差", "排名"]
    rows = [[r.name, r.period, STAGE_ZH.get(r.stage.value, r.stage.value), _scope_zh(r.scope), r.level,
             r.government, _num(r.value), _num(r.peer_mean), _num(r.deviation), f"{r.rank}/{r.peer_count}"]
            for r in peer_rows]
    payload = [{"indicator": r.indicator, "period": r.period, "stage": r.stage.value, "scope": r.scope,
                "level": r.level, "government": r.government, "value": r.value, "peer_mean": r.peer_mean,
                "deviation": r.deviation, "rank": r.rank, "peers": r.peer_count} for r in peer_rows]
    _emit(fmt, headers, rows, payload, right=(6, 7, 8))


# --------------------------------------------------------------------------
# yusuan report


def _findings(loaded: Loaded) -> tuple[list[Finding], bool]:
    if not loaded.extractions:
        return [], False
    try:
        from yusuan.check import check
    except ImportError:
        return [], False
    return list(check(loaded.extractions).findings), True


@click.command("report", help="生成文件：审查报告（HTML/PDF/PNG）、公开表（Excel）、报告段落。 Generate documents.")
@fact_filters
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "png", "xlsx", "text"]), default="html",
              show_default=True, help="html/pdf/png 审查报告；xlsx 公开表；text 报告段落。")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="输出文件（text/html 缺省为标准输出）。")
@click.option("--year", type=int, help="公开表年度（xlsx，无原表时按标准表生成）。 Year for standard tables.")
@_with_filters
def report_cmd(loaded: Loaded, government: str | None, period: str | None, fmt: str,
               output: str | None, year: int | None) -> None:
    from yusuan.analyze.ledger import gov_of

    facts = loaded.facts
    govs = sorted({gov_of(f) for f in facts if gov_of(f)})
    gov = government if government in govs else (govs[0] if len(govs) == 1 else None)
    doc_govs = {ex.government.name for ex in loaded.extractions if ex.government is not None}
    if gov is None and government is None and len(doc_govs) == 1:
        gov = doc_govs.pop()  # the government the files are about (not their subordinates)
    if gov is None and government is not None:
        gov = next((gov_of(f) for f in facts if f.division == government), None)
    if fmt == "text":
        from yusuan.report.paragraphs import write_paragraphs

        written = write_paragraphs(facts, gov)
        _write_text(written.text, output)
        return
    if fmt == "xlsx":
        from yusuan.report.excel import XTable, standard_tables, table_from_ledger, write_workbook

        if output is None:
            raise click.UsageError("xlsx 需要 --output 文件。 --output is required for xlsx.")
        tables: list[XTable] = [table_from_ledger(t, facts)
                                for ex in loaded.extractions for t in ex.tables if not t.empty]
        if not tables:
            if gov is None:
                raise click.UsageError("请用 --government 指定一个政府。 Choose one --government.")
            y = year or max((f.period.year for f in facts), default=0)
            titles = {t.number: t.title for ex in loaded.extractions for t in ex.tables if t.number}
            tables = standard_tables(facts, gov, y, titles=titles)
        write_workbook(tables, output)
        click.echo(f"已写入 {output}：{len(tables)} 张表。", err=True)
        return
    from yusuan.report.review import main_period, render_review, review_data

    if gov is None:
        raise click.UsageError(f"请用 --government 指定一个政府（{'、'.join(govs[:8])}）。 Choose one government.")
    per = Period.parse(period) if period else main_period(facts, gov)
    if per is None:
        raise click.ClickException("没有执行或决算数据，无法确定期间；请用 --period 指定。")
    findings, checked = _findings(loaded)
    html = render_review(review_data(facts, gov, per, findings, checked))
    if fmt == "html":
        _write_text(html, output)
        return
    if output is None:
        raise click.UsageError("pdf/png 需要 --output 文件。 --output is required.")
    import tempfile

    from yusuan.report.browser import render

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "review.html"
        page.write_text(html, encoding="utf-8")
        try:
            render(page, output)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"已写入 {output}", err=True)


def _write_text(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"已写入 {output}", err=True)


# --------------------------------------------------------------------------
# yusuan export


@click.command("export", help="导出数据项：CSV、JSON、Parquet、财政数据包。 Export facts.")
@fact_filters
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet", "fdp"]), default="csv",
              show_default=True, help="fdp = Fiscal Data Package（目录：datapackage.json + facts.csv）。")
@click.option("--output", "-o", type=click.Path(), help="输出文件或目录（fdp）；csv/json 缺省为标准输出。")
@_with_filters
def export_cmd(loaded: Loaded, government: str | None, period: str | None, fmt: str,
               output: str | None) -> None:
    from yusuan.report import export

    facts = loaded.facts
    if fmt == "csv":
        if output is None:
            click.echo("\ufeff" + export.csv_text(facts), nl=False)
        else:
            export.write_csv(facts, output)
    elif fmt == "json":
        if output is None:
            click.echo(export.json_text(facts))
        else:
            export.write_json(facts, output)
    elif fmt == "parquet":
        if output is None:
            raise click.UsageError("parquet 需要 --output 文件。 --output is required.")
        try:
            export.write_parquet(facts, output)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        if output is None:
            raise click.UsageError("fdp 需要 --output 目录。 --output directory is required.")
        path = export.write_datapackage(facts, output)
        click.echo(f"已写入 {path}", err=True)
    if output is not None:
        click.echo(f"{len(facts)} 条数据项。 {len(facts)} facts.", err=True)
