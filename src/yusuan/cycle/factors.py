"""Allocation of a transfer among recipients by the factor method (因素法).

Seed 002 (新财规〔2021〕11号 第六条) allocates 衔接推进乡村振兴补助资金 by four
factors and their weights: 相关人群数量及结构 30%, 相关人群收入 30%, 政策因素 30%,
绩效考核结果 10%.  For each factor a recipient's share is its value over the
sum of all recipients' values (for an inverse factor such as income, where a
lower value should receive more, the reciprocal of the value is used).  The
weighted share is Σ weight × factor share; the amount is total × weighted
share, rounded to the printed precision so that the amounts add up to the
total exactly: every amount is first cut down to the precision, and the units
left over go one each to the recipients with the largest remainders (ties to
the earlier recipient in the order given).

Everything here is pure arithmetic on ``Decimal``; it returns the whole
working so that it can be shown (:meth:`Allocation.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext

from yusuan.cycle.errors import Refused

_PREC = 40
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor: its name, its weight (0.30 for 30%) and its direction."""

    name: str
    weight: Decimal
    inverse: bool = False  # True when a lower value should receive more (收入)


@dataclass(frozen=True, slots=True)
class RecipientShare:
    recipient: str
    factor_values: tuple[Decimal, ...]  # as given, in the order of the factors
    factor_shares: tuple[Decimal, ...]  # share of each factor, 0..1
    weighted_share: Decimal  # Σ weight × share
    exact: Decimal  # total × weighted share, unrounded
    floor: Decimal  # exact cut down to the precision
    remainder: Decimal  # exact - floor
    bonus: bool  # received one extra unit from the largest-remainder step
    amount: Decimal  # the allocated amount


@dataclass(frozen=True, slots=True)
class Allocation:
    total: Decimal
    quantum: Decimal  # the printed precision, e.g. Decimal("1") for whole 万元
    factors: tuple[Factor, ...]
    rows: tuple[RecipientShare, ...]

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {r.recipient: r.amount for r in self.rows}

    def explain(self, unit: str = "万元") -> list[str]:
        """The working, line by line, in Chinese."""
        lines = [
            f"分配总额 {self.total} {unit}，按 {self.quantum} {unit} 取整（最大余数法，保证合计不变）。",
            "因素及权重：" + "、".join(
                f"{f.name} {(f.weight * 100).normalize():f}%" + ("（反向）" if f.inverse else "")
                for f in self.factors
            ),
        ]
        for r in self.rows:
            parts = "；".join(
                f"{f.name} {v} → 占比 {_pct(s)}"
                for f, v, s in zip(self.factors, r.factor_values, r.factor_shares, strict=True)
            )
            lines.append(
                f"{r.recipient}：{parts}；加权占比 {_pct(r.weighted_share)}；"
                f"测算数 {_round(r.exact)}，取整 {r.floor}"
                + ("，按余数加 " + str(self.quantum) if r.bonus else "")
                + f"，分配 {r.amount} {unit}"
            )
        lines.append(f"合计 {sum((r.amount for r in self.rows), Decimal(0))} {unit}")
        return lines


def _pct(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.0001'))}%"


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))


def allocate(
    total: Decimal,
    factors: Sequence[Factor],
    data: Mapping[str, Mapping[str, Decimal]],
    quantum: Decimal = Decimal(1),
) -> Allocation:
    """Allocate ``total`` among the recipients of ``data`` (recipient → factor → value)."""
    if not factors:
        raise Refused("cycle.factor.none", "未给出分配因素", "no factors given")
    if not data:
        raise Refused("cycle.factor.no_recipient", "未给出分配对象", "no recipients given")
    weight_sum = sum((f.weight for f in factors), Decimal(0))
    if weight_sum != _ONE:
        raise Refused(
            "cycle.factor.weights",
            f"因素权重之和为 {weight_sum}，应为 100%",
            f"factor weights add up to {weight_sum}, not 1",
            weights=weight_sum,
        )
    if quantum <= 0:
        raise Refused("cycle.factor.quantum", "取整单位必须大于零", "quantum must be positive")
    units = total / quantum
    if units != units.to_integral_value():
        raise Refused(
            "cycle.factor.total_precision",
            f"分配总额 {total} 不是取整单位 {quantum} 的整数倍",
            f"total {total} is not a whole number of {quantum}",
        )
    recipients = list(data)
    with localcontext() as ctx:
        ctx.prec = _PREC
        shares: dict[str, list[Decimal]] = {r: [] for r in recipients}
        for factor in factors:
            values: dict[str, Decimal] = {}
            for r in recipients:
                if factor.name not in data[r]:
                    raise Refused(
                        "cycle.factor.missing",
                        f"{r} 缺少因素“{factor.name}”的数据",
                        f"{r} has no value for factor {factor.name!r}",
                    )
                v = Decimal(data[r][factor.name])
                if v < 0 or (factor.inverse and v == 0):
                    raise Refused(
                        "cycle.factor.value",
                        f"{r} 的因素“{factor.name}”取值 {v} 无效",
                        f"invalid value {v} of factor {factor.name!r} for {r}",
                    )
                values[r] = _ONE / v if factor.inverse else v
            denominator = sum(values.values(), Decimal(0))
            if denominator == 0:
                raise Refused(
                    "cycle.factor.zero",
                    f"因素“{factor.name}”各对象取值之和为零",
                    f"factor {factor.name!r} sums to zero",
                )
            for r in recipients:
                shares[r].append(values[r] / denominator)
        exact = {}
        weighted = {}
        for r in recipients:
            weighted[r] = sum((f.weight * s for f, s in zip(factors, shares[r], strict=True)), Decimal(0))
            exact[r] = total * weighted[r]
        floors = {r: (exact[r] / quantum).to_integral_value(ROUND_DOWN) * quantum for r in recipients}
        remainders = {r: exact[r] - floors[r] for r in recipients}
        left = int((total - sum(floors.values(), Decimal(0))) / quantum)
        order = sorted(recipients, key=lambda r: (-remainders[r], recipients.index(r)))
        bonus = set(order[:left])
    rows = tuple(
        RecipientShare(
            recipient=r,
            factor_values=tuple(Decimal(data[r][f.name]) for f in factors),
            factor_shares=tuple(shares[r]),
            weighted_share=weighted[r],
            exact=exact[r],
            floor=floors[r],
            remainder=remainders[r],
            bonus=r in bonus,
            amount=floors[r] + (quantum if r in bonus else 0),
        )
        for r in recipients
    )
    return Allocation(total=total, quantum=quantum, factors=tuple(factors), rows=rows)


# The weights of seed 002 (新财规〔2021〕11号 第六条), as a starting point a user can edit.
RURAL_REVITALISATION_FACTORS = (
    Factor("相关人群数量及结构", Decimal("0.30")),
    Factor("相关人群收入", Decimal("0.30"), inverse=True),
    Factor("政策因素", Decimal("0.30")),
    Factor("绩效考核结果", Decimal("0.10")),
)
