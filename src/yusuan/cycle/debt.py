"""The debt register (政府债务): limits, bonds, allocations to projects, repayments, balances.

Balances are derived: the face amount of the bonds issued to a date less the
principal repaid to that date.  A bond is refused when the balance of its
kind (general 一般债务 / special 专项债务) would exceed the year's limit at any
date of that year, or when new bonds of the year would exceed the new-debt
limit (新增限额); an allocation is refused when it would exceed the bond.
A refinancing bond (再融资债券) repays the principal it names on its issue date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection, func, insert, select, update

from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.cycle.ledger import derived_fact
from yusuan.cycle.money import to_fen, to_yuan
from yusuan.model.money import Unit
from yusuan.model.records import Fact, Period, Stage
from yusuan.store.cycle import (
    BondAllocationRow,
    BondRow,
    DebtLimitRow,
    DebtScheduleRow,
    IndicatorRow,
    JournalRow,
    ProjectRow,
)

LIM = DebtLimitRow.__table__
BOND = BondRow.__table__
ALLOC = BondAllocationRow.__table__
SCHED = DebtScheduleRow.__table__
PROJ = ProjectRow.__table__
IND = IndicatorRow.__table__
JOURNAL = JournalRow.__table__

KINDS = {"general": "一般债务", "special": "专项债务"}
BOOK_OF = {"general": "general", "special": "fund"}  # special debt is of the fund budget
PURPOSES = {"new": "新增债券", "refinancing": "再融资债券"}

# 债务率 risk bands (财政部 debt risk rating as commonly reported: red ≥ 300%,
# orange 200–300%, yellow 120–200%, green < 120%).  Lower bounds in percent.
RISK_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal(300), "red", "红色"),
    (Decimal(200), "orange", "橙色"),
    (Decimal(120), "yellow", "黄色"),
    (Decimal(0), "green", "绿色"),
)


@dataclass(frozen=True, slots=True)
class Bond:
    id: int
    government: str
    code: str
    name: str
    kind: str
    purpose: str
    amount: Decimal
    term_years: int
    rate: Decimal
    issue_date: date


@dataclass(frozen=True, slots=True)
class Repayment:
    id: int
    bond_id: int
    due_date: date
    principal: Decimal
    interest: Decimal
    paid_on: date | None
    refinanced_by: int | None


@dataclass(frozen=True, slots=True)
class DebtIndicators:
    """限额使用率 and 债务率 of a government at a date, in percent (two places)."""

    limit: Decimal
    balance: Decimal
    limit_usage_pct: Decimal | None  # 余额 / 限额
    resources: Decimal | None  # 综合财力, as given
    debt_ratio_pct: Decimal | None  # 余额 / 综合财力
    band: str | None  # red | orange | yellow | green
    band_zh: str | None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def set_limit(
    db: CycleDB, government: str, year: int, kind: str, limit: Decimal,
    new_limit: Decimal | None = None,
) -> None:
    """Set the limit of a kind of debt for a year; refused below the balance already owed."""
    if kind not in KINDS:
        raise Refused("cycle.debt.kind", f"未知的债务类别 {kind}", f"unknown debt kind {kind}")
    fen = to_fen(limit)
    with db.write() as conn:
        _limit(conn, government, year, kind)  # lock the row (PostgreSQL) before reading balances
        owed = _max_balance(conn, government, kind, year, None)
        if owed > fen:
            raise Refused(
                "cycle.debt.limit_below_balance",
                f"{KINDS[kind]}限额 {limit} 元低于{year}年债务余额 {to_yuan(owed)} 元",
                f"the {kind} limit {limit} is below the {year} balance {to_yuan(owed)}",
            )
        existing = conn.execute(select(LIM.c.id).where(
            LIM.c.government == government, LIM.c.year == year, LIM.c.kind == kind)).scalar()
        values = dict(limit_fen=fen, new_limit_fen=None if new_limit is None else to_fen(new_limit))
        if existing:
            conn.execute(update(LIM).where(LIM.c.id == existing).values(**values))
        else:
            conn.execute(insert(LIM).values(government=government, year=year, kind=kind, **values))


def _limit(conn: Connection, government: str, year: int, kind: str) -> tuple[int, int | None] | None:
    query = select(LIM.c.limit_fen, LIM.c.new_limit_fen).where(
        LIM.c.government == government, LIM.c.year == year, LIM.c.kind == kind)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return (row[0], row[1]) if row else None


def _balance(conn: Connection, government: str, kind: str | None, at: date) -> int:
    issued = select(func.coalesce(func.sum(BOND.c.amount_fen), 0)).where(
        BOND.c.government == government, BOND.c.issue_date <= at)
    repaid = (
        select(func.coalesce(func.sum(SCHED.c.principal_fen), 0))
        .join(BOND, BOND.c.id == SCHED.c.bond_id)
        .where(BOND.c.government == government, SCHED.c.paid_on.is_not(None),
               SCHED.c.paid_on <= at)
    )
    if kind:
        issued = issued.where(BOND.c.kind == kind)
        repaid = repaid.where(BOND.c.kind == kind)
    return int(conn.execute(issued).scalar_one()) - int(conn.execute(repaid).scalar_one())


def _max_balance(
    conn: Connection, government: str, kind: str, year: int, extra: tuple[date, int] | None
) -> int:
    """The highest balance of ``kind`` at any event date of ``year`` (with an extra issue)."""
    dates = {date(year, 12, 31)}
    for (d,) in conn.execute(select(BOND.c.issue_date).where(
            BOND.c.government == government, BOND.c.kind == kind)):
        if d.year == year:
            dates.add(d)
    if extra:
        dates.add(extra[0])
    best = _balance(conn, government, kind, date(year, 1, 1))
    for d in dates:
        b = _balance(conn, government, kind, d)
        if extra and d >= extra[0]:
            b += extra[1]
        best = max(best, b)
    return best


def issue_bond(
    db: CycleDB,
    government: str,
    code: str,
    *,
    kind: str,
    purpose: str,
    amount: Decimal,
    term_years: int,
    rate: Decimal,
    issue_date: date,
    name: str = "",
    refinances: Sequence[int] = (),
    amortize: bool = False,
) -> int:
    """Register a bond with its repayment schedule; returns its id.

    The schedule: interest yearly on each anniversary (amount × rate,
    rounded to the fen), principal at maturity, or in equal yearly parts when
    ``amortize``.  ``refinances`` names schedule rows of principal this
    (refinancing) bond repays on its issue date.
    """
    if kind not in KINDS:
        raise Refused("cycle.debt.kind", f"未知的债务类别 {kind}", f"unknown debt kind {kind}")
    if purpose not in PURPOSES:
        raise Refused("cycle.debt.purpose", f"未知的债券用途 {purpose}", f"unknown purpose {purpose}")
    if term_years < 1 or rate < 0:
        raise Refused("cycle.debt.terms", "债券期限或利率无效", "invalid term or rate")
    fen = to_fen(amount)
    if fen <= 0:
        raise Refused("cycle.debt.amount", "债券金额必须大于零", "bond amount must be positive")
    if refinances and purpose != "refinancing":
        raise Refused("cycle.debt.refinance_new", "新增债券不能用于偿还到期本金",
                      "only a refinancing bond repays principal")
    with db.write() as conn:
        limit = _limit(conn, government, issue_date.year, kind)
        if limit is None:
            raise Refused(
                "cycle.debt.no_limit",
                f"{issue_date.year} 年{KINDS[kind]}限额未下达，不能发行债券",
                f"no {kind} debt limit for {issue_date.year}",
            )
        if conn.execute(select(BOND.c.id).where(
                BOND.c.government == government, BOND.c.code == code)).first():
            raise Refused("cycle.debt.duplicate", f"债券编码 {code} 已登记",
                          f"bond {code} is already registered")
        refinanced = 0
        for sid in refinances:
            row = conn.execute(select(SCHED.c.principal_fen, SCHED.c.paid_on, BOND.c.kind)
                               .join(BOND, BOND.c.id == SCHED.c.bond_id)
                               .where(SCHED.c.id == sid)).first()
            if row is None or row.paid_on is not None or row.principal_fen == 0 or row.kind != kind:
                raise Refused("cycle.debt.refinance_row",
                              f"还本计划 {sid} 不是未偿的同类本金，不能再融资",
                              f"schedule row {sid} is not unpaid principal of this kind")
            refinanced += row.principal_fen
        if refinanced > fen:
            raise Refused("cycle.debt.refinance_excess", "再融资金额小于拟偿还的本金",
                          "the refinancing bond is smaller than the principal it repays")
        peak = _max_balance(conn, government, kind, issue_date.year, (issue_date, fen - refinanced))
        if peak > limit[0]:
            raise Refused(
                "cycle.debt.over_limit",
                f"发行后{KINDS[kind]}余额 {to_yuan(peak)} 元将超过限额 {to_yuan(limit[0])} 元",
                f"the {kind} balance would be {to_yuan(peak)}, above the limit {to_yuan(limit[0])}",
                balance=to_yuan(peak), limit=to_yuan(limit[0]),
            )
        later_limits = conn.execute(select(LIM.c.year, LIM.c.limit_fen).where(
            LIM.c.government == government, LIM.c.kind == kind, LIM.c.year > issue_date.year)).all()
        for later_year, later_limit in later_limits:
            later_peak = _max_balance(conn, government, kind, later_year,
                                      (issue_date, fen - refinanced))
            if later_peak > later_limit:
                raise Refused(
                    "cycle.debt.over_limit",
                    f"发行后{later_year}年{KINDS[kind]}余额 {to_yuan(later_peak)} 元将超过限额 "
                    f"{to_yuan(later_limit)} 元",
                    f"the {later_year} {kind} balance would be {to_yuan(later_peak)}, above the "
                    f"limit {to_yuan(later_limit)}",
                )
        if purpose == "new" and limit[1] is not None:
            issued_new = int(conn.execute(select(func.coalesce(func.sum(BOND.c.amount_fen), 0)).where(
                BOND.c.government == government, BOND.c.kind == kind, BOND.c.purpose == "new",
                BOND.c.issue_date >= date(issue_date.year, 1, 1),
                BOND.c.issue_date <= date(issue_date.year, 12, 31))).scalar_one())
            if issued_new + fen > limit[1]:
                raise Refused(
                    "cycle.debt.over_new_limit",
                    f"新增{KINDS[kind]}发行 {to_yuan(issued_new + fen)} 元将超过新增限额 "
                    f"{to_yuan(limit[1])} 元",
                    f"new {kind} bonds {to_yuan(issued_new + fen)} would exceed the new-debt "
                    f"limit {to_yuan(limit[1])}",
                )
        bid = int(conn.execute(insert(BOND).values(
            government=government, code=code, name=name, kind=kind, purpose=purpose,
            amount_fen=fen, term_years=term_years, rate=str(rate), issue_date=issue_date,
        )).inserted_primary_key[0])
        rows = []
        outstanding = fen
        part = fen // term_years
        for year in range(1, term_years + 1):
            interest = int((Decimal(outstanding) * rate / 100).quantize(Decimal(1), ROUND_HALF_UP))
            if amortize:
                principal = part if year < term_years else outstanding
            else:
                principal = fen if year == term_years else 0
            rows.append(dict(bond_id=bid, due_date=_add_years(issue_date, year),
                             principal_fen=principal, interest_fen=interest, paid_on=None,
                             refinanced_by=None))
            if amortize:
                outstanding -= principal
        conn.execute(insert(SCHED), rows)
        for sid in refinances:
            conn.execute(update(SCHED).where(SCHED.c.id == sid).values(
                paid_on=issue_date, refinanced_by=bid))
    return bid


def allocate_bond(db: CycleDB, bond_id: int, project_code: str, amount: Decimal) -> int:
    """Allocate bond proceeds to a project of the library; refused beyond the bond."""
    fen = to_fen(amount)
    if fen <= 0:
        raise Refused("cycle.debt.amount", "安排金额必须大于零", "amount must be positive")
    with db.write() as conn:
        query = select(BOND).where(BOND.c.id == bond_id)
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()  # allocations of one bond, one at a time
        bond = conn.execute(query).first()
        if bond is None:
            raise Refused("cycle.debt.unknown", f"债券 {bond_id} 未登记", f"bond {bond_id} unknown")
        if bond.purpose != "new":
            raise Refused("cycle.debt.refinance_project", "再融资债券不能安排项目",
                          "a refinancing bond is not allocated to projects")
        project = conn.execute(select(PROJ.c.id, PROJ.c.status).where(
            PROJ.c.government == bond.government, PROJ.c.code == project_code)).first()
        if project is None or project.status in ("proposed", "withdrawn"):
            raise Refused("cycle.project.not_reviewed",
                          f"项目 {project_code} 不在项目库中或未经评审，不能安排债券资金",
                          f"project {project_code} is not a reviewed project of the library")
        used = int(conn.execute(select(func.coalesce(func.sum(ALLOC.c.amount_fen), 0)).where(
            ALLOC.c.bond_id == bond_id)).scalar_one())
        if used + fen > bond.amount_fen:
            raise Refused(
                "cycle.debt.over_bond",
                f"安排后合计 {to_yuan(used + fen)} 元超过债券金额 {to_yuan(bond.amount_fen)} 元",
                f"allocations {to_yuan(used + fen)} would exceed the bond {to_yuan(bond.amount_fen)}",
            )
        return int(conn.execute(insert(ALLOC).values(
            bond_id=bond_id, project_id=project.id, amount_fen=fen)).inserted_primary_key[0])


def repay(db: CycleDB, schedule_id: int, on_date: date) -> None:
    """Record a scheduled repayment as paid."""
    with db.write() as conn:
        query = select(SCHED.c.paid_on).where(SCHED.c.id == schedule_id)
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise Refused("cycle.debt.unknown_repayment", f"还本付息计划 {schedule_id} 不存在",
                          f"repayment {schedule_id} does not exist")
        if row.paid_on is not None:
            raise Refused("cycle.debt.repaid", f"还本付息计划 {schedule_id} 已偿还",
                          f"repayment {schedule_id} is already paid")
        conn.execute(update(SCHED).where(SCHED.c.id == schedule_id).values(paid_on=on_date))


def schedule(db: CycleDB, bond_id: int) -> list[Repayment]:
    with db.read() as conn:
        return [Repayment(r.id, r.bond_id, r.due_date, to_yuan(r.principal_fen),
                          to_yuan(r.interest_fen), r.paid_on, r.refinanced_by)
                for r in conn.execute(select(SCHED).where(SCHED.c.bond_id == bond_id)
                                      .order_by(SCHED.c.due_date))]


def due(db: CycleDB, government: str, start: date, end: date) -> list[Repayment]:
    """Unpaid repayments falling due between two dates (inclusive)."""
    with db.read() as conn:
        return [Repayment(r.id, r.bond_id, r.due_date, to_yuan(r.principal_fen),
                          to_yuan(r.interest_fen), r.paid_on, r.refinanced_by)
                for r in conn.execute(
                    select(SCHED).join(BOND, BOND.c.id == SCHED.c.bond_id).where(
                        BOND.c.government == government, SCHED.c.paid_on.is_(None),
                        SCHED.c.due_date >= start, SCHED.c.due_date <= end)
                    .order_by(SCHED.c.due_date))]


def bonds(db: CycleDB, government: str) -> list[Bond]:
    with db.read() as conn:
        return [Bond(r.id, r.government, r.code, r.name, r.kind, r.purpose, to_yuan(r.amount_fen),
                     r.term_years, Decimal(r.rate), r.issue_date)
                for r in conn.execute(select(BOND).where(BOND.c.government == government)
                                      .order_by(BOND.c.issue_date, BOND.c.id))]


def balance(db: CycleDB, government: str, at: date, kind: str | None = None) -> Decimal:
    with db.read() as conn:
        return to_yuan(_balance(conn, government, kind, at))


def limit(db: CycleDB, government: str, year: int, kind: str | None = None) -> Decimal:
    with db.read() as conn:
        kinds = [kind] if kind else list(KINDS)
        return to_yuan(sum((lim[0] for k in kinds if (lim := _limit(conn, government, year, k))), 0))


def risk_band(ratio_pct: Decimal) -> tuple[str, str]:
    for bound, band, zh in RISK_BANDS:
        if ratio_pct >= bound:
            return band, zh
    return RISK_BANDS[-1][1], RISK_BANDS[-1][2]


def indicators(
    db: CycleDB, government: str, at: date, resources: Decimal | None = None
) -> DebtIndicators:
    """限额使用率 (balance / limit) and 债务率 (balance / 综合财力) with its risk band."""
    lim = limit(db, government, at.year)
    bal = balance(db, government, at)
    usage = (bal / lim * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if lim else None
    ratio = band = band_zh = None
    if resources:
        ratio = (bal / resources * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        band, band_zh = risk_band(ratio)
    return DebtIndicators(lim, bal, usage, resources, ratio, band, band_zh)


def project_funds(db: CycleDB, government: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Per project code: (bond funds allocated, paid from indicators funded by bonds)."""
    with db.read() as conn:
        allocated = {r[0]: int(r[1]) for r in conn.execute(
            select(PROJ.c.code, func.sum(ALLOC.c.amount_fen))
            .join(ALLOC, ALLOC.c.project_id == PROJ.c.id)
            .where(PROJ.c.government == government).group_by(PROJ.c.code))}
        spent = {r[0]: int(r[1]) for r in conn.execute(
            select(IND.c.project, func.sum(IND.c.paid_fen))
            .where(IND.c.government == government, IND.c.bond_id.is_not(None))
            .group_by(IND.c.project))}
    return {code: (to_yuan(allocated.get(code, 0)), to_yuan(spent.get(code, 0)))
            for code in sorted(set(allocated) | set(spent))}


