"""Helpers shared by rule modules: intervals of facts and hits from comparisons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from yusuan.check.arith import HUNDRED, ZERO, fmt, in_unit, meets, places_of, truncated
from yusuan.check.engine import Context, Hit
from yusuan.model import Amount, Fact, Interval, Severity, Unit


def label(fact: Fact) -> str:
    """A short Chinese label of a fact: indicator with scope when not whole."""
    scope = {"whole": "", "own": "本级"}.get(str(fact.scope), str(fact.scope))
    return f"{scope}{fact.indicator}" if scope and scope not in fact.indicator else fact.indicator


def amount_str(yuan: Decimal, unit: Unit, places: int) -> str:
    return f"{fmt(in_unit(yuan, unit), places)}{unit.value}"


def money_hit(
    ctx: Context,
    facts: Sequence[Fact],
    expected: Interval,
    expected_point: Decimal,
    printed_fact: Fact,
    params: dict[str, object],
    *,
    severity: Severity | None = None,
    printed_iv: Interval | None = None,
) -> Hit | None:
    """A hit when the printed fact's interval misses ``expected`` (yuan); else None.

    ``printed_iv`` reads the printed fact at a finer precision than its own digits (the
    statement's precision, :func:`yusuan.check.arith.group_iv`)."""
    printed = printed_fact.amount.interval() if printed_iv is None else printed_iv
    if meets(expected, printed):
        return None
    unit = printed_fact.amount.unit
    places = max(places_of(in_unit(f.amount.yuan, unit).normalize()) for f in
                 (printed_fact, *facts))
    places = min(max(places, places_of(printed_fact.amount.value)), 6)
    if severity is None and truncated(in_unit(expected_point, unit), printed_fact.amount.value):
        severity = Severity.NOTICE  # cut instead of rounded
    tol = (expected.hi - expected.lo) / 2 + (printed.hi - printed.lo) / 2
    gap = printed_fact.amount.yuan - expected_point
    p = {
        "expected": amount_str(expected_point, unit, places),
        "printed": str(printed_fact.amount),
        "gap": amount_str(gap, unit, places),
        **params,
    }
    return Hit(
        params=p,
        sources=ctx.fact_sources(facts),
        facts=tuple(f.id for f in facts),
        expected=fmt(in_unit(expected_point, unit), places),
        printed=fmt(printed_fact.amount.value),
        gap=fmt(in_unit(gap, unit), places),
        tolerance=fmt(in_unit(tol, unit), places),
        document=printed_fact.source.document,
        severity=severity,
    )


def pct_hit(
    ctx: Context,
    facts: Sequence[Fact],
    expected: Interval,
    expected_point: Decimal | None,
    printed_pct: Decimal,
    params: dict[str, object],
    *,
    document: str | None = None,
    severity: Severity | None = None,
) -> Hit | None:
    """A hit when the printed percentage's interval misses ``expected`` (percent)."""
    from yusuan.model import pct_interval

    printed = pct_interval(printed_pct)
    if meets(expected, printed):
        return None
    if expected_point is None:
        expected_point = expected.mid
    places = places_of(printed_pct) + 2
    if severity is None and truncated(expected_point, printed_pct):
        severity = Severity.NOTICE  # cut instead of rounded
    tol = (expected.hi - expected.lo) / 2 + (printed.hi - printed.lo) / 2
    gap = printed_pct - expected_point
    p = {
        "expected": f"{fmt(expected_point, places)}%",
        "printed": f"{fmt(printed_pct)}%",
        "gap": f"{fmt(gap, places)}个百分点",
        "gap_en": f"{fmt(gap, places)} points",
        **params,
    }
    return Hit(
        params=p,
        sources=ctx.fact_sources(facts),
        facts=tuple(f.id for f in facts),
        expected=fmt(expected_point, places),
        printed=fmt(printed_pct),
        gap=fmt(gap, places),
        tolerance=fmt(tol, places),
        document=document or (facts[0].source.document if facts else None),
        severity=severity,
    )


def corners(fn, a: Interval, b: Interval) -> Interval | None:  # type: ignore[no-untyped-def]
    """Range of ``fn(x, y)`` for x in a, y in b, for a function monotone in each argument."""
    values = []
    for x in (a.lo, a.hi):
        for y in (b.lo, b.hi):
            try:
                values.append(fn(x, y))
            except (ZeroDivisionError, ArithmeticError):
                return None
    return Interval(min(values), max(values))


def growth_from_change(value: Interval, change: Interval) -> Interval | None:
    """Growth rate in percent implied by a value and its stated change."""
    prior = value - change
    if prior.lo <= ZERO <= prior.hi:
        return None
    if prior.lo < ZERO and value.lo < ZERO:
        return None  # a negative figure (退税 …): no growth rate to speak of
    # a change larger than a non-negative figure leaves a negative prior: the implied rate is
    # below −100%, which no printed rate can match
    return corners(lambda v, d: (v / (v - d) - 1) * HUNDRED, value, change)


def same_context(a: Fact, b: Fact) -> bool:
    return (a.government, str(a.scope), a.book, a.stage, str(a.period)) == (
        b.government, str(b.scope), b.book, b.stage, str(b.period))


def resolve(ctx: Context, ids: Iterable[str]) -> list[Fact] | None:
    out = []
    for i in ids:
        f = ctx.facts.get(i.lstrip("-"))
        if f is None:
            return None
        out.append(f)
    return out


def statement(ctx: Context, members: Sequence[Fact]) -> list[Amount]:
    """Every narrative amount printed in the paragraph of ``members``: from the start of the
    line of the first member to the end of the line of the last (a line of a text is a
    paragraph; a report wrapped narrowly only gives a smaller group), in one document.  Their
    printed decimals set the precision of the members (:func:`yusuan.check.arith.group_iv`).
    Members from several documents or from tables are a group of their own figures only."""
    own = [m.amount for m in members]
    docs = {m.source.document for m in members}
    if len(docs) != 1 or any(m.table is not None for m in members):
        return own
    doc = next(iter(docs))
    lo = min(m.source.start for m in members)
    hi = max(m.source.end for m in members)
    for ex in ctx.extractions:
        if ex.document.id == doc:
            text = ex.document.text
            lo = text.rfind("\n", 0, lo) + 1
            end = text.find("\n", hi)
            hi = len(text) if end < 0 else end
            return own + [f.amount for f in ex.facts if f.table is None
                          and f.source.document == doc
                          and lo <= f.source.start and f.source.end <= hi]
    return own
