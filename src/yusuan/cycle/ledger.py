"""The budget indicator ledger (预算指标账): indicators, the append-only journal, payments.

No budget, no payment; no payment beyond budget.  Every movement of an
indicator — allocation, adjustment, reallocation, payment, reversal — is one
row of ``cycle_journal``, dated no earlier than the indicator's previous entry
(no back-dating, so that a balance "as at" a date means what it says).  The indicator row carries running totals updated in
the same transaction as the entry (and each entry records the totals after
it), so a payment reads and locks a single row; :func:`reconcile` recomputes
every total from the journal and reports any difference.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, bindparam, func, insert, select, update

from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Notice, Refused
from yusuan.cycle.money import to_fen, to_yuan
from yusuan.model.money import UNIT_FACTOR, Amount, Unit
from yusuan.model.records import Book, Fact, Period, Source, Stage
from yusuan.refdata.codes import load_codes
from yusuan.store.cycle import IndicatorRow, JournalRow, ProjectRow

IND = IndicatorRow.__table__
JOURNAL = JournalRow.__table__
PROJ = ProjectRow.__table__

# Kinds of journal entry.
ALLOCATION = "allocation"
ADJUSTMENT = "adjustment"
REALLOCATION = "reallocation"
PAYMENT = "payment"
REVERSAL = "reversal"

# Statements of the payment path, built once (building them per call costs more than SQLite).
_LOCK = select(
    IND.c.id, IND.c.year, IND.c.budget_fen, IND.c.paid_fen, IND.c.entries, IND.c.closed,
    IND.c.project_id, IND.c.project, IND.c.sanbao, IND.c.government, IND.c.last_hash,
    IND.c.last_date,
).where(IND.c.id == bindparam("lock_id"))
_LOCK_FOR_UPDATE = _LOCK.with_for_update()
_INSERT_ENTRY = insert(JOURNAL)
_UPDATE_TOTALS = (
    update(IND)
    .where(IND.c.id == bindparam("row_id"))
    .values(budget_fen=bindparam("new_budget"), paid_fen=bindparam("new_paid"),
            entries=bindparam("new_entries"), last_hash=bindparam("new_hash"),
            last_date=bindparam("new_date"))
)
_PROJECT_STATUS = select(PROJ.c.status).where(PROJ.c.id == bindparam("project_id_"))

SANBAO_KINDS = {"livelihood": "保基本民生", "wages": "保工资", "operations": "保运转"}
PAYABLE_PROJECT_STATUSES = ("in_budget", "in_progress", "completed")


@dataclass(frozen=True, slots=True)
class IndicatorKey:
    """What an indicator is for: government, year, book, department, codes, project, source."""

    government: str
    year: int
    book: str
    department: str
    func_code: str
    econ_code: str = ""
    project: str = ""  # project code of the library, "" for basic spending
    fund_source: str = ""


@dataclass(frozen=True, slots=True)
class Indicator:
    id: int
    key: IndicatorKey
    name: str
    budget: Decimal
    paid: Decimal
    sanbao: str
    sangong: str
    required: Decimal | None
    project_id: int | None
    bond_id: int | None
    closed: bool

    @property
    def available(self) -> Decimal:
        return self.budget - self.paid


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    indicator_id: int
    kind: str
    budget_delta: Decimal
    paid_delta: Decimal
    budget_after: Decimal
    paid_after: Decimal
    on_date: date
    batch: str
    reverses: int | None
    payee: str
    memo: str
    actor: str
    version_id: int | None


@dataclass(frozen=True, slots=True)
class Payment:
    """An accepted payment: its journal entry, the balance left, any warnings."""

    entry_id: int
    indicator_id: int
    amount: Decimal
    available_after: Decimal
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Mismatch:
    """An indicator whose running totals disagree with its journal (should never happen)."""

    indicator_id: int
    budget_row: Decimal
    budget_journal: Decimal
    paid_row: Decimal
    paid_journal: Decimal


def _now() -> datetime:
    return datetime.now(UTC)


def _indicator(row: object) -> Indicator:
    r = row._mapping  # type: ignore[attr-defined]
    return Indicator(
        id=r["id"],
        key=IndicatorKey(
            r["government"], r["year"], r["book"], r["department"], r["func_code"],
            r["econ_code"], r["project"], r["fund_source"],
        ),
        name=r["name"],
        budget=to_yuan(r["budget_fen"]),
        paid=to_yuan(r["paid_fen"]),
        sanbao=r["sanbao"],
        sangong=r["sangong"],
        required=None if r["required_fen"] is None else to_yuan(r["required_fen"]),
        project_id=r["project_id"],
        bond_id=r["bond_id"],
        closed=bool(r["closed"]),
    )


def _entry(row: object) -> Entry:
    r = row._mapping  # type: ignore[attr-defined]
    return Entry(
        id=r["id"], indicator_id=r["indicator_id"], kind=r["kind"],
        budget_delta=to_yuan(r["budget_delta_fen"]), paid_delta=to_yuan(r["paid_delta_fen"]),
        budget_after=to_yuan(r["budget_after_fen"]), paid_after=to_yuan(r["paid_after_fen"]),
        on_date=r["on_date"], batch=r["batch"], reverses=r["reverses"], payee=r["payee"],
        memo=r["memo"], actor=r["actor"], version_id=r["version_id"],
    )


# --------------------------------------------------------------------------
# Inside a write transaction


def find_indicator(conn: Connection, key: IndicatorKey) -> int | None:
    return conn.execute(
        select(IND.c.id).where(
            IND.c.government == key.government, IND.c.year == key.year, IND.c.book == key.book,
            IND.c.department == key.department, IND.c.func_code == key.func_code,
            IND.c.econ_code == key.econ_code, IND.c.project == key.project,
            IND.c.fund_source == key.fund_source,
        )
    ).scalar()


def ensure_indicator(
    conn: Connection,
    key: IndicatorKey,
    *,
    name: str = "",
    sanbao: str = "",
    sangong: str = "",
    required_fen: int | None = None,
    bond_id: int | None = None,
) -> int:
    """The id of the indicator for ``key``, created (with zero budget) when new.

    A project indicator needs the project in the library, in budget or later.
    """
    existing = find_indicator(conn, key)
    if existing is not None:
        if required_fen is not None or sanbao or sangong or bond_id is not None:
            values: dict[str, object] = {}
            if required_fen is not None:
                values["required_fen"] = required_fen
            if sanbao:
                values["sanbao"] = sanbao
            if sangong:
                values["sangong"] = sangong
            if bond_id is not None:
                values["bond_id"] = bond_id
            conn.execute(update(IND).where(IND.c.id == existing).values(**values))
        return existing
    project_id = None
    if key.project:
        prow = conn.execute(
            select(PROJ.c.id, PROJ.c.status).where(
                PROJ.c.government == key.government, PROJ.c.code == key.project
            )
        ).first()
        if prow is None:
            raise Refused(
                "cycle.project.unknown",
                f"项目 {key.project} 不在项目库中，不能安排项目支出",
                f"project {key.project} is not in the project library",
                project=key.project,
            )
        if prow.status not in PAYABLE_PROJECT_STATUSES:
            raise Refused(
                "cycle.project.not_in_budget",
                f"项目 {key.project} 状态为“{prow.status}”，尚未纳入预算，不能安排项目支出",
                f"project {key.project} is {prow.status}, not in the budget",
                project=key.project, status=prow.status,
            )
        project_id = prow.id
    if sanbao and sanbao not in SANBAO_KINDS:
        raise Refused("cycle.sanbao.kind", f"未知的三保类别 {sanbao}", f"unknown 三保 kind {sanbao}")
    result = conn.execute(
        insert(IND).values(
            government=key.government, year=key.year, book=key.book, department=key.department,
            func_code=key.func_code, econ_code=key.econ_code, project=key.project,
            fund_source=key.fund_source, project_id=project_id, bond_id=bond_id, sanbao=sanbao,
            sangong=sangong, required_fen=required_fen, name=name, budget_fen=0, paid_fen=0,
            entries=0, closed=False, last_hash="",
        )
    )
    return int(result.inserted_primary_key[0])


_HASHED = ("indicator_id", "kind", "budget_delta_fen", "paid_delta_fen", "budget_after_fen",
           "paid_after_fen", "on_date", "version_id", "batch", "reverses", "payee", "memo", "actor")


def entry_hash(previous: str, values: Mapping[str, object]) -> str:
    """sha256 of the previous entry's hash (of the same indicator) and this entry's content."""
    content = "\x1f".join([previous, *("" if values[k] is None else str(values[k]) for k in _HASHED)])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _lock(conn: Connection, indicator_id: int) -> object:
    """Read an indicator row under the write lock (FOR UPDATE on PostgreSQL)."""
    query = _LOCK if conn.dialect.name == "sqlite" else _LOCK_FOR_UPDATE
    row = conn.execute(query, {"lock_id": indicator_id}).first()
    if row is None:
        raise Refused(
            "cycle.indicator.unknown",
            f"预算指标 {indicator_id} 不存在：无预算不支出",
            f"indicator {indicator_id} does not exist: no budget, no payment",
            indicator=indicator_id,
        )
    return row


def post(
    conn: Connection,
    indicator_id: int,
    kind: str,
    *,
    on_date: date,
    budget_delta_fen: int = 0,
    paid_delta_fen: int = 0,
    version_id: int | None = None,
    batch: str = "",
    reverses: int | None = None,
    payee: str = "",
    memo: str = "",
    actor: str = "",
    row: object | None = None,
) -> tuple[int, int, int]:
    """Append one journal entry and move the running totals; returns (entry id, budget, paid).

    Refuses any movement that would leave the budget below what has been paid
    or the paid amount below zero.
    """
    if row is None:
        row = _lock(conn, indicator_id)
    r = row._mapping  # type: ignore[attr-defined]
    if r["closed"]:
        raise Refused(
            "cycle.indicator.closed",
            f"预算指标 {indicator_id} 所属年度已结账，不能再记账",
            f"indicator {indicator_id} belongs to a closed year",
            indicator=indicator_id,
        )
    if r["last_date"] is not None and on_date < r["last_date"]:
        raise Refused(
            "cycle.entry.backdated",
            f"记账日期 {on_date} 早于该指标最近一笔分录的日期 {r['last_date']}，不能倒记",
            f"entry date {on_date} precedes the indicator's latest entry ({r['last_date']})",
            indicator=indicator_id, last_date=r["last_date"],
        )
    budget = r["budget_fen"] + budget_delta_fen
    paid = r["paid_fen"] + paid_delta_fen
    if paid < 0:
        raise Refused(
            "cycle.indicator.negative_paid",
            f"预算指标 {indicator_id} 的支出累计不能为负",
            f"indicator {indicator_id} would have negative spending",
        )
    if budget < paid:
        if paid_delta_fen > 0:
            raise Refused(
                "cycle.pay.insufficient",
                f"预算指标可用余额不足：可用 {to_yuan(r['budget_fen'] - r['paid_fen'])} 元，"
                f"申请支付 {to_yuan(paid_delta_fen)} 元",
                f"insufficient available balance: {to_yuan(r['budget_fen'] - r['paid_fen'])} "
                f"yuan available, {to_yuan(paid_delta_fen)} yuan requested",
                indicator=indicator_id,
                available=to_yuan(r["budget_fen"] - r["paid_fen"]),
                requested=to_yuan(paid_delta_fen),
            )
        raise Refused(
            "cycle.indicator.below_paid",
            f"预算指标 {indicator_id} 调减后 {to_yuan(budget)} 元将低于已支出 {to_yuan(paid)} 元",
            f"indicator {indicator_id} would fall to {to_yuan(budget)} yuan, below the "
            f"{to_yuan(paid)} yuan already paid",
            indicator=indicator_id, budget=to_yuan(budget), paid=to_yuan(paid),
        )
    values = dict(
        indicator_id=indicator_id, kind=kind, budget_delta_fen=budget_delta_fen,
        paid_delta_fen=paid_delta_fen, budget_after_fen=budget, paid_after_fen=paid,
        on_date=on_date, version_id=version_id, batch=batch, reverses=reverses, payee=payee,
        memo=memo, actor=actor,
    )
    values["hash"] = entry_hash(r["last_hash"], values)
    result = conn.execute(_INSERT_ENTRY, {**values, "recorded_at": _now()})
    conn.execute(
        _UPDATE_TOTALS,
        {"row_id": indicator_id, "new_budget": budget, "new_paid": paid,
         "new_entries": r["entries"] + 1, "new_hash": values["hash"], "new_date": on_date},
    )
    return int(result.inserted_primary_key[0]), budget, paid


# --------------------------------------------------------------------------
# Commands (each its own transaction)


def allocate(
    db: CycleDB,
    key: IndicatorKey,
    amount: Decimal,
    on_date: date,
    *,
    name: str = "",
    sanbao: str = "",
    sangong: str = "",
    actor: str = "",
    memo: str = "",
) -> int:
    """Create or top up an indicator outside a budget version (e.g. a transfer received).

    Returns the indicator id.  Budget versions allocate through
    :func:`yusuan.cycle.versions.approve`.
    """
    fen = to_fen(amount)
    with db.write() as conn:
        indicator_id = ensure_indicator(conn, key, name=name, sanbao=sanbao, sangong=sangong)
        post(conn, indicator_id, ALLOCATION, on_date=on_date, budget_delta_fen=fen,
             actor=actor, memo=memo)
    return indicator_id


def pay(
    db: CycleDB,
    indicator_id: int,
    amount: Decimal,
    on_date: date,
    *,
    payee: str = "",
    memo: str = "",
    actor: str = "",
    check_sanbao: bool = True,
) -> Payment:
    """Pay ``amount`` yuan against an indicator, or refuse with the reason."""
    fen = to_fen(amount)
    if fen <= 0:
        raise Refused(
            "cycle.pay.amount", f"支付金额 {amount} 元必须大于零",
            f"payment amount {amount} must be positive",
        )
    with db.write() as conn:
        row = _lock(conn, indicator_id)
        r = row._mapping  # type: ignore[attr-defined]
        if on_date.year != r["year"]:
            raise Refused(
                "cycle.pay.year",
                f"支付日期 {on_date} 不在预算指标所属年度 {r['year']}",
                f"payment date {on_date} is outside the indicator's year {r['year']}",
            )
        if r["project_id"] is not None:
            status = conn.execute(_PROJECT_STATUS, {"project_id_": r["project_id"]}).scalar()
            if status not in PAYABLE_PROJECT_STATUSES:
                raise Refused(
                    "cycle.project.not_in_budget",
                    f"项目 {r['project']} 状态为“{status}”，不能支付项目支出",
                    f"project {r['project']} is {status}: no project spending",
                    project=r["project"], status=status,
                )
            if status == "in_budget":
                conn.execute(
                    update(PROJ).where(PROJ.c.id == r["project_id"]).values(status="in_progress")
                )
        entry_id, budget, paid = post(
            conn, indicator_id, PAYMENT, on_date=on_date, paid_delta_fen=fen, payee=payee,
            memo=memo, actor=actor, row=row,
        )
        notices: tuple[Notice, ...] = ()
        if check_sanbao and not r["sanbao"]:
            short = sanbao_short(conn, r["government"], r["year"], on_date)
            if short:
                names = "、".join(f"{s[1]}（{SANBAO_KINDS.get(s[2], s[2])}）" for s in short)
                notices = (
                    Notice(
                        "cycle.sanbao.short",
                        f"三保支出尚未足额保障时支付了其他支出；保障不足的项目：{names}",
                        f"other spending paid while 三保 items are short: {names}",
                    ),
                )
    return Payment(entry_id, indicator_id, to_yuan(fen), to_yuan(budget - paid), notices)


def sanbao_short(
    conn: Connection, government: str, year: int, on_date: date
) -> list[tuple[int, str, str]]:
    """三保 indicators short at ``on_date``: (id, name, kind).

    An item is short when its budget is below its need by the standard
    (``required``), or when what has been paid lags the need pro rata to the
    months elapsed (wages and running costs fall due month by month).
    """
    rows = conn.execute(
        select(
            IND.c.id, IND.c.name, IND.c.department, IND.c.sanbao, IND.c.budget_fen,
            IND.c.paid_fen, IND.c.required_fen,
        ).where(IND.c.government == government, IND.c.year == year, IND.c.sanbao != "")
    ).all()
    short = []
    for row in rows:
        need = row.required_fen if row.required_fen is not None else row.budget_fen
        due = need * (on_date.month - 1) // 12  # due by the end of the previous month
        if row.budget_fen < need or row.paid_fen < due:
            short.append((row.id, row.name or row.department, row.sanbao))
    return short


def reverse(
    db: CycleDB, entry_id: int, on_date: date, *, memo: str = "", actor: str = ""
) -> int:
    """Reverse a payment (冲销): a new entry with the opposite amount; returns its id."""
    with db.write() as conn:
        original = conn.execute(select(JOURNAL).where(JOURNAL.c.id == entry_id)).first()
        if original is None or original.kind != PAYMENT:
            raise Refused(
                "cycle.reverse.not_payment", f"分录 {entry_id} 不是支付，不能冲销",
                f"entry {entry_id} is not a payment",
            )
        row = _lock(conn, original.indicator_id)  # before looking for an earlier reversal
        done = conn.execute(
            select(func.count()).select_from(JOURNAL).where(JOURNAL.c.reverses == entry_id)
        ).scalar()
        if done:
            raise Refused(
                "cycle.reverse.twice", f"支付分录 {entry_id} 已冲销",
                f"payment {entry_id} is already reversed",
            )
        new_id, _, _ = post(
            conn, original.indicator_id, REVERSAL, on_date=on_date,
            paid_delta_fen=-original.paid_delta_fen, reverses=entry_id, payee=original.payee,
            memo=memo, actor=actor, row=row,
        )
    return new_id


# --------------------------------------------------------------------------
# Queries


def get_indicator(db: CycleDB, indicator_id: int) -> Indicator:
    with db.read() as conn:
        row = conn.execute(select(IND).where(IND.c.id == indicator_id)).first()
    if row is None:
        raise Refused(
            "cycle.indicator.unknown", f"预算指标 {indicator_id} 不存在",
            f"indicator {indicator_id} does not exist",
        )
    return _indicator(row)


def lookup(db: CycleDB, key: IndicatorKey) -> int | None:
    """The id of the indicator for ``key``, or None."""
    with db.read() as conn:
        return find_indicator(conn, key)


def list_indicators(
    db: CycleDB, government: str, year: int, book: str | None = None
) -> list[Indicator]:
    query = select(IND).where(IND.c.government == government, IND.c.year == year)
    if book:
        query = query.where(IND.c.book == book)
    with db.read() as conn:
        return [_indicator(r) for r in conn.execute(query.order_by(IND.c.id))]


def history(db: CycleDB, indicator_id: int) -> list[Entry]:
    with db.read() as conn:
        rows = conn.execute(
            select(JOURNAL).where(JOURNAL.c.indicator_id == indicator_id).order_by(JOURNAL.c.id)
        )
        return [_entry(r) for r in rows]


def journal(db: CycleDB, after_id: int = 0, limit: int | None = None) -> list[Entry]:
    query = select(JOURNAL).where(JOURNAL.c.id > after_id).order_by(JOURNAL.c.id)
    if limit:
        query = query.limit(limit)
    with db.read() as conn:
        return [_entry(r) for r in conn.execute(query)]


def balance_at(db: CycleDB, indicator_id: int, day: date) -> tuple[Decimal, Decimal]:
    """(budget, paid) of an indicator as it stood at the end of ``day``, from the journal."""
    with db.read() as conn:
        row = conn.execute(
            select(
                func.coalesce(func.sum(JOURNAL.c.budget_delta_fen), 0),
                func.coalesce(func.sum(JOURNAL.c.paid_delta_fen), 0),
            ).where(JOURNAL.c.indicator_id == indicator_id, JOURNAL.c.on_date <= day)
        ).first()
    assert row is not None
    return to_yuan(int(row[0])), to_yuan(int(row[1]))


def reconcile(db: CycleDB) -> list[Mismatch]:
    """Every indicator whose running totals differ from the sum of its journal (none, always)."""
    with db.read() as conn:
        sums = {
            r[0]: (int(r[1]), int(r[2]))
            for r in conn.execute(
                select(
                    JOURNAL.c.indicator_id,
                    func.sum(JOURNAL.c.budget_delta_fen),
                    func.sum(JOURNAL.c.paid_delta_fen),
                ).group_by(JOURNAL.c.indicator_id)
            )
        }
        out = []
        for row in conn.execute(select(IND.c.id, IND.c.budget_fen, IND.c.paid_fen)):
            b, p = sums.get(row.id, (0, 0))
            if (b, p) != (row.budget_fen, row.paid_fen) or p < 0 or b < p:
                out.append(
                    Mismatch(row.id, to_yuan(row.budget_fen), to_yuan(b), to_yuan(row.paid_fen),
                             to_yuan(p))
                )
    return out


def verify_chain(db: CycleDB) -> list[int]:
    """Ids of journal entries whose hash does not follow from their content and the
    indicator's previous entry (empty when the journal is as written), and of indicators
    whose last hash is not their latest entry's (as negative ids)."""
    broken: list[int] = []
    last: dict[int, str] = {}
    with db.read() as conn:
        for row in conn.execute(select(JOURNAL).order_by(JOURNAL.c.id)):
            r = row._mapping
            expected = entry_hash(last.get(r["indicator_id"], ""), r)
            if r["hash"] != expected:
                broken.append(r["id"])
            last[r["indicator_id"]] = r["hash"]
        for row in conn.execute(select(IND.c.id, IND.c.last_hash)):
            if row.last_hash != last.get(row.id, ""):
                broken.append(-row.id)
    return broken


