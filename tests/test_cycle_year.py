"""A full simulated year of a county-level government, through the cycle's service functions.

Compile from the project library, approve, adjust once, reallocate, pay month
by month, issue and repay debt, allocate a transfer by factors, close and
approve the final accounts.  The year's figures come out as model facts.

The facts are checked for internal consistency here.  The final step —
disclosure tables and mid-year paragraphs generated from them, read back and
checked clean — is tests/test_cycle_report.py (FOR THE LEAD: it depends on
src/yusuan/report and src/yusuan/check, still in progress).
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from yusuan.cycle import controls, debt, ledger, performance, projects, transfers, versions
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused
from yusuan.cycle.factors import RURAL_REVITALISATION_FACTORS
from yusuan.cycle.versions import Line, Move
from yusuan.model.money import Unit
from yusuan.model.records import Fact, Period, Stage

GOV, NAME, YEAR = "999901", "样例县", 2024
CONGRESS = "样例县第十八届人民代表大会第四次会议"
STANDING = "样例县第十八届人民代表大会常务委员会第十九次会议"

W = D(10000)  # one 万元, in yuan
BASIC = [
    Line("县教育局", "2050201", 1200 * W, econ_code="30101", name="教师工资", sanbao="wages",
         required=1200 * W),
    Line("县政府办", "2010301", 600 * W, econ_code="30201", name="机关运行", sanbao="operations",
         required=600 * W),
    Line("县民政局", "2081902", 240 * W, econ_code="30305", name="农村低保", sanbao="livelihood",
         required=240 * W),
    Line("县政府办", "2010301", 30 * W, econ_code="30217", name="公务接待费", sangong="reception"),
    Line("县政府办", "2010301", 50 * W, econ_code="30231", name="公务用车运行维护费",
         sangong="vehicle_operation"),
    Line("县农业农村局", "2130101", 300 * W, econ_code="30201", name="农业行政运行"),
]
ROAD = Line("县交通局", "2140106", 400 * W, econ_code="31005", project="XM2024-01", name="乡村公路养护")
WATER = Line("县水利局", "2130335", 500 * W, econ_code="31005", project="XM2024-02", name="农村饮水安全")
SEWAGE = Line("县住建局", "2120803", 800 * W, econ_code="31005", project="XM2024-04",
              fund_source="专项债券", name="污水处理厂")


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return simulate_year(Path(tmp_path_factory.mktemp("year")))


def simulate_year(folder: Path, url: str | None = None) -> dict:
    """Run the whole year in a new database in ``folder`` (or at ``url``); returns what the
    tests look at."""
    if url:
        from yusuan.store.cycle import CYCLE_TABLES
        from yusuan.store.schema import Base

        db = open_db(url)
        Base.metadata.drop_all(db.engine, tables=CYCLE_TABLES)
        db.create_tables()
    else:
        db = open_db(folder / "county.db", create=True)
    out: dict = {"db": db, "refusals": []}

    def refused(code: str, fn, *args, **kwargs) -> None:
        with pytest.raises(Refused) as info:
            fn(*args, **kwargs)
        assert info.value.code == code
        out["refusals"].append(code)

    # -- project library (autumn of the year before)
    for code, name, dept, total in [
        ("XM2024-01", "乡村公路养护", "县交通局", 400 * W),
        ("XM2024-02", "农村饮水安全", "县水利局", 500 * W),
        ("XM2024-03", "文化广场", "县文旅局", 300 * W),
        ("XM2024-04", "污水处理厂", "县住建局", 2000 * W),
    ]:
        projects.propose(db, GOV, code, name, dept, total, on_date=date(2023, 9, 1))
    for code in ("XM2024-01", "XM2024-02", "XM2024-04"):
        p = projects.get(db, GOV, code)
        projects.advance(db, p.id, "reviewed", date(2023, 10, 15))
    # a project not reviewed cannot enter the budget
    refused("cycle.project.not_reviewed", versions.compile_from_library, db, GOV, YEAR, "general",
            BASIC, [Line("县文旅局", "2070199", 300 * W, project="XM2024-03")])

    # -- compile and approve
    v1 = versions.compile_from_library(db, GOV, YEAR, "general", BASIC, [ROAD, WATER])
    versions.approve(db, v1, date(2024, 1, 12), session=CONGRESS)
    out["v1"] = v1
    ids = {ln.name: ledger.lookup(db, ledger.IndicatorKey(GOV, YEAR, "general", *ln.key))
           for ln in [*BASIC, ROAD, WATER]}

    # -- performance targets of the road project
    t1 = performance.add_target(db, GOV, YEAR, level1="产出指标", level2="数量指标",
                                level3="养护里程", op="≥", target=D(120), unit="公里",
                                weight=D(50), project="XM2024-01")
    t2 = performance.add_target(db, GOV, YEAR, level1="满意度指标", level2="服务对象满意度指标",
                                level3="群众满意度", op="≥", target=D(90), unit="%", weight=D(50),
                                project="XM2024-01")

    # -- debt: limits, a new special bond for the sewage plant
    debt.set_limit(db, GOV, 2021, "special", 4000 * W)
    debt.set_limit(db, GOV, YEAR, "general", 3000 * W)
    debt.set_limit(db, GOV, YEAR, "special", 5000 * W, new_limit=1000 * W)
    old = debt.issue_bond(db, GOV, "2021-ZX-01", kind="special", purpose="new", amount=3900 * W,
                          term_years=3, rate=D("3.2"), issue_date=date(2021, 6, 1))
    refused("cycle.debt.over_limit", debt.issue_bond, db, GOV, "2024-ZX-X", kind="special",
            purpose="new", amount=1200 * W, term_years=10, rate=D("2.6"),
            issue_date=date(2024, 5, 10))
    bond = debt.issue_bond(db, GOV, "2024-ZX-01", kind="special", purpose="new", amount=800 * W,
                           term_years=10, rate=D("2.6"), issue_date=date(2024, 5, 10))
    debt.allocate_bond(db, bond, "XM2024-04", 800 * W)
    refused("cycle.debt.over_bond", debt.allocate_bond, db, bond, "XM2024-04", D(1))
    # the 2021 bond matures on 2024-06-01: repay it (interest yearly, principal at maturity)
    for r in debt.schedule(db, old):
        if r.due_date <= date(2024, 6, 1):
            debt.repay(db, r.id, r.due_date)

    # -- adjustment (June): the bond-funded sewage plant enters the budget
    v2 = versions.propose_adjustment(db, GOV, YEAR, "general", [SEWAGE],
                                     title="2024年预算调整方案")
    versions.approve(db, v2, date(2024, 6, 26), session=STANDING)
    out["v2"] = v2
    ids[SEWAGE.name] = ledger.lookup(db, ledger.IndicatorKey(GOV, YEAR, "general", *SEWAGE.key))
    debt.fund_indicator(db, bond, ids[SEWAGE.name])
    refused("cycle.debt.not_allocated", debt.fund_indicator, db, bond, ids["乡村公路养护"])

    # -- monthly payments
    notices = []
    for month in range(1, 13):
        day = date(YEAR, month, 15)
        ledger.pay(db, ids["教师工资"], 100 * W, day, payee="教师工资")
        ledger.pay(db, ids["机关运行"], 50 * W, day)
        ledger.pay(db, ids["农村低保"], 20 * W, day)
        ledger.pay(db, ids["公务接待费"], 2 * W, day)
        ledger.pay(db, ids["公务用车运行维护费"], 4 * W, day)
        p = ledger.pay(db, ids["农业行政运行"], 20 * W, day)
        notices.extend(p.notices)
        if month in (4, 7, 10):
            ledger.pay(db, ids["乡村公路养护"], 100 * W, day, payee="县公路养护站")
        if month >= 3:
            ledger.pay(db, ids["农村饮水安全"], 40 * W, day)
        if month >= 7:
            ledger.pay(db, ids["污水处理厂"], 120 * W, day, payee="某建设公司")
        if month == 6:
            performance.record_value(db, t1, day, D(50))
            # a payment beyond the indicator is refused with its reason
            refused("cycle.pay.insufficient", ledger.pay, db, ids["公务接待费"], 100 * W, day)
        if month == 8:
            # reallocation: unspent operations money moves to the water project
            versions.reallocate(db, GOV, YEAR, "general", [Move(
                BASIC[5].key, Line(*WATER.key[:2], 60 * W, econ_code=WATER.econ_code,
                                   project=WATER.project))], date(2024, 8, 20))
            # 三公 may not be increased by reallocation
            refused("cycle.realloc.sangong", versions.reallocate, db, GOV, YEAR, "general",
                    [Move(BASIC[5].key, Line(BASIC[3].department, BASIC[3].func_code, W,
                                             econ_code=BASIC[3].econ_code))], date(2024, 8, 21))
    out["notices"] = notices
    out["ids"] = ids
    performance.record_value(db, t1, date(2024, 12, 20), D(130), final=True)
    performance.record_value(db, t2, date(2024, 12, 20), D("85.5"), final=True)

    # -- a transfer received from the prefecture, allocated to townships by factors
    tid = transfers.receive(db, GOV, YEAR, "衔接推进乡村振兴补助资金", 1001 * W, date(2024, 3, 1),
                            deadline_days=30, func_code="21305",
                            indicator=ledger.IndicatorKey(GOV, YEAR, "general", "县乡村振兴局",
                                                          "2130504", "39999", "",
                                                          "上级转移支付"))
    data = {
        "甲镇": {"相关人群数量及结构": D(500), "相关人群收入": D(10000), "政策因素": D(1),
               "绩效考核结果": D(90)},
        "乙镇": {"相关人群数量及结构": D(300), "相关人群收入": D(20000), "政策因素": D(1),
               "绩效考核结果": D(90)},
        "丙乡": {"相关人群数量及结构": D(200), "相关人群收入": D(20000), "政策因素": D(2),
               "绩效考核结果": D(120)},
    }
    out["allocation"] = transfers.allocate_by_factors(db, tid, RURAL_REVITALISATION_FACTORS, data)
    out["overdue_before"] = [t.id for t in transfers.overdue(db, GOV, YEAR, date(2024, 4, 5))]
    out["late_days"] = transfers.pass_down(db, tid, date(2024, 4, 5))
    out["transfer"] = tid

    # -- mid-year figures, then close
    out["h1"] = ledger.execution_facts(db, GOV, YEAR, 6, government_name=NAME)
    out["reconcile"] = ledger.reconcile(db)
    fid = versions.close_year(db, GOV, YEAR, "general", date(2024, 12, 31))
    refused("cycle.indicator.closed", ledger.pay, db, ids["教师工资"], W, date(2024, 12, 31))
    versions.approve(db, fid, date(2025, 6, 25), session="样例县第十八届人大常委会第二十五次会议")
    out["final"] = fid
    out["facts"] = year_facts(db)
    return out


def year_facts(db: CycleDB) -> list[Fact]:
    """The year's facts: budget, adjusted and final by code; monthly execution; debt."""
    facts = versions.budget_facts(db, GOV, YEAR, "general", government_name=NAME, unit=Unit.WAN)
    for month in range(1, 13):
        facts += ledger.execution_facts(db, GOV, YEAR, month, government_name=NAME, unit=Unit.WAN)
    facts += debt.debt_facts(db, GOV, YEAR, date(2024, 12, 31), government_name=NAME,
                             unit=Unit.WAN)
    return facts


