"""Table extraction on small inline tables: one behaviour per test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from yusuan.extract.context import detect_context
from yusuan.extract.table_cells import (
    is_amount,
    is_decimal_amount,
    is_misgrouped,
    normalize_code,
    parse_number,
    strip_prefix,
)
from yusuan.extract.tables import extract_tables, table_problems
from yusuan.model import Book, ColumnKind, Document, Period, Scope, Stage, Unit
from yusuan.read.base import make_document


def doc(text: str) -> Document:
    """A document from text: ``|`` stands for a tab (a cell boundary)."""
    text = text.replace("|", "\t")
    return make_document(text.encode("utf-8"), "t.txt", "txt", text)


def run(text: str):
    d = doc(text)
    tables, facts, claimed = extract_tables(d, None)
    return d, tables, facts, claimed


def cells(row) -> list[str]:
    return [c.text for c in row.cells]


GENERAL = """\
一、一般公共预算收入情况
预算收入增长较快。

表 1

2024 年乌苏市本级一般公共预算收入表

单位：万元

科目编码|项 目|2023 年预算数|2024 年预算数|比上年预算 数增(减)%
101|一、税收收入|73100|90000|23.12%
10101|增值税|29400|39540|34.49%

科目编码|项 目|2023 年预算数|2024 年预算数|比上年预算 数增(减)%
10104|企业所得税|||
|一般公共预算收入合计|110168|150000|36.16%

二、政府性基金预算
基金收入下降。
"""


def test_numbered_table_title_unit_columns_and_rows() -> None:
    _, tables, _, _ = run(GENERAL)
    (t,) = tables
    assert (t.number, t.title, t.unit, t.book, t.scope) == (
        "表1", "2024 年乌苏市本级一般公共预算收入表", "万元", Book.GENERAL, Scope.OWN)
    assert [(c.name, c.kind) for c in t.columns] == [
        ("科目编码", ColumnKind.CODE),
        ("项目", ColumnKind.NAME),
        ("2023年预算数", ColumnKind.AMOUNT),
        ("2024年预算数", ColumnKind.AMOUNT),
        ("比上年预算数增(减)%", ColumnKind.GROWTH),
    ]
    assert [(c.year, c.stage) for c in t.value_columns[:2]] == [
        (2023, Stage.BUDGET), (2024, Stage.BUDGET)]
    # the repeated header after the page break is no row
    assert [(r.code, r.name, r.total) for r in t.rows] == [
        ("101", "一、税收收入", False),
        ("10101", "增值税", False),
        ("10104", "企业所得税", False),
        (None, "一般公共预算收入合计", True),
    ]
    assert cells(t.rows[2]) == ["", "", ""]
    assert [c.value for c in t.rows[2].cells] == [None, None, None]
    assert t.rows[0].cells[2].value == Decimal("23.12")


def test_claims_every_table_line_and_no_prose() -> None:
    d, tables, _, claimed = run(GENERAL)
    number = {ln.text.strip(): ln.number for ln in d.lines if ln.text.strip()}
    assert number["表 1"] in claimed
    assert number["单位：万元"] in claimed
    assert tables[0].line_end == max(claimed)
    for prose in ("预算收入增长较快。", "二、政府性基金预算", "基金收入下降。"):
        assert number[prose] not in claimed


def test_cell_facts_with_source_stage_period_and_growth() -> None:
    d, _, facts, _ = run(GENERAL)
    got = [
        (f.indicator, f.code, f.stage, str(f.period), f.amount.value, f.amount.unit, f.yoy_pct,
         f.scope, f.book, f.government, f.table, f.column, f.row)
        for f in facts
    ]
    assert got[:2] == [
        ("税收收入", "101", Stage.BUDGET, "2023", Decimal("73100"), Unit.WAN, None,
         Scope.OWN, Book.GENERAL, "乌苏市", "表1", "2023年预算数", 0),
        ("税收收入", "101", Stage.BUDGET, "2024", Decimal("90000"), Unit.WAN, Decimal("23.12"),
         Scope.OWN, Book.GENERAL, "乌苏市", "表1", "2024年预算数", 0),
    ]
    assert len(facts) == 6  # blank cells make no facts; growth cells are no money facts
    for f in facts:
        assert d.text[f.source.start : f.source.end] == f.source.quote
        assert f.source.quote == str(f.amount.value)
        assert d.lines[f.source.line - 1].start <= f.source.start


def test_wrapped_two_level_header() -> None:
    _, (t,), facts, _ = run("""\
