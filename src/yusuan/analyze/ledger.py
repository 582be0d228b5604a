"""Fast look-up of facts by context, the ground every analysis stands on.

A :class:`Ledger` indexes facts by (government, scope, name, stage, period)
where the name is the fact's indicator and, when it has one, its
classification code (a coded fact is found under both).  Duplicate facts for
one context (a figure repeated in a later paragraph) resolve to the first
one in document order; nothing is ever added across stages or periods.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from yusuan.model import Amount, Book, Fact, Level, Period, Source, Stage
from yusuan.model.money import UNIT_FACTOR
from yusuan.model.records import content_id

#: Stages that are flows over a period (as opposed to stocks at a date).
FLOW_STAGES = (Stage.BUDGET, Stage.ADJUSTED, Stage.EXECUTION, Stage.FINAL)
_FLOW_VALUES = frozenset(s.value for s in FLOW_STAGES)


def level_of_division(code: str | None) -> Level | None:
    """Level of a GB/T 2260 division code: ``650000`` province, ``652300``
    prefecture, ``654202`` county.  ``None`` when the code is unknown."""
    if not code or len(code) != 6 or not code.isdigit():
        return None
    if code == "100000":
        return Level.NATIONAL
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.PREFECTURE
    return Level.COUNTY


def gov_of(fact: Fact) -> str:
    """The government a fact is about: its printed name, else its division code."""
    return fact.government or fact.division or ""


def _order(fact: Fact) -> tuple[str, int]:
    return (fact.source.document, fact.source.start)


@dataclass(frozen=True, slots=True)
class Context:
    """What an indicator is computed for: a government, scope, stage and period."""

    government: str
    scope: str
    stage: Stage
    period: Period

    def __str__(self) -> str:
        return f"{self.government}/{self.scope}/{self.stage.value}/{self.period}"


_NO_NAMES: dict[str, list[Fact]] = {}

@dataclass(frozen=True, slots=True)
class _TotalRule:
    """How a table's total row of one book side relates to the level's own figure."""

    names: frozenset[str]  # total-row names this rule applies to
    own_name: str  # the name of the level's own figure
    own_class: Callable[[str], bool]  # 类-level codes that make the own figure
    gross_class: tuple[str, ...]  # code prefixes that make the total gross
    gross_name: str  # the name a gross total is indexed under instead


_TOTAL_RULES = (
    # 收入: 101 税收收入 + 103 非税收入 (not 105 债务收入, not 110 转移性收入)
    _TotalRule(frozenset({"一般公共预算收入", "地方一般公共预算收入", "一般公共预算收入合计"}),
               "一般公共预算收入", lambda c: c.startswith("10") and c != "105",
               ("110", "105"), "一般公共预算收入（收入合计，含转移性收入）"),
    # 支出: the functional classes, not 230 转移性支出 (上解, 补助下级) nor 231 债务还本
    _TotalRule(frozenset({"一般公共预算支出", "一般公共预算支出合计"}),
               "一般公共预算支出", lambda c: c.startswith("2") and c not in ("230", "231"),
               ("230", "231"), "一般公共预算支出（支出合计，含转移性支出）"),
)


def net_totals(facts: Sequence[Fact]) -> tuple[dict[int, str], list[Fact]]:
    """Table total rows that print 收入合计 or 支出合计 where the level's own figure is meant.

    Seed 002 表1 closes with a row "一般公共预算收入 448488" (2023 预算数) that is
    the sum of 101 税收收入, 103 非税收入 *and* the 110 转移性收入 rows (上级补助,
    上年结余, 调入资金, 债务转贷 …): it is 收入合计, not 一般公共预算收入, and every
    ratio over 一般公共预算收入 (税收占比, 财政自给率 …) would be wrong with it.
    Its 表2 closes with "一般公共预算支出合计 448488", which includes 230
    转移性支出 and 231 债务还本支出.

    A total row (no code, a total name of the book side) is *gross* when its
    table and column also hold a coded row of 110 or 105 (revenue) or 230 or
    231 (expenditure).  Returns ``(renamed, derived)``: gross totals (by
    ``id()`` of the fact) with the name they are indexed under instead; and,
    for each total row whose name is not already the own figure's or that is
    gross, the own figure derived from the same column as the sum of its
    类-level rows (101 + 103; the 2xx functional classes but 230 and 231), with
    a source naming the rows it adds.  A figure stated in the text for the same
    context still comes first (it precedes the tables in document order).
    """
    totals: list[tuple[Fact, _TotalRule]] = []
    for f in facts:
        if f.table is not None and f.code is None:
            for rule in _TOTAL_RULES:
                if f.indicator in rule.names:
                    totals.append((f, rule))
    if not totals:
        return {}, []
    wanted = {(f.source.document, f.table, f.column) for f, _ in totals}
    coded: dict[tuple[object, ...], list[Fact]] = {}
    for f in facts:
        if f.code and f.table is not None:
            key = (f.source.document, f.table, f.column)
            if key in wanted:
                coded.setdefault(key, []).append(f)
    renamed: dict[int, str] = {}
    derived: list[Fact] = []
    for total, rule in totals:
        rows = coded.get((total.source.document, total.table, total.column), [])
        gross = any((r.code or "").startswith(rule.gross_class) for r in rows)
        if gross:
            renamed[id(total)] = rule.gross_name
        elif total.indicator == rule.own_name:
            continue  # already the own figure
        own: dict[str, Fact] = {}
        for r in rows:
            code = r.code or ""
            if len(code) == 3 and rule.own_class(code) and code not in own:
                own[code] = r
        if not own:
            continue
        parts = [own[c] for c in sorted(own)]
        unit = total.amount.unit
        value = sum((p.amount.yuan for p in parts), Decimal(0)) / UNIT_FACTOR[unit]
        if len(parts) > 4:
            rows_text = f"{parts[0].code}–{parts[-1].code} 类级科目 {len(parts)} 行之和"
        else:
            rows_text = " + ".join(f"{p.code} {p.indicator} {p.amount}" for p in parts)
        src = total.source
        why = (f"合计行“{total.indicator}”{total.amount}含转移性收支，不作本级数"
               if gross else f"合计行“{total.indicator}”{total.amount}")
        derived.append(replace(
            total,
            indicator=rule.own_name,
            amount=Amount(value, unit),
            source=Source(src.document, src.line, src.start, src.end,
                          f"{rows_text} = {value}{unit.value}", src.file, src.page,
                          f"{total.table}: {rule.own_name} = {rows_text}（{why}）"),
            row=None,
            id=content_id(total.id, rule.own_name, rows_text),
        ))
    return renamed, derived


class Ledger:
    """An immutable index over facts (built once, read many times)."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        given = tuple(facts)
        # a table's 收入合计 / 支出合计 printed under the own figure's name: indexed
        # under its gross name, the own figure derived from its rows (net_totals)
        self._renamed, derived = net_totals(given)
        self.facts: tuple[Fact, ...] = given + tuple(derived)
        paused = gc.isenabled()
        gc.disable()  # many small long-lived containers: no point rescanning them
        try:
            self._index()
        finally:
            if paused:
                gc.enable()
        self._by_id: dict[str, Fact] | None = None
        self._present: frozenset[str] | None = None

    def _index(self) -> None:
        """Every index in one pass over the facts.

        Keys are plain strings and tuples (cheap to hash: enums and
        dataclasses hash in Python code).  Exact look-ups go in two steps,
        context ``(government, scope, stage value, period key)`` then name, so
        that trying several synonyms in one context hashes only strings.
        """
        flows = _FLOW_VALUES
        renamed = self._renamed
        stocks: dict[tuple[str, str, str, str, int], list[Fact]] = {}
        exact: dict[tuple[str, str, str, tuple[object, ...]], dict[str, list[Fact]]] = {}
        coded: dict[tuple[str, str, str, tuple[object, ...]], list[Fact]] = {}
        # the first fact of each flow context and each stock (government, scope, year)
        flow_ctx: dict[tuple[str, str, str, tuple[object, ...]], Fact] = {}
        stock_ctx: dict[tuple[str, str, int], None] = {}
        for fact in self.facts:
            gov = fact.government or fact.division or ""
            scope = fact.scope
            if type(scope) is not str:
                scope = str(scope)
            sv = fact.stage._value_  # plain attribute: Enum.value is a slow descriptor
            p = fact.period
            kc = (gov, scope, sv, (p.year, p.start_month, p.end_month, p.day))
            names = exact.get(kc)
            if names is None:
                names = exact[kc] = {}
                if sv in flows and p.day is None:
                    flow_ctx[kc] = fact
            name = fact.indicator
            if renamed and id(fact) in renamed:
                name = renamed[id(fact)]
            hit = names.get(name)
            if hit is None:
                names[name] = [fact]
            else:
                hit.append(fact)
            stock = sv not in flows
            if stock:
                ks = (gov, scope, name, sv, p.year)
                hit = stocks.get(ks)
                if hit is None:
                    stocks[ks] = [fact]
                else:
                    hit.append(fact)
                if sv == "balance" or sv == "limit":
                    stock_ctx[(gov, scope, p.year)] = None
            code = fact.code
            if code:
                hit = coded.get(kc)
                if hit is None:
                    coded[kc] = [fact]
                else:
                    hit.append(fact)
                if code != name:
                    hit = names.get(code)
                    if hit is None:
                        names[code] = [fact]
                    else:
                        hit.append(fact)
                    if stock:
                        ks = (gov, scope, code, sv, p.year)
                        hit = stocks.get(ks)
                        if hit is None:
                            stocks[ks] = [fact]
                        else:
                            hit.append(fact)
        self._stocks = stocks
        self._exact = exact
        self._coded = coded
        self._flow_ctx = flow_ctx
        self._stock_ctx = stock_ctx

    @property
    def by_id(self) -> dict[str, Fact]:
        if self._by_id is None:
            self._by_id = {f.id: f for f in self.facts}
        return self._by_id

    def coded(self, government: str, scope: str, stage: Stage, period: Period) -> list[Fact]:
        """Facts with a classification code in one government, scope, stage and period."""
        return self._coded.get((government, scope, stage._value_, pkey(period)), [])

    def governments(self) -> list[str]:
        return sorted({gov_of(f) for f in self.facts})

    def division_of(self, government: str) -> str | None:
        for f in self.facts:
            if gov_of(f) == government and f.division:
                return f.division
        return None

    @property
    def names_present(self) -> frozenset[str]:
        """Every name and code a fact is indexed under (in any context)."""
        if self._present is None:
            present: set[str] = set()
            for by_name in self._exact.values():
                present.update(by_name)
            self._present = frozenset(present)
        return self._present

    def names_in(self, government: str, scope: str, stage_value: str,
                 period_key: tuple[object, ...]) -> dict[str, list[Fact]]:
        """Facts of one context by name (and code), in document order; the
        stage as ``Stage._value_`` and the period as :func:`pkey`."""
        return self._exact.get((government, scope, stage_value, period_key), _NO_NAMES)

    @staticmethod
    def pick(by_name: dict[str, list[Fact]], names: Iterable[str], book: Book | None,
             strict: bool = False) -> Fact | None:
        """The first of ``names`` present in ``by_name`` (of ``book`` or no
        book; with ``strict``, of exactly ``book``, ``None`` meaning no book
        recorded); a figure repeated later in a document gives its first instance."""
        for name in names:
            found = by_name.get(name)
            if not found:
                continue
            if strict:
                exact = [f for f in found if f.book == book]
                if exact:
                    return min(exact, key=_order)
                continue
            if len(found) == 1:
                fact = found[0]
                if book is None or fact.book is None or fact.book == book:
                    return fact
                continue
            ok = [f for f in found if book is None or f.book is None or f.book == book]
            if ok:
                return min(ok, key=_order)
        return None

    def find(
        self,
        government: str,
        scope: str,
        names: Iterable[str],
        stage: Stage,
        period: Period | None = None,
        *,
        year: int | None = None,
        book: Book | None = None,
        at_or_before: Period | None = None,
        strict: bool = False,
    ) -> Fact | None:
        """The first fact matching, trying ``names`` in order.

        ``period`` asks for exactly that period; ``year`` for the whole year
        (budgets, finals; for a stock such as a limit, also a figure dated
        within the year); ``at_or_before`` for the latest stock figure (a
        balance) dated within the year no later than that period's end.
        ``book`` accepts facts of that book or with no book recorded (with
        ``strict``, exactly that book; ``None`` then asks for no book recorded).
        """
        if period is not None or year is not None:
            want = pkey(period) if period is not None else (year, 1, 12, None)
            by_name = self._exact.get((government, scope, stage._value_, want))
            if by_name:
                fact = self.pick(by_name, names, book, strict)
                if fact is not None:
                    return fact
            if period is not None:
                return None
        sv = stage._value_
        if sv in _FLOW_VALUES:
            return None
        when = at_or_before.year if at_or_before is not None else year
        if when is None:
            return None
        for name in names:
            best: Fact | None = None
            for fact in self._stocks.get((government, scope, name, sv, when), ()):
                if (fact.book != book if strict else
                        book is not None and fact.book is not None and fact.book != book):
                    continue
                p = fact.period
                if at_or_before is None:  # ``year``: the first figure dated within the year
                    if best is None or _order(fact) < _order(best):
                        best = fact
                    continue
                if _end_key(p) > _end_key(at_or_before):
                    continue
                if best is None or (_end_key(best.period), _order(fact)) < (_end_key(p), _order(best)):
                    best = fact
            if best is not None:
                return best
        return None

    def contexts(self) -> list[Context]:
        """Every (government, scope, flow stage, period) that has a fact."""
        seen = self._flow_ctx
        keys = sorted(seen, key=lambda k: (k[0], k[1], k[3][0], k[3][1], k[3][2], k[2]))
        return [Context(k[0], k[1], seen[k].stage, seen[k].period) for k in keys]

    def stock_contexts(self) -> list[Context]:
        """Every (government, scope, year) with a debt balance or limit, as a
        whole-year ``balance`` context."""
        return [Context(g, s, Stage.BALANCE, Period(y)) for g, s, y in sorted(self._stock_ctx)]


def pkey(period: Period) -> tuple[object, ...]:
    """A period as a plain tuple, cheap to hash."""
    return (period.year, period.start_month, period.end_month, period.day)


def _end_key(period: Period) -> tuple[int, int, int]:
    if period.day is not None:
        return (period.year, period.day.month, period.day.day)
    return (period.year, period.end_month, 31)


def ratio_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole * 100``; ``None`` when ``whole`` is zero."""
    if whole == 0:
        return None
    return part * 100 / whole