def _by(facts: list[Fact], stage: Stage, period: str) -> dict[str | None, D]:
    """Code → yuan of the facts of a stage and period; None is the total (一般公共预算支出)."""
    return {f.code: f.yuan for f in facts if f.stage == stage and str(f.period) == period
            and (f.code is not None or f.indicator == "一般公共预算支出")}


def test_budget_adjusted_final_totals(year: dict) -> None:
    facts = year["facts"]
    budget = _by(facts, Stage.BUDGET, "2024")
    adjusted = _by(facts, Stage.ADJUSTED, "2024")
    final = _by(facts, Stage.FINAL, "2024")
    assert budget[None] == 3320 * W  # 2420 basic + 900 projects
    assert adjusted[None] == 4120 * W  # + 800 sewage plant; the reallocation moves, adds nothing
    # paid: wages 1200, ops 600, 低保 240, 接待 24, 车 48, 农业 240, road 300, water 400,
    # sewage 720, and the transfer passed down to the townships 1001
    assert final[None] == 4773 * W
    assert final["213"] == (240 + 400 + 1001) * W
    assert adjusted["2130101"] == 240 * W and adjusted["2130335"] == 560 * W


def test_execution_by_month_from_journal(year: dict) -> None:
    facts = year["facts"]
    june_total = next(f for f in facts if f.stage == Stage.EXECUTION and f.code is None
                      and f.period == Period.months(YEAR, 1, 6))
    assert (june_total.indicator, june_total.amount.value, june_total.amount.unit) == (
        "一般公共预算支出", D(2437), Unit.WAN)
    totals = [_by(facts, Stage.EXECUTION, str(Period.months(YEAR, 1, m)))[None] for m in range(1, 13)]
    assert totals == sorted(totals)
    assert totals[-1] == _by(facts, Stage.FINAL, "2024")[None]
    june = _by(year["h1"], Stage.EXECUTION, "2024-01..06")
    # wages 600, ops 300, 低保 120, 接待 12, 车 24, 农业 120, road 100, water 160, transfer 1001
    assert june[None] == 2437 * W
    # 类 = Σ 款 = Σ 项 for every code in every month
    for m in range(1, 13):
        row = _by(facts, Stage.EXECUTION, str(Period.months(YEAR, 1, m)))
        for length, parent_len in ((5, 3), (7, 5)):
            sums: dict[str, D] = defaultdict(D)
            for code, value in row.items():
                if code and len(code) == length:
                    sums[code[:parent_len]] += value
            for parent, value in sums.items():
                assert row[parent] == value
        assert sum(v for c, v in row.items() if c and len(c) == 3) == row[None]