表 15
2024 年乌苏市国有资本经营预算收入表
单位：万元
科目编 码|科目名称 / 企业|2023 年完成数|||2024 年预算数|||预算数为上年 完成数的%
||小计|乌苏市本 级|乌苏市本 级以下|小计|乌苏市本 级|乌苏市本 级以下|
1030601|一、利润收入|370|370||575.00|575.00||55.41%
|收入合计|469|469||789|789||68.23%
""")
    assert [c.name for c in t.columns] == [
        "科目编码", "科目名称/企业",
        "2023年完成数/小计", "2023年完成数/乌苏市本级", "2023年完成数/乌苏市本级以下",
        "2024年预算数/小计", "2024年预算数/乌苏市本级", "2024年预算数/乌苏市本级以下",
        "预算数为上年完成数的%",
    ]
    # the data show the percent column holds growth rates (575/370 - 1 = 55.41%)
    assert t.columns[-1].kind is ColumnKind.GROWTH
    assert [c.scope for c in t.value_columns[:3]] == [None, Scope.OWN, "乌苏市本级以下"]
    assert [(f.column, f.stage, f.scope, f.yoy_pct) for f in facts[:4]] == [
        ("2023年完成数/小计", Stage.EXECUTION, Scope.WHOLE, None),
        ("2023年完成数/乌苏市本级", Stage.EXECUTION, Scope.OWN, None),
        ("2024年预算数/小计", Stage.BUDGET, Scope.WHOLE, Decimal("55.41")),
        ("2024年预算数/乌苏市本级", Stage.BUDGET, Scope.OWN, None),
    ]
    assert t.rows[-1].total and t.rows[-1].name == "收入合计"


def test_empty_table_stated_in_a_note() -> None:
    d, (t,), facts, claimed = run("""\
表 7
2024 年乌苏市对下转移支付安排情况表
单位：万元
科目编码|项 目|2024 年预算数
23001|一、返还性支出|
|合计|

备注：乌苏市无对下转移支付，此表为空。

四、其他说明
""")
    assert (t.empty, len(t.rows), t.notes) == (True, 2, ("备注：乌苏市无对下转移支付，此表为空。",))
    assert facts == []
    note = next(ln.number for ln in d.lines if ln.text.startswith("备注"))
    prose = next(ln.number for ln in d.lines if ln.text.startswith("四、"))
    assert note in claimed and prose not in claimed


def test_all_blank_table_without_note_is_not_empty() -> None:
    _, (t,), _, _ = run("""\
表 26
2024 年乌苏市本级社会保险基金预算结余表
单位：万元
科目编码|项目|2024 年预算数
23009|社会保险基金年终结余合计|
""")
    assert (t.empty, len(t.rows)) == (False, 1)


SPACE = """\
2024年昌吉回族自治州财政局部门预算

表 3
部门支出总体情况表
编制部门：昌吉回族自治州财政局 单位：万元

科目 支出预算

功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出

类 款 项

※ ※ ※ ※ 1 2 3

总计 2,400.54 1,521.66 878.89

201 一般公共服务支出 2,400.54 1,521.66 878.89

201 06 财政事务 2,400.54 1,521.66 878.89

201 06 01 行政运行 1,521.66 1,521.66

201 06 02 一般行政管理事务 878.89 878.89

