"""Indicators: figures checked against arithmetic done by hand from the quotes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.conftest import seed
from yusuan.analyze.indicators import compute, library, parse_library, readable_formula
from yusuan.analyze.ledger import Ledger, level_of_division
from yusuan.model import Amount, Book, Fact, Level, Period, Source, Stage, Unit

D = Decimal
H1 = Period(2024, 1, 6)
GOV = "昌吉回族自治州"
_counter = iter(range(1, 1_000_000))


def mk(indicator: str, value: str, stage: Stage = Stage.EXECUTION, period: Period = H1, *,
       scope: str = "whole", unit: Unit = Unit.YI, gov: str = GOV, quote: str | None = None,
       code: str | None = None, book: Book | None = None, parent: str | None = None,
       pct_of_budget: str | None = None, share_pct: str | None = None, yoy_pct: str | None = None,
       yoy_abs: str | None = None, table: str | None = None, column: str | None = None,
       row: int | None = None) -> Fact:
    """A fact shaped like the extractor's, with a unique source span."""
    n = next(_counter)
    return Fact(
        indicator=indicator, amount=Amount(D(value), unit), stage=stage, period=period,
        source=Source("doc-test", n, n * 100, n * 100 + 10, quote or f"{indicator}完成{value}{unit.value}",
                      file="test.txt"),
        scope=scope, book=book, government=gov, code=code, parent=parent,
        pct_of_budget=D(pct_of_budget) if pct_of_budget else None,
        share_pct=D(share_pct) if share_pct else None,
        yoy_pct=D(yoy_pct) if yoy_pct else None,
        yoy_abs=Amount(D(yoy_abs), unit) if yoy_abs else None,
        table=table, column=column, row=row,
    )


def seed000_facts() -> list[Fact]:
    """Facts of seed 000 (昌吉州, 2024 H1) as quoted in the report."""
    return [
        mk("一般公共预算收入", "131.5", yoy_abs="12.59", yoy_pct="10.59",
           quote="全州一般公共预算收入完成131.5亿元，比上年同期增收12.59亿元，增长10.59%"),
        mk("税收收入", "77.48", parent="一般公共预算收入", yoy_pct="-5.18"),
        mk("非税收入", "54.01", parent="一般公共预算收入", yoy_pct="45.24"),
        mk("一般公共预算支出", "191.14", yoy_abs="2.15", yoy_pct="1.14"),
        mk("政府性基金预算收入", "12.82", yoy_abs="-2.86", yoy_pct="-18.26"),
        mk("国有土地使用权出让收入", "11.83", parent="政府性基金预算收入"),
        mk("政府性基金预算支出", "42.62"),
        mk("国有资本经营预算收入", "0.38"),
        mk("民生支出", "141.87", share_pct="74.23"),
        mk("三保支出", "62.63", pct_of_budget="53.24"),
        mk("地方政府法定债务余额", "614.79", Stage.BALANCE, Period.parse("2024-06-30")),
        mk("一般公共预算收入", "7.63", scope="own", pct_of_budget="109", yoy_pct="9.93"),
        mk("税收收入", "0.94", scope="own", parent="一般公共预算收入"),
        mk("非税收入", "6.69", scope="own", parent="一般公共预算收入"),
        mk("一般公共预算支出", "27.99", scope="own", pct_of_budget="26.19"),
    ]


def by_id(results: list, indicator: str, scope: str = "whole", stage: Stage | None = None) -> object:
    found = [r for r in results if r.indicator == indicator and r.context.scope == scope
             and (stage is None or r.context.stage == stage)]
    assert len(found) == 1, [(r.indicator, str(r.context)) for r in found]
    return found[0]


