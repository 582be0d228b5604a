"""The indicator ledger: no budget no payment, no payment beyond budget, append-only journal."""

from __future__ import annotations

import multiprocessing
import os
import threading
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from yusuan.cycle import ledger, projects
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused
from yusuan.cycle.ledger import IndicatorKey

GOV = "999901"


@pytest.fixture
def db(tmp_path: Path) -> CycleDB:
    return open_db(tmp_path / "cycle.db", create=True)


def key(dept: str = "县财政局", code: str = "2010601", **kw: str) -> IndicatorKey:
    return IndicatorKey(GOV, 2024, "general", dept, code, kw.pop("econ", "30201"), **kw)


def test_pay_within_and_beyond_budget(db: CycleDB) -> None:
    ind = ledger.allocate(db, key(), D("1000.00"), date(2024, 1, 5))
    p1 = ledger.pay(db, ind, D("600.50"), date(2024, 2, 1), payee="某公司")
    assert (p1.amount, p1.available_after) == (D("600.50"), D("399.50"))
    with pytest.raises(Refused) as info:
        ledger.pay(db, ind, D("399.51"), date(2024, 2, 2))
    assert info.value.code == "cycle.pay.insufficient"
    assert info.value.message.startswith("预算指标可用余额不足")
    assert info.value.facts["available"] == D("399.50")
    p2 = ledger.pay(db, ind, D("399.50"), date(2024, 3, 1))
    assert p2.available_after == D("0.00")
    i = ledger.get_indicator(db, ind)
    assert (i.budget, i.paid, i.available) == (D("1000.00"), D("1000.00"), D("0.00"))
    assert ledger.reconcile(db) == []


def test_no_budget_no_payment(db: CycleDB) -> None:
    for bad, code in [(D("0"), "cycle.pay.amount"), (D("-1"), "cycle.pay.amount"),
                      (D("0.001"), "cycle.amount_precision")]:
        with pytest.raises(Refused) as info:
            ledger.pay(db, 1, bad, date(2024, 1, 1))
        assert info.value.code == code
    with pytest.raises(Refused) as info:
        ledger.pay(db, 12345, D("1"), date(2024, 1, 1))
    assert info.value.code == "cycle.indicator.unknown"
    ind = ledger.allocate(db, key(), D("10"), date(2024, 1, 5))
    with pytest.raises(Refused) as info:
        ledger.pay(db, ind, D("1"), date(2025, 1, 1))
    assert info.value.code == "cycle.pay.year"


def test_reversal_restores_balance_once(db: CycleDB) -> None:
    ind = ledger.allocate(db, key(), D("100"), date(2024, 1, 5))
    p = ledger.pay(db, ind, D("80"), date(2024, 2, 1))
    rid = ledger.reverse(db, p.entry_id, date(2024, 2, 3), memo="退回")
    assert ledger.get_indicator(db, ind).available == D("100.00")
    with pytest.raises(Refused) as info:
        ledger.reverse(db, p.entry_id, date(2024, 2, 4))
    assert info.value.code == "cycle.reverse.twice"
    with pytest.raises(Refused):
        ledger.reverse(db, rid, date(2024, 2, 4))
    with pytest.raises(Refused) as info:
        ledger.pay(db, ind, D("1"), date(2024, 2, 2))
    assert info.value.code == "cycle.entry.backdated"
    kinds = [(e.kind, e.paid_delta, e.paid_after) for e in ledger.history(db, ind)]
    assert kinds == [("allocation", D("0.00"), D("0.00")), ("payment", D("80.00"), D("80.00")),
                     ("reversal", D("-80.00"), D("0.00"))]
    assert ledger.balance_at(db, ind, date(2024, 2, 2)) == (D("100.00"), D("80.00"))
    assert ledger.balance_at(db, ind, date(2024, 2, 3)) == (D("100.00"), D("0.00"))


def test_journal_is_append_only(db: CycleDB) -> None:
    ledger.allocate(db, key(), D("100"), date(2024, 1, 5))
    with db.engine.begin() as conn, pytest.raises(DatabaseError):
        conn.execute(text("UPDATE cycle_journal SET budget_delta_fen = 1"))
    with db.engine.begin() as conn, pytest.raises(DatabaseError):
        conn.execute(text("DELETE FROM cycle_journal"))
    # an edit made around the triggers breaks the hash chain
    ind = ledger.lookup(db, key())
    ledger.pay(db, ind, D("10"), date(2024, 2, 1))
    assert ledger.verify_chain(db) == []
    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER cycle_journal_no_update"))
        conn.execute(text("UPDATE cycle_journal SET paid_delta_fen = 100 WHERE kind = 'payment'"))
    assert ledger.verify_chain(db) == [2]


