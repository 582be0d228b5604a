"""Transfers passed down to lower governments: factor allocation and deadlines.

A transfer received (or budgeted) is allocated among recipients by the
factor method (:mod:`yusuan.cycle.factors`), with the working kept, and must
be passed down (下达) by a deadline: by default 30 days after receipt (预算法
第五十二条 sets 30 days for provinces passing central transfers down; seed
002 shows a prefecture bound to 5 days, 塔地财振〔2023〕13号 / 新财规〔2021〕11号
第十一条), so the number of days is a parameter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, insert, select, update

from yusuan.cycle import ledger
from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.cycle.factors import Allocation, Factor, allocate
from yusuan.cycle.money import to_fen, to_yuan
from yusuan.store.cycle import TransferRow, TransferShareRow

TR = TransferRow.__table__
SHARE = TransferShareRow.__table__

DEFAULT_DEADLINE_DAYS = 30


@dataclass(frozen=True, slots=True)
class Transfer:
    id: int
    government: str
    year: int
    name: str
    kind: str
    total: Decimal
    received_on: date
    deadline_on: date
    passed_on: date | None
    shares: tuple[tuple[str, Decimal], ...]
    working: tuple[str, ...]

    def overdue_days(self, today: date) -> int:
        """Days past the deadline (0 when passed down in time or not yet due)."""
        end = self.passed_on or today
        return max(0, (end - self.deadline_on).days)


def receive(
    db: CycleDB, government: str, year: int, name: str, total: Decimal, received_on: date, *,
    kind: str = "special", deadline_days: int = DEFAULT_DEADLINE_DAYS, func_code: str = "",
    basis: str = "", indicator: ledger.IndicatorKey | None = None, actor: str = "",
) -> int:
    """Register a transfer to pass down; returns its id.

    With ``indicator``, the transfer is also budgeted in the indicator ledger
    (an allocation to that indicator on ``received_on``), and passing it down
    pays each recipient's share from it, so that it shows in execution.
    """
    fen = to_fen(total)
    if fen <= 0:
        raise Refused("cycle.transfer.amount", "转移支付金额必须大于零", "amount must be positive")
    with db.write() as conn:
        indicator_id = None
        if indicator is not None:
            indicator_id = ledger.ensure_indicator(conn, indicator, name=name)
            ledger.post(conn, indicator_id, ledger.ALLOCATION, on_date=received_on,
                        budget_delta_fen=fen, memo=f"转移支付：{name}", actor=actor)
        return int(conn.execute(insert(TR).values(
            government=government, year=year, name=name, kind=kind, total_fen=fen,
            received_on=received_on, deadline_on=received_on + timedelta(days=deadline_days),
            passed_on=None, func_code=func_code, basis=basis, quantum_fen=1, working="",
            indicator_id=indicator_id,
        )).inserted_primary_key[0])


def allocate_by_factors(
    db: CycleDB, transfer_id: int, factors: Sequence[Factor],
    data: Mapping[str, Mapping[str, Decimal]], *, quantum: Decimal = Decimal("10000"),
) -> Allocation:
    """Allocate a registered transfer by factors (amounts in yuan, rounded to ``quantum`` yuan).

    The default quantum, 10000 yuan, is the whole 万元 the seeds print.
    Re-allocating before it is passed down replaces the earlier shares.
    """
    with db.write() as conn:
        row = _row(conn, transfer_id)
        if row.passed_on is not None:
            raise Refused("cycle.transfer.passed", "转移支付已下达，不能重新分配",
                          "the transfer is already passed down")
        result = allocate(to_yuan(row.total_fen), factors, data, quantum)
        conn.execute(delete(SHARE).where(SHARE.c.transfer_id == transfer_id))
        conn.execute(insert(SHARE), [
            dict(transfer_id=transfer_id, recipient=r.recipient, amount_fen=to_fen(r.amount),
                 weighted_share=str(r.weighted_share)) for r in result.rows
        ])
        conn.execute(update(TR).where(TR.c.id == transfer_id).values(
            quantum_fen=to_fen(quantum),
            working=json.dumps(result.explain("元"), ensure_ascii=False)))
    return result


def pass_down(db: CycleDB, transfer_id: int, on_date: date, *, actor: str = "") -> int:
    """Record that the transfer was passed down; returns days overdue (0 when in time).

    A transfer kept in the ledger pays each recipient's share from its indicator.
    """
    with db.write() as conn:
        row = _row(conn, transfer_id)
        if row.passed_on is not None:
            raise Refused("cycle.transfer.passed", "转移支付已下达", "already passed down")
        shares = conn.execute(select(SHARE).where(SHARE.c.transfer_id == transfer_id)
                              .order_by(SHARE.c.id)).all()
        if not shares:
            raise Refused("cycle.transfer.unallocated", "转移支付尚未分配到下级，不能下达",
                          "the transfer has not been allocated")
        if row.indicator_id is not None:
            for share in shares:
                if share.amount_fen:
                    ledger.post(conn, row.indicator_id, ledger.PAYMENT, on_date=on_date,
                                paid_delta_fen=share.amount_fen, payee=share.recipient,
                                memo=f"下达转移支付：{row.name}", actor=actor)
        conn.execute(update(TR).where(TR.c.id == transfer_id).values(passed_on=on_date))
        return max(0, (on_date - row.deadline_on).days)


def _row(conn: object, transfer_id: int) -> object:
    """The registered transfer's row, or a refusal naming the unknown id."""
    row = conn.execute(select(TR).where(TR.c.id == transfer_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise Refused("cycle.transfer.unknown", f"转移支付 {transfer_id} 不存在",
                      f"transfer {transfer_id} does not exist")
    return row


def _transfer(conn: object, row: object) -> Transfer:
    r = row._mapping  # type: ignore[attr-defined]
    shares = tuple(
        (s.recipient, to_yuan(s.amount_fen))
        for s in conn.execute(  # type: ignore[attr-defined]
            select(SHARE).where(SHARE.c.transfer_id == r["id"]).order_by(SHARE.c.id))
    )
    return Transfer(r["id"], r["government"], r["year"], r["name"], r["kind"],
                    to_yuan(r["total_fen"]), r["received_on"], r["deadline_on"], r["passed_on"],
                    shares, tuple(json.loads(r["working"])) if r["working"] else ())


def get(db: CycleDB, transfer_id: int) -> Transfer:
    with db.read() as conn:
        row = _row(conn, transfer_id)
        return _transfer(conn, row)


def transfers(db: CycleDB, government: str, year: int) -> list[Transfer]:
    with db.read() as conn:
        rows = conn.execute(select(TR).where(TR.c.government == government, TR.c.year == year)
                            .order_by(TR.c.received_on, TR.c.id)).all()
        return [_transfer(conn, r) for r in rows]


def overdue(db: CycleDB, government: str, year: int, today: date) -> list[Transfer]:
    """Transfers not passed down by their deadline, or passed down late."""
    return [t for t in transfers(db, government, year) if t.overdue_days(today) > 0]
