"""Budget versions: draft → approved → adjusted / reallocated → final; as-of and diff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from yusuan.cycle import ledger, projects, versions
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused
from yusuan.cycle.versions import Line, Move

GOV = "999901"
ADMIN = Line("县政府办", "2010301", D("1000"), econ_code="30201", name="行政运行")
ROADS = Line("县交通局", "2140106", D("500"), econ_code="31005", name="公路养护")
TRAVEL = Line("县政府办", "2010301", D("50"), econ_code="30217", sangong="reception", name="公务接待")


@pytest.fixture
def db(tmp_path: Path) -> CycleDB:
    return open_db(tmp_path / "cycle.db", create=True)


def test_draft_approve_adjust_reallocate_diff(db: CycleDB) -> None:
    v1 = versions.create_draft(db, GOV, 2024, "general", [ADMIN, ROADS, TRAVEL])
    with pytest.raises(Refused) as info:
        versions.approve(db, v1, date(2024, 1, 10))
    assert info.value.code == "cycle.version.session"
    versions.approve(db, v1, date(2024, 1, 10), session="县第十八届人大第三次会议")
    assert versions.total(versions.lines_at(db, GOV, 2024, "general", date(2024, 1, 9))) == 0
    with pytest.raises(Refused):
        versions.create_draft(db, GOV, 2024, "general", [ADMIN])

    admin = ledger.lookup(db, ledger.IndicatorKey(GOV, 2024, "general", *ADMIN.key))
    assert admin is not None
    ledger.pay(db, admin, D("900"), date(2024, 3, 1))

    # an adjustment cutting below what was paid is refused as a whole
    bad = versions.propose_adjustment(db, GOV, 2024, "general", [
        Line("县政府办", "2010301", D("800"), econ_code="30201"),
        Line("县交通局", "2140106", D("700"), econ_code="31005")])
    with pytest.raises(Refused) as info:
        versions.approve(db, bad, date(2024, 6, 28), session="县人大常委会第十五次会议")
    assert info.value.code == "cycle.indicator.below_paid"
    assert ledger.get_indicator(db, admin).budget == D("1000.00")
    versions.reject(db, bad)

    v2 = versions.propose_adjustment(db, GOV, 2024, "general", [
        Line("县交通局", "2140106", D("700"), econ_code="31005")])
    versions.approve(db, v2, date(2024, 6, 28), session="县人大常委会第十五次会议")
    diff = [(c.key[1], c.before, c.after) for c in versions.diff(db, v1, v2)]
    assert diff == [("2140106", D("500.00"), D("700.00"))]

    # reallocation: total unchanged; not beyond what is unspent; never into 三公
    with pytest.raises(Refused) as info:
        versions.reallocate(db, GOV, 2024, "general", [Move(ADMIN.key, Line(
            "县交通局", "2140106", D("150"), econ_code="31005"))], date(2024, 7, 1))
    assert info.value.code == "cycle.indicator.below_paid"
    with pytest.raises(Refused) as info:
        versions.reallocate(db, GOV, 2024, "general", [Move(ROADS.key, Line(
            "县政府办", "2010301", D("10"), econ_code="30217"))], date(2024, 7, 1))
    assert info.value.code == "cycle.realloc.sangong"
    v4 = versions.reallocate(db, GOV, 2024, "general", [Move(ADMIN.key, Line(
        "县应急局", "2240106", D("60"), econ_code="31002", name="应急救援"))], date(2024, 7, 1))
    assert versions.total(versions.lines(db, v4)) == versions.total(versions.lines(db, v2))
    changes = [(c.key[0], c.change) for c in versions.diff(db, v2, v4)]
    assert changes == [("县应急局", D("60.00")), ("县政府办", D("-60.00"))]

    # any figure as it stood at any date
    def admin_at(day: date) -> D:
        return next(ln.amount for ln in versions.lines_at(db, GOV, 2024, "general", day)
                    if ln.key == ADMIN.key)

    assert [admin_at(date(2024, 1, 10)), admin_at(date(2024, 6, 30)), admin_at(date(2024, 7, 1))] \
        == [D("1000.00"), D("1000.00"), D("940.00")]
    kinds = [(v.kind, v.status) for v in versions.versions(db, GOV, 2024, "general")]
    assert kinds == [("draft", "approved"), ("adjustment", "rejected"), ("adjustment", "approved"),
                     ("reallocation", "approved")]
    assert ledger.reconcile(db) == []

    # close: final accounts from the journal; the ledger takes no more entries
    fid = versions.close_year(db, GOV, 2024, "general", date(2024, 12, 31))
    assert versions.total(versions.lines(db, fid)) == D("900.00")
    with pytest.raises(Refused) as info:
        ledger.pay(db, admin, D("1"), date(2024, 12, 31))
    assert info.value.code == "cycle.indicator.closed"
    versions.approve(db, fid, date(2025, 6, 20), session="县人大常委会第二十次会议")
    stages = {(f.stage.value, f.code): f.amount.value for f in
              versions.budget_facts(db, GOV, 2024, "general") if f.code is None}
    assert stages == {("budget", None): D("1550.00"), ("adjusted", None): D("1750.00"),
                      ("final", None): D("900.00")}


def test_draft_needs_reviewed_projects(db: CycleDB) -> None:
    projects.propose(db, GOV, "P1", "村道", "县交通局", D("100"), on_date=date(2023, 9, 1))
    line = Line("县交通局", "2140106", D("100"), project="P1")
    with pytest.raises(Refused) as info:
        versions.compile_from_library(db, GOV, 2024, "general", [], [line])
    assert info.value.code == "cycle.project.not_reviewed"
    p = projects.get(db, GOV, "P1")
    assert p is not None
    projects.advance(db, p.id, "reviewed", date(2023, 10, 1))
    vid = versions.compile_from_library(db, GOV, 2024, "general", [], [line])
    versions.approve(db, vid, date(2024, 1, 10), session="县人代会")
    assert projects.get(db, GOV, "P1").status == "in_budget"
