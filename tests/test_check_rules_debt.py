"""YS3xx balance, YS4xx debt and YS5xx cross-document rules: passing and failing cases."""

from __future__ import annotations

from datetime import date

from tests.check.build import Y24, document, extraction, fact, rel, run, table
from yusuan.model import Book, ColumnKind, Period, RelationKind, Stage, Unit

LIM, BAL = Stage.LIMIT, Stage.BALANCE


def _balance(closing: str):  # type: ignore[no-untyped-def]
    doc = document("资金来源：本级收入4.53亿元、转移支付0.11亿元、债务转贷收入3.14亿元、上年结余1亿元。"
                   f"支出5.23亿元、补助下级0.26亿元、债务还本1.62亿元。收支相抵，年终滚存结余{closing}亿元。")
    src = [fact(doc, n, q, stage=Stage.FINAL, period=Y24) for n, q in
           (("本级收入", "4.53"), ("转移支付", "0.11"), ("债务转贷收入", "3.14"), ("上年结余", "1"))]
    uses = [fact(doc, n, q, stage=Stage.FINAL, period=Y24) for n, q in
            (("支出", "5.23"), ("补助下级", "0.26"), ("债务还本", "1.62"))]
    bal = fact(doc, "年终滚存结余", closing, stage=Stage.FINAL, period=Y24)
    return extraction(doc, [*src, *uses, bal], [rel(RelationKind.BALANCE, bal, src, neg=tuple(uses))])


def test_ys301_balance_holds() -> None:
    assert run(_balance("1.67"), ["YS301"]) == ()