def test_ledger_and_versions_agree(year: dict) -> None:
    db = year["db"]
    assert year["reconcile"] == [] and ledger.reconcile(db) == []
    assert ledger.verify_chain(db) == []
    v1_lines = versions.lines(db, year["v1"])
    v2_lines = versions.lines(db, year["v2"])
    assert versions.total(v2_lines) - versions.total(v1_lines) == 800 * W
    diff = versions.diff(db, year["v1"], year["v2"])
    assert [(c.key[3], c.change) for c in diff] == [("XM2024-04", 800 * W)]
    budgets = {i.key: i.budget for i in ledger.list_indicators(db, GOV, YEAR)}
    in_force = versions.lines_at(db, GOV, YEAR, "general", date(2024, 12, 31))
    from_versions = {ledger.IndicatorKey(GOV, YEAR, "general", *ln.key): ln.amount
                     for ln in in_force}
    # every indicator is a line in force, but the transfer budgeted on receipt (outside the
    # approved budget, and paid on to the townships)
    outside = {k: v for k, v in budgets.items() if k not in from_versions}
    assert [(k.department, v) for k, v in outside.items()] == [("县乡村振兴局", 1001 * W)]
    assert {k: v for k, v in budgets.items() if k in from_versions} == from_versions
    assert [v.kind for v in versions.versions(db, GOV, YEAR, "general")] == [
        "draft", "adjustment", "reallocation", "final"]
    assert projects.get(db, GOV, "XM2024-01").status == "in_progress"
    assert projects.get(db, GOV, "XM2024-03").status == "proposed"


