"""Tables of the management cycle (budget versions, indicator ledger, projects, debt, transfers).

Money here is an integer number of fen (分) in a ``BigInteger`` column: exact
on SQLite and PostgreSQL alike (SQLite has no decimal type), cheap to sum and
compare on the payment path.  The service functions in :mod:`yusuan.cycle`
convert to and from ``Decimal`` yuan at their edges.  Rates and performance
values, which are not money, are decimal strings, as in :mod:`.schema`.

``cycle_journal`` is append-only: triggers (created with the table on SQLite
and PostgreSQL, and by migration 0002) refuse UPDATE and DELETE, and each
entry carries a hash chained to the indicator's previous entry, so that an
edit made around the triggers shows (:func:`yusuan.cycle.ledger.verify_chain`).  The
``budget_fen``/``paid_fen`` columns of ``cycle_indicators`` are a running
total kept in the same transaction as each journal entry, so that a payment
reads one row under a lock; :func:`yusuan.cycle.ledger.reconcile` recomputes
them from the journal.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from yusuan.store.schema import Base


class BudgetVersionRow(Base):
    """One version of a government's budget for a year and book (草案, 调整, 调剂, 决算)."""

    __tablename__ = "cycle_budget_versions"
    __table_args__ = (
        UniqueConstraint("government", "year", "book", "seq", name="uq_cycle_version_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    book: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within (government, year, book)
    kind: Mapped[str] = mapped_column(String(20))  # draft | adjustment | reallocation | final
    status: Mapped[str] = mapped_column(String(20))  # draft | approved | rejected
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_budget_versions.id"))
    title: Mapped[str] = mapped_column(Text, default="")
    session: Mapped[str | None] = mapped_column(Text)  # approving body and session
    approved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100), default="")
    approved_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")