def test_ys301_balance_wrong() -> None:
    found = run(_balance("2.67"), ["YS301"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS301", "1.67", "2.67")]


def _debt(balance: str, total_limit: str = "74.98"):  # type: ignore[no-untyped-def]
    doc = document(f"债务限额{total_limit}亿元，其中一般债务限额28.83亿元，专项债务限额46.15亿元；"
                   f"一般债务余额{balance}亿元。")
    return extraction(doc, [
        fact(doc, "地方政府债务限额", total_limit, stage=LIM, period=Y24),
        fact(doc, "一般债务限额", "28.83", stage=LIM, period=Y24),
        fact(doc, "专项债务限额", "46.15", stage=LIM, period=Y24),
        fact(doc, "一般债务余额", balance, stage=BAL, period=Y24),
    ])


def test_ys401_balance_within_limit() -> None:
    assert run(_debt("24.81"), ["YS401"]) == ()


def test_ys401_balance_over_limit() -> None:
    found = run(_debt("29.81"), ["YS401"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS401", "28.83", "29.81")]


def test_ys402_limit_components() -> None:
    assert run(_debt("24.81"), ["YS402"]) == ()
    found = run(_debt("24.81", total_limit="75.98"), ["YS402"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS402", "74.98", "75.98")]


def _issue(total: str):  # type: ignore[no-untyped-def]
    doc = document(f"发行政府债券{total}亿元（新增债券10.89亿元、再融资债券0.96亿元）。")
    return extraction(doc, [fact(doc, "发行政府债券", total, period=Y24),
                            fact(doc, "新增债券发行", "10.89", period=Y24),
                            fact(doc, "再融资债券发行", "0.96", period=Y24)])


def test_ys403_issuance_components() -> None:
    assert run(_issue("11.85"), ["YS403"]) == ()
    found = run(_issue("12.85"), ["YS403"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS403", "11.85", "12.85")]


def _projects(spent: str):  # type: ignore[no-untyped-def]
    doc = document(f"项目甲\t0.5000\t{spent}\n项目乙\t0.1000\t0.1000\n")
    t = table(doc, [("债券金额", ColumnKind.AMOUNT), ("实际支出", ColumnKind.AMOUNT)],
              title="2023年甲市地方政府新增债券使用情况表", unit="亿元", code_col=False)
    return extraction(doc, tables=[t])


def test_ys404_bond_project_spent() -> None:
    assert run(_projects("0.4500"), ["YS404"]) == ()
    found = run(_projects("0.6500"), ["YS404"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS404", "0.5000", "0.6500")]


def _debt_table(value: str):  # type: ignore[no-untyped-def]
    doc = document("一般债务余额24.81亿元。\n\t乌苏市\t24.81\n")
    text = fact(doc, "一般债务余额", "24.81", stage=BAL, period=Y24)
    cell = fact(doc, "一般债务余额", "24.81", nth=1, stage=BAL, period=Y24, table="表28", row=0,
                value=value)
    return extraction(doc, [text, cell])


def test_ys405_debt_text_against_table() -> None:
    assert run(_debt_table("24.81"), ["YS405"]) == ()
    found = run(_debt_table("28.81"), ["YS405"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS405", "28.81", "24.81")]


def _two_docs(later: str):  # type: ignore[no-untyped-def]
    a = document("2023年全市地方一般公共预算收入23.17亿元。", "exec.txt")
    b = document(f"2023年全市地方一般公共预算收入决算{later}亿元。", "final.txt")
    fa = fact(a, "一般公共预算收入", "23.17", stage=Stage.FINAL, period=Period(2023))
    fb = fact(b, "一般公共预算收入", later, stage=Stage.FINAL, period=Period(2023))
    return [extraction(a, [fa]), extraction(b, [fb])]


def test_ys501_same_fact_in_two_documents() -> None:
    assert run(_two_docs("23.17"), ["YS501"]) == ()
    found = run(_two_docs("23.71"), ["YS501"])
    assert [(f.code, f.expected, f.printed, tuple(s.file for s in f.sources)) for f in found] == [
        ("YS501", "23.17", "23.71", ("exec.txt", "final.txt"))]


def test_ys301_balance_from_extractor_note() -> None:
    ex = _balance("1.67")
    facts = list(ex.facts)
    src, uses, bal = facts[:4], facts[4:7], facts[7]
    from yusuan.model import Relation

    def note_rel(closing):  # type: ignore[no-untyped-def]
        parts = tuple(f.id for f in [*src, *uses[1:], closing])
        return Relation(RelationKind.BALANCE, uses[0].id, parts, None, False, None,
                        "sources=4;uses=2;balance=1;total_is_use=1")

    assert run(extraction(ex.document, facts, [note_rel(bal)]), ["YS301"]) == ()
    wrong = fact(ex.document, "年终滚存结余", "1.67", stage=Stage.FINAL, period=Y24, value="2.67")
    found = run(extraction(ex.document, [*facts, wrong], [note_rel(wrong)]), ["YS301"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS301", "1.67", "2.67")]


def _balance_with_subordinate(closing: str):  # type: ignore[no-untyped-def]
    """The total of the note encoding is a subordinate's figure printed in parentheses after
    the level's own (一般公共预算支出 5.23 亿元（乙区支出 3.5 亿元）)."""
    from yusuan.model import Relation

    doc = document("来源：本级收入4.53亿元、转移支付0.11亿元、债务转贷收入3.14亿元、上年结余1亿元。"
                   "一般公共预算支出5.23亿元（乙区支出3.5亿元），补助下级0.26亿元、债务还本1.62亿元。"
                   f"收支相抵，年终滚存结余{closing}亿元。")
    kw = {"stage": Stage.FINAL, "period": Y24, "scope": "own"}
    src = [fact(doc, n, q, **kw) for n, q in
           (("本级收入", "4.53"), ("转移支付", "0.11"), ("债务转贷收入", "3.14"), ("上年结余", "1"))]
    own = fact(doc, "一般公共预算支出", "5.23", **kw)
    sub = fact(doc, "一般公共预算支出", "3.5", stage=Stage.FINAL, period=Y24, scope="乙区")
    uses = [fact(doc, n, q, **kw) for n, q in (("补助下级", "0.26"), ("债务还本", "1.62"))]
    bal = fact(doc, "年终滚存结余", closing, **kw)
    r = Relation(RelationKind.BALANCE, sub.id, tuple(f.id for f in [*src, *uses, bal]), None,
                 False, None, "sources=4;uses=2;balance=1;total_is_use=1")
    return extraction(doc, [*src, own, sub, *uses, bal], [r])


def test_ys301_subordinate_total_replaced_by_the_levels_own() -> None:
    assert run(_balance_with_subordinate("1.67"), ["YS301"]) == ()


def test_ys301_subordinate_total_balance_wrong() -> None:
    found = run(_balance_with_subordinate("2.67"), ["YS301"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS301", "1.67", "2.67")]


def _issue_bare(total: str):  # type: ignore[no-untyped-def]
    # 再融资债券 printed "1" beside two-decimal figures: 1.00 (trailing zeros dropped)
    doc = document(f"发行政府债券{total}亿元（新增债券10.89亿元、再融资债券1亿元）。")
    return extraction(doc, [fact(doc, "发行政府债券", total, period=Y24),
                            fact(doc, "新增债券发行", "10.89", period=Y24),
                            fact(doc, "再融资债券发行", "1", nth=total.count("1") + 1,
                                 period=Y24)])


def test_ys403_bare_part_read_at_the_statements_precision() -> None:
    assert run(_issue_bare("11.89"), ["YS403"]) == ()
    # 12.29 is within 10.89 + 1 ± 0.5 but not within 10.89 + 1.00 ± 0.005
    found = run(_issue_bare("12.29"), ["YS403"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS403", "11.89", "12.29")]


def _debt_tables(general_limit: str = "28.83", general_issue: str = "4.33",
                 new_general: str = "3.37"):  # type: ignore[no-untyped-def]
    """A general-debt table, the combined limit table, the issuance table and the repayment
    table of one government, as the 债务公开 templates print them (亿元)."""
    from dataclasses import replace

    from yusuan.model import Column

    A = ColumnKind.AMOUNT
    doc = document(
        f"甲市\t{general_limit}\t3.37\t24.81\n"
        "甲市\t74.98\t28.83\t46.15\t10.89\t3.37\t7.52\n"
        f"甲市\t11.85\t10.89\t0.96\t{new_general}\t7.52\t0.96\t0.00\n"
        "一、上年度发行预计执行数\t11.85\n"
        f"（一）一般债券\t{general_issue}\n其中：再融资债券\t0.96\n（二）专项债券\t7.52\n"
        "二、上年度还本预计执行数\t1.74\n（一）一般债券\t1.61\n（二）专项债券\t0.13\n")

    def region(t):  # type: ignore[no-untyped-def]
        return replace(t, columns=(Column("行政区划名称", ColumnKind.NAME), *t.value_columns))

    def cols(*names: str) -> list[Column]:
        return [Column(n, A, 2023) for n in names]

    t1 = region(table(doc, cols("一般债务限额总额", "其中：新增一般债务限额", "一般债务余额预计执行"),
                      number="表28", title="2023年甲市地方政府一般债务限额、余额情况表",
                      unit="亿元", code_col=False, first_line=1, last_line=1))
    t2 = region(table(doc, cols("政府债务限额总额/合计", "政府债务限额总额/一般债务",
                                "政府债务限额总额/专项债务", "其中：新增债务限额/合计",
                                "其中：新增债务限额/一般债务", "其中：新增债务限额/专项债务"),
                      number="表30", title="2023年甲市地方政府债务限额、余额情况表", unit="亿元",
                      code_col=False, first_line=2, last_line=2))
    t3 = region(table(doc, cols("政府债券发行总额/合计", "政府债券发行总额/新增债券",
                                "政府债券发行总额/再融资债券", "其中：新增债券额度/一般债券",
                                "其中：新增债券额度/专项债券", "其中：再融资债券额度/一般债券",
                                "其中：再融资债券额度/专项债券"),
                      number="表31", title="2023年甲市地方政府债券发行情况表", unit="亿元",
                      code_col=False, first_line=3, last_line=3))
    t4 = table(doc, cols("甲市"), number="表34", unit="亿元", code_col=False, first_line=4,
               last_line=10, title="2024年甲市地方政府还本付息预计执行及本年度还本付息预算情况表")
    return extraction(doc, tables=[t1, t2, t3, t4])


def test_ys406_debt_tables_agree() -> None:
    assert run(_debt_tables(), ["YS406"]) == ()
    found = run(_debt_tables(general_limit="28.93"), ["YS406"])
    # 表30's 28.83 is confirmed by its row (74.98 = 28.83 + 46.15): 表28's figure is reported
    assert [(f.code, f.sources[0].line, f.sources[1].line) for f in found] == [("YS406", 1, 2)]
    assert [(f.expected, f.printed) for f in found] == [("28.83", "28.93")]


def test_ys407_debt_total_from_other_tables() -> None:
    assert run(_debt_tables(), ["YS407"]) == ()
    found = run(_debt_tables(general_issue="4.38"), ["YS407"])
    # 一般债券 issued 4.38 against new 3.37 + refinancing 0.96 of the issuance table, and the
    # issuance total 11.85 against 一般 4.38 + 专项 7.52 of the repayment table
    assert sorted((f.code, f.expected, f.printed) for f in found) == [
        ("YS407", "11.90", "11.85"), ("YS407", "4.33", "4.38")]


def test_ys408_new_bonds_within_new_limit() -> None:
    assert run(_debt_tables(), ["YS408"]) == ()
    found = run(_debt_tables(new_general="3.97"), ["YS408"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS408", "3.37", "3.97")]


def test_debt_cell_keys() -> None:
    from yusuan.check.engine import Context
    from yusuan.check.rules._debt_table import debt_cells
    from yusuan.check.rules.tables import table_views

    ex = _debt_tables()
    ctx = Context.build([ex])
    keys = {(c.table.number, c.cell.text): (c.key.family, c.key.sub, c.key.kind, c.key.region)
            for c in debt_cells(ctx, ex, [v for t in ex.tables for v in table_views(t)])}
    assert keys[("表28", "24.81")] == ("balance", None, "general", "甲市")
    assert keys[("表30", "10.89")] == ("limit", "new", "total", "甲市")
    assert keys[("表31", "0.00")] == ("issue", "refinance", "special", "甲市")
    assert keys[("表34", "0.96")] == ("issue", "refinance", "general", "甲市")
    assert keys[("表34", "1.74")] == ("repay", None, "total", "甲市")


def _balances(closing: str):  # type: ignore[no-untyped-def]
    """An opening and a closing balance in one table; the closing one again in another."""
    from dataclasses import replace

    from yusuan.model import Column

    doc = document(f"甲市\t70.83\t75.10\n甲市\t{closing}\n")
    name = Column("行政区划名称", ColumnKind.NAME)
    t1 = table(doc, [Column("政府债务余额/年初余额", ColumnKind.AMOUNT, 2024),
                     Column("政府债务余额/年末余额", ColumnKind.AMOUNT, 2024)],
               number="表1", title="2024年甲市政府债务余额情况表", unit="亿元", code_col=False,
               first_line=1, last_line=1)
    t2 = table(doc, [Column("政府债务余额", ColumnKind.AMOUNT, 2024)], number="表2",
               title="2024年甲市政府债务年末余额表", unit="亿元", code_col=False,
               first_line=2, last_line=2)
    return extraction(doc, tables=[replace(t, columns=(name, *t.value_columns))
                                   for t in (t1, t2)])


def test_ys406_opening_and_closing_balances_are_different_figures() -> None:
    # 年初 70.83 and 年末 75.10 are two figures; the closing one must match the other table
    assert run(_balances("75.10"), ["YS406"]) == ()
    assert [(f.code, f.expected, f.printed) for f in run(_balances("75.90"), ["YS406"])] == [
        ("YS406", "75.10", "75.90")]


def _headroom(room: str):  # type: ignore[no-untyped-def]
    doc = document(f"核定市本级债务限额87.65亿元。年底限额内政府性债务余额76.57亿元，举借债券空间{room}亿元。")
    return extraction(doc, [
        fact(doc, "地方政府债务限额", "87.65", stage=LIM, period=Y24, scope="own"),
        fact(doc, "限额内政府性债务余额", "76.57", stage=BAL, period=Period.at(date(2024, 12, 31)),
             scope="own"),
        fact(doc, "举借债券空间", room, stage=Stage.FINAL, period=Y24, scope="own"),
    ])


def test_ys409_headroom_is_limit_minus_balance() -> None:
    # 87.65 − 76.57 = 11.08; 11.09 is within the rounding of the three figures
    assert run(_headroom("11.09"), ["YS409", "YS401"]) == ()


def test_ys409_headroom_misprinted() -> None:
    found = run(_headroom("11.90"), ["YS409"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS409", "11.08", "11.90")]


def _new_bonds(general: str):  # type: ignore[no-untyped-def]
    doc = document(f"下达新增地方政府债务限额120.5亿元，其中：新增一般债务27亿元。收到新增一般债券{general}亿元。")
    return extraction(doc, [
        fact(doc, "新增一般债务限额", "27", stage=LIM, period=Y24),
        fact(doc, "新增一般债券", general, period=Y24),
    ])


def test_ys410_new_bonds_within_new_limit() -> None:
    assert run(_new_bonds("6.1"), ["YS410"]) == ()


def test_ys410_new_bonds_over_new_limit() -> None:
    found = run(_new_bonds("61"), ["YS410"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS410", "27", "61")]


def _carry(opening: str):  # type: ignore[no-untyped-def]
    doc = document(f"2023年政府性基金年终结余35570万元。2024年政府性基金预算上年结余收入{opening}万元。")
    closing = fact(doc, "政府性基金年终结余", "35570", unit=Unit.WAN, period=Period(2023),
                   book=Book.FUND)
    nxt = fact(doc, "政府性基金预算上年结余收入", opening, unit=Unit.WAN, stage=Stage.BUDGET,
               period=Y24, book=Book.FUND)
    return extraction(doc, [closing, nxt])


def test_ys502_opening_balance_is_last_years_closing() -> None:
    assert run(_carry("35570"), ["YS502"]) == ()


def test_ys502_opening_balance_differs() -> None:
    found = run(_carry("35750"), ["YS502"])
    assert [(f.code, f.expected, f.printed) for f in found] == [("YS502", "35570", "35750")]
