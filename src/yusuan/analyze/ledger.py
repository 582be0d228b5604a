"""Fast look-up of facts by context, the ground every analysis stands on.

A :class:`Ledger` indexes facts by (government, scope, name, stage, period)
where the name is the fact's indicator and, when it has one, its
classification code (a coded fact is found under both).  Duplicate facts for
one context (a figure repeated in a later paragraph) resolve to the first
one in document order; nothing is ever added across stages or periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yusuan.model import Book, Fact, Level, Period, Stage

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


class Ledger:
    """An immutable index over facts (built once, read many times)."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.facts: tuple[Fact, ...] = tuple(facts)
        # stocks (balances, limits …) by year, for "latest at or before" look-ups
        stocks: dict[tuple[str, str, str, str, int], list[Fact]] = defaultdict(list)
        flows = _FLOW_VALUES
        # exact look-ups keyed by plain strings and tuples (cheap to hash:
        # enums and dataclasses hash in Python code)
        exact: dict[tuple[str, str, str, str, tuple[object, ...]], list[Fact]] = defaultdict(list)
        coded: dict[tuple[str, str, str, tuple[object, ...]], list[Fact]] = defaultdict(list)
        for fact in self.facts:
            gov = fact.government or fact.division or ""
            scope = str(fact.scope)
            stage = fact.stage
            sv = stage._value_  # plain attribute: Enum.value is a slow descriptor
            p = fact.period
            pk = (p.year, p.start_month, p.end_month, p.day)
            exact[(gov, scope, fact.indicator, sv, pk)].append(fact)
            stock = sv not in flows
            if stock:
                stocks[(gov, scope, fact.indicator, sv, p.year)].append(fact)
            code = fact.code
            if code:
                coded[(gov, scope, sv, pk)].append(fact)
                if code != fact.indicator:
                    exact[(gov, scope, code, sv, pk)].append(fact)
                    if stock:
                        stocks[(gov, scope, code, sv, p.year)].append(fact)
        self._stocks = dict(stocks)
        self._exact = dict(exact)
        self._coded = dict(coded)
        self._by_id: dict[str, Fact] | None = None

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
    ) -> Fact | None:
        """The first fact matching, trying ``names`` in order.

        ``period`` asks for exactly that period; ``year`` for the whole year
        (budgets, finals; for a stock such as a limit, also a figure dated
        within the year); ``at_or_before`` for the latest stock figure (a
        balance) dated within the year no later than that period's end.
        ``book`` accepts facts of that book or with no book recorded.
        """
        if period is not None or year is not None:
            want = pkey(period) if period is not None else (year, 1, 12, None)
            exact = self._exact
            sv = stage._value_
            for name in names:
                found = exact.get((government, scope, name, sv, want))
                if not found:
                    continue
                if len(found) == 1:
                    fact = found[0]
                    if book is None or fact.book is None or fact.book == book:
                        return fact
                    continue
                # a figure repeated later in a document: the first in document order
                ok = [f for f in found if book is None or f.book is None or f.book == book]
                if ok:
                    return min(ok, key=_order)
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
                if book is not None and fact.book is not None and fact.book != book:
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
        flows = {s.value for s in FLOW_STAGES}
        seen: dict[tuple[str, str, str, tuple[object, ...]], Fact] = {}
        for fact in self.facts:
            p = fact.period
            if p.day is None and fact.stage._value_ in flows:
                seen.setdefault((gov_of(fact), str(fact.scope), fact.stage.value, pkey(p)), fact)
        keys = sorted(seen, key=lambda k: (k[0], k[1], k[3][0], k[3][1], k[3][2], k[2]))
        return [Context(k[0], k[1], seen[k].stage, seen[k].period) for k in keys]


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
