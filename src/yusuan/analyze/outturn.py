"""Budget against outturn, one line per (government, scope, book, item, year).

A line puts 年初预算, 调整预算, 执行 (the latest cumulative figure, to a
date) and 决算 side by side, with the execution rate, the variance and the
time-elapsed rate (序时进度).  Stages are never added together and years are
never mixed: every figure is one fact.  Cumulative execution figures are
kept as printed (1-3月, 1-6月 …); a single period (4-6月) is derived by
difference only when both ends are known, and says what it was derived from.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yusuan.analyze.ledger import gov_of
from yusuan.model import Fact, Period, Stage


@dataclass(frozen=True, slots=True)
class Derived:
    """A single-period figure derived as the difference of two cumulative facts."""

    period: Period
    yuan: Decimal
    later: Fact
    earlier: Fact

    @property
    def derivation(self) -> str:
        return f"{self.later.period} − {self.earlier.period}"


@dataclass(frozen=True, slots=True)
class OutturnLine:
    government: str
    scope: str
    book: str | None
    item: str  # code or indicator
    name: str  # indicator name as printed
    year: int
    budget: Fact | None
    adjusted: Fact | None
    execution: Fact | None  # the latest cumulative execution figure of the year
    final: Fact | None
    cumulative: tuple[Fact, ...]  # every execution figure of the year, earliest first
    singles: tuple[Derived, ...]  # single periods derived by difference

    @property
    def reference(self) -> Fact | None:
        """The budget the outturn is measured against: adjusted, else original."""
        return self.adjusted or self.budget

    @property
    def outturn(self) -> Fact | None:
        return self.final or self.execution

    @property
    def execution_rate(self) -> Decimal | None:
        """Outturn as a percentage of the reference budget (完成预算%)."""
        ref, out = self.reference, self.outturn
        if ref is None or out is None or ref.yuan == 0:
            return None
        return out.yuan * 100 / ref.yuan

    @property
    def stated_rate(self) -> Decimal | None:
        """The rate the document itself states (为预算的 x%), when it does."""
        out = self.outturn
        return out.pct_of_budget if out is not None else None

    @property
    def variance(self) -> Decimal | None:
        """Outturn minus reference budget, in yuan."""
        ref, out = self.reference, self.outturn
        if ref is None or out is None:
            return None
        return out.yuan - ref.yuan

    @property
    def elapsed(self) -> Decimal | None:
        """序时进度 in percent: the share of the year elapsed at the outturn's date."""
        if self.final is not None:
            return Decimal(100)
        if self.execution is None:
            return None
        return self.execution.period.elapsed_share * 100

    @property
    def ahead(self) -> Decimal | None:
        """Execution rate minus 序时进度 in percentage points (negative: behind)."""
        rate, elapsed = self.execution_rate, self.elapsed
        if rate is None or elapsed is None:
            return None
        return rate - elapsed

    def facts(self) -> tuple[Fact, ...]:
        found = [self.budget, self.adjusted, self.final, *self.cumulative]
        return tuple(f for f in found if f is not None)


def _derive_singles(cumulative: list[Fact]) -> list[Derived]:
    """Differences of consecutive cumulative figures that start in January."""
    out: list[Derived] = []
    starts = [f for f in cumulative if f.period.day is None and f.period.start_month == 1]
    by_end = {f.period.end_month: f for f in starts}
    ends = sorted(by_end)
    for a, b in itertools.pairwise(ends):
        earlier, later = by_end[a], by_end[b]
        period = Period(later.period.year, a + 1, b)
        out.append(Derived(period, later.yuan - earlier.yuan, later, earlier))
    return out


def outturn_lines(facts: Iterable[Fact]) -> list[OutturnLine]:
    """Budget-against-outturn lines for every item that has a flow figure."""
    groups: dict[tuple[str, str, str | None, str, int], dict[Stage, list[Fact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    names: dict[tuple[str, str, str | None, str, int], str] = {}
    for fact in facts:
        if fact.stage not in (Stage.BUDGET, Stage.ADJUSTED, Stage.EXECUTION, Stage.FINAL):
            continue
        if fact.period.day is not None:
            continue
        key = (
            gov_of(fact),
            str(fact.scope),
            fact.book.value if fact.book else None,
            fact.code or fact.indicator,
            fact.period.year,
        )
        groups[key][fact.stage].append(fact)
        names.setdefault(key, fact.indicator)
    lines: list[OutturnLine] = []
    for key, stages in groups.items():

        def first_whole(stage: Stage, stages: dict[Stage, list[Fact]] = stages) -> Fact | None:
            whole = [f for f in stages.get(stage, []) if f.period.whole_year]
            return min(whole, key=lambda f: (f.source.document, f.source.start), default=None)

        executions: dict[Period, Fact] = {}
        for f in sorted(stages.get(Stage.EXECUTION, []), key=lambda f: (f.source.document, f.source.start)):
            executions.setdefault(f.period, f)
        cumulative = sorted(executions.values(), key=lambda f: (f.period.end_month, f.period.start_month))
        latest = None
        for f in cumulative:
            if f.period.start_month == 1:
                latest = f
        if latest is None and cumulative:
            latest = cumulative[-1]
        lines.append(
            OutturnLine(
                government=key[0],
                scope=key[1],
                book=key[2],
                item=key[3],
                name=names[key],
                year=key[4],
                budget=first_whole(Stage.BUDGET),
                adjusted=first_whole(Stage.ADJUSTED),
                execution=latest,
                final=first_whole(Stage.FINAL),
                cumulative=tuple(cumulative),
                singles=tuple(_derive_singles(cumulative)),
            )
        )
    lines.sort(key=lambda ln: (ln.government, ln.scope, ln.year, ln.book or "", ln.item))
    return lines
