"""YS1xx table rules: one passing and one failing case each, on hand-made tables."""

from __future__ import annotations

from tests.check.build import document, extraction, run, table
from yusuan.model import Book, ColumnKind, Severity

A, G, P, C = ColumnKind.AMOUNT, ColumnKind.GROWTH, ColumnKind.PERCENT, ColumnKind.CHANGE
COLS = [("2023年预算数", A), ("2024年预算数", A), ("比上年预算数增(减)%", G)]


def _revenue(tax_2024: str = "90000", growth: str = "23.12%", total: str = "97000"):  # type: ignore[no-untyped-def]
    doc = document(
        f"101\t一、税收收入\t73100\t{tax_2024}\t{growth}\n"
        "10101\t增值税\t29400\t39540\t34.49%\n"
        "10104\t企业所得税\t43700\t50460\t15.47%\n"
        "110\t二、转移性收入\t5000\t5000\t0.00%\n"
        "11001\t返还性收入\t5000\t5000\t0.00%\n"
        "11008\t上年结余收入\t1000\t2000\t100.00%\n"
        "\t一般公共预算收入合计\t79100\t" + total + "\t22.63%\n"
    )
    return extraction(doc, tables=[table(doc, COLS)])


def test_ys101_parent_equals_children() -> None:
    assert run(_revenue(), ["YS101"]) == ()


def test_ys101_child_misprinted() -> None:
    found = run(_revenue(tax_2024="91000", growth="24.49%", total="98000"), ["YS101"])
    assert [(f.code, f.expected, f.printed, f.sources[0].line) for f in found] == [
        ("YS101", "90000", "91000", 1)]


def test_ys101_partial_children_and_blank_parent() -> None:
    doc = document(
        "10211\t机关事业单位基本养老保险基金收入\t43580\t44747\n"
        "1021101\t其中：保险费收入\t21715\t23020\n"
        "1021102\t财政补贴收入\t11000\t11000\n"
        "11011\t地方政府一般债务收入\t\t\n"
        "1101101\t地方政府一般债务转贷收入\t9600\t18100\n"
    )
    found = run(extraction(doc, tables=[table(doc, COLS[:2])]), ["YS101"])
    # 其中 children need only stay within the parent; a blank parent is a notice
    assert [(f.code, f.severity, f.expected, f.printed) for f in found] == [
        ("YS101", Severity.NOTICE, "9600", "0"), ("YS101", Severity.NOTICE, "18100", "0")]


def test_ys102_total_with_balance_lines() -> None:
    # 110 covers only 11001; 11008 上年结余 is added to the total separately
    assert run(_revenue(), ["YS102"]) == ()


