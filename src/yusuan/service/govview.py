"""A government's page: the four books (budget against outturn), the
indicators and the data of its charts, computed on the server as plain data
(the browser only draws; fava's way).  Amounts are ``Decimal`` in 万元 and
leave as strings; no figure is ever added across stages or years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from yusuan.analyze.indicators import compute, context_cn, readable_formula
from yusuan.analyze.ledger import Ledger, gov_of
from yusuan.analyze.outturn import OutturnLine, outturn_lines
from yusuan.model import UNIT_FACTOR, Book, Fact, Scope, Stage, Unit
from yusuan.model.serialize import dec
from yusuan.refdata import code_depth, load_codes

WAN = UNIT_FACTOR[Unit.WAN]
BOOKS = ("general", "fund", "capital", "social")
HEADLINE = (
    "地方财政收入", "地方财政支出",
    "一般公共预算收入", "税收收入", "非税收入", "一般公共预算支出",
    "政府性基金预算收入", "国有土地使用权出让收入", "政府性基金预算支出",
    "国有资本经营预算收入", "国有资本经营预算支出",
    "社会保险基金预算收入", "社会保险基金预算支出", "社保基金预算收入", "社保基金预算支出",
)
DEBT_BALANCE = ("地方政府法定债务余额", "地方政府债务余额", "政府债务余额", "债务余额")
DEBT_LIMIT = ("地方政府债务限额", "政府债务限额", "债务限额")
DEBT_PARTS = (("一般债务", "一般债务"), ("专项债务", "专项债务"))
MAX_LINES = 60


def wan(yuan: Decimal | None) -> str | None:
    """Yuan as 万元 with two decimals, as a string."""
    if yuan is None:
        return None
    value = (yuan / WAN).quantize(Decimal("0.01"))
    return dec(value.quantize(Decimal(1)) if value == value.to_integral_value() else value)


def _two(x: Decimal | None) -> str | None:
    return None if x is None else dec(x.quantize(Decimal("0.01")))


def _fact_ref(f: Fact | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"id": f.id, "wan": wan(f.yuan), "period": str(f.period), "document": f.source.document,
            "quote": f.source.quote}


def _scope_rank(scope: str) -> int:
    return 0 if scope == Scope.WHOLE else 1 if scope == Scope.OWN else 2


def _line_rank(line: OutturnLine) -> tuple[int, int, int, str]:
    headline = HEADLINE.index(line.name) if line.name in HEADLINE else len(HEADLINE)
    coded = 0 if line.item == line.name else code_depth(line.item) or 9
    return (_scope_rank(line.scope), headline, coded, line.item)


def _line_dict(line: OutturnLine) -> dict[str, Any]:
    return {
        "item": line.item,
        "name": line.name,
        "code": None if line.item == line.name else line.item,
        "scope": line.scope,
        "budget": _fact_ref(line.budget),
        "adjusted": _fact_ref(line.adjusted),
        "execution": _fact_ref(line.execution),
        "final": _fact_ref(line.final),
        "execution_rate": _two(line.execution_rate),
        "stated_rate": _two(line.stated_rate),
        # 序时进度 says something only for a part of the year
        "elapsed": _two(line.elapsed) if line.execution and not line.execution.period.whole_year
        and line.final is None else None,
        "ahead": _two(line.ahead),
        "variance_wan": wan(line.variance),
    }


def years_of(facts: Iterable[Fact]) -> list[int]:
    return sorted({f.period.year for f in facts}, reverse=True)


def government_view(
    government: dict[str, Any], facts: Sequence[Fact], year: int | None
) -> dict[str, Any]:
    """Everything the government page shows for one year (default: the latest)."""
    name = government["name"]
    mine = [f for f in facts if gov_of(f) in (name, government["code"])]
    years = years_of(mine)
    if year is None and years:
        outturn = [f.period.year for f in mine if f.stage in (Stage.EXECUTION, Stage.FINAL)]
        year = max(outturn) if outturn else years[0]
    of_year = [f for f in mine if f.period.year == year]
    lines = [
        line for line in outturn_lines(of_year)
        if str(line.scope) in (Scope.WHOLE, Scope.OWN) and line.year == year
    ]
    books: list[dict[str, Any]] = []
    for book in BOOKS:
        chosen = sorted((line for line in lines if line.book == book), key=_line_rank)
        books.append({
            "book": book,
            "lines": [_line_dict(line) for line in chosen[:MAX_LINES]],
            "more": max(0, len(chosen) - MAX_LINES),
        })
    ledger = Ledger(mine)
    indicators = []
    for r in compute(ledger, government=gov_of(mine[0]) if mine else name, year=year):
        if str(r.context.scope) not in (Scope.WHOLE, Scope.OWN) or r.value is None:
            continue
        indicators.append({
            "id": r.indicator,
            "name": r.name,
            "scope": r.context.scope,
            "stage": r.context.stage.value,
            "period": str(r.context.period),
            "context": context_cn(r.context),
            "value": _two(r.value) if r.unit == "%" else wan(r.value),
            "unit": "%" if r.unit == "%" else "万元",
            "rating": r.rating.label if r.rating else None,
            "rating_en": r.rating.label_en if r.rating else None,
            "level": r.rating.level if r.rating else None,
            "elapsed": _two(r.elapsed),
            "formula": readable_formula(r.formula),
            "facts": list(r.fact_ids),
        })
    indicators.sort(key=lambda i: (_scope_rank(i["scope"]), i["id"], i["period"], i["stage"]))
    return {
        "government": government,
        "year": year,
        "years": years,
        "books": books,
        "indicators": indicators,
        "charts": {
            "progress": _progress(lines),
            "composition": _composition(of_year, year),
            "debt": _debt(ledger, gov_of(mine[0]) if mine else name, year),
            "yoy": _yoy(of_year),
        },
        "fact_count": len(mine),
    }


def _progress(lines: Sequence[OutturnLine]) -> dict[str, Any]:
    """Execution against time elapsed: the headline items that have both."""
    items = []
    for line in sorted(lines, key=_line_rank):
        if line.name not in HEADLINE or line.final is not None or line.execution is None:
            continue
        rate = line.execution_rate if line.execution_rate is not None else line.stated_rate
        if rate is None or line.elapsed is None:
            continue
        items.append({"name": line.name, "scope": line.scope, "rate": _two(rate),
                      "elapsed": _two(line.elapsed), "period": str(line.execution.period)})
    return {"items": items[:16]}


def _composition(facts: Sequence[Fact], year: int | None) -> dict[str, Any]:
    """Revenue and expenditure as trees 类 → 款 → 项 for the most final stage present."""
    codes = load_codes(year or 2024)
    out: dict[str, Any] = {}
    for side, prefixes in (("expenditure", ("2",)), ("revenue", ("1",))):
        coded = [f for f in facts if f.code and f.code.startswith(prefixes) and f.period.day is None
                 and f.book in (Book.GENERAL, None)]
        picked: dict[str, Fact] = {}
        chosen = None
        for stage in (Stage.FINAL, Stage.EXECUTION, Stage.ADJUSTED, Stage.BUDGET):
            for scope in (Scope.WHOLE, Scope.OWN):
                group = [f for f in coded if f.stage is stage and str(f.scope) == scope
                         and f.period.whole_year]
                if any(code_depth(f.code or "") == 1 for f in group):
                    chosen = (stage, scope)
                    for f in group:
                        picked.setdefault(f.code or "", f)
                    break
            if chosen:
                break
        if not chosen:
            out[side] = None
            continue
        children: dict[str, list[str]] = defaultdict(list)
        for code in picked:
            parent = code[:-2] if len(code) > 3 else None
            if parent in picked:
                children[parent].append(code)

        roots = [_node(c, picked, children, codes) for c in sorted(picked)
                 if code_depth(c) == 1 and picked[c].yuan > 0]
        out[side] = {"stage": chosen[0].value, "scope": chosen[1], "unit": "万元", "tree": roots}
    return out


def _node(code: str, picked: dict[str, Fact], children: dict[str, list[str]], codes: Any,
          seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A treemap node: the item and its sub-items (款 under 类, 项 under 款)."""
    f = picked[code]
    kids = [_node(c, picked, children, codes, seen | {code})
            for c in sorted(children.get(code, ())) if c not in seen]
    return {"name": codes.name(code) or f.indicator, "code": code, "value": wan(f.yuan), "children": kids}


