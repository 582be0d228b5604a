"""Money as printed: a Decimal with its unit and precision, and intervals.

A printed figure such as ``131.5 亿元`` stands for every value that rounds
to it: the half-open interval [131.45, 131.55) 亿元.  Checks compute with
these intervals so that rounding never raises a false alarm and a real gap
is never rounded away.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    """Units money is printed in."""

    YUAN = "元"
    WAN = "万元"
    YI = "亿元"


UNIT_FACTOR: dict[Unit, Decimal] = {
    Unit.YUAN: Decimal(1),
    Unit.WAN: Decimal(10_000),
    Unit.YI: Decimal(100_000_000),
}

_ZERO = Decimal(0)


def half_ulp(value: Decimal) -> Decimal:
    """Half a unit in the last printed place: ``131.5`` -> ``0.05``."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval [lo, hi] of Decimal values (in yuan or percent)."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @classmethod
    def around(cls, value: Decimal, radius: Decimal) -> Interval:
        return cls(value - radius, value + radius)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __mul__(self, other: Interval) -> Interval:
        products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval | None:
        """Quotient; ``None`` when the divisor interval contains zero."""
        if other.lo <= _ZERO <= other.hi:
            return None
        quotients = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(quotients), max(quotients))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def gap(self, other: Interval) -> Decimal:
        """Distance between two intervals (0 when they overlap)."""
        if self.overlaps(other):
            return _ZERO
        return other.lo - self.hi if other.lo > self.hi else other.hi - self.lo

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def sum_intervals(items: list[Interval] | tuple[Interval, ...]) -> Interval:
    lo = sum((i.lo for i in items), _ZERO)
    hi = sum((i.hi for i in items), _ZERO)
    return Interval(lo, hi)


@dataclass(frozen=True, slots=True)
class Amount:
    """A money figure exactly as printed: ``Amount(Decimal("131.5"), Unit.YI)``."""

    value: Decimal
    unit: Unit

    @property
    def yuan(self) -> Decimal:
        return self.value * UNIT_FACTOR[self.unit]

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last printed digit, in yuan."""
        return half_ulp(self.value) * UNIT_FACTOR[self.unit]

    def interval(self) -> Interval:
        """Every value in yuan that prints as this figure."""
        return Interval.around(self.yuan, self.tolerance)

    def in_unit(self, unit: Unit) -> Decimal:
        return self.yuan / UNIT_FACTOR[unit]

    def __str__(self) -> str:
        return f"{self.value}{self.unit.value}"


def pct_interval(value: Decimal) -> Interval:
    """A printed percentage (``10.59``) as the interval it stands for."""
    return Interval.around(value, half_ulp(value))