def test_ys102_total_misprinted() -> None:
    found = run(_revenue(total="97500"), ["YS102"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS102", "97000", "97500")]


def test_ys102_total_printed_first_and_subtotal_of_parts() -> None:
    doc = document(
        "\t合计\t31.60\n\t因公出国（境）费\t\n\t公务接待费\t2.40\n"
        "\t公务用车购置及运行费（小计）\t29.20\n\t其中：公务用车购置费\t\n\t公务用车运行费\t29.20\n")
    cols = [("合计", A)]
    ok = extraction(doc, tables=[table(doc, cols, title="三公经费表")])
    assert run(ok, ["YS102"]) == ()
    bad_doc = document(doc.text.replace("31.60", "33.60"))
    found = run(extraction(bad_doc, tables=[table(bad_doc, cols, title="三公经费表")]), ["YS102"])
    assert [(f.code, f.printed) for f in found] == [("YS102", "33.60")]


def test_ys103_growth_column_agrees() -> None:
    assert run(_revenue(), ["YS103"]) == ()


def test_ys103_growth_cell_wrong_and_truncated() -> None:
    found = run(_revenue(growth="32.12%"), ["YS103"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS103", "23.119", "32.12")]
    cut = run(_revenue(growth="23.11%"), ["YS103"])
    assert [(f.code, f.severity) for f in cut] == [("YS103", Severity.NOTICE)]


def test_ys103_new_item_printed_100() -> None:
    doc = document("10118\t耕地占用税\t\t500\t100%\n10119\t契税\t3000\t\t-100%\n")
    assert run(extraction(doc, tables=[table(doc, COLS)]), ["YS103"]) == ()


def test_ys103_new_item_printed_other_than_100() -> None:
    # from blank to 500 only 100% (the templates' convention) can be printed; 150% cannot
    doc = document("10118\t耕地占用税\t\t500\t150%\n10119\t契税\t0\t9\t100.00%\n")
    found = run(extraction(doc, tables=[table(doc, COLS)]), ["YS103"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS103", "100.0", "150")]


def _header_case(header: str):  # type: ignore[no-untyped-def]
    doc = document("1030148\t国有土地使用权出让收入\t52624\t78084\t48.38%\n"
                   "1030156\t城市基础设施配套费收入\t8803\t6891\t-21.72%\n"
                   "1030178\t污水处理费收入\t1240\t1170\t-5.65%\n")
    kind = G if "增" in header else P
    return extraction(doc, tables=[table(doc, [COLS[0], COLS[1], (header, kind)])])


def test_ys104_header_matches_values() -> None:
    assert run(_header_case("比上年增减%"), ["YS104", "YS103"]) == ()


def test_ys104_header_says_ratio_values_are_growth() -> None:
    found = run(_header_case("预算数为上年完成数的%"), ["YS104", "YS103"])
    assert [f.code for f in found] == ["YS104"]


def _change_case(change: str):  # type: ignore[no-untyped-def]
    doc = document(f"\t合计\t1341\t1337\t{change}\n")
    return extraction(doc, tables=[table(doc, [COLS[0], COLS[1], ("增减额", C)])])


def test_ys105_change_column() -> None:
    assert run(_change_case("-4"), ["YS105"]) == ()
    assert [(f.code, f.expected) for f in run(_change_case("4"), ["YS105"])] == [("YS105", "-4")]


def _named(name: str, code: str = "50401"):  # type: ignore[no-untyped-def]
    doc = document(f"{code}\t{name}\t10\t20\n")
    return extraction(doc, tables=[table(doc, COLS[:2], title="经济分类表")], year=2024)


def test_ys106_official_name() -> None:
    assert run(_named("房屋建筑物购建"), ["YS106"]) == ()
    found = run(_named("房屋建筑物构建"), ["YS106"])
    assert [(f.code, f.expected, f.printed) for f in found] == [
        ("YS106", "房屋建筑物购建", "房屋建筑物构建")]


def test_ys107_code_of_name() -> None:
    assert run(_named("用于教育事业的彩票公益金支出", "2296004"), ["YS107"]) == ()
    found = run(_named("用于教育事业的彩票公益金支出", "2290604"), ["YS107"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS107", "2296004", "2290604")]


def _two_tables(name2: str):  # type: ignore[no-untyped-def]
    doc = document(f"2296013\t用于城乡医疗救助的彩票公益金支出\t1\t4\n2296013\t{name2}\t1\t4\n")
    t1 = table(doc, COLS[:2], number="表10", first_line=1, last_line=1)
    t2 = table(doc, COLS[:2], number="表12", first_line=2, last_line=2)
    return extraction(doc, tables=[t1, t2])


def test_ys108_name_elsewhere() -> None:
    assert run(_two_tables("用于城乡医疗救助的彩票公益金支出"), ["YS108"]) == ()
    found = run(_two_tables("用于城乡医疗救助的的彩票公益金支出"), ["YS108"])
    assert [(f.code, f.printed) for f in found] == [("YS108", "用于城乡医疗救助的的彩票公益金支出")]


def test_ys109_duplicate_code() -> None:
    doc = document("2121399\t其他支出\t3563\t4877\n2121303\t公有房屋\t\t87\n2121399\t其他支出\t\t\n")
    assert [f.code for f in run(extraction(doc, tables=[table(doc, COLS[:2])]), ["YS109"])] == [
        "YS109"]
    projects = document("2010602\t一般行政管理事务\t机关运行经费\t157\n"
                        "2010602\t一般行政管理事务\t绩效管理\t102\n")
    t = table(projects, [("项目名称", ColumnKind.TEXT), ("合计", A)])
    assert run(extraction(projects, tables=[t]), ["YS109"]) == ()


def _versions(own_code: str, own_2023: str = "3563"):  # type: ignore[no-untyped-def]
    doc = document(
        "2121301\t城市公共设施\t5240\t1927\n2121302\t城市环境卫生\t3563\t4877\n"
        "2121399\t其他支出\t\t\n"
        f"2121301\t城市公共设施\t5240\t1927\n{own_code}\t城市环境卫生\t{own_2023}\t4877\n")
    whole = table(doc, COLS[:2], number="表10", title="2024年甲市政府性基金支出表",
                  book=Book.FUND, first_line=1, last_line=3)
    own = table(doc, COLS[:2], number="表12", title="2024年甲市本级政府性基金支出表",
                book=Book.FUND, first_line=4, last_line=5)
    return extraction(doc, tables=[whole, own])


def test_ys110_own_within_whole() -> None:
    assert run(_versions("2121302"), ["YS110"]) == ()
    found = run(_versions("2121302", own_2023="4563"), ["YS110"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS110", "3563", "4563")]


def test_ys111_code_between_versions() -> None:
    assert run(_versions("2121302"), ["YS111"]) == ()
    found = run(_versions("2121399"), ["YS111"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS111", "2121302", "2121399")]


def _balanced(exp_total: str):  # type: ignore[no-untyped-def]
    doc = document(
        "\t政府性基金收入小计\t74486\t95263\n1100802\t上年结余收入\t85038\t35570\n"
        "1100902\t调入资金\t\t\n\t政府性基金收入合计\t159524\t130833\n"
        "\t政府性基金支出小计\t89954\t130833\n2300802\t调出资金\t33202\t\n"
        f"2300902\t年终结余\t36368\t\n\t政府性基金支出合计\t{exp_total}\t130833\n")
    rev = table(doc, COLS[:2], number="表9", title="2024年甲市政府性基金收入表", book=Book.FUND,
                first_line=1, last_line=4)
    exp = table(doc, COLS[:2], number="表10", title="2024年甲市政府性基金支出表", book=Book.FUND,
                first_line=5, last_line=8)
    return extraction(doc, tables=[rev, exp])


def test_ys112_balanced_tables() -> None:
    assert run(_balanced("159524"), ["YS112"]) == ()
    found = run(_balanced("235793"), ["YS112"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS112", "159524", "235793")]


def _fe(econ_total: str):  # type: ignore[no-untyped-def]
    doc = document("201\t一般公共服务支出\t100\t120\n\t一般公共预算支出合计\t100\t120\n"
                   f"501\t机关工资福利支出\t100\t120\n\t合计\t100\t{econ_total}\n")
    f = table(doc, COLS[:2], number="表4", title="2024年甲市本级一般公共预算支出表",
              first_line=1, last_line=2)
    e = table(doc, COLS[:2], number="表6", title="2024年甲市本级一般公共预算支出经济分类表",
              first_line=3, last_line=4)
    return extraction(doc, tables=[f, e])


def test_ys113_function_and_economic_totals() -> None:
    assert run(_fe("120"), ["YS113"]) == ()
    assert [(f.code, f.printed) for f in run(_fe("125"), ["YS113"])] == [("YS113", "125")]


def _row_total(total: str):  # type: ignore[no-untyped-def]
    doc = document(f"2010602\t一般行政管理事务\t{total}\t\t600.07\n2010650\t事业运行\t321.87\t321.87\t\n")
    cols = [("支出预算/合计", A), ("支出预算/基本支出", A), ("支出预算/项目支出", A)]
    return extraction(doc, tables=[table(doc, cols, title="部门支出总体情况表")])


def test_ys114_row_total_column() -> None:
    assert run(_row_total("600.07"), ["YS114"]) == ()
    found = run(_row_total("609.07"), ["YS114"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS114", "600.07", "609.07")]


def test_two_sided_table_is_checked_per_side() -> None:
    from yusuan.model import Column

    def two(total: str):  # type: ignore[no-untyped-def]
        doc = document(f"一、利润收入\t370\t一、改革成本支出\t6\n收入合计\t370\t支出合计\t6\n"
                       f"上年结余\t99\t结转下年\t463\n收入总计\t469\t支出总计\t{total}\n")
        cols = [Column("收入/2023年完成数", A, 2023, side="收入"),
                Column("支出/项目", ColumnKind.TEXT, side="支出"),
                Column("支出/2023年完成数", A, 2023, side="支出")]
        t = table(doc, cols, title="国有资本经营预算收支总表", code_col=False)
        return extraction(doc, tables=[t])

    assert run(two("469"), ["YS102"]) == ()
    assert [(f.code, f.printed) for f in run(two("479"), ["YS102"])] == [("YS102", "479")]


def _outline(first: str):  # type: ignore[no-untyped-def]
    doc = document(f"一、本年收入\t{first}\n1.一般公共预算拨款\t2,211.66\n其中：一般财力\t2,211.66\n"
                   "上级转移支付\t\n2.单位资金\t115.00\n二、上年结转\t73.89\n1.财政拨款结转\t73.89\n"
                   "收入总计\t2,400.54\n")
    cols = [("预算数", A)]
    return extraction(doc, tables=[table(doc, cols, title="部门收支总体情况表", code_col=False)])


def test_ys115_outline_parent() -> None:
    assert run(_outline("2,326.66"), ["YS115", "YS102"]) == ()
    found = run(_outline("2,226.66"), ["YS115"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS115", "2326.66", "2226.66")]


def test_column_precision_from_its_finest_cells() -> None:
    # "1" beside "0.13" and "0.25" is 1.00: a total off by 0.9 is not rounding
    def case(total: str):  # type: ignore[no-untyped-def]
        doc = document(f"合计\t{total}\n项目甲\t0.13\n项目乙\t0.25\n项目丙\t1\n项目丁\t2\n")
        return extraction(doc, tables=[table(doc, [("债券金额", A)], title="债券项目表",
                                             unit="亿元", code_col=False)])

    assert run(case("3.38"), ["YS102"]) == ()
    assert [(f.code, f.expected) for f in run(case("4.28"), ["YS102"])] == [("YS102", "3.38")]


def _whole_wan(parent: str, unit: str = "万元", child: str = "39540"):  # type: ignore[no-untyped-def]
    doc = document(
        f"101\t一、税收收入\t73100\t{parent}\n"
        f"10101\t增值税\t29400\t{child}\n"
        "10104\t企业所得税\t43700\t50460\n"
    )
    return extraction(doc, tables=[table(doc, COLS[:2], unit=unit)])


def test_ys101_whole_wan_column_sums_exactly() -> None:
    # a whole-万元 column: the total is the sum of the printed rows, so 90000 passes and
    # 90001 (within the old ±1.5 of three rounded cells) is a finding with tolerance 0
    assert run(_whole_wan("90000"), ["YS101"]) == ()
    found = run(_whole_wan("90001"), ["YS101"])
    assert [(f.code, f.expected, f.printed, f.tolerance) for f in found] == [
        ("YS101", "90000", "90001", "0.0")]


def test_ys101_decimal_or_yi_columns_keep_the_rounding_interval() -> None:
    # 亿元 printed whole is too coarse to be exact; a column with decimals keeps its interval
    assert run(_whole_wan("90001", unit="亿元"), ["YS101"]) == ()
    assert run(_whole_wan("90000.5", child="39540.4"), ["YS101"]) == ()
    assert [f.code for f in run(_whole_wan("90003", child="39540.4"), ["YS101"])] == ["YS101"]


def test_whole_column() -> None:
    from yusuan.check.rules.tables import whole_column

    t = _whole_wan("90000").tables[0]
    assert (whole_column(t, 0), whole_column(t, 1)) == (True, True)
    t = _whole_wan("90000", child="39540.4").tables[0]
    assert (whole_column(t, 0), whole_column(t, 1)) == (True, False)
    assert whole_column(_whole_wan("90000", unit="亿元").tables[0], 0) is False


def _allocation(head: str = "20924", county: str = "9728"):  # type: ignore[no-untyped-def]
    """An allocation table: the prefecture unnumbered above its numbered counties, a total
    column headed 提前下达总规模 before its task columns, one of them with a 其中 (万元)."""
    doc = document(f"塔城地区\t\t{head}\t14636\t3354\t600\t2934\n"
                   f"托里县\t1\t{county}\t7538\t1434\t300\t756\n"
                   "裕民县\t2\t6380\t4306\t1060\t200\t1014\n"
                   "塔城市\t3\t4816\t2792\t860\t100\t1164\n")
    cols = [("序号", ColumnKind.SEQ), ("提前下达总规模", A), ("巩固拓展任务", A),
            ("以工代赈任务", A), ("其中：以工代赈劳务报酬", A), ("少数民族发展任务", A)]
    return extraction(doc, tables=[table(doc, cols, title="提前下达2024年补助资金分配表",
                                         code_col=False, book=None)])


def test_ys114_named_total_column_shown_by_its_rows() -> None:
    assert run(_allocation(), ["YS114"]) == ()
    found = run(_allocation(county="9738"), ["YS114"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS114", "9728", "9738")]


def test_ys114_named_total_column_not_shown_is_not_checked() -> None:
    # 总额 beside two unrelated columns: no row adds up, so no group and no finding
    doc = document("甲市\t28.83\t3.37\t24.81\n乙市\t10.00\t1.00\t8.00\n")
    cols = [("一般债务限额总额", A), ("新增一般债务限额", A), ("一般债务余额", A)]
    ex = extraction(doc, tables=[table(doc, cols, code_col=False, unit="亿元")])
    assert run(ex, ["YS114"]) == ()


def test_ys116_unnumbered_head_row() -> None:
    assert run(_allocation(), ["YS116"]) == ()
    found = run(_allocation(head="20984"), ["YS116"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS116", "20924", "20984")]
    found = run(_allocation(county="9738"), ["YS116"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS116", "20934", "20924")]


def test_ys116_head_row_that_is_no_total_is_not_checked() -> None:
    # the unnumbered row is the prefecture's own allocation: it totals no column
    doc = document("地区本级\t\t500\t300\n甲县\t1\t900\t400\n乙县\t2\t600\t350\n")
    cols = [("序号", ColumnKind.SEQ), ("资金/合计", A), ("资金/中央", A)]
    ex = extraction(doc, tables=[table(doc, cols, code_col=False, book=None)])
    assert run(ex, ["YS116"]) == ()


def test_ys102_whole_wan_total_compared_exactly() -> None:
    # 5 + 370 + 93 = 468, printed 469: in whole 万元 the rows' rounding does not excuse it
    doc = document("一、利润收入\t370\n收入合计\t370\n转移支付收入\t5\n上年结转\t93\n"
                   "收入总计\t469\n")
    ex = extraction(doc, tables=[table(doc, [("2023年完成数", A)], code_col=False,
                                       title="国有资本经营预算收入表")])
    assert [(f.code, f.expected, f.printed) for f in run(ex, ["YS102"])] == [
        ("YS102", "468", "469")]


def _twins(rate: str):  # type: ignore[no-untyped-def]
    """公务接待费 in the economic classification table and in the 三公 table."""
    doc = document("50206\t公务接待费\t451\t345\t-23.50%\n50209\t维修（护）费\t84\t155\t84.52%\n"
                   f"2. 公务接待费\t451\t345\t{rate}\n")
    t1 = table(doc, COLS, number="表6", title="一般公共预算基本支出表", first_line=1,
               last_line=2)
    t2 = table(doc, COLS, number="表27", title="“三公”经费预算表", code_col=False,
               first_line=3, last_line=3)
    return extraction(doc, tables=[t1, t2])


def test_ys117_same_item_same_rate() -> None:
    assert run(_twins("-23.50%"), ["YS117"]) == ()
    # -23.70% still fits 344.5 / 451.5 − 1 (YS103 allows it), but not the other table's rate
    assert run(_twins("-23.70%"), ["YS103"]) == ()
    found = run(_twins("-23.70%"), ["YS117"])
    assert [(f.code, f.expected, f.printed, f.sources[0].line) for f in found] == [
        ("YS117", "-23.50", "-23.70", 3)]


def _performance(total: str, own: str = "157.00"):  # type: ignore[no-untyped-def]
    """The funds block of a 项目支出绩效目标表: a 其中 list ending with 其他资金."""
    doc = document(f"年度预算总额\t{total}\n其中：财政拨款\t{own}\n其他资金\t105.00\n"
                   "服务区建筑面积\t\n")
    return extraction(doc, tables=[table(doc, [("金额", A)], title="项目支出绩效目标表",
                                         code_col=False, book=None)])


def test_ys115_qizhong_list_ending_with_qita_is_exhaustive() -> None:
    assert run(_performance("262.00"), ["YS115"]) == ()
    # 其中：财政拨款 152.00 + 其他资金 105.00 = 257.00 < 262.00: the catch-all 其他资金
    # makes the list the whole, so a shortfall is a finding too
    found = run(_performance("262.00", own="152.00"), ["YS115"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS115", "257.00", "262.00")]


def test_outline_qizhong_without_qita_stays_partial() -> None:
    from yusuan.check.rules._table import outline

    doc = document("（一）一般债券\t3.08\n其中：再融资\t1.81\n财政预算安排\t1.27\n")
    t = table(doc, [("金额", A)], code_col=False)
    assert outline(t.rows) == ({}, {0: [1, 2]})