第三部分 情况说明
"""


def test_space_separated_rows_split_codes_and_thousands() -> None:
    d, (t,), facts, claimed = run(SPACE)
    assert (t.number, t.title, t.unit, t.scope) == ("表3", "部门支出总体情况表", "万元", Scope.OWN)
    assert [c.name for c in t.columns] == [
        "科目/功能分类科目编码/类", "科目/功能分类科目编码/款", "科目/功能分类科目编码/项",
        "科目/功能分类科目名称", "支出预算/合计", "支出预算/基本支出", "支出预算/项目支出"]
    assert [(r.code, r.code_printed, r.name) for r in t.rows] == [
        (None, None, "总计"),
        ("201", "201", "一般公共服务支出"),
        ("20106", "201 06", "财政事务"),
        ("2010601", "201 06 01", "行政运行"),
        ("2010602", "201 06 02", "一般行政管理事务"),
    ]
    assert t.rows[0].total
    assert [c.value for c in t.rows[0].cells] == [
        Decimal("2400.54"), Decimal("1521.66"), Decimal("878.89")]
    # the code hierarchy places the second value of each child: 行政运行 is
    # 基本支出, 一般行政管理事务 is 项目支出 (their sums give the parent's)
    assert cells(t.rows[3]) == ["1,521.66", "1,521.66", ""]
    assert cells(t.rows[4]) == ["878.89", "", "878.89"]
    assert all(not r.unplaced for r in t.rows)
    f = next(f for f in facts if f.code == "2010602" and f.column == "支出预算/项目支出")
    assert (f.amount.value, f.source.quote, f.period, f.stage) == (
        Decimal("878.89"), "878.89", Period(2024), Stage.BUDGET)
    assert d.text[f.source.start : f.source.end] == "878.89"
    last = next(ln.number for ln in d.lines if ln.text.startswith("第三部分"))
    assert last not in claimed


def test_space_values_that_the_text_cannot_place_stay_unplaced() -> None:
    _, (t,), facts, _ = run("""\
2024年某局部门预算
表 10
2024年财政拨款“三公”经费支出情况表
编制部门：某局 单位：万元
“三公”经费支出内容 合计 一般公共预算 政府性基金 国有资本经营预算
※ 1 2 3 4
合计 31.60 31.60
公务接待费 2.40 2.40
""")
    row = t.rows[0]
    assert cells(row) == ["31.60", "", "", ""]
    assert [c.text for c in row.unplaced] == ["31.60"]
    # only the placed value is a fact
    assert [(f.indicator, f.column, f.amount.value) for f in facts] == [
        ("合计", "合计", Decimal("31.60")), ("公务接待费", "合计", Decimal("2.40"))]


def test_space_values_left_open_are_reported_as_a_problem() -> None:
    d, tables, _, _ = run("""\
2024年某局部门预算
表 10
2024年财政拨款“三公”经费支出情况表
编制部门：某局 单位：万元
“三公”经费支出内容 合计 一般公共预算 政府性基金 国有资本经营预算
※ 1 2 3 4
合计 31.60 31.60
因公出国（境）费
公务接待费 2.40 2.40
""")
    got = [(p.code, p.line, p.file) for p in table_problems(d, tables)]
    assert got == [("extract.table_ambiguous", 7, "t.txt")]
    # a table that places every value has no problem
    _, placed, _, _ = run(SPACE)
    assert table_problems(d, placed) == []


def _space_row(text: str, line_start: str) -> list[str]:
    _, (t,), _, _ = run(text)
    (row,) = [r for r in t.rows if r.code_printed == line_start or r.name == line_start]
    return cells(row) + ["|"] + [c.text for c in row.unplaced]


def test_a_changed_figure_keeps_its_column() -> None:
    """A misprinted figure no longer lets the children add up to their parent;
    it still lands in the column the rest of the table gives it (so a check
    can report it) rather than being left unplaced."""
    # the second value of 行政运行 changed: 基本支出 is off by 3, 项目支出 adds up
    text = SPACE.replace("行政运行 1,521.66 1,521.66", "行政运行 1,521.66 1,524.66")
    assert _space_row(text, "201 06 01") == ["1,521.66", "1,524.66", "", "|"]
    assert _space_row(text, "201 06 02") == ["878.89", "", "878.89", "|"]
    # the parent's 项目支出 changed: its children still go where they add up best
    text = SPACE.replace("财政事务 2,400.54 1,521.66 878.89", "财政事务 2,400.54 1,521.66 872.89")
    assert _space_row(text, "201 06 01") == ["1,521.66", "1,521.66", "", "|"]
    assert _space_row(text, "201 06 02") == ["878.89", "", "878.89", "|"]


def test_a_placement_that_two_columns_fit_equally_stays_unplaced() -> None:
    # both children 100.00: either could be 基本支出, the other 项目支出
    assert _space_row(_TWO_KIDS, "201 06 01") == ["100.00", "", "", "|", "100.00"]


def test_one_open_column_places_a_value_whatever_the_sums_say() -> None:
    # the parent's 项目支出 is 0.00: 基本支出 is the only column left for the
    # children's second values, even though 100.00 + 170.00 is not 200.00
    text = _TWO_KIDS.replace("财政事务 200.00 100.00 100.00", "财政事务 200.00 200.00 0.00")
    text = text.replace("一般行政管理事务 100.00 100.00", "一般行政管理事务 100.00 170.00")
    assert _space_row(text, "201 06 01") == ["100.00", "100.00", "", "|"]
    assert _space_row(text, "201 06 02") == ["100.00", "170.00", "", "|"]


def test_a_child_with_one_place_left_is_placed_when_its_siblings_are_not() -> None:
    text = """\