def paid_by(
    db: CycleDB, government: str, year: int, through: date, book: str | None = None
) -> dict[int, int]:
    """Paid fen per indicator up to and including ``through``, from the journal."""
    query = (
        select(JOURNAL.c.indicator_id, func.sum(JOURNAL.c.paid_delta_fen))
        .join(IND, IND.c.id == JOURNAL.c.indicator_id)
        .where(IND.c.government == government, IND.c.year == year, JOURNAL.c.on_date <= through,
               JOURNAL.c.paid_delta_fen != 0)
        .group_by(JOURNAL.c.indicator_id)
    )
    if book:
        query = query.where(IND.c.book == book)
    with db.read() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(query)}


def month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def execution_facts(
    db: CycleDB,
    government: str,
    year: int,
    through_month: int,
    *,
    government_name: str | None = None,
    books: Iterable[str] | None = None,
    unit: Unit = Unit.YUAN,
) -> list[Fact]:
    """执行数 to the end of ``through_month``, as model facts, from the journal.

    One fact per functional code at 类, 款 and 项 level and one total per book
    (``一般公共预算支出`` …), stage ``execution``, period ``YYYY-01..MM``, in
    ``unit`` (exact: as many decimals as the fen need); the source names the
    journal it was derived from.  Codes with no payment yet are left out.
    """
    through = month_end(year, through_month)
    period = Period.months(year, 1, through_month)
    paid = paid_by(db, government, year, through)
    with db.read() as conn:
        rows = {r.id: r for r in conn.execute(select(IND.c.id, IND.c.book, IND.c.func_code).where(
            IND.c.government == government, IND.c.year == year))}
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for indicator_id, fen in paid.items():
        row = rows[indicator_id]
        if books is not None and row.book not in set(books):
            continue
        code = row.func_code
        for length in (3, 5, 7):
            if len(code) >= length:
                sums[(row.book, code[:length])] += fen
        sums[(row.book, "")] += fen
    return [
        derived_fact(
            government, government_name, book, code, fen, Stage.EXECUTION, period,
            f"cycle journal: payments of {government} {year} to {through.isoformat()}",
            unit=unit,
        )
        for (book, code), fen in sorted(sums.items())
    ]