def test_seed000_ratios_by_hand() -> None:
    results = compute(seed000_facts())
    hundred = D(100)
    expected = {
        "fiscal_self_sufficiency": hundred * D("131.5") / D("191.14"),  # 68.80%
        "tax_share": hundred * D("77.48") / D("131.5"),  # 58.92%
        "nontax_share": hundred * D("54.01") / D("131.5"),  # 41.07% (printed: 41.07%)
        "land_dependence": hundred * D("11.83") / (D("131.5") + D("12.82")),  # 8.20%
        "livelihood_share": hundred * D("141.87") / D("191.14"),  # 74.22% (printed 74.23%)
        "three_guarantees_share": hundred * D("62.63") / D("191.14"),  # 32.77%
    }
    for key, value in expected.items():
        r = by_id(results, key)
        assert r.value == value, key
    assert by_id(results, "fiscal_self_sufficiency").rating.label == "较强"
    assert by_id(results, "nontax_share").rating.level == "amber"
    own = by_id(results, "fiscal_self_sufficiency", "own")
    assert own.value == hundred * D("7.63") / D("27.99")  # 27.26% -> 弱
    assert own.rating.label == "弱"


def test_comprehensive_capacity_states_what_was_assumed() -> None:
    r = by_id(compute(seed000_facts()), "comprehensive_capacity")
    # 131.5 + 12.82 + 0.38 亿元; transfers not disclosed -> counted as 0 and listed
    assert r.value == (D("131.5") + D("12.82") + D("0.38")) * D(100_000_000)
    assert r.assumed_zero == ("转移支付收入?",)
    assert r.unit == "元"


def test_missing_inputs_are_named() -> None:
    results = compute(seed000_facts())
    r = by_id(results, "transfer_dependence")
    assert r.value is None
    assert r.missing == ("转移支付收入",)
    r = by_id(results, "interest_ratio")
    assert r.missing == ("一般债务利息支出", "专项债务利息支出")  # of the first formula


def test_results_carry_their_facts_and_quotes() -> None:
    facts = seed000_facts()
    r = by_id(compute(facts), "fiscal_self_sufficiency")
    assert r.fact_ids == (facts[0].id, facts[3].id)
    assert r.quotes[0] == "全州一般公共预算收入完成131.5亿元，比上年同期增收12.59亿元，增长10.59%"
    assert [t for t, _ in r.inputs] == ["一般公共预算收入", "一般公共预算支出"]


def test_execution_progress_uses_printed_rate_and_elapsed_time() -> None:
    results = compute(seed000_facts())
    rev = by_id(results, "revenue_progress", "own")
    assert (rev.value, rev.elapsed, rev.rated_on) == (D("109"), D(50), D(59))
    assert rev.rating.level == "green"
    spend = by_id(results, "expenditure_progress", "own")
    assert spend.value == D("26.19")
    assert spend.rated_on == D("26.19") - 50  # -23.81 points: well behind time
    assert spend.rating.level == "red"


def test_execution_progress_computed_from_adjusted_budget() -> None:
    facts = [
        mk("一般公共预算支出", "60", Stage.EXECUTION, Period(2024, 1, 9)),
        mk("一般公共预算支出", "100", Stage.BUDGET, Period(2024)),
        mk("一般公共预算支出", "120", Stage.ADJUSTED, Period(2024)),
    ]
    r = by_id(compute(facts), "expenditure_progress")
    assert r.value == D(50)  # 60 / 120 adjusted, not 60 / 100
    assert r.elapsed == D(75)
    assert r.rated_on == D(-25)


def year_facts(gov: str = "甲市", *, balance: str = "80", limit: str = "90") -> list[Fact]:
    y = Period(2023)
    return [
        mk("一般公共预算收入", "40", Stage.FINAL, y, gov=gov),
        mk("一般公共预算支出", "100", Stage.FINAL, y, gov=gov),
        mk("上级补助收入", "50", Stage.FINAL, y, gov=gov),
        mk("政府性基金预算收入", "10", Stage.FINAL, y, gov=gov),
        mk("政府性基金预算支出", "20", Stage.FINAL, y, gov=gov),
        mk("债务付息支出", "3", Stage.FINAL, y, gov=gov, code="232"),
        mk("地方政府债务余额", balance, Stage.BALANCE, Period.parse("2023-12-31"), gov=gov),
        mk("地方政府债务余额", "70", Stage.BALANCE, Period.parse("2023-06-30"), gov=gov),
        mk("地方政府债务限额", limit, Stage.LIMIT, y, gov=gov),
        mk("一般公共预算支出", "95", Stage.BUDGET, y, gov=gov),
        mk("一般公共预算收入", "42", Stage.BUDGET, y, gov=gov),
    ]