表 3
部门支出总体情况表
单位：万元
科目 支出预算
功能分类科目名称 合计 甲 乙 丙
※ ※ ※ ※ 1 2 3 4
总计 300.00 100.00 200.00 0.00
201 一般公共服务支出 100.00 50.00 50.00
202 外交支出 100.00 100.00
203 国防支出 100.00 100.00
"""
    # 甲 and 乙 are the only columns the total leaves open: 201's two values
    assert _space_row(text, "201") == ["100.00", "50.00", "50.00", "", "|"]
    # 202 and 203 fit no placement of their second values better than another
    assert _space_row(text, "202") == ["100.00", "", "", "", "|", "100.00"]


_TWO_KIDS = """\
表 3
部门支出总体情况表
单位：万元
科目 支出预算
功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出
类 款 项
※ ※ ※ ※ 1 2 3
总计 200.00 100.00 100.00
201 一般公共服务支出 200.00 100.00 100.00
201 06 财政事务 200.00 100.00 100.00
201 06 01 行政运行 100.00 100.00
201 06 02 一般行政管理事务 100.00 100.00
"""


def test_a_total_row_with_a_zero_column_closes_it() -> None:
    _, (t,), _, _ = run("""\
表 10
财政拨款“三公”经费支出情况表
单位：万元
“三公”经费支出内容 合计 一般公共预算 政府性基金
※ 1 2 3
合计 31.60 31.60 0.00
公务接待费 2.40 2.40
""")
    assert [cells(r) for r in t.rows] == [["31.60", "31.60", "0.00"], ["2.40", "2.40", ""]]
    assert all(not r.unplaced for r in t.rows)


def test_two_sided_sources_on_the_left_name_the_columns_on_the_right() -> None:
    """财政拨款收支总表: the right side splits spending by the sources the left
    side lists; a source the left leaves blank funds nothing, so a right row
    with 合计 and one more value has that value in the one source left."""
    _, (t,), facts, _ = run("""\