BOOK_SPENDING = {
    "general": "一般公共预算支出",
    "fund": "政府性基金预算支出",
    "capital": "国有资本经营预算支出",
    "social": "社会保险基金预算支出",
}


def code_name(code: str, year: int) -> str:
    """The official name of a classification code in ``year`` (``科目2010301`` when unknown)."""
    return load_codes(year).name(code) or f"科目{code}"


def in_unit(fen: int, unit: Unit) -> Decimal:
    """Fen as an exact amount in ``unit``, with no more decimal places than it needs."""
    value = Decimal(fen) / 100 / UNIT_FACTOR[unit]
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def derived_fact(
    government: str,
    government_name: str | None,
    book: str,
    code: str,
    fen: int,
    stage: Stage,
    period: Period,
    derived: str,
    indicator: str | None = None,
    unit: Unit = Unit.YUAN,
) -> Fact:
    """A model fact derived by the cycle (amount in yuan, exact to the fen).

    A coded fact is named by the classification (``教育支出``) and is a part of
    its parent code, a 类 of its book's total (``一般公共预算支出``); an uncoded
    fact without ``indicator`` is that total.
    """
    parent = None
    if indicator is None:
        if code:
            indicator = code_name(code, period.year)
            parent = (code_name(code[: len(code) - 2], period.year) if len(code) > 3
                      else BOOK_SPENDING.get(book))
        else:
            indicator = BOOK_SPENDING.get(book, "支出合计")
    return Fact(
        indicator=indicator,
        amount=Amount(to_yuan(fen) if unit is Unit.YUAN else in_unit(fen, unit), unit),
        stage=stage,
        period=period,
        source=Source(document=f"cycle:{government}:{period.year}", line=0, start=0, end=0,
                      quote="", derived=derived),
        scope="own",
        book=Book(book),
        government=government_name,
        division=government,
        code=code or None,
        parent=parent,
    )