def test_refusals_along_the_way(year: dict) -> None:
    assert year["refusals"] == [
        "cycle.project.not_reviewed", "cycle.debt.over_limit", "cycle.debt.over_bond",
        "cycle.debt.not_allocated", "cycle.pay.insufficient", "cycle.realloc.sangong", "cycle.indicator.closed",
    ]


def test_sanbao_paid_on_schedule_gives_no_warning(year: dict) -> None:
    assert year["notices"] == []
    rows = controls.sanbao_status(year["db"], GOV, YEAR, date(2024, 12, 31))
    assert [(r.kind, r.required, r.paid, r.short_items) for r in rows] == [
        ("livelihood", 240 * W, 240 * W, 0), ("wages", 1200 * W, 1200 * W, 0),
        ("operations", 600 * W, 600 * W, 0)]


def test_sangong_only_decrease(year: dict) -> None:
    this = controls.sangong_budget(year["db"], GOV, YEAR)
    assert this == {"reception": 30 * W, "vehicle_operation": 50 * W}
    cmp = controls.sangong_compare(this, {"reception": 35 * W, "vehicle_operation": 48 * W})
    assert (cmp.only_decrease, cmp.increased_items, cmp.total.pct) == (
        True, ("vehicle_operation",), D("-3.61"))
    assert controls.sangong_paid(year["db"], GOV, YEAR) == {
        "reception": 24 * W, "vehicle_operation": 48 * W}