class BudgetLineRow(Base):
    """One line of a version: an amount for a department, codes, project and fund source."""

    __tablename__ = "cycle_budget_lines"
    __table_args__ = (
        UniqueConstraint(
            "version_id", "department", "func_code", "econ_code", "project", "fund_source",
            name="uq_cycle_line_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("cycle_budget_versions.id", ondelete="CASCADE"), index=True
    )
    department: Mapped[str] = mapped_column(String(100))
    func_code: Mapped[str] = mapped_column(String(12))
    econ_code: Mapped[str] = mapped_column(String(12), default="")
    project: Mapped[str] = mapped_column(String(60), default="")  # project code, "" for none
    fund_source: Mapped[str] = mapped_column(String(60), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    sanbao: Mapped[str] = mapped_column(String(20), default="")  # livelihood | wages | operations
    sangong: Mapped[str] = mapped_column(String(30), default="")  # 三公 item
    required_fen: Mapped[int | None] = mapped_column(BigInteger)  # 三保 need by standard
    name: Mapped[str] = mapped_column(Text, default="")


class ProjectRow(Base):
    """A project of the project library (项目库)."""

    __tablename__ = "cycle_projects"
    __table_args__ = (UniqueConstraint("government", "code", name="uq_cycle_project_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProjectEventRow(Base):
    """A step of a project's lifecycle."""

    __tablename__ = "cycle_project_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("cycle_projects.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class IndicatorRow(Base):
    """A budget indicator (预算指标): what may be paid, by department, codes, project, source."""

    __tablename__ = "cycle_indicators"
    __table_args__ = (
        UniqueConstraint(
            "government", "year", "book", "department", "func_code", "econ_code", "project",
            "fund_source", name="uq_cycle_indicator_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    book: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(100))
    func_code: Mapped[str] = mapped_column(String(12))
    econ_code: Mapped[str] = mapped_column(String(12), default="")
    project: Mapped[str] = mapped_column(String(60), default="")
    fund_source: Mapped[str] = mapped_column(String(60), default="")
    project_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_projects.id"))
    bond_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_bonds.id"))
    sanbao: Mapped[str] = mapped_column(String(20), default="")
    sangong: Mapped[str] = mapped_column(String(30), default="")
    required_fen: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(Text, default="")
    # running totals, kept with each journal entry in one transaction
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_hash: Mapped[str] = mapped_column(String(64), default="")  # of its latest entry
    last_date: Mapped[date | None] = mapped_column(Date)  # value date of its latest entry


class JournalRow(Base):
    """One movement of an indicator; append-only."""

    __tablename__ = "cycle_journal"
    __table_args__ = (Index("ix_cycle_journal_indicator", "indicator_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("cycle_indicators.id"))
    # allocation | adjustment | reallocation | payment | reversal
    kind: Mapped[str] = mapped_column(String(20))
    budget_delta_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_delta_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_after_fen: Mapped[int] = mapped_column(BigInteger)
    paid_after_fen: Mapped[int] = mapped_column(BigInteger)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_budget_versions.id"))
    batch: Mapped[str] = mapped_column(String(40), default="")
    reverses: Mapped[int | None] = mapped_column(ForeignKey("cycle_journal.id"))
    payee: Mapped[str] = mapped_column(Text, default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100), default="")
    # sha256 of the indicator's previous entry's hash and this entry's content
    hash: Mapped[str] = mapped_column(String(64))


class DebtLimitRow(Base):
    """债务限额 of a government for a year: general or special."""

    __tablename__ = "cycle_debt_limits"
    __table_args__ = (UniqueConstraint("government", "year", "kind", name="uq_cycle_debt_limit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # general | special
    limit_fen: Mapped[int] = mapped_column(BigInteger)
    new_limit_fen: Mapped[int | None] = mapped_column(BigInteger)  # 新增限额


class BondRow(Base):
    """A government bond (地方政府债券)."""

    __tablename__ = "cycle_bonds"
    __table_args__ = (UniqueConstraint("government", "code", name="uq_cycle_bond_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))  # general | special
    purpose: Mapped[str] = mapped_column(String(20))  # new | refinancing
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_years: Mapped[int] = mapped_column(Integer)
    rate: Mapped[str] = mapped_column(String(20))  # percent per year, decimal string
    issue_date: Mapped[date] = mapped_column(Date)


class BondAllocationRow(Base):
    """Bond proceeds allocated to a project of the library."""

    __tablename__ = "cycle_bond_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("cycle_bonds.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("cycle_projects.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class DebtScheduleRow(Base):
    """A scheduled repayment of a bond: principal and interest due on a date."""

    __tablename__ = "cycle_debt_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("cycle_bonds.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
    refinanced_by: Mapped[int | None] = mapped_column(ForeignKey("cycle_bonds.id"))


class TransferRow(Base):
    """A transfer received from above (or budgeted) to be passed down to recipients."""

    __tablename__ = "cycle_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # general | special
    total_fen: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[date] = mapped_column(Date)
    deadline_on: Mapped[date] = mapped_column(Date)
    passed_on: Mapped[date | None] = mapped_column(Date)
    func_code: Mapped[str] = mapped_column(String(12), default="")
    basis: Mapped[str] = mapped_column(Text, default="")  # 文号 / rule
    quantum_fen: Mapped[int] = mapped_column(BigInteger, default=1)
    working: Mapped[str] = mapped_column(Text, default="")  # the arithmetic shown
    # the indicator of this level's transfer spending it is paid from, when kept in the ledger
    indicator_id: Mapped[int | None] = mapped_column(Integer)


class TransferShareRow(Base):
    """A recipient's amount of an allocated transfer."""

    __tablename__ = "cycle_transfer_shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("cycle_transfers.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    weighted_share: Mapped[str] = mapped_column(String(60))


class PerfTargetRow(Base):
    """A performance target (绩效目标) of a project or department."""

    __tablename__ = "cycle_perf_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_projects.id"))
    department: Mapped[str] = mapped_column(String(100), default="")
    level1: Mapped[str] = mapped_column(String(40))  # 一级指标
    level2: Mapped[str] = mapped_column(String(40))  # 二级指标
    level3: Mapped[str] = mapped_column(Text)  # 三级指标
    op: Mapped[str] = mapped_column(String(4))  # ≥ ≤ = > <
    target: Mapped[str] = mapped_column(String(60))  # decimal string
    unit: Mapped[str] = mapped_column(String(20), default="")
    weight: Mapped[str] = mapped_column(String(20))  # points
    basis: Mapped[str] = mapped_column(Text, default="")


class PerfValueRow(Base):
    """A monitored or final value of a performance target."""

    __tablename__ = "cycle_perf_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("cycle_perf_targets.id"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(String(60))
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


CYCLE_TABLES = [
    m.__table__
    for m in (
        BudgetVersionRow, BudgetLineRow, ProjectRow, ProjectEventRow, BondRow, IndicatorRow,
        JournalRow, DebtLimitRow, BondAllocationRow, DebtScheduleRow, TransferRow,
        TransferShareRow, PerfTargetRow, PerfValueRow,
    )
]

# Append-only journal: refuse UPDATE and DELETE at the database.
SQLITE_JOURNAL_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS cycle_journal_no_update BEFORE UPDATE ON cycle_journal "
    "BEGIN SELECT RAISE(ABORT, 'cycle_journal is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS cycle_journal_no_delete BEFORE DELETE ON cycle_journal "
    "BEGIN SELECT RAISE(ABORT, 'cycle_journal is append-only'); END",
)
POSTGRES_JOURNAL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION cycle_journal_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'cycle_journal is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER cycle_journal_no_change BEFORE UPDATE OR DELETE ON cycle_journal "
    "FOR EACH ROW EXECUTE FUNCTION cycle_journal_append_only()",
)

for _sql in SQLITE_JOURNAL_TRIGGERS:
    event.listen(JournalRow.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_JOURNAL_TRIGGERS:
    event.listen(JournalRow.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