def _debt(ledger: Ledger, government: str, year: int | None) -> dict[str, Any]:
    if year is None:
        return {"items": []}
    from yusuan.model import Period

    items = []
    for scope in (Scope.WHOLE, Scope.OWN):
        bal = ledger.find(government, scope, DEBT_BALANCE, Stage.BALANCE, at_or_before=Period(year))
        lim = ledger.find(government, scope, DEBT_LIMIT, Stage.LIMIT, year=year)
        if bal is None and lim is None:
            continue
        items.append({"name": "政府债务", "scope": scope, "balance": wan(bal.yuan) if bal else None,
                      "limit": wan(lim.yuan) if lim else None,
                      "balance_period": str(bal.period) if bal else None})
        for label, word in DEBT_PARTS:
            b = ledger.find(government, scope, (f"{word}余额", f"地方政府{word}余额"),
                            Stage.BALANCE, at_or_before=Period(year))
            lm = ledger.find(government, scope, (f"{word}限额", f"地方政府{word}限额"), Stage.LIMIT,
                             year=year)
            if b is not None or lm is not None:
                items.append({"name": label, "scope": scope, "balance": wan(b.yuan) if b else None,
                              "limit": wan(lm.yuan) if lm else None,
                              "balance_period": str(b.period) if b else None})
    return {"items": items}


def _yoy(facts: Sequence[Fact]) -> dict[str, Any]:
    """Headline figures against the prior year, from the change each states."""
    seen: set[tuple[str, str, str]] = set()
    items = []
    for f in sorted(facts, key=lambda f: (_scope_rank(str(f.scope)),
                                          HEADLINE.index(f.indicator) if f.indicator in HEADLINE else 99)):
        if f.indicator not in HEADLINE or f.yoy_abs is None or f.stage not in (
            Stage.EXECUTION, Stage.FINAL, Stage.BUDGET
        ):
            continue
        key = (str(f.scope), f.indicator, f.stage.value)
        if key in seen:
            continue
        seen.add(key)
        prior = f.yuan - f.yoy_abs.yuan
        items.append({"name": f.indicator, "scope": str(f.scope), "stage": f.stage.value,
                      "period": str(f.period), "current": wan(f.yuan), "prior": wan(prior),
                      "pct": _two(f.yoy_pct)})
    return {"items": items[:12]}
