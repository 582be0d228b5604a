"""The review report: one HTML page for a government and period that prints to PDF.

Key figures with their quotes, the indicators with ratings and the facts
they rest on, charts drawn as inline SVG (execution against time, revenue
composition, debt against limit), and the checker's findings with quotes.
No script, no remote asset: it opens offline and prints cleanly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from yusuan import __version__
from yusuan.analyze.indicators import IndicatorResult, compute, context_cn, readable_formula
from yusuan.analyze.ledger import Ledger, gov_of
from yusuan.analyze.outturn import outturn_lines
from yusuan.model import UNIT_FACTOR, Fact, Finding, Period, Scope, Stage, Unit
from yusuan.report.charts import Progress, composition_chart, debt_chart, progress_chart
from yusuan.report.paragraphs import scope_name

_KEY = (
    "一般公共预算收入", "税收收入", "非税收入", "一般公共预算支出", "政府性基金预算收入",
    "国有土地使用权出让收入", "政府性基金预算支出", "国有资本经营预算收入", "国有资本经营预算支出",
    "地方财政收入", "地方财政支出", "社保基金预算收入", "社保基金预算支出",
    "社会保险基金预算收入", "社会保险基金预算支出",
)
_DEBT_BALANCE = ("地方政府法定债务余额", "地方政府债务余额", "政府债务余额", "债务余额")
_DEBT_LIMIT = ("地方政府债务限额", "政府债务限额", "债务限额")
_SEVERITY_CN = {"error": "错误", "warning": "警告", "notice": "提示"}
_YI = UNIT_FACTOR[Unit.YI]


def _yi(yuan: Decimal) -> str:
    return str((yuan / _YI).quantize(Decimal("0.01")))


def _two(x: Decimal | None) -> str | None:
    return None if x is None else str(x.quantize(Decimal("0.01")))


@dataclass
class ReviewData:
    government: str
    period: Period
    title: str
    key_figures: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    not_computed: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    fact_count: int = 0
    results: list[IndicatorResult] = field(default_factory=list)
    findings_note: str = ""


def _in_period(result: IndicatorResult, period: Period) -> bool:
    p = result.context.period
    if result.context.stage is Stage.BALANCE:
        return p.year == period.year
    return p == period


def _scope_order(scope: str) -> tuple[int, str]:
    return (0, "") if scope == Scope.WHOLE else (1, "") if scope == Scope.OWN else (2, scope)


def review_data(facts: Iterable[Fact], government: str, period: Period,
                findings: Sequence[Finding] = (), checked: bool = False) -> ReviewData:
    mine = [f for f in facts if gov_of(f) == government]
    ledger = Ledger(mine)
    kind = "决算" if period.whole_year and any(
        f.stage is Stage.FINAL and f.period == period for f in mine) else "预算执行"
    data = ReviewData(government, period, f"{government}{_period_title(period)}{kind}审查报告")
    data.documents = sorted({f.source.document for f in mine})
    data.fact_count = len(mine)

    # key figures: top-level flows of the period, then the debt balance
    seen: set[tuple[str, str]] = set()
    for f in sorted(ledger.facts, key=lambda f: (_scope_order(str(f.scope)),
                                                 _KEY.index(f.indicator) if f.indicator in _KEY else 99)):
        if f.indicator not in _KEY or f.period != period or f.table is not None:
            continue
        if f.stage not in (Stage.EXECUTION, Stage.FINAL) or str(f.scope) not in (Scope.WHOLE, Scope.OWN):
            continue
        k = (str(f.scope), f.indicator)
        if k in seen:
            continue
        seen.add(k)
        data.key_figures.append({
            "scope": scope_name(str(f.scope), government), "name": f.indicator,
            "value": _yi(f.yuan), "yoy": _two(f.yoy_pct), "rate": _two(f.pct_of_budget),
            "quote": f.source.quote, "fact_id": f.id,
        })

    # indicators
    results = [r for r in compute(ledger, government=government) if _in_period(r, period)]
    data.results = results
    for r in sorted(results, key=lambda r: _scope_order(r.context.scope)):
        if str(r.context.scope) not in (Scope.WHOLE, Scope.OWN):
            continue
        sname = scope_name(r.context.scope, government)
        if r.value is None:
            data.not_computed.append({"name": r.name, "scope": sname,
                                      "missing": "、".join(readable_formula(m) for m in r.missing)})
            continue
        value = _yi(r.value) + " 亿元" if r.unit == "元" else f"{_two(r.value)}%"
        note = ""
        if r.elapsed is not None:
            note = f"序时进度 {_two(r.elapsed)}%"
        if r.assumed_zero:
            note += ("；" if note else "") + "按 0 计：" + "、".join(t.rstrip("?") for t in r.assumed_zero)
        data.indicators.append({
            "id": r.indicator, "name": r.name, "scope": sname, "scope_code": r.context.scope,
            "context": context_cn(r.context), "value": value,
            "rating": r.rating.label if r.rating else None,
            "level": r.rating.level if r.rating else "none", "note": note,
            "formula": readable_formula(r.formula), "quotes": list(r.quotes),
        })

    # charts
    ranked: list[tuple[tuple[int, str], int, Progress]] = []
    for line in outturn_lines(mine):
        if line.execution is None or line.execution.period != period or line.final is not None:
            continue
        if str(line.scope) not in (Scope.WHOLE, Scope.OWN) or line.name not in _KEY:
            continue
        rate = line.execution_rate if line.execution_rate is not None else line.stated_rate
        if rate is None or line.elapsed is None:
            continue
        label = f"{scope_name(line.scope, government)}{line.name}"
        ranked.append((_scope_order(line.scope), _KEY.index(line.name), Progress(label, rate, line.elapsed)))
    progress = [p for _, _, p in sorted(ranked, key=lambda t: (t[0], t[1]))]
    if progress:
        data.charts["progress"] = progress_chart(progress[:12])
    comp = _composition(ledger, government, period)
    if comp:
        data.charts["composition"] = comp
    balance = ledger.find(government, Scope.WHOLE, _DEBT_BALANCE, Stage.BALANCE, at_or_before=Period(period.year))
    limit = ledger.find(government, Scope.WHOLE, _DEBT_LIMIT, Stage.LIMIT, year=period.year)
    if balance is not None or limit is not None:
        data.charts["debt"] = debt_chart(
            (balance.yuan / _YI).quantize(Decimal("0.01")) if balance else None,
            (limit.yuan / _YI).quantize(Decimal("0.01")) if limit else None,
            title=f"债务余额与限额（{balance.period if balance else period.year}）")

    for finding in findings:
        data.findings.append({
            "id": finding.id, "code": finding.code, "severity": finding.severity.value,
            "severity_cn": _SEVERITY_CN.get(finding.severity.value, finding.severity.value),
            "message": finding.message, "expected": finding.expected, "printed": finding.printed,
            "quotes": [s.quote for s in finding.sources],
        })
    data.findings_note = "审查未发现问题。" if checked else "未运行审查（或未提供审查结果）。"
    return data


def _composition(ledger: Ledger, government: str, period: Period) -> str | None:
    for stage in (Stage.EXECUTION, Stage.FINAL):
        total = ledger.find(government, Scope.WHOLE, ("一般公共预算收入", "地方一般公共预算收入"), stage, period)
        tax = ledger.find(government, Scope.WHOLE, ("税收收入",), stage, period)
        nontax = ledger.find(government, Scope.WHOLE, ("非税收入",), stage, period)
        if total and tax and nontax:
            parts = [("税收收入", tax.yuan), ("非税收入", nontax.yuan)]
            return composition_chart([(k, (v / _YI).quantize(Decimal("0.01"))) for k, v in parts],
                                     f"一般公共预算收入 {_yi(total.yuan)} 亿元",
                                     title="一般公共预算收入构成")
        books = [(name, ledger.find(government, Scope.WHOLE, (name,), stage, period))
                 for name in ("一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入")]
        found = [(n, f.yuan) for n, f in books if f is not None]
        if len(found) >= 2:
            return composition_chart([(k, (v / _YI).quantize(Decimal("0.01"))) for k, v in found],
                                     "三本预算收入", title="收入构成")
    return None


def _period_title(period: Period) -> str:
    if period.whole_year:
        return f"{period.year}年"
    if period.start_month == 1 and period.end_month == 6:
        return f"{period.year}年上半年"
    return f"{period.year}年{period.start_month}-{period.end_month}月"


def render_review(data: ReviewData, generated: datetime | None = None) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    text = resources.files("yusuan.report").joinpath("templates/review.html").read_text("utf-8")
    template = env.from_string(text)
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(
        title=data.title, period=_period_title(data.period), generated=when, documents=data.documents,
        fact_count=data.fact_count, key_figures=data.key_figures, charts=data.charts,
        indicators=data.indicators, not_computed=data.not_computed, findings=data.findings,
        findings_note=data.findings_note, version=__version__,
    )


def main_period(facts: Iterable[Fact], government: str) -> Period | None:
    """The period a review is usually wanted for: the latest execution or final period."""
    periods = [f.period for f in facts if gov_of(f) == government
               and f.stage in (Stage.EXECUTION, Stage.FINAL) and f.period.day is None]
    if not periods:
        return None
    return max(periods, key=lambda p: (p.year, p.end_month, -p.start_month))
