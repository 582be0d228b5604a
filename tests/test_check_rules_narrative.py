"""YS2xx narrative rules: one passing and one failing case each, on hand-made records."""

from __future__ import annotations

from decimal import Decimal

from tests.check.build import amount, document, extraction, fact, flat, rel, run
from yusuan.model import RelationKind, Severity, Stage, Unit

SUM = RelationKind.SUM


def _sum_case(total: str):  # type: ignore[no-untyped-def]
    doc = document(f"一般公共预算收入完成{total}亿元。其中：税收收入完成77.48亿元；非税收入完成54.01亿元。")
    whole = fact(doc, "一般公共预算收入", total)
    tax = fact(doc, "税收收入", "77.48")
    non = fact(doc, "非税收入", "54.01")
    return extraction(doc, [whole, tax, non], [rel(SUM, whole, [tax, non], exhaustive=True)])


def test_ys201_parts_add_up_within_rounding() -> None:
    # 77.48 + 54.01 = 131.49, printed 131.5: rounding, no finding
    assert run(_sum_case("131.5"), ["YS201"]) == ()


def test_ys201_parts_do_not_add_up() -> None:
    found = run(_sum_case("135.5"), ["YS201"])
    assert flat(found) == [("YS201", "131.49", "135.5")]
    assert found[0].gap == "4.01"
    assert found[0].severity == Severity.ERROR
    assert [s.quote for s in found[0].sources] == ["135.5", "77.48", "54.01"]


def test_ys201_truncated_total_is_a_notice() -> None:
    doc = document("余额708356万元（一般248130万元，专项460226万元）。余额70.83亿元。")
    whole = fact(doc, "债务余额", "70.83")
    g = fact(doc, "一般债务余额", "248130", unit=Unit.WAN)
    s = fact(doc, "专项债务余额", "460226", unit=Unit.WAN)
    found = run(extraction(doc, [whole, g, s], [rel(SUM, whole, [g, s], exhaustive=True)]),
                ["YS201"])
    assert [(f.code, f.severity, f.expected) for f in found] == [
        ("YS201", Severity.NOTICE, "70.8356")]


def _part_case(part: str):  # type: ignore[no-untyped-def]
    doc = document(f"非税收入完成54.01亿元。其中：罚没收入{part}亿元，住房基金收入2.13亿元。")
    whole = fact(doc, "非税收入", "54.01")
    a = fact(doc, "罚没收入", part)
    b = fact(doc, "政府住房基金收入", "2.13")
    return extraction(doc, [whole, a, b], [rel(SUM, whole, [a, b])])


def test_ys202_parts_within_whole() -> None:
    assert run(_part_case("2.96"), ["YS202"]) == ()


def test_ys202_parts_exceed_whole() -> None:
    assert [f.code for f in run(_part_case("59.6"), ["YS202"])] == ["YS202"]


def test_ys202_nested_and_outflow_parts_are_not_summed() -> None:
    doc = document("还本付息总额3.86亿元（本金1.73亿元，预算安排还本0.77亿元，再融资还本0.96亿元；"
                   "付息2.13亿元）。总财力收入6万元，其中：收入575万元，结余208万元，调出资金783万元，补助6万元。")
    total = fact(doc, "还本付息总额", "3.86")
    parts = [fact(doc, n, q) for n, q in (("本金", "1.73"), ("预算安排还本", "0.77"),
                                           ("再融资还本", "0.96"), ("付息", "2.13"))]
    fin = fact(doc, "总财力收入", "6", unit=Unit.WAN)
    fparts = [fact(doc, n, q, unit=Unit.WAN) for n, q in (("收入", "575"), ("结余", "208"),
                                                          ("调出资金", "783"))]
    ex = extraction(doc, [total, *parts, fin, *fparts],
                    [rel(SUM, total, parts), rel(SUM, fin, fparts)])
    assert run(ex, ["YS202"]) == ()


def _growth_case(rate: str):  # type: ignore[no-untyped-def]
    doc = document(f"收入完成131.5亿元，比上年同期增收12.59亿元，增长{rate}%。")
    f = fact(doc, "一般公共预算收入", "131.5", yoy_abs=amount("12.59"), yoy_pct=Decimal(rate))
    return extraction(doc, [f])


def test_ys203_change_and_rate_agree() -> None:
    assert run(_growth_case("10.59"), ["YS203"]) == ()


