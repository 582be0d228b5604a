"""YS3xx balance, YS4xx debt and YS5xx cross-document rules: passing and failing cases."""

from __future__ import annotations

from tests.check.build import Y24, document, extraction, fact, rel, run, table
from yusuan.model import ColumnKind, Period, RelationKind, Stage

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