def test_debt_indicators_by_hand() -> None:
    results = compute(year_facts())
    cap = by_id(results, "comprehensive_capacity", stage=Stage.FINAL)
    assert cap.value == D(40 + 50 + 10) * D(100_000_000)
    debt = by_id(results, "debt_ratio", stage=Stage.FINAL)
    assert debt.value == D(80) * 100 / D(100)  # latest balance of the year, not the June one
    assert debt.rating.label == "低于警戒线"
    usage = by_id(results, "limit_usage")
    assert usage.value == D(80) * 100 / D(90)
    assert usage.rating.level == "green"  # 88.9% < 90
    interest = by_id(results, "interest_ratio", stage=Stage.FINAL)
    assert interest.value == D(3) * 100 / D(120)  # 3 / (100 + 20) = 2.5%


def test_limit_usage_rating_bands() -> None:
    r = by_id(compute(year_facts(balance="95", limit="100")), "limit_usage")
    assert (r.value, r.rating.level) == (D(95), "amber")
    r = by_id(compute(year_facts(balance="101", limit="100")), "limit_usage")
    assert r.rating.label == "超过限额"
    r = by_id(compute(year_facts(balance="80", limit="100")), "limit_usage")
    assert r.rating.level == "green"


def test_pefa_pi1_and_pi3() -> None:
    results = compute(year_facts())
    pi1 = by_id(results, "pefa_pi1", stage=Stage.FINAL)
    assert pi1.value == D(100) * 100 / D(95)  # 105.26% -> B (outside 95-105)
    assert pi1.rating.label == "B"
    pi3 = by_id(results, "pefa_pi3", stage=Stage.FINAL)
    assert pi3.value == D(40) * 100 / D(42)  # 95.24% -> B (94-112)
    assert pi3.rating.label == "B"


def test_pefa_pi3_falls_back_to_printed_rate() -> None:
    # seed 004: 全市地方一般公共预算收入完成 23.17 亿元，为预算的 99%
    f = mk("一般公共预算收入", "23.17", Stage.FINAL, Period(2023), gov="中卫市", pct_of_budget="99")
    r = by_id(compute([f]), "pefa_pi3", stage=Stage.FINAL)
    assert (r.value, r.rating.label, r.formula) == (D(99), "A", "一般公共预算收入#pct_of_budget")


def test_pefa_pi2_composition_variance_the_pefa_way() -> None:
    y = Period(2023)

    def item(code: str, budget: str, final: str) -> list[Fact]:
        return [mk(f"类{code}", budget, Stage.BUDGET, y, code=code, book=Book.GENERAL, gov="乙县"),
                mk(f"类{code}", final, Stage.FINAL, y, code=code, book=Book.GENERAL, gov="乙县")]

    # total budget 200, total outturn 220: adjusted budget = budget x 1.1
    facts = item("201", "100", "120") + item("205", "100", "100") + item("232", "10", "50")
    r = by_id(compute(facts, select=["pefa_pi2"]), "pefa_pi2", stage=Stage.FINAL)
    # |120 - 110| + |100 - 110| = 20; 20 / 220 = 9.0909%; 232 (interest) excluded
    assert r.value == D(20) * 100 / D(220)
    assert r.rating.label == "B"
    assert {t for t, _ in r.inputs} == {"201@budget", "205@budget", "201", "205"}


def test_pefa_pi2_without_function_detail_says_so() -> None:
    r = by_id(compute(year_facts(), select=["pefa_pi2"]), "pefa_pi2", stage=Stage.FINAL)
    assert r.value is None
    assert r.missing == ("final 2xx 类级科目", "budget 2xx 类级科目")