2024年某局部门预算
表 4
财政拨款收支预算总体情况表
编制部门：某局 单位：万元
财政拨款收入 财政拨款支出
项目 合计 支出功能分类 合计
一般公共预
算
政府性基金
预算
国有资本经
营预算
一、财政拨款（补助） 2,211.66 201 一般公共服务支出 1,796.65 1,796.65
一般公共预算 2,211.66 202 外交支出
政府性基金预算 203 国防支出
国有资本经营预算 204 公共安全支出
208 社会保障和就业支出 221.70 221.70
收入总计 2,211.66 支出总计 2,211.66 2,219.66
""")
    assert [c.name for c in t.value_columns][2:] == [
        "财政拨款支出/合计", "财政拨款支出/一般公共预算", "财政拨款支出/政府性基金预算",
        "财政拨款支出/国有资本经营预算"]
    assert [cells(r)[2:] for r in t.rows if r.cells[2].value is not None] == [
        ["1,796.65", "1,796.65", "", ""],
        ["221.70", "221.70", "", ""],
        ["2,211.66", "2,219.66", "", ""],  # a changed figure too
    ]
    assert all(not r.unplaced for r in t.rows)
    got = {(f.code, f.column, f.amount.value) for f in facts if f.code == "208"}
    assert got == {("208", "财政拨款支出/合计", Decimal("221.70")),
                   ("208", "财政拨款支出/一般公共预算", Decimal("221.70"))}


def test_wrapped_space_row_code_name_and_amounts_on_separate_lines() -> None:
    _, (t,), _, _ = run("""\
表 2
部门支出表
单位：万元
功能分类科目名称 合计
※ ※ ※ ※ 1
208 05 05
机关事业单位基本养老保险缴
费支出
144.20
""")
    assert [(r.code, r.code_printed, r.name, cells(r)) for r in t.rows] == [
        ("2080505", "208 05 05", "机关事业单位基本养老保险缴费支出", ["144.20"])]


def test_two_sided_tab_table() -> None:
    _, (t,), facts, _ = run("""\
表 17
2024 年乌苏市本级国有资本经营预算收支总表
单位：万元
收入|||支出||
项目|2023 年完成数|2024 年预算数|项目|2023 年完成数|2024 年预算数
一、利润收入|370|575|一、解决历史遗留问题及改革成本支出|6|6
|||结转下年|208|
收入总计|469|789|支出总计|469|789
""")
    assert [(c.name, c.side) for c in t.value_columns] == [
        ("收入/2023年完成数", "收入"), ("收入/2024年预算数", "收入"), ("支出/项目", "支出"),
        ("支出/2023年完成数", "支出"), ("支出/2024年预算数", "支出")]
    assert [(r.name, r.total) for r in t.rows] == [
        ("一、利润收入", False), ("", False), ("收入总计", True)]
    got = [(f.indicator, f.column, f.amount.value) for f in facts if f.row == 1]
    assert got == [("结转下年", "支出/2023年完成数", Decimal("208"))]
    assert facts[2].indicator == "解决历史遗留问题及改革成本支出"


def test_two_sided_space_table() -> None:
    _, (t,), facts, _ = run("""\
2024年某局部门预算
表 1
部门收支总体情况表
编制部门：某局 单位：万元
收入 支出
项目 预算数 支出功能分类 预算数
一、本年收入 2,326.66 201 一般公共服务支出 1,985.54
上级补助收入 204 公共安全支出
230 转移性支出
收 入 总 计 2,400.54 支 出 总 计 2,400.54
""")
    assert [(r.name, cells(r)) for r in t.rows] == [
        ("一、本年收入", ["2,326.66", "201 一般公共服务支出", "1,985.54"]),
        ("上级补助收入", ["", "204 公共安全支出", ""]),
        ("", ["", "230 转移性支出", ""]),
        ("收入总计", ["2,400.54", "支 出 总 计", "2,400.54"]),
    ]
    assert t.rows[-1].total
    right = [(f.indicator, f.code, f.amount.value) for f in facts if f.column == "支出/预算数"]
    assert right == [("一般公共服务支出", "201", Decimal("1985.54")),
                     ("支出总计", None, Decimal("2400.54"))]


def test_region_rows_and_debt_stages() -> None:
    _, (t,), facts, _ = run("""\
