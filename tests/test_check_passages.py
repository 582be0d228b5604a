"""read + extract + check on short passages written for these tests.

Each case is a claim a report makes in words (收支相抵, 支出进度, a figure repeated in a later
section); the extractor must turn the words into the relation and the checker must test it.
The passages are the project's own, with figures of the kind the seeds print.
"""

from __future__ import annotations

from yusuan.check import check
from yusuan.extract import extract
from yusuan.model import RelationKind
from yusuan.read import read_bytes

TITLE = "中卫市2023年财政决算和2024年上半年预算执行情况的报告\n\n一、2023 年财政决算情况\n\n"
MID_YEAR = "关于 2024 年上半年昌吉回族自治州预算执行情况的报告\n\n一、上半年预算执行情况\n\n"


def _run(body: str, title: str = TITLE):  # type: ignore[no-untyped-def]
    doc, _ = read_bytes((title + body).encode("utf-8"), "passage.txt")
    assert doc is not None
    ex = extract(doc)
    return ex, check([ex]).findings


def _codes(findings) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.code, f.expected, f.printed) for f in findings]


def _state_capital(balance: str) -> str:
    return ("4.国有资本经营预算收支决算情况。市本级国有资本经营预算收入 250 万元，其中：市本级收入"
            " 60 万元；自治区转移支付 79 万元；上年结转 111 万元。国有资本经营预算支出 213 万元。"
            f"收支相抵，年终滚存结余 {balance} 万元。\n")


def test_stated_balance_of_a_book_is_sources_minus_uses() -> None:
    ex, found = _run(_state_capital("37"))
    balances = [r for r in ex.relations if r.kind == RelationKind.BALANCE]
    assert len(balances) == 1 and len(balances[0].parts) == 2
    assert _codes(found) == []
    _, found = _run(_state_capital("73"))
    assert _codes(found) == [("YS301", "37", "73")]


def test_year_net_balance_is_revenue_minus_expenditure() -> None:
    text = ("社会保险基金预算收入完成 26.7 亿元，完成年度预算的 108.3%。社会保险基金预算支出完成"
            " 19.94 亿元，完成年度预算的 97.7%，本年收支结余 {x} 亿元，年末滚存结余 34.41 亿元。\n")
    assert _codes(_run(text.format(x="6.76"))[1]) == []
    assert _codes(_run(text.format(x="6.67"))[1]) == [("YS301", "6.76", "6.67")]


def test_a_figure_of_unknown_role_leaves_the_balance_unstated() -> None:
    text = ("国有资本经营预算收入 250 万元。国有资本经营预算支出 213 万元，安排项目 20 个，涉及金额"
            " 90 万元。收支相抵，年终滚存结余 37 万元。\n")
    ex, _ = _run(text)
    assert [r for r in ex.relations if r.kind == RelationKind.BALANCE] == []


def test_spending_progress_is_measured_against_the_allocation_before_it() -> None:
    title = MID_YEAR
    text = "上半年全州下达直达资金40.89亿元，支出达到25.86亿元，支出进度达到{p}%。\n"
    ex, found = _run(text.format(p="63.2"), title)
    ratios = [r for r in ex.relations if r.kind == RelationKind.RATIO and r.parts]
    assert len(ratios) == 1 and _codes(found) == []
    _, found = _run(text.format(p="62.3"), title)
    assert [(c, p) for c, _, p in _codes(found)] == [("YS205", "62.3")]


def test_progress_of_a_figure_against_an_earlier_sentence_is_not_related() -> None:
    title = MID_YEAR
    text = "全州下达直达资金40.89亿元。全州三保累计支出62.63亿元，三保支出进度53.24%。\n"
    ex, found = _run(text, title)
    assert [r for r in ex.relations if r.kind == RelationKind.RATIO and r.parts] == []
    assert _codes(found) == []


def test_figure_repeated_in_a_later_section_must_agree() -> None:
    title = MID_YEAR
    text = ("2024年，自治区财政厅下达昌吉州新增地方政府债务限额 120.5 亿元，其中：新增一般债务 27 亿元，"
            "新增专项债务 93.5 亿元。\n\n（三）强化债务管理。提前谋划债券项目，自治区下达我州2024年新增"
            "地方政府债务限额{x}亿元。\n")
    assert _codes(_run(text.format(x="120.5"), title)[1]) == []
    assert _codes(_run(text.format(x="102.5"), title)[1]) == [("YS207", "120.5", "102.5")]


