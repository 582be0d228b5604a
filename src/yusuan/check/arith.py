"""Rounding-aware arithmetic for checks.

Every printed number stands for the interval of values that print as it
(:func:`yusuan.model.pct_interval`, :meth:`yusuan.model.Amount.interval`).
A check combines the intervals of its inputs and compares the result with
the interval of the printed figure: a finding only when the two do not meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yusuan.model import Amount, Cell, Fact, Interval, Unit, pct_interval
from yusuan.model.money import UNIT_FACTOR, half_ulp

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def unit_of(text: str | None) -> Unit | None:
    """The :class:`Unit` a table header names (``"万元"``), or ``None``."""
    if not text:
        return None
    for unit in (Unit.YI, Unit.WAN, Unit.YUAN):
        if unit.value in text:
            return unit
    return None


def fact_iv(fact: Fact) -> Interval:
    """The yuan interval of a printed fact."""
    return fact.amount.interval()


def num_iv(value: Decimal) -> Interval:
    """A printed plain number (a table cell in the table's unit)."""
    return Interval.around(value, half_ulp(value))


def cell_iv(cell: Cell | None) -> Interval:
    """A table cell as an interval in the table's unit; a blank cell is 0."""
    if cell is None or cell.value is None:
        return Interval.exact(ZERO)
    return num_iv(cell.value)


def is_blank(cell: Cell | None) -> bool:
    return cell is None or cell.value is None


def meets(a: Interval, b: Interval) -> bool:
    """Do two printed ranges share a value?

    A printed figure stands for a half-open range (131.5 for [131.45, 131.55)), and so does a
    sum of printed figures; two such ranges meet when each starts before the other ends.  An
    exact value (a blank cell's 0) is a point and meets a range that contains it."""
    if a.lo == a.hi or b.lo == b.hi:
        return a.overlaps(b)
    return a.lo < b.hi and b.lo < a.hi


def fmt(value: Decimal, places: int | None = None) -> str:
    """A Decimal as a plain string, optionally quantized."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f")


def places_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def in_unit(yuan: Decimal, unit: Unit) -> Decimal:
    return yuan / UNIT_FACTOR[unit]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Printed against expected, both as intervals, with display strings."""

    expected: Interval
    printed: Interval
    expected_point: Decimal
    printed_point: Decimal

    @property
    def ok(self) -> bool:
        return self.expected.overlaps(self.printed)

    @property
    def gap(self) -> Decimal:
        return self.printed_point - self.expected_point

    @property
    def tolerance(self) -> Decimal:
        return (self.expected.hi - self.expected.lo) / 2 + (self.printed.hi - self.printed.lo) / 2


def compare(expected: Interval, expected_point: Decimal, printed: Interval,
            printed_point: Decimal) -> Comparison:
    return Comparison(expected, printed, expected_point, printed_point)


def amounts_sum(amounts: list[Amount]) -> tuple[Interval, Decimal]:
    """Interval and point value (yuan) of a sum of printed amounts."""
    lo = sum((a.interval().lo for a in amounts), ZERO)
    hi = sum((a.interval().hi for a in amounts), ZERO)
    return Interval(lo, hi), sum((a.yuan for a in amounts), ZERO)


def growth_iv(current: Interval, base: Interval) -> Interval | None:
    """Growth rate in percent, ``(current / base - 1) * 100``; None if base may be 0."""
    q = current / base
    if q is None:
        return None
    return Interval((q.lo - 1) * HUNDRED, (q.hi - 1) * HUNDRED)


def ratio_iv(part: Interval, whole: Interval) -> Interval | None:
    """``part / whole * 100``; None if the whole may be 0."""
    q = part / whole
    if q is None:
        return None
    return Interval(q.lo * HUNDRED, q.hi * HUNDRED)


def pct_iv(value: Decimal) -> Interval:
    return pct_interval(value)


def prior_from_change(value: Interval, change: Interval) -> Interval:
    """The prior period's value from a stated change: ``value - change``."""
    return value - change


def prior_from_rate(value: Interval, rate_pct: Decimal) -> Interval | None:
    """The prior period's value from a stated growth rate: ``value / (1 + r)``."""
    r = pct_interval(rate_pct)
    factor = Interval(1 + r.lo / HUNDRED, 1 + r.hi / HUNDRED)
    return value / factor


def base_from_ratio(value: Interval, pct: Decimal) -> Interval | None:
    """The base of a printed ratio (为预算的 x%): ``value / (x / 100)``."""
    r = pct_interval(pct)
    return value / Interval(r.lo / HUNDRED, r.hi / HUNDRED)


def truncated(expected: Decimal, printed: Decimal) -> bool:
    """Is ``printed`` the expected value cut (not rounded) to the printed places?

    Truncating instead of rounding is a real but minor discrepancy (a notice)."""
    from decimal import ROUND_DOWN

    q = Decimal(1).scaleb(-places_of(printed))
    return expected.quantize(q, rounding=ROUND_DOWN) == printed


# --- The reports' precision convention -------------------------------------------------------
#
# Why: the budget reports print a money figure with as many decimals as it needs and drop
# trailing zeros: a paragraph that prints 新增一般债券 6.1 亿元 and 再融资债券 0.38 亿元 prints
# 11.00 亿元 as "11 亿元" (000: 新增一般债券 6.1 + 新增专项债券 11 + 再融资债券 2 = 19.1 holds to
# the cent).  Reading the bare "11" as 11 ± 0.5 lets a misprinted part through; within one
# paragraph the finest precision printed for the unit is the precision of the figures of a
# sum in it.  Rates are not read this way (a rate is computed from unrounded amounts).


# A paragraph that prints every 万元 (元) figure without decimals states the accounts' whole
# figures, as whole-万元 tables do (all 93 clean sums in 002's tables equal the sum of their
# printed cells): its sums are exact.  亿元 figures are always rounded.
WHOLE_UNITS = (Unit.WAN, Unit.YUAN)


def amount_places(amount: Amount) -> int:
    """Decimals printed for ``amount`` (``6.1`` -> 1, ``11`` -> 0)."""
    return places_of(amount.value)


def finest_places(amounts: list[Amount], unit: Unit) -> int | None:
    """The most decimals printed among ``amounts`` of ``unit`` (None when there is none)."""
    places = [amount_places(a) for a in amounts if a.unit == unit]
    return max(places) if places else None


def group_iv(amount: Amount, group: list[Amount]) -> Interval:
    """The yuan interval of ``amount`` read at the finest precision its paragraph prints.

    ``group`` is every amount printed in the same paragraph as the sum (its whole, its parts
    and the figures around them); only amounts of the same unit set the precision.  An amount that
    already prints more decimals keeps its own."""
    places = finest_places(group, amount.unit)
    if places == 0 and amount.unit in WHOLE_UNITS:
        return Interval.exact(amount.yuan)  # whole 万元 (元): the accounts' own figures
    if places is None or places <= amount_places(amount):
        return amount.interval()
    half = Decimal(5).scaleb(-places - 1) * UNIT_FACTOR[amount.unit]
    return Interval.around(amount.yuan, half)


def group_sum(amounts: list[Amount], group: list[Amount]) -> tuple[Interval, Decimal]:
    """:func:`amounts_sum` with every amount read by :func:`group_iv`."""
    ivs = [group_iv(a, group) for a in amounts]
    return (Interval(sum((i.lo for i in ivs), ZERO), sum((i.hi for i in ivs), ZERO)),
            sum((a.yuan for a in amounts), ZERO))