表 28
2023 年乌苏市地方政府一般债务限额、余额情况表
单位：亿元
行政区划名称|一般债务限额总额|其中：新增一般债务限额|一般债务余额 预计执行
乌苏市|28.83|3.37|24.81
""")
    assert (t.unit, t.book, [r.total for r in t.rows]) == ("亿元", Book.GENERAL, [False])
    assert [(f.indicator, f.government, f.scope, f.stage, str(f.period), f.amount.unit)
            for f in facts] == [
        ("一般债务限额总额", "乌苏市", Scope.WHOLE, Stage.LIMIT, "2023", Unit.YI),
        ("新增一般债务限额", "乌苏市", Scope.WHOLE, Stage.LIMIT, "2023", Unit.YI),
        ("一般债务余额预计执行", "乌苏市", Scope.WHOLE, Stage.BALANCE, "2023", Unit.YI),
    ]


def test_unnumbered_list_table() -> None:
    d, tables, facts, claimed = run("""\
三、资金安排使用情况
2024年中央财政衔接推进乡村振兴补助资金分配情况表
序号|项目名称|建设地点|投资规模|责任单位
1|乌苏市温室育苗大棚建设项目|党家庄村|79.71|八十四户乡人民政府
2|乌苏市斗渠建设项目|四棵树镇|375|四棵树镇人民政府
备注：每个具体项目建设情况由责任单位另行公告公示。
后附：1、分配情况表
""")
    (t,) = tables
    assert (t.number, t.unit, [c.kind for c in t.columns]) == (
        None, None,
        [ColumnKind.SEQ, ColumnKind.NAME, ColumnKind.TEXT, ColumnKind.AMOUNT, ColumnKind.TEXT])
    assert [(r.name, cells(r)[2]) for r in t.rows] == [
        ("乌苏市温室育苗大棚建设项目", "79.71"), ("乌苏市斗渠建设项目", "375")]
    assert facts == []  # no unit printed: no money facts
    first = next(ln.number for ln in d.lines if ln.text.startswith("三、"))
    after = next(ln.number for ln in d.lines if ln.text.startswith("后附"))
    assert first not in claimed and after not in claimed and t.line_start in claimed


def test_stage_names_in_row_sections() -> None:
    _, _, facts, _ = run("""\
表 34
2024 年乌苏市地方政府还本付息预计执行及本年度还本付息预算情况表
单位：亿元
项 目|乌苏市
一、上年度发行预计执行数|11.85
（一）一般债券|4.33
其中：再融资债券|0.96
二、本年度还本预算数|3.23
""")
    assert [(f.indicator, f.parent, f.stage, str(f.period)) for f in facts] == [
        ("上年度发行预计执行数", None, Stage.EXECUTION, "2023"),
        ("一般债券", "上年度发行预计执行数", Stage.EXECUTION, "2023"),
        ("再融资债券", "一般债券", Stage.EXECUTION, "2023"),
        ("本年度还本预算数", None, Stage.BUDGET, "2024"),
    ]


def test_balance_columns_are_at_year_end() -> None:
    _, _, facts, _ = run("""\