def test_debt_register(year: dict) -> None:
    db = year["db"]
    facts = {(f.indicator, f.stage.value): f.yuan for f in year["facts"]
             if f.stage in (Stage.LIMIT, Stage.BALANCE)}
    assert facts[("专项债务余额", "balance")] == 800 * W  # 3900 repaid in June; 800 new
    assert facts[("政府债务限额", "limit")] == 8000 * W
    assert debt.project_funds(db, GOV) == {"XM2024-04": (800 * W, 720 * W)}
    ind = debt.indicators(db, GOV, date(2024, 5, 31), resources=D(2500) * W)
    assert (ind.balance, ind.limit_usage_pct, ind.debt_ratio_pct, ind.band) == (
        4700 * W, D("58.75"), D("188.00"), "yellow")


def test_transfer_allocated_by_factors_and_tracked(year: dict) -> None:
    assert year["allocation"].amounts == {"甲镇": 406 * W, "乙镇": 270 * W, "丙乡": 325 * W}
    assert year["overdue_before"] == [year["transfer"]]
    assert year["late_days"] == 5
    t = transfers.get(year["db"], year["transfer"])
    assert sum(a for _, a in t.shares) == t.total and t.working[-1] == "合计 10010000 元"
    # kept in the ledger: budgeted on receipt, paid to the townships when passed down
    ind = ledger.lookup(year["db"], ledger.IndicatorKey(GOV, YEAR, "general", "县乡村振兴局",
                                                        "2130504", "39999", "", "上级转移支付"))
    assert [(e.kind, e.payee, e.paid_delta) for e in ledger.history(year["db"], ind)] == [
        ("allocation", "", D("0.00")), ("payment", "甲镇", 406 * W),
        ("payment", "乙镇", 270 * W), ("payment", "丙乡", 325 * W)]


def test_performance_self_evaluation(year: dict) -> None:
    ev = performance.evaluate(year["db"], GOV, YEAR, project="XM2024-01")
    assert [(r.level3, r.actual, r.met, r.score) for r in ev.rows] == [
        ("养护里程", D(130), True, D("50.00")), ("群众满意度", D("85.5"), False, D("47.50"))]
    assert (ev.score, ev.full) == (D("97.50"), D(100))


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("YUSUAN_TEST_PG"), reason="YUSUAN_TEST_PG not set")
def test_the_same_year_on_postgres(tmp_path: Path) -> None:
    pg = simulate_year(tmp_path, os.environ["YUSUAN_TEST_PG"])
    assert pg["reconcile"] == [] and ledger.reconcile(pg["db"]) == []
    assert ledger.verify_chain(pg["db"]) == []
    final = _by(pg["facts"], Stage.FINAL, "2024")
    assert final[None] == 4773 * W
    assert pg["refusals"] == [
        "cycle.project.not_reviewed", "cycle.debt.over_limit", "cycle.debt.over_bond",
        "cycle.debt.not_allocated", "cycle.pay.insufficient", "cycle.realloc.sangong",
        "cycle.indicator.closed",
    ]
    pg["db"].close()