def test_ys203_tiny_values_allow_a_wide_rate() -> None:
    # 0.38 亿元, +0.29: printed inputs allow 285% .. 368.75% (gold note); 287.89% is inside
    doc = document("收入0.38亿元，增收0.29亿元，增长287.89%。")
    f = fact(doc, "国有资本经营预算收入", "0.38", yoy_abs=amount("0.29"), yoy_pct=Decimal("287.89"))
    assert run(extraction(doc, [f]), ["YS203"]) == ()


def test_ys203_change_and_rate_disagree() -> None:
    found = run(_growth_case("12.59"), ["YS203"])
    assert flat(found) == [("YS203", "10.5878", "12.59")]


def _diff_case(stated_yuan: str):  # type: ignore[no-untyped-def]
    doc = document("执行数119.8亿元。决算数120.3亿元，比执行数增加0.5亿元。")
    early = fact(doc, "一般公共预算收入", "119.8", stage=Stage.EXECUTION)
    late = fact(doc, "一般公共预算收入", "120.3", stage=Stage.FINAL)
    return extraction(doc, [early, late], [rel(RelationKind.DIFFERENCE, late, [early],
                                                stated=stated_yuan)])


def test_ys204_stated_difference_holds() -> None:
    assert run(_diff_case("50000000"), ["YS204"]) == ()


def test_ys204_stated_difference_wrong() -> None:
    found = run(_diff_case("150000000"), ["YS204"])
    assert flat(found) == [("YS204", "0.5", "1.5")]


def _ratio_case(pct: str):  # type: ignore[no-untyped-def]
    doc = document(f"预算数7亿元。本级收入完成7.63亿元，为预算的{pct}%。")
    budget = fact(doc, "一般公共预算收入", "7", stage=Stage.BUDGET, period=Period2024, scope="own")
    done = fact(doc, "一般公共预算收入", "7.63", scope="own", pct_of_budget=Decimal(pct))
    return extraction(doc, [budget, done])


Period2024 = __import__("yusuan.model", fromlist=["Period"]).Period(2024)


def test_ys205_ratio_to_budget_holds() -> None:
    assert run(_ratio_case("109"), ["YS205"]) == ()


def test_ys205_ratio_to_budget_wrong() -> None:
    found = run(_ratio_case("119"), ["YS205"])
    assert [(f.code, f.printed) for f in found] == [("YS205", "119")]


def test_ys205_progress_relation() -> None:
    doc = document("下达直达资金40.89亿元，支出25.86亿元，支出进度63.2%。")
    plan = fact(doc, "直达资金", "40.89", stage=Stage.PLAN)
    spent = fact(doc, "直达资金支出", "25.86")
    ok = extraction(doc, [plan, spent], [rel(RelationKind.RATIO, plan, [spent], "63.2")])
    bad = extraction(doc, [plan, spent], [rel(RelationKind.RATIO, plan, [spent], "68.2")])
    assert run(ok, ["YS205"]) == ()
    assert [f.code for f in run(bad, ["YS205"])] == ["YS205"]


def _share_case(pct: str, note: str = "一般公共预算收入"):  # type: ignore[no-untyped-def]
    doc = document(f"一般公共预算收入131.5亿元。非税收入54.01亿元，占一般公共预算收入的{pct}%。")
    whole = fact(doc, "一般公共预算收入", "131.5")
    part = fact(doc, "非税收入", "54.01")
    return extraction(doc, [whole, part], [rel(RelationKind.SHARE, whole, [part], pct, note=note)])


def test_ys206_share_holds() -> None:
    assert run(_share_case("41.07"), ["YS206"]) == ()


def test_ys206_share_wrong() -> None:
    assert flat(run(_share_case("47.07"), ["YS206"])) == [("YS206", "41.0722", "47.07")]


def test_ys206_share_from_fact_fields() -> None:
    doc = document("一般公共预算支出191.14亿元。民生支出141.87亿元，占一般公共预算支出的74.23%。")
    whole = fact(doc, "一般公共预算支出", "191.14")
    ok = fact(doc, "民生支出", "141.87", share_pct=Decimal("74.23"), share_of="一般公共预算支出")
    bad = fact(doc, "民生支出", "141.87", share_pct=Decimal("84.23"), share_of="一般公共预算支出")
    assert run(extraction(doc, [whole, ok]), ["YS206"]) == ()
    assert [f.code for f in run(extraction(doc, [whole, bad]), ["YS206"])] == ["YS206"]