def test_project_spending_needs_project_in_budget(db: CycleDB) -> None:
    with pytest.raises(Refused) as info:
        ledger.allocate(db, key(project="P-404"), D("10"), date(2024, 1, 5))
    assert info.value.code == "cycle.project.unknown"
    pid = projects.propose(db, GOV, "P1", "乡村道路", "县交通局", D("500"), on_date=date(2023, 9, 1))
    with pytest.raises(Refused) as info:
        ledger.allocate(db, key(project="P1"), D("10"), date(2024, 1, 5))
    assert info.value.code == "cycle.project.not_in_budget"
    projects.advance(db, pid, "reviewed", date(2023, 10, 1))
    projects.advance(db, pid, "in_budget", date(2024, 1, 5))
    ind = ledger.allocate(db, key(project="P1"), D("10"), date(2024, 1, 5))
    ledger.pay(db, ind, D("5"), date(2024, 3, 1))
    assert projects.get(db, GOV, "P1").status == "in_progress"
    with pytest.raises(Refused) as info:
        projects.advance(db, pid, "proposed", date(2024, 3, 2))
    assert info.value.code == "cycle.project.transition"


def test_sanbao_short_warns_on_other_spending(db: CycleDB) -> None:
    ledger.allocate(db, key("县教育局", "2050201", econ="30101"), D("1200"), date(2024, 1, 5),
                    sanbao="wages", name="教师工资")
    other = ledger.allocate(db, key(), D("1000"), date(2024, 1, 5))
    # January: nothing of the wages is due yet
    assert ledger.pay(db, other, D("1"), date(2024, 1, 20)).notices == ()
    # April: three months of wages (300) were due and none paid
    notice = ledger.pay(db, other, D("1"), date(2024, 4, 2)).notices
    assert [n.code for n in notice] == ["cycle.sanbao.short"]
    wages = ledger.list_indicators(db, GOV, 2024)[0].id
    ledger.pay(db, wages, D("300"), date(2024, 4, 3), check_sanbao=False)
    assert ledger.pay(db, other, D("1"), date(2024, 4, 4)).notices == ()
    # a 三保 item budgeted below its need by the standard is short at once
    ledger.allocate(db, key("县民政局", "2081902", econ="30305"), D("100"), date(2024, 4, 5),
                    sanbao="livelihood", name="农村低保")
    with db.write() as conn:
        ledger.ensure_indicator(conn, key("县民政局", "2081902", econ="30305"), required_fen=13000)
    notice = ledger.pay(db, other, D("1"), date(2024, 4, 6)).notices
    assert [n.code for n in notice] == ["cycle.sanbao.short"] and "农村低保" in notice[0].message


def _hammer(db: CycleDB, ind: int, attempts: int, threads: int) -> tuple[int, int]:
    accepted = refused = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal accepted, refused
        for _ in range(attempts):
            try:
                ledger.pay(db, ind, D("1.00"), date(2024, 5, 1), check_sanbao=False)
                ok = True
            except Refused as exc:
                assert exc.code == "cycle.pay.insufficient"
                ok = False
            with lock:
                if ok:
                    accepted += 1
                else:
                    refused += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return accepted, refused


def test_concurrent_payments_never_overspend_sqlite(db: CycleDB) -> None:
    ind = ledger.allocate(db, key(), D("100.00"), date(2024, 1, 5))
    accepted, refused = _hammer(db, ind, attempts=40, threads=8)
    assert (accepted, refused) == (100, 220)
    i = ledger.get_indicator(db, ind)
    assert (i.paid, i.available) == (D("100.00"), D("0.00"))
    assert ledger.reconcile(db) == []


def _pay_in_process(args: tuple[str, int, int]) -> int:
    url, ind, attempts = args
    db = open_db(url)  # a separate process: its own engine, its own writer lock
    accepted = 0
    for _ in range(attempts):
        try:
            ledger.pay(db, ind, D("1.00"), date(2024, 5, 1), check_sanbao=False)
            accepted += 1
        except Refused:
            pass
    db.close()
    return accepted


def test_concurrent_processes_never_overspend_sqlite(db: CycleDB, tmp_path: Path) -> None:
    # threads share an in-process lock; processes rely on BEGIN IMMEDIATE alone
    ind = ledger.allocate(db, key(), D("150.00"), date(2024, 1, 5))
    with multiprocessing.get_context("fork").Pool(3) as pool:
        counts = pool.map(_pay_in_process, [(str(tmp_path / "cycle.db"), ind, 80)] * 3)
    assert sum(counts) == 150
    assert ledger.get_indicator(db, ind).available == D("0.00")
    assert ledger.reconcile(db) == []


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("YUSUAN_TEST_PG"), reason="YUSUAN_TEST_PG not set")
def test_concurrent_payments_never_overspend_postgres() -> None:
    from yusuan.store.cycle import CYCLE_TABLES
    from yusuan.store.schema import Base

    pg = open_db(os.environ["YUSUAN_TEST_PG"])
    Base.metadata.drop_all(pg.engine, tables=CYCLE_TABLES)
    pg.create_tables()
    ind = ledger.allocate(pg, key(), D("100.00"), date(2024, 1, 5))
    accepted, refused = _hammer(pg, ind, attempts=40, threads=8)
    assert (accepted, refused) == (100, 220)
    assert ledger.reconcile(pg) == []