def test_stages_and_years_never_mix() -> None:
    facts = [
        mk("一般公共预算收入", "50", Stage.BUDGET, Period(2024)),
        mk("一般公共预算支出", "100", Stage.EXECUTION, H1),
        mk("一般公共预算收入", "30", Stage.EXECUTION, Period(2023, 1, 6)),
    ]
    results = compute(facts, select=["fiscal_self_sufficiency"])
    assert all(r.value is None for r in results)


def test_library_loads_and_rejects_bad_formulas() -> None:
    lib = library()
    names = {d.name for d in lib.definitions}
    for required in ("财政自给率", "税收占比", "非税收入占比", "土地出让收入依赖度", "转移支付依赖度",
                     "民生支出占比", "三保支出占比", "综合财力", "债务率", "限额使用率", "利息支出率",
                     "收入执行进度", "支出执行进度"):
        assert required in names
    assert {"pefa_pi1", "pefa_pi2", "pefa_pi3"} <= {d.id for d in lib.definitions}
    bad = {"terms": {"a": {"names": ["a"]}},
           "indicators": [{"id": "x", "name": "x", "version": 1, "unit": "%", "formula": ["a / b"]}]}
    with pytest.raises(ValueError, match="unknown term"):
        parse_library(bad)
    bad["indicators"][0]["formula"] = ["(a / a"]
    with pytest.raises(ValueError):
        parse_library(bad)
    assert readable_formula("100 * a / b@budget") == "100 × a ÷ b（年初预算）"


def test_custom_library_from_data() -> None:
    data = {"terms": {"收": {"names": ["一般公共预算收入"]}, "支": {"names": ["一般公共预算支出"]}},
            "indicators": [{"id": "gap", "name": "收支差", "version": 2, "unit": "元",
                            "formula": ["支 - 收"], "ratings": []}]}
    lib = parse_library(json.loads(json.dumps(data)))
    r = compute(seed000_facts(), lib=lib, scope="whole")
    assert [(x.name, x.value) for x in r if x.value is not None] == [
        ("收支差", (D("191.14") - D("131.5")) * D(100_000_000))]


def test_level_of_division() -> None:
    assert [level_of_division(c) for c in ("650000", "652300", "654202", "x", None)] == [
        Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, None, None]


def test_ledger_find_prefers_document_order() -> None:
    a = mk("税收收入", "77.48")
    b = mk("税收收入", "77.48", quote="全州税收收入完成 77.48 亿元，较上年同期下降 5.18%")
    ledger = Ledger([b, a])
    assert ledger.find(GOV, "whole", ("税收收入",), Stage.EXECUTION, H1) is a


def _extract(prefix: str) -> list[Fact]:
    from yusuan.extract import extract
    from yusuan.read import read

    document, _ = read(seed(prefix))
    assert document is not None
    return list(extract(document).facts)


def test_seed000_extracted_indicators_match_hand_figures() -> None:
    facts = _extract("000")
    results = compute(facts)
    got = {(r.indicator, r.context.scope): r for r in results if r.value is not None}
    if ("fiscal_self_sufficiency", "whole") not in got:
        pytest.skip("narrative extraction does not yet give seed 000's totals")
    hundred = D(100)
    assert got[("fiscal_self_sufficiency", "whole")].value == hundred * D("131.5") / D("191.14")
    assert got[("tax_share", "whole")].value == hundred * D("77.48") / D("131.5")
    assert got[("land_dependence", "whole")].value == hundred * D("11.83") / (D("131.5") + D("12.82"))
    assert got[("livelihood_share", "whole")].value == hundred * D("141.87") / D("191.14")
    assert got[("three_guarantees_share", "whole")].value == hundred * D("62.63") / D("191.14")
    assert got[("fiscal_self_sufficiency", "own")].value == hundred * D("7.63") / D("27.99")
    assert got[("expenditure_progress", "own")].value == D("26.19")
    # every computed figure traces to quoted sentences of the seed
    for r in got.values():
        assert all(f.source.quote for _, f in r.inputs)


