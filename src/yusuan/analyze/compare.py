"""Comparisons: one government across years, and governments against their peers.

Values are compared only like for like: the same indicator, scope and stage
and the same months of the year (1-6月 2024 against 1-6月 2023); a budget
is never compared with an outturn.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from yusuan.analyze.indicators import IndicatorResult
from yusuan.model import Level, Stage


@dataclass(frozen=True, slots=True)
class YearRow:
    """One indicator of one government over the years, like for like."""

    government: str
    scope: str
    indicator: str
    name: str
    stage: Stage
    months: str  # "01..06" or "year"
    unit: str
    years: tuple[int, ...]
    values: tuple[Decimal | None, ...]
    changes: tuple[Decimal | None, ...]  # value minus the previous year's, same length
    results: tuple[IndicatorResult, ...]


def _months(result: IndicatorResult) -> str:
    p = result.context.period
    return "year" if p.whole_year else f"{p.start_month:02d}..{p.end_month:02d}"


def across_years(results: Iterable[IndicatorResult]) -> list[YearRow]:
    groups: dict[tuple[str, str, str, Stage, str], dict[int, IndicatorResult]] = defaultdict(dict)
    for r in results:
        c = r.context
        groups[(c.government, c.scope, r.indicator, c.stage, _months(r))].setdefault(c.period.year, r)
    rows = []
    for (gov, scope, ind, stage, months), by_year in groups.items():
        years = tuple(sorted(by_year))
        values = tuple(by_year[y].value for y in years)
        changes: list[Decimal | None] = [None]
        for prev, cur in itertools.pairwise(values):
            changes.append(None if prev is None or cur is None else cur - prev)
        first = by_year[years[0]]
        rows.append(YearRow(gov, scope, ind, first.name, stage, months, first.unit, years, values,
                            tuple(changes), tuple(by_year[y] for y in years)))
    rows.sort(key=lambda r: (r.government, r.scope, r.indicator, r.stage.value, r.months))
    return rows


@dataclass(frozen=True, slots=True)
class PeerRow:
    """One government's value beside the mean of its peers (same level)."""

    indicator: str
    name: str
    stage: Stage
    period: str
    scope: str
    level: str
    government: str
    value: Decimal
    peer_mean: Decimal  # mean over every government of the group, this one included
    peer_count: int
    deviation: Decimal  # value - peer_mean
    rank: int  # 1 = highest value in the group
    unit: str
    result: IndicatorResult


def against_peers(
    results: Iterable[IndicatorResult], levels: Mapping[str, Level | str] | None = None
) -> list[PeerRow]:
    """Every computed value against the mean of the same-level governments.

    ``levels`` maps a government to its level; governments without one form
    the group ``"unknown"``.  A group is one indicator, stage, period and
    scope; the mean counts every government of the group.
    """
    levels = levels or {}
    groups: dict[tuple[str, Stage, str, str, str], list[IndicatorResult]] = defaultdict(list)
    for r in results:
        if r.value is None:
            continue
        c = r.context
        level = str(levels.get(c.government, "unknown"))
        groups[(r.indicator, c.stage, str(c.period), c.scope, level)].append(r)
    rows: list[PeerRow] = []
    for (ind, stage, period, scope, level), members in groups.items():
        values = [m.value for m in members if m.value is not None]
        mean = sum(values, Decimal(0)) / len(values)
        ordered = sorted(members, key=lambda m: m.value or 0, reverse=True)
        for rank, m in enumerate(ordered, start=1):
            assert m.value is not None
            rows.append(PeerRow(ind, m.name, stage, period, scope, level, m.context.government,
                                m.value, mean, len(values), m.value - mean, rank, m.unit, m))
    rows.sort(key=lambda r: (r.indicator, r.period, r.stage.value, r.scope, r.level, r.rank))
    return rows