def _repeat_case(second: str):  # type: ignore[no-untyped-def]
    doc = document(f"税收收入完成77.48亿元。\n全州税收收入完成{second}亿元。")
    a = fact(doc, "税收收入", "77.48")
    b = fact(doc, "税收收入", second, nth=1 if second == "77.48" else 0)
    return extraction(doc, [a, b])


def test_ys207_repeated_mention_agrees() -> None:
    assert run(_repeat_case("77.48"), ["YS207"]) == ()


def test_ys207_mention_that_does_not_name_the_figure_is_not_compared() -> None:
    doc = document("税收收入完成77.48亿元，主要是加强征管、清缴欠税、盘活资产。\n另拨付资金77.84亿元。")
    a = fact(doc, "税收收入", "77.48")
    b = fact(doc, "税收收入", "77.84")
    assert run(extraction(doc, [a, b]), ["YS207"]) == ()


def test_ys207_repeated_mention_disagrees() -> None:
    assert flat(run(_repeat_case("77.84"), ["YS207"])) == [("YS207", "77.48", "77.84")]


def _components_case(prior_rate: str):  # type: ignore[no-untyped-def]
    doc = document(f"收入131.5亿元，增收12.59亿元。其中税收77.48亿元，下降5.18%；非税54.01亿元，增长{prior_rate}%。")
    whole = fact(doc, "一般公共预算收入", "131.5", yoy_abs=amount("12.59"))
    tax = fact(doc, "税收收入", "77.48", yoy_pct=Decimal("-5.18"))
    non = fact(doc, "非税收入", "54.01", yoy_pct=Decimal(prior_rate))
    return extraction(doc, [whole, tax, non], [rel(SUM, whole, [tax, non], exhaustive=True)])


def test_ys208_prior_bases_agree() -> None:
    assert run(_components_case("45.24"), ["YS208"]) == ()


def test_ys208_prior_bases_disagree() -> None:
    assert [f.code for f in run(_components_case("25.24"), ["YS208"])] == ["YS208"]


def test_ys209_text_against_table_fact() -> None:
    doc = document("正文：一般公共预算支出合计40.78亿元。\n表：\t一般公共预算支出\t407810\n")
    text = fact(doc, "一般公共预算支出", "40.78", stage=Stage.BUDGET, period=Period2024)
    ok = fact(doc, "一般公共预算支出", "407810", unit=Unit.WAN, stage=Stage.BUDGET,
              period=Period2024, table="表2", row=5)
    bad = fact(doc, "一般公共预算支出", "407810", unit=Unit.WAN, stage=Stage.BUDGET,
               period=Period2024, table="表2", row=5, value="417810")
    assert run(extraction(doc, [text, bad])) == ()  # preview: not run by default
    assert run(extraction(doc, [text, ok]), ["YS209"]) == ()
    assert [f.code for f in run(extraction(doc, [text, bad]), ["YS209"])] == ["YS209"]


def test_ys208_part_without_rate_bounds_the_others() -> None:
    # 州本级 地方财政收入 8.33 (+10.33%) = 7.63 (+9.93%) + 0.53 (−13.25%) + 0.18 (no rate)
    def case(rate: str):  # type: ignore[no-untyped-def]
        doc = document(f"收入8.33亿元，增长10.33%。一般7.63亿元，增长9.93%；基金0.53亿元，下降{rate}%；国资0.18亿元。")
        whole = fact(doc, "地方财政收入", "8.33", yoy_pct=Decimal("10.33"))
        a = fact(doc, "一般公共预算收入", "7.63", yoy_pct=Decimal("9.93"))
        b = fact(doc, "政府性基金预算收入", "0.53", yoy_pct=-Decimal(rate))
        c = fact(doc, "国有资本经营预算收入", "0.18")
        return extraction(doc, [whole, a, b, c], [rel(SUM, whole, [a, b, c], exhaustive=True)])

    assert run(case("13.25"), ["YS208"]) == ()
    assert [f.code for f in run(case("33.25"), ["YS208"])] == ["YS208"]


def test_ys207_repeated_rate_disagrees() -> None:
    doc = document("非税收入完成54.01亿元，同比增长45.24%。\n全州非税收入完成54.01亿元，同比增长46.24%。")
    a = fact(doc, "非税收入", "54.01", yoy_pct=Decimal("45.24"))
    b = fact(doc, "非税收入", "54.01", nth=1, yoy_pct=Decimal("46.24"))
    assert [(f.code, f.expected, f.printed) for f in run(extraction(doc, [a, b]), ["YS207"])] == [
        ("YS207", "45.2400", "46.24")]