def test_seed004_extracted_indicators_match_hand_figures() -> None:
    facts = _extract("004")
    results = compute(facts)
    got = {(r.indicator, r.context.scope, r.context.stage, str(r.context.period)): r
           for r in results if r.value is not None}
    key = ("fiscal_self_sufficiency", "whole", Stage.FINAL, "2023")
    if key not in got:
        pytest.skip("narrative extraction does not yet give seed 004's totals")
    # 全市地方一般公共预算收入完成 23.17 亿元 / 全市一般公共预算支出完成 211.86 亿元
    assert got[key].value == D(100) * D("23.17") / D("211.86")
    # 为预算的 99% (PEFA PI-3 from the printed rate)
    assert got[("pefa_pi3", "whole", Stage.FINAL, "2023")].value == D(99)
    # 2024 H1: 全市 … 13.56 亿元，为预算的 57.3%; 序时进度 50%
    progress = got[("revenue_progress", "whole", Stage.EXECUTION, "2024-01..06")]
    assert (progress.value, progress.elapsed) == (D("57.3"), D(50))


def _table_rows(table: str, scope: str, rows: list[tuple[str | None, str, str]]) -> list[Fact]:
    """Cells of one column (2023年预算数) of a seed 002 table, in万元."""
    return [mk(name, value, Stage.BUDGET, Period(2023), unit=Unit.WAN, gov="乌苏市", scope=scope,
               code=code, book=Book.GENERAL, table=table, column="2023年预算数", row=i)
            for i, (code, name, value) in enumerate(rows)]


def test_table_total_with_transfers_is_not_the_own_revenue() -> None:
    """Seed 002 表1 ends "一般公共预算收入 448488" (2023 预算数): 101 + 103 + the 110 rows.
    表2 ends "一般公共预算支出合计 448488", which includes 230 转移性支出 and 231 还本."""
    facts = _table_rows("表1", "whole", [
        ("101", "税收收入", "73100"), ("103", "非税收入", "37068"),
        ("110", "转移性收入", "132361"), ("11008", "上年结余收入", "65203"),
        (None, "一般公共预算收入", "448488"),
    ]) + _table_rows("表2", "whole", [
        ("201", "一般公共服务支出", "34170"), ("205", "教育支出", "57353"),
        ("230", "转移性支出", "18925"), ("231", "地方政府一般债务还本支出", "16076"),
        ("232", "债务付息支出", "7387"), (None, "一般公共预算支出合计", "133911"),
    ])
    ledger = Ledger(facts)
    found = ledger.find("乌苏市", "whole", ("一般公共预算收入",), Stage.BUDGET, year=2023)
    assert found.amount.value == D(73100) + D(37068)  # 110168, not 448488
    assert found.source.derived.startswith("表1: 一般公共预算收入 = 101 税收收入 73100万元 + 103")
    gross = ledger.find("乌苏市", "whole", ("一般公共预算收入（收入合计，含转移性收入）",), Stage.BUDGET,
                        year=2023)
    assert gross.amount.value == D(448488)
    results = compute(ledger)
    tax = by_id(results, "tax_share", stage=Stage.BUDGET)
    assert tax.value == D(100) * D(73100) / D(110168)  # 66.35%, not 73100 / 448488 = 16.30%
    own = by_id(results, "fiscal_self_sufficiency", stage=Stage.BUDGET)
    # expenditure: 201 + 205 + 232 = 98910 (not 230, not 231)
    assert own.value == D(100) * D(110168) / (D(34170) + D(57353) + D(7387))


def test_stated_figure_comes_before_one_derived_from_a_table() -> None:
    narrative = mk("一般公共预算收入", "150000", Stage.BUDGET, Period(2023), unit=Unit.WAN,
                   gov="乌苏市", book=Book.GENERAL)
    facts = [narrative, *_table_rows("表1", "whole", [
        ("101", "税收收入", "90000"), ("103", "非税收入", "60000"), ("110", "转移性收入", "145423"),
        (None, "一般公共预算收入", "407810")])]
    found = Ledger(facts).find("乌苏市", "whole", ("一般公共预算收入",), Stage.BUDGET, year=2023)
    assert found is narrative