表 23
2024 年乌苏市社会保险基金预算结余表
单位：万元
科目编码|项 目|2023 年年末累计 结余预计数|2024 年年末累计结 余预算数
23009|社会保险基金年终结余合计|26054|29002
""")
    assert [(f.stage, f.period) for f in facts] == [
        (Stage.BALANCE, Period.at(date(2023, 12, 31))),
        (Stage.BALANCE, Period.at(date(2024, 12, 31))),
    ]


def test_token_helpers() -> None:
    assert normalize_code("201 06 01") == "2010601"
    assert normalize_code("301 99") == "30199"
    assert normalize_code("2010601") == "2010601"
    assert normalize_code("2023") is None
    assert normalize_code("201 2024") is None
    assert parse_number("2,400.54") == Decimal("2400.54")
    assert parse_number("-9.07%") == Decimal("-9.07")
    assert parse_number("6.00") == Decimal("6.00")
    assert parse_number("") is None and parse_number("10 年") is None
    assert strip_prefix("一、税收收入") == "税收收入"
    assert strip_prefix("（一）一般债券") == "一般债券"
    assert strip_prefix("1. 因公出国（境）费用") == "因公出国（境）费用"
    assert strip_prefix("其中：（1）公务用车运行维护费") == "公务用车运行维护费"
    assert strip_prefix("2023年会计考务费") == "2023年会计考务费"
    got = [(is_amount(t), is_decimal_amount(t), is_misgrouped(t))
           for t in ("1,985.54", "1,1985.54", "12,34", "201", "2023年")]
    assert got == [(True, True, False), (True, True, True), (True, True, True),
                   (True, False, False), (False, False, False)]


def test_a_misgrouped_number_is_a_value_and_a_problem() -> None:
    """"1,1985.54" (a digit added to "1,985.54") is still a printed amount:
    read as 11985.54 in its column, and reported."""
    text = SPACE.replace("财政事务 2,400.54 1,521.66", "财政事务 2,400.54 1,5121.66")
    d, tables, facts, _ = run(text)
    (t,) = tables
    assert cells(t.rows[2]) == ["2,400.54", "1,5121.66", "878.89"]
    f = next(f for f in facts if f.code == "20106" and f.column == "支出预算/基本支出")
    assert (f.amount.value, f.source.quote) == (Decimal("15121.66"), "1,5121.66")
    line = next(ln.number for ln in d.lines if "1,5121.66" in ln.text)
    assert [(p.code, p.line) for p in table_problems(d, tables)] == [
        ("extract.number_format", line)]


def test_runs_with_the_orchestrators_context() -> None:
    d = doc(GENERAL)
    tables, facts, _ = extract_tables(d, detect_context(d))
    assert (len(tables), len(facts)) == (1, 6)


def test_spreadsheet_rows_for_number_title_and_unit() -> None:
    """An XLSX/HTML reader renders the title and unit rows as tab lines with
    a single filled cell; they are still the table's number, title and unit."""
    _, (t,), facts, claimed = run("""\
表 9||
2024 年乌苏市政府性基金收入表||
||单位：万元
科目编码|项 目|2024 年预算数
1030148|国有土地使用权出让收入|78084
""")
    assert (t.number, t.title, t.unit, len(t.rows)) == (
        "表9", "2024 年乌苏市政府性基金收入表", "万元", 1)
    assert [(f.indicator, f.amount.value) for f in facts] == [
        ("国有土地使用权出让收入", Decimal("78084"))]
    assert claimed == {1, 2, 3, 4, 5}


def test_header_wrapped_over_two_lines_is_joined_not_levelled() -> None:
    _, (t,), _, _ = run("""\
表 2
2024 年乌苏市一般公共预算支出表
单位：万元
科目编码|项 目|2023 年预|2024 年预|比上年预算
||算数|算数|数增(减)%
201|一、一般公共服务支出|34170|28658|-16.13%
""")
    assert [c.name for c in t.value_columns] == ["2023年预算数", "2024年预算数", "比上年预算数增(减)%"]
    assert [(c.kind, c.year) for c in t.value_columns] == [
        (ColumnKind.AMOUNT, 2023), (ColumnKind.AMOUNT, 2024), (ColumnKind.GROWTH, None)]


def test_labels_in_other_columns_and_text_rows() -> None:
    """A 小计 name printed under 科目编码, 合计 under 序号, and text-only rows
    after a header with a trailing blank cell are rows, not header lines."""
    _, (t,), _, _ = run("""\
表 9
2024 年乌苏市政府性基金收入表
单位：万元
科目编码|项 目|2024 年预算数|
1030148|一、国有土地使用权出让收入|78084|
政府性基金收入小计||78084|
""")
    assert [(r.code, r.name, r.total) for r in t.rows] == [
        ("1030148", "一、国有土地使用权出让收入", False), (None, "政府性基金收入小计", True)]
    _, (t,), _, _ = run("""\
表 33
2023 年乌苏市地方政府新增债券使用情况表
单位：亿元
序号|区划|项目单位|项目名称|债券金额|
合计||||10.89|
1|654202-乌苏市|乌苏市交通运输局|乌苏市兵地融合道路建设项目|1.20|
""")
    assert [c.kind for c in t.columns[:5]] == [
        ColumnKind.SEQ, ColumnKind.TEXT, ColumnKind.TEXT, ColumnKind.NAME, ColumnKind.AMOUNT]
    assert [(r.name, r.total) for r in t.rows] == [
        ("合计", True), ("乌苏市兵地融合道路建设项目", False)]
    _, (t,), _, _ = run("""\
附件：
5项任务具体测算指标
序号|任务|因素1|
1|巩固拓展脱贫攻坚成果和乡村振兴任务|脱贫人口|
2|以工代赈任务|原深度贫困地区脱贫人口|
""")
    assert (t.number, t.title, len(t.rows)) == (None, "5项任务具体测算指标", 2)