def debt_facts(
    db: CycleDB, government: str, year: int, at: date, *, government_name: str | None = None,
    unit: Unit = Unit.YUAN,
) -> list[Fact]:
    """债务限额 and 债务余额 (general, special, total) as model facts."""
    facts = []
    with db.read() as conn:
        lim_total = bal_total = 0
        for kind, zh in KINDS.items():
            lim = _limit(conn, government, year, kind)
            bal = _balance(conn, government, kind, at)
            if lim:
                lim_total += lim[0]
                facts.append(derived_fact(government, government_name, BOOK_OF[kind], "", lim[0],
                                          Stage.LIMIT, Period(year), "cycle debt register", unit=unit,
                                          indicator=f"{zh}限额"))
            bal_total += bal
            facts.append(derived_fact(government, government_name, BOOK_OF[kind], "", bal,
                                      Stage.BALANCE, Period.at(at), "cycle debt register", unit=unit,
                                      indicator=f"{zh}余额"))
        facts.append(derived_fact(government, government_name, "general", "", lim_total,
                                  Stage.LIMIT, Period(year), "cycle debt register", unit=unit,
                                  indicator="政府债务限额"))
        facts.append(derived_fact(government, government_name, "general", "", bal_total,
                                  Stage.BALANCE, Period.at(at), "cycle debt register", unit=unit,
                                  indicator="政府债务余额"))
    return facts


def fund_indicator(db: CycleDB, bond_id: int, indicator_id: int) -> None:
    """Mark an indicator as funded by a bond, so its payments count as the bond's spending.

    The indicator must be for a project the bond is allocated to.
    """
    with db.write() as conn:
        ind = conn.execute(select(IND.c.project_id).where(IND.c.id == indicator_id)).first()
        if ind is None or ind.project_id is None or not conn.execute(select(ALLOC.c.id).where(
                ALLOC.c.bond_id == bond_id, ALLOC.c.project_id == ind.project_id)).first():
            raise Refused(
                "cycle.debt.not_allocated",
                f"预算指标 {indicator_id} 的项目未安排债券 {bond_id} 资金",
                f"indicator {indicator_id} is not for a project of bond {bond_id}",
            )
        conn.execute(update(IND).where(IND.c.id == indicator_id).values(bond_id=bond_id))