def test_seed002_extracted_indicators_match_hand_figures() -> None:
    results = compute(_extract("002"))
    got = {(r.indicator, r.context.scope, r.context.stage, str(r.context.period)): r
           for r in results if r.value is not None}
    h = D(100)
    # 表1 2023年预算数: 101 税收收入 73100, 103 非税收入 37068 (total row 448488 is 收入合计)
    assert got[("tax_share", "whole", Stage.BUDGET, "2023")].value == h * D(73100) / (D(73100) + D(37068))
    # "一般公共预算收入 150000 万元（其中税收 90000 万元，非税收入 60000 万元）"; 表2 2024年预算数:
    # 支出合计 407810 less 230 转移性支出 53685 (231 is blank) = 354125
    assert got[("fiscal_self_sufficiency", "whole", Stage.BUDGET, "2024")].value == (
        h * D(150000) / (D(407810) - D(53685)))
    # 2023: "一般公共预算收入139154万元"; "上级补助收入419268万元"
    assert got[("transfer_dependence", "whole", Stage.EXECUTION, "2023")].value == (
        h * D(419268) / (D(139154) + D(419268)))
    # "政府债务余额预计执行数为 70.83 亿元" / 综合财力 139154 + 419268 + 74486 + 370 万元
    assert got[("debt_ratio", "whole", Stage.EXECUTION, "2023")].value == (
        h * D("708300") / (D(139154) + D(419268) + D(74486) + D(370)))
    # "债务限额为 749802 万元": 708300 / 749802 = 94.46%
    assert got[("limit_usage", "whole", Stage.BALANCE, "2023")].value == h * D(708300) / D(749802)


def test_seed004_debt_indicators_match_hand_figures() -> None:
    results = compute(_extract("004"))
    got = {(r.indicator, r.context.scope, r.context.stage, str(r.context.period)): r for r in results}
    h = D(100)
    # "自治区核定市本级债务限额87.65亿元。年底限额内政府性债务余额 76.57 亿元": 87.36%
    usage = got[("limit_usage", "own", Stage.BALANCE, "2023")]
    assert (usage.value, usage.rating.level) == (h * D("76.57") / D("87.65"), "green")
    # 综合财力 (决算): "市本级地方一般公共预算收入完成9.69亿元", "自治区转移支付 74.4 亿元",
    # "市本级政府性基金预算收入完成 4.53 亿元", "市本级国有资本经营预算收入 250 万元" (0.025 亿元)
    debt = got[("debt_ratio", "own", Stage.FINAL, "2023")]
    assert debt.value == h * D("76.57") / (D("9.69") + D("74.4") + D("4.53") + D("0.025"))  # 86.38%
    # the 2023 执行 figures give no transfers: no 债务率 rather than 76.57 / 13.51 = 567%
    undone = got[("debt_ratio", "own", Stage.EXECUTION, "2023")]
    assert (undone.value, undone.missing) == (None, ("转移支付收入",))


def test_interest_ratio_matches_interest_to_its_book() -> None:
    """Seed 002, 2023 执行: only the fund's 232 债务付息支出 (表10 13721) is known; dividing it
    by both books' spending (570600 + 165759) would say 1.86%, far too low: not computed."""
    y = Period(2023)
    w = dict(unit=Unit.WAN, gov="乌苏市")
    facts = [
        mk("一般公共预算支出", "570600", Stage.EXECUTION, y, book=Book.GENERAL, **w),
        mk("政府性基金预算支出", "165759", Stage.EXECUTION, y, book=Book.FUND, **w),
        mk("债务付息支出", "13721", Stage.EXECUTION, y, code="232", book=Book.FUND, table="表10", **w),
    ]
    r = by_id(compute(facts, select=["interest_ratio"]), "interest_ratio", stage=Stage.EXECUTION)
    assert (r.value, r.missing) == (None, ("一般债务利息支出",))
    facts.append(mk("债务付息支出", "7387", Stage.EXECUTION, y, code="232", book=Book.GENERAL, **w))
    r = by_id(compute(facts, select=["interest_ratio"]), "interest_ratio", stage=Stage.EXECUTION)
    assert r.value == D(100) * (D(7387) + D(13721)) / (D(570600) + D(165759))  # 2.87%