def test_a_stated_difference_reads_a_bare_figure_at_its_paragraph_precision() -> None:
    text = ("在市人民代表大会上报告的预算执行情况中，市级一般公共预算支出完成92亿元，决算数为{x}亿元，"
            "增加3.16亿元；社会保险基金预算支出完成31.05亿元，决算数为29.8亿元，减少1.25亿元。\n")
    assert _codes(_run(text.format(x="95.16"))[1]) == []
    # 92 beside 95.16 is 92.00: 95.19 − 92.00 = 3.19, not 3.16
    assert [c for c, _, _ in _codes(_run(text.format(x="95.19"))[1])] == ["YS204"]


def test_a_list_of_whole_wan_figures_adds_up_exactly() -> None:
    text = ("（六）转移支付执行情况说明。市本级专项转移支付决算数为 7,214 万元。\n\n专项转移支付收入："
            "一般公共服务 3,113 万元；国防 631 万元；公共安全 1,528 万元；科学技术 {x} 万元。\n")
    assert _codes(_run(text.format(x="1,942"))[1]) == []
    # 4 万元 apart: within the ±2 万元 four rounded parts would allow, but these are whole 万元
    assert _codes(_run(text.format(x="1,946"))[1]) == [("YS201", "7218", "7214")]


def test_a_part_equal_to_the_sum_of_earlier_parts_is_their_sibling() -> None:
    text = ("全市国有资本经营预算收入{x}万元，其中：市县（区）收入60万元，为预算的15.6%；自治区转移支付"
            "95万元；上年结转155万元。国有资本经营预算支出257万元，为调整预算的82.9%。\n")
    assert _codes(_run(text.format(x="310"))[1]) == []
    # 60 + 95 = 155 by chance: 上年结转 is not made of the two figures before it
    assert _codes(_run(text.format(x="380"))[1]) == [("YS201", "310", "380")]


def test_a_figure_stated_as_not_occurred_is_a_nil_part() -> None:
    text = ("1-6 月，州本级一般公共预算支出完成 27.99 亿元，为预算的 26.19%，比上年同期增长 26.6%。"
            "州本级政府性基金预算支出完成 3.02 亿元，为预算的 81.84%，比上年同期增长 382.33%。"
            "州本级国有资本经营预算支出数据上半年暂未发生。州本级地方财政支出完成 {x} 亿元，为预算的"
            " 28%，比上年同期增长 36.49%。\n")
    ex, found = _run(text.format(x="31.01"), MID_YEAR)
    nil = [f for f in ex.facts if f.indicator == "国有资本经营预算支出"]
    assert [(str(f.amount.value), f.source.quote) for f in nil] == [
        ("0", "州本级国有资本经营预算支出数据上半年暂未发生")]
    assert all(f.source.derived for f in nil)  # read from words, and the ledger says so
    assert _codes(found) == []
    assert ("YS201", "31.01", "31.91") in _codes(_run(text.format(x="31.91"), MID_YEAR)[1])


def test_a_change_against_the_named_prior_year_is_a_yearly_change() -> None:
    text = ("2023 年，中卫市级“三公”经费支出 1,256.25 万元。其中：因公出国（境）费 5.52 万元，为预算数的"
            " 91.69%，较 2022 年增长 5.52 万元。2023 年市本级“三公”经费较 2019 年决算数下降 20.2%，"
            "较 2019 年下降 2.2 万元。\n")
    ex, _ = _run(text)
    trips = [f for f in ex.facts if f.indicator.startswith("因公出国")]
    assert [(str(f.yoy_abs), f.yoy_pct) for f in trips] == [("5.52万元", None)]
    assert not any(f.yoy_abs is not None and f.yoy_abs.value == -2 for f in ex.facts)


def test_what_the_reserve_was_mainly_used_for_cannot_exceed_it() -> None:
    text = ("2023年市本级预算安排预备费5000万元，在预算执行中由于部分新增支出项目，故动用预备费，主要用于"
            "企业退休人员取暖费{x}万元，市属医疗卫生机构医护人员临时性工作补贴353.26万元。\n")
    assert _codes(_run(text.format(x="4646.74"))[1]) == []
    assert [c for c, _, _ in _codes(_run(text.format(x="4696.74"))[1])] == ["YS202"]
