"""三保 (保基本民生, 保工资, 保运转) and 三公 (因公出国（境）, 公务接待, 公务用车) controls.

三保 items are indicators marked with their kind and, where known, their need
by the standard (``required``).  :func:`sanbao_status` shows, for each kind,
the need, the budget, what has been paid and whether it is short;
:func:`yusuan.cycle.ledger.pay` warns when other spending is paid while a
三保 item is short.

三公 spending may only decrease (只减不增): :func:`sangong_compare` compares
each item and the total with last year's budget, as seed 002's 表27 does
(2023 1341 万元 → 2024 1337 万元, -0.29%).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from yusuan.cycle.db import CycleDB
from yusuan.cycle.ledger import SANBAO_KINDS, sanbao_short
from yusuan.cycle.money import to_yuan
from yusuan.cycle.versions import effective_version, lines
from yusuan.store.cycle import IndicatorRow

IND = IndicatorRow.__table__

SANGONG_ITEMS = {
    "overseas": "因公出国（境）费用",
    "reception": "公务接待费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
}


@dataclass(frozen=True, slots=True)
class SanbaoRow:
    kind: str
    name_zh: str
    required: Decimal
    budget: Decimal
    paid: Decimal
    short_items: int


def sanbao_status(db: CycleDB, government: str, year: int, at: date) -> list[SanbaoRow]:
    """Need, budget and paid of each 三保 kind, and how many of its items are short at ``at``."""
    with db.read() as conn:
        rows = conn.execute(select(IND).where(
            IND.c.government == government, IND.c.year == year, IND.c.sanbao != "")).all()
        short = {s[0] for s in sanbao_short(conn, government, year, at)}
    out = []
    for kind, zh in SANBAO_KINDS.items():
        mine = [r for r in rows if r.sanbao == kind]
        out.append(SanbaoRow(
            kind, zh,
            to_yuan(sum((r.required_fen if r.required_fen is not None else r.budget_fen)
                        for r in mine)),
            to_yuan(sum(r.budget_fen for r in mine)),
            to_yuan(sum(r.paid_fen for r in mine)),
            sum(1 for r in mine if r.id in short),
        ))
    return out


@dataclass(frozen=True, slots=True)
class SangongRow:
    item: str  # key of SANGONG_ITEMS, or "total"
    name_zh: str
    last: Decimal
    this: Decimal

    @property
    def change(self) -> Decimal:
        return self.this - self.last

    @property
    def pct(self) -> Decimal | None:
        """Change in percent, two places (as 表27 prints it); None when last year was zero."""
        if self.last == 0:
            return None
        return (self.change / self.last * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SangongComparison:
    rows: tuple[SangongRow, ...]  # items, then the total

    @property
    def total(self) -> SangongRow:
        return self.rows[-1]

    @property
    def only_decrease(self) -> bool:
        """True when the total has not increased (只减不增)."""
        return self.total.this <= self.total.last

    @property
    def increased_items(self) -> tuple[str, ...]:
        return tuple(r.item for r in self.rows[:-1] if r.this > r.last)


def sangong_compare(
    this: Mapping[str, Decimal], last: Mapping[str, Decimal]
) -> SangongComparison:
    """Compare this year's 三公 items with last year's, item by item and in total."""
    rows = []
    for item, zh in SANGONG_ITEMS.items():
        if item in this or item in last:
            rows.append(SangongRow(item, zh, Decimal(last.get(item, 0)), Decimal(this.get(item, 0))))
    rows.append(SangongRow("total", "合计", sum((r.last for r in rows), Decimal(0)),
                           sum((r.this for r in rows), Decimal(0))))
    return SangongComparison(tuple(rows))


def sangong_budget(db: CycleDB, government: str, year: int) -> dict[str, Decimal]:
    """三公 budget by item from the first approved general budget of ``year``."""
    from yusuan.cycle.versions import versions

    drafts = [v for v in versions(db, government, year, "general")
              if v.kind == "draft" and v.status == "approved"]
    version = drafts[0] if drafts else effective_version(db, government, year, "general")
    out: dict[str, Decimal] = {}
    if version is None:
        return out
    for ln in lines(db, version.id):
        if ln.sangong:
            out[ln.sangong] = out.get(ln.sangong, Decimal(0)) + ln.amount
    return out


def sangong_paid(db: CycleDB, government: str, year: int) -> dict[str, Decimal]:
    with db.read() as conn:
        rows = conn.execute(select(IND.c.sangong, IND.c.paid_fen).where(
            IND.c.government == government, IND.c.year == year, IND.c.sangong != "")).all()
    out: dict[str, int] = {}
    for r in rows:
        out[r.sangong] = out.get(r.sangong, 0) + r.paid_fen
    return {k: to_yuan(v) for k, v in out.items()}