ALLOCATION = """\
上级下达乌苏市补助资金300万元，现将有关资金安排情况公示如下：
三、资金安排使用情况
2024年补助资金分配情况表
序号|项目名称|建设地点|投资规模|责任单位
1|甲村道路项目|甲村|100|甲乡人民政府
2|乙村供水项目|乙村|200|乙乡人民政府
备注：每个项目由责任单位另行公示。
"""


def test_unit_of_a_list_inferred_from_the_stated_total() -> None:
    _, tables, facts, _ = run(ALLOCATION)
    (t,) = tables
    assert t.unit == "万元"
    assert any("单位未印出" in n and "第1行" in n for n in t.notes)
    assert [(f.indicator, f.column, f.amount.value, f.amount.unit, f.table) for f in facts] == [
        ("甲村道路项目", "投资规模", Decimal(100), Unit.WAN, "2024年补助资金分配情况表"),
        ("乙村供水项目", "投资规模", Decimal(200), Unit.WAN, "2024年补助资金分配情况表"),
    ]


def test_no_unit_and_no_facts_when_the_stated_total_differs() -> None:
    _, tables, facts, _ = run(ALLOCATION.replace("300万元", "301万元"))
    (t,) = tables
    assert (t.unit, facts) == (None, [])


def test_unnumbered_tables_with_one_title_get_distinct_labels() -> None:
    _, tables, facts, _ = run(ALLOCATION + "\n" + ALLOCATION)
    assert len(tables) == 2
    labels = sorted({f.table for f in facts})
    assert len(labels) == 2 and all(label.startswith("2024年补助资金分配情况表@L") for label in labels)


def test_subtotal_mark_is_not_part_of_the_indicator() -> None:
    _, _, facts, _ = run("""\
表 10
2024年财政拨款“三公”经费支出情况表
单位：万元
“三公”经费支出内容|合计
合计|31.60
公务用车购置及运行费（小计）|29.20
其中：公务用车运行费|29.20
""")
    assert [(f.indicator, f.parent) for f in facts] == [
        ("合计", None),
        ("公务用车购置及运行费", None),
        ("公务用车运行费", "公务用车购置及运行费"),
    ]


def test_project_rows_are_parts_of_their_item_not_the_item() -> None:
    """A project row prints its item's code; its fact is the project's, under
    the item, so it never reads as the item's own total."""
    _, _, facts, _ = run("""\
表 7
2024年一般公共预算项目支出情况表
单位：万元
科目编码|功能分类科目名称|项目名称|项目支出合计
2010602|一般行政管理事务|机关运行补助经费|157.00
2010602|一般行政管理事务|财政业务工作经费|152.00
""")
    assert [(f.indicator, f.code, f.parent, f.amount.value) for f in facts] == [
        ("机关运行补助经费", None, "一般行政管理事务", Decimal("157.00")),
        ("财政业务工作经费", None, "一般行政管理事务", Decimal("152.00")),
    ]


def test_carried_over_balances_are_at_the_end_of_the_year_before() -> None:
    _, _, facts, _ = run("""\
表 11
2024年上年结转结余情况明细表
单位：万元
项目名称|总计
办公楼维修改造经费|17.99
""")
    (f,) = facts
    assert (f.indicator, f.stage, f.period) == (
        "办公楼维修改造经费",
        Stage.BALANCE,
        Period.at(date(2023, 12, 31)),
    )
