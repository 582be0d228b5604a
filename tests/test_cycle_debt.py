"""The debt register: limits, bonds, allocations, repayments, indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from yusuan.cycle import debt, projects
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused

GOV = "999901"


@pytest.fixture
def db(tmp_path: Path) -> CycleDB:
    return open_db(tmp_path / "cycle.db", create=True)


def test_limit_bonds_allocation_repayment(db: CycleDB) -> None:
    with pytest.raises(Refused) as info:
        debt.issue_bond(db, GOV, "B0", kind="special", purpose="new", amount=D("1"),
                        term_years=1, rate=D("3"), issue_date=date(2024, 3, 1))
    assert info.value.code == "cycle.debt.no_limit"
    debt.set_limit(db, GOV, 2024, "special", D("1000"), new_limit=D("600"))
    debt.set_limit(db, GOV, 2024, "general", D("500"))
    b1 = debt.issue_bond(db, GOV, "B1", kind="special", purpose="new", amount=D("600"),
                         term_years=3, rate=D("2.5"), issue_date=date(2024, 3, 1))
    with pytest.raises(Refused) as info:  # new-debt limit 600 used up
        debt.issue_bond(db, GOV, "B2", kind="special", purpose="new", amount=D("1"),
                        term_years=1, rate=D("2"), issue_date=date(2024, 4, 1))
    assert info.value.code == "cycle.debt.over_new_limit"
    with pytest.raises(Refused) as info:  # total limit
        debt.issue_bond(db, GOV, "B3", kind="special", purpose="refinancing", amount=D("401"),
                        term_years=1, rate=D("2"), issue_date=date(2024, 4, 1))
    assert info.value.code == "cycle.debt.over_limit"
    sched = debt.schedule(db, b1)
    assert [(r.due_date, r.principal, r.interest) for r in sched] == [
        (date(2025, 3, 1), D("0.00"), D("15.00")),
        (date(2026, 3, 1), D("0.00"), D("15.00")),
        (date(2027, 3, 1), D("600.00"), D("15.00")),
    ]
    pid = projects.propose(db, GOV, "P1", "污水处理", "县住建局", D("800"), on_date=date(2023, 9, 1))
    with pytest.raises(Refused):
        debt.allocate_bond(db, b1, "P1", D("100"))  # only proposed
    projects.advance(db, pid, "reviewed", date(2023, 10, 1))
    debt.allocate_bond(db, b1, "P1", D("500"))
    with pytest.raises(Refused) as info:
        debt.allocate_bond(db, b1, "P1", D("100.01"))
    assert info.value.code == "cycle.debt.over_bond"
    debt.repay(db, sched[0].id, date(2025, 3, 1))
    with pytest.raises(Refused):
        debt.repay(db, sched[0].id, date(2025, 3, 1))
    assert debt.balance(db, GOV, date(2024, 12, 31)) == D("600.00")
    ind = debt.indicators(db, GOV, date(2024, 12, 31), resources=D("250"))
    assert (ind.limit, ind.balance, ind.limit_usage_pct, ind.debt_ratio_pct, ind.band) == (
        D("1500.00"), D("600.00"), D("40.00"), D("240.00"), "orange")
    assert debt.risk_band(D("119.99"))[0] == "green" and debt.risk_band(D("300"))[0] == "red"
    # a refinancing bond repays the principal it names: balance unchanged
    debt.set_limit(db, GOV, 2027, "special", D("600"))
    debt.issue_bond(db, GOV, "R1", kind="special", purpose="refinancing", amount=D("600"),
                    term_years=5, rate=D("2.2"), issue_date=date(2027, 3, 1),
                    refinances=[sched[2].id])
    assert debt.balance(db, GOV, date(2027, 3, 1), "special") == D("600.00")
    with pytest.raises(Refused):
        debt.set_limit(db, GOV, 2027, "special", D("599"))


def test_concurrent_issues_never_exceed_the_limit(db: CycleDB) -> None:
    import threading

    debt.set_limit(db, GOV, 2024, "general", D("1000"))
    results: list[bool] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for j in range(4):
            try:
                debt.issue_bond(db, GOV, f"B{n}-{j}", kind="general", purpose="new",
                                amount=D("100"), term_years=5, rate=D("2.5"),
                                issue_date=date(2024, 3, 1 + j))
                ok = True
            except Refused as exc:
                assert exc.code == "cycle.debt.over_limit"
                ok = False
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (results.count(True), results.count(False)) == (10, 14)
    assert debt.balance(db, GOV, date(2024, 12, 31)) == D("1000.00")
