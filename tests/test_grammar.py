"""Number, phrase and paragraph grammar on small passages written for the tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.extract.context import DocContext
from yusuan.extract.grammar import complete_stem, parse_lead, scope_word
from yusuan.extract.narrative import extract_narrative
from yusuan.extract.numbers import (
    AMOUNT_RE,
    CHANGE_RE,
    PCT_BUDGET_RE,
    SHARE_RE,
    decimal_of,
    month_span,
    pct_base,
    signed,
)
from yusuan.extract.paragraphs import assemble_paragraphs, is_heading_line, repair
from yusuan.model import DocKind, Document, RelationKind, Scope, Stage
from yusuan.read.base import split_lines
from yusuan.refdata.lexicon import canonical


def _doc(text: str) -> Document:
    return Document(
        id="t", path="t.txt", name="t.txt", format="txt", text=text, lines=split_lines(text)
    )


def _ctx(kind: DocKind = DocKind.EXECUTION_REPORT, months: tuple[int, int] | None = (1, 6)):
    return DocContext(None, "昌吉回族自治州", 2024, kind, None, "", None, months)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("完成131.5亿元", "131.5", "亿元"),
        ("价值 1,507.69万元", "1507.69", "万元"),
        ("收入-9,571万元", "-9571", "万元"),
        ("每人每年640元", "640", "元"),
    ],
)
def test_amounts(text: str, value: str, unit: str) -> None:
    m = AMOUNT_RE.search(text.replace(" ", ""))
    assert m is not None
    got = decimal_of(m.group("num")) * (-1 if m.group("neg") else 1)
    assert (got, m.group("unit")) == (Decimal(value), unit)


def test_no_amount_in_rates_or_years() -> None:
    assert AMOUNT_RE.search("2024年增长10.59%") is None
    assert AMOUNT_RE.search("低保达到8136元/年") is None


@pytest.mark.parametrize(
    ("text", "word", "value", "unit"),
    [
        ("比上年同期增收12.59亿元", "增收", "12.59", "亿元"),
        ("同比下降5.18%", "下降", "-5.18", "%"),
        ("比上年同期减支0.01亿元", "减支", "-0.01", "亿元"),
        ("比上年预算减少3.80万元", "减少", "-3.80", "万元"),
    ],
)
def test_changes_carry_their_sign(text: str, word: str, value: str, unit: str) -> None:
    m = CHANGE_RE.search(text)
    assert m is not None
    assert (
        m.group("word"),
        signed(m.group("word"), decimal_of(m.group("num"))),
        m.group("unit"),
    ) == (word, Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "pct", "base"),
    [
        ("为预算的44.76%", "44.76", Stage.BUDGET),
        ("为调整预算的90.2%", "90.2", Stage.ADJUSTED),
        ("为调整后预算的90.2%", "90.2", Stage.ADJUSTED),
        ("为年初预算的95%", "95", Stage.BUDGET),
        ("完成年度预算的108.3%", "108.3", Stage.BUDGET),
        ("为预算数的93.58%", "93.58", Stage.BUDGET),
        ("支出进度达到63.2%", "63.2", None),
        ("执行率99.98%", "99.98", None),
    ],
)
def test_pct_of_budget(text: str, pct: str, base: Stage | None) -> None:
    m = PCT_BUDGET_RE.search(text)
    assert m is not None and decimal_of(m.group("num")) == Decimal(pct)
    assert pct_base(m) == base


@pytest.mark.parametrize(
    ("text", "of", "pct"),
    [
        ("占一般公共预算收入的41.07%", "一般公共预算收入", "41.07"),
        ("占比86%", None, "86"),
        ("占一般公共预算支出比例为27%", "一般公共预算支出", "27"),
    ],
)
def test_share(text: str, of: str | None, pct: str) -> None:
    m = SHARE_RE.search(text)
    assert m is not None
    assert (m.group("of") or None, decimal_of(m.group("num"))) == (of, Decimal(pct))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("1-6月，全州", (1, 6)),
        ("上半年", (1, 6)),
        ("前6个月共入库", (1, 6)),
        ("截至6月底", (1, 6)),
        ("全年", (1, 12)),
        ("1-5月", (1, 5)),
        ("今年以来", None),
    ],
)
def test_month_span(text: str, span: tuple[int, int] | None) -> None:
    assert month_span(text) == span


# ---------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("lead", "indicator", "scope", "stage"),
    [
        ("全州一般公共预算收入完成", "一般公共预算收入", Scope.WHOLE, None),
        ("州本级政府性基金预算支出完成", "政府性基金预算支出", Scope.OWN, None),
        ("其中：税收收入完成", "税收收入", None, None),
        ("决算数为", "", None, Stage.FINAL),
        ("自治区财政厅下达昌吉州新增地方政府债务限额", "新增地方政府债务限额", Scope.WHOLE, None),
        ("入库部门上缴的罚没收入", "罚没收入", None, None),
        ("共收到自治区转贷的地方政府债券", "转贷地方政府债券", None, None),
        ("中宁县", "", "中宁县", None),
    ],
)
def test_parse_lead(lead: str, indicator: str, scope: str | None, stage: Stage | None) -> None:
    got = parse_lead(lead, ("昌吉回族自治州", "昌吉州", "自治州", "我州"))
    assert (got.indicator, got.scope, got.stage) == (indicator, scope, stage)


def test_scope_words() -> None:
    names = ("中卫市",)
    assert scope_word("中卫市级“三公”经费", names) == (Scope.OWN, 4)
    assert scope_word("市本级地方一般公共预算收入", names) == (Scope.OWN, 3)
    assert scope_word("全市政府性基金", names) == (Scope.WHOLE, 2)
    assert scope_word("城市低保", names) == (None, 0)


def test_complete_stem() -> None:
    assert complete_stem("支出", "社会保险基金收入") == "社会保险基金支出"
    assert complete_stem("预算支出", "社会保险基金预算收入") == "社会保险基金预算支出"
    assert complete_stem("支出", "直达资金") == "直达资金支出"
    assert complete_stem("税收收入", "一般公共预算收入") == "税收收入"


# ---------------------------------------------------------------- paragraphs


def test_repair_maps_every_character_back() -> None:
    text = "完成 1112.5 亿元，比上\n\n年同期增加 201.4 亿元。1—6 月"
    doc = _doc(text)
    mapped = repair(text, [(ln.start, ln.end) for ln in doc.lines if ln.text])
    assert mapped.text == "完成1112.5亿元，比上年同期增加201.4亿元。1-6月"
    for i, ch in enumerate(mapped.text):
        assert text[mapped.offsets[i]] == ch or (ch == "-" and text[mapped.offsets[i]] == "—")


def test_numbers_stay_apart() -> None:
    text = "特定目标 17100690 30.91"
    assert repair(text, [(0, len(text))]).text == "特定目标17100690 30.91"


def test_paragraphs_join_broken_sentences_and_keep_headings() -> None:
    text = "（一）上半年全区预算执行情况\n\n1—6 月，收入完成 1112.5 亿元，比上\n\n年同期增加 201.4 亿元。\n\n— 3 —\n\n二、下半年工作\n"
    paragraphs = assemble_paragraphs(_doc(text), set())
    assert [(p.heading, p.text.text) for p in paragraphs] == [
        (True, "（一）上半年全区预算执行情况"),
        (False, "1-6月，收入完成1112.5亿元，比上年同期增加201.4亿元。"),
        (True, "二、下半年工作"),
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("（二）市本级财政决算情况。", True),
        ("二、2024 年上半年预算执行情况", True),
        ("1、一般公共服务支出（类）1,796.65 万元，占 81.24%。", False),
        ("1、一般公共服务支出（类）财政事务（款）行政运行（项）：2024 年预算", False),
        ("1—6 月，自治区一般公共预算收入完成", False),
    ],
)
def test_heading_lines(line: str, heading: bool) -> None:
    assert is_heading_line(line) is heading


# ---------------------------------------------------------------- narrative


PASSAGE = (
    "（二）上半年州本级预算执行情况\n\n"
    "1-6 月，州本级一般公共预算收入完成 7.63 亿元，为预算的 109%，比上年同期增长 9.93%。其中：税收"
    "收入完成 0.94 亿元，增长 42.96%；非税收入完成 6.69 亿元，增长 6.47%。\n\n"
    "截至 6 月底，地方政府法定债务余额 614.79 亿元。\n"
)


def test_narrative_facts_and_relations() -> None:
    doc = _doc(PASSAGE)
    facts, relations, problems = extract_narrative(doc, assemble_paragraphs(doc, set()), _ctx())
    got = [
        (
            f.indicator,
            f.scope,
            f.stage,
            str(f.period),
            f.amount.value,
            f.parent,
            f.yoy_pct,
            f.pct_of_budget,
        )
        for f in facts
    ]
    assert got == [
        (
            "一般公共预算收入",
            Scope.OWN,
            Stage.EXECUTION,
            "2024-01..06",
            Decimal("7.63"),
            None,
            Decimal("9.93"),
            Decimal("109"),
        ),
        (
            "税收收入",
            Scope.OWN,
            Stage.EXECUTION,
            "2024-01..06",
            Decimal("0.94"),
            "一般公共预算收入",
            Decimal("42.96"),
            None,
        ),
        (
            "非税收入",
            Scope.OWN,
            Stage.EXECUTION,
            "2024-01..06",
            Decimal("6.69"),
            "一般公共预算收入",
            Decimal("6.47"),
            None,
        ),
        # no scope word: the section's (州本级) scope holds
        (
            "地方政府债务余额",
            Scope.OWN,
            Stage.BALANCE,
            "2024-06-30",
            Decimal("614.79"),
            None,
            None,
            None,
        ),
    ]
    for f in facts:
        assert doc.text[f.source.start : f.source.end] == f.source.quote
    sums = [r for r in relations if r.kind == RelationKind.SUM]
    assert [(r.total, r.parts, r.exhaustive) for r in sums] == [
        (facts[0].id, (facts[1].id, facts[2].id), True)
    ]
    assert problems == []


def test_stage_difference_is_not_growth() -> None:
    text = (
        "在市第五届人民代表大会第三次会议上报告的预算执行情况中，全市一般公共预算收入完成"
        "22.97亿元，决算数为23.17亿元，增加0.2亿元。\n"
    )
    doc = _doc(text)
    ctx = _ctx(DocKind.FINAL_REPORT, None)
    facts, relations, _ = extract_narrative(doc, assemble_paragraphs(doc, set()), ctx)
    assert [(f.stage, f.amount.value, f.yoy_abs) for f in facts] == [
        (Stage.EXECUTION, Decimal("22.97"), None),
        (Stage.FINAL, Decimal("23.17"), None),
    ]
    diff = [r for r in relations if r.kind == RelationKind.DIFFERENCE]
    assert [(r.total, r.parts, r.stated) for r in diff] == [
        (facts[1].id, (facts[0].id,), Decimal("20000000.0"))
    ]


def test_fused_project_code_is_split_and_reported() -> None:
    text = "（三）上年结转结余情况\n\n特定目标 1710069030.91 万元，完全不予公开。\n"
    doc = _doc(text)
    ctx = DocContext(None, "昌吉回族自治州", 2024, DocKind.DEPARTMENT_BUDGET, None, "", "财政局")
    facts, _, problems = extract_narrative(doc, assemble_paragraphs(doc, set()), ctx)
    assert [(f.indicator, f.amount.value, f.scope) for f in facts] == [
        ("特定目标 17100690", Decimal("30.91"), Scope.OWN)
    ]
    assert [(p.code, p.line) for p in problems] == [("extract.fused_code", 3)]


# ---------------------------------------------------------------- naming and context rules


def _read(text: str, kind: DocKind = DocKind.FINAL_REPORT, name: str = "中卫市", year: int = 2023):
    doc = _doc(text)
    ctx = DocContext(None, name, year, kind, None, "", None, None)
    facts, relations, _ = extract_narrative(doc, assemble_paragraphs(doc, set()), ctx)
    for f in facts:
        assert doc.text[f.source.start : f.source.end] == f.source.quote
    return facts, relations


def _rows(facts) -> list[tuple]:
    return [(f.indicator, str(f.scope), str(f.stage), str(f.period), str(f.amount)) for f in facts]


def test_scope_inside_a_parenthesis_is_that_figures_own() -> None:
    facts, _ = _read(
        "市本级地方一般公共预算收入完成9.69亿元（沙坡头区收入3.71亿元），为预算的100.4%。"
        "一般公共预算支出完成59.42亿元（沙坡头区支出35.74亿元），同比增长22.9%。\n"
    )
    assert _rows(facts) == [
        ("一般公共预算收入", "own", "final", "2023", "9.69亿元"),
        ("一般公共预算收入", "沙坡头区", "final", "2023", "3.71亿元"),
        ("一般公共预算支出", "own", "final", "2023", "59.42亿元"),
        ("一般公共预算支出", "沙坡头区", "final", "2023", "35.74亿元"),
    ]
    assert facts[0].pct_of_budget == Decimal("100.4")


@pytest.mark.parametrize("own", ["市本级收入", "市县（区）收入"])
def test_own_revenue_listed_under_its_total_is_named_apart(own: str) -> None:
    facts, relations = _read(
        f"市本级国有资本经营预算收入 250 万元，其中：{own} 60 万元，为预算的 15.6%；"
        "自治区转移支付79万元；上年结转111万元；共偿还到期本息 26 万元。\n"
    )
    names = [(f.indicator, str(f.amount), f.parent) for f in facts]
    assert names == [
        ("国有资本经营预算收入", "250万元", None),
        ("国有资本经营预算本级收入", "60万元", "国有资本经营预算收入"),
        ("自治区转移支付", "79万元", "国有资本经营预算收入"),
        ("上年结转", "111万元", "国有资本经营预算收入"),
        ("偿还到期本息", "26万元", None),  # the parts already make the total
    ]
    sums = [(len(r.parts), r.exhaustive) for r in relations if r.kind == RelationKind.SUM]
    assert sums == [(3, True)]


def test_execution_subsection_of_a_final_accounts_section_is_final() -> None:
    facts, _ = _read(
        "一、2023 年财政决算情况\n\n"
        "（一）转移支付执行情况说明。\n\n"
        "市本级转移支付决算数为743,962万元。\n\n"
        "（二）“三公”经费情况。\n\n"
        "2023 年，市本级“三公”经费支出 909.93 万元，为预算数的 91.45%。\n\n"
        "二、2024 年上半年预算执行情况\n\n"
        "（一）全市财政预算执行情况。\n\n"
        "全市一般公共预算收入完成 13.56 亿元。\n"
    )
    assert [(f.indicator, str(f.stage), str(f.period)) for f in facts] == [
        ("转移支付", "final", "2023"),
        ("三公经费", "final", "2023"),
        ("一般公共预算收入", "execution", "2024-01..06"),
    ]


def test_items_after_a_lead_phrase_are_parts_of_what_it_names() -> None:
    facts, relations = _read(
        "市本级转移支付决算数为7,000万元。其中，专项转移支付决算数为4,000万元。\n\n"
        "专项转移支付收入：一般公共服务 3,000 万元；国防 600 万元；\n\n"
        "资源勘探信息 400 万元。\n"
    )
    items = [(f.indicator, str(f.scope), str(f.stage), f.parent, f.code) for f in facts[2:]]
    assert items == [
        ("一般公共服务", "own", "final", "专项转移支付", "201"),
        ("国防", "own", "final", "专项转移支付", "203"),
        ("资源勘探信息", "own", "final", "专项转移支付", None),
    ]
    total = facts[1].id
    sums = [r for r in relations if r.kind == RelationKind.SUM and r.total == total]
    assert [(len(r.parts), r.exhaustive) for r in sums] == [(3, True)]


def test_verb_named_funds_take_their_purpose_or_are_left_out() -> None:
    facts, _ = _read(
        "（一）重点工作。\n\n"
        "筹措资金1.74亿元，支持被征地农民和企业职工养老保险补贴。"
        "统筹资金 3.6 亿元，支持非煤矿山、危险化学品、燃气等重点领域安全隐患排查整治。"
        "拨付资金 8.43 亿元，及时足额发放退休人员养老金。"
        "拨付资金 1217.86 万元，加大重点商贸项目支持。\n"
    )
    assert [(f.indicator, str(f.stage)) for f in facts] == [
        ("被征地农民和企业职工养老保险补贴", "other"),
        ("重点领域安全隐患排查整治资金", "other"),
        ("退休人员养老金", "final"),
    ]
    assert facts[0].source.quote.endswith("养老保险补贴")


def test_a_level_defined_with_a_district_keeps_the_note() -> None:
    facts, relations = _read(
        "全市一般公共预算收入完成 23.17 亿元。其中：市级 13.4 亿元（含沙坡头区）；"
        "中宁县 7.11 亿元；海原县 2.66 亿元。\n\n"
        "市本级地方一般公共预算收入完成9.69亿元。\n"
    )
    assert _rows(facts) == [
        ("一般公共预算收入", "whole", "final", "2023", "23.17亿元"),
        ("一般公共预算收入（含沙坡头区）", "own", "final", "2023", "13.4亿元"),
        ("一般公共预算收入", "中宁县", "final", "2023", "7.11亿元"),
        ("一般公共预算收入", "海原县", "final", "2023", "2.66亿元"),
        ("一般公共预算收入", "own", "final", "2023", "9.69亿元"),
    ]
    sums = [r for r in relations if r.kind == RelationKind.SUM]
    assert [(len(r.parts), r.note) for r in sums] == [(3, "parts by scope")]


def test_a_limit_tranche_names_its_months() -> None:
    facts, _ = _read(
        "财政部累计下达自治区新增地方政府债务限额1328亿元，其中：1—4月份下达的限额已分配，"
        "5月份财政部下达自治区新增地方政府债务限额914亿元。\n",
        kind=DocKind.EXECUTION_REPORT,
        name="新疆维吾尔自治区",
    )
    assert [(f.indicator, str(f.stage), str(f.period)) for f in facts] == [
        ("新增地方政府债务限额", "limit", "2023"),
        ("新增地方政府债务限额", "limit", "2023-05..05"),
    ]


def test_a_year_opening_a_parts_name_stays_in_it() -> None:
    facts, _ = _read(
        "专项转移支付支出 122022 万元，其中：以前年度专项支出 64129 万元；"
        "2024 年提前告知专项转移支付支出 57893 万元。\n\n"
        "1．2023 年会计考务费 4.96 万元，主要用于全国会计专业技术资格初级、中级考试考区考务经费。\n",
        kind=DocKind.BUDGET_REPORT,
        name="乌苏市",
        year=2024,
    )
    assert [(canonical(f.indicator), str(f.period)) for f in facts] == [
        ("专项转移支付支出", "2024"),
        ("以前年度专项支出", "2024"),
        ("2024年提前告知专项转移支付支出", "2024"),
        ("2023年会计考务费", "2024"),
    ]


def test_money_from_above_and_advances_keep_their_words() -> None:
    facts, _ = _read(
        "2024年乌苏市收到上级下达财政衔接推进乡村振兴补助资金5923万元。"
        "2024年，上级下达乌苏市中央财政衔接推进乡村振兴补助资金3460万元。"
        "2024年初自治区提前下达的104.59亿元转移支付预算资金全部提前下达至县市。\n",
        kind=DocKind.BUDGET_REPORT,
        name="乌苏市",
        year=2024,
    )
    assert [(canonical(f.indicator), str(f.stage), str(f.period)) for f in facts] == [
        ("上级下达财政衔接推进乡村振兴补助资金", "plan", "2024"),
        ("中央财政衔接推进乡村振兴补助资金", "plan", "2024"),
        ("提前下达转移支付", "plan", "2024"),
    ]


def test_each_point_of_a_paragraph_has_its_own_time_and_scope() -> None:
    doc = _doc(
        "一、2024年上半年预算执行情况\n\n"
        "二是推动事前评估。2024年上半年审核项目报告166个，涉及金额3.7亿元。"
        "三是提升目标管理。对州本级单位752个年初部门预算项目进行审核，"
        "组织自治州本级174家部门单位设置整体支出绩效目标，涉及金额45.29亿元。\n"
    )
    facts, _, _ = extract_narrative(doc, assemble_paragraphs(doc, set()), _ctx())
    assert [(str(f.scope), str(f.stage), str(f.period), str(f.amount)) for f in facts] == [
        ("whole", "other", "2024-01..06", "3.7亿元"),
        ("own", "other", "2024", "45.29亿元"),
    ]


def test_a_count_is_not_part_of_the_counted_name() -> None:
    from yusuan.extract.grammar import count_object

    assert count_object("2023年，共有2个项目开展事前绩效评估工作", loose=True) == (
        "项目开展事前绩效评估"
    )


def test_a_balance_kept_within_a_limit_names_the_limit() -> None:
    facts, _ = _read(
        "截至2023年底，乌苏市政府债务余额全部严格控制在限额 74.98 亿元内。\n",
        kind=DocKind.BUDGET_REPORT,
        name="乌苏市",
        year=2024,
    )
    assert [(f.indicator, str(f.stage), str(f.period)) for f in facts] == [
        ("地方政府债务限额", "limit", "2023"),
    ]


def test_a_change_against_another_year_is_no_level() -> None:
    facts, _ = _read(
        "2023 年，全区财政“三公”经费预算比 2022 年压减 0.5 亿元，压减比例 3.9%。"
        "全区“三公”经费预算 12.3 亿元。\n",
        kind=DocKind.EXECUTION_REPORT,
        name="新疆维吾尔自治区",
    )
    assert [(f.indicator, str(f.amount)) for f in facts] == [("“三公”经费预算", "12.3亿元")]


def test_siblings_share_a_verb_and_a_qualifier_and_leverage_is_no_figure() -> None:
    facts, _ = _read(
        "2023年自治区核定市本级债务限额87.65亿元。自治区下达新增地方政府一般债券 3.1 亿元"
        "（含用于债务化解 3500 万元），专项债券 2.37 亿元（用于债务化解）。"
        "投入资金 2250.5 万元发放政府消费券 24.2 万张，带动消费 3.2 亿元。\n"
    )
    rows = [(f.indicator, str(f.scope), str(f.stage), str(f.amount)) for f in facts]
    assert rows == [
        ("地方政府债务限额", "own", "limit", "87.65亿元"),
        ("新增地方政府一般债券", "whole", "plan", "3.1亿元"),
        ("债务化解", "whole", "plan", "3500万元"),
        ("新增地方政府专项债券", "whole", "plan", "2.37亿元"),
        ("政府消费券资金", "whole", "final", "2250.5万元"),
    ]


def test_an_own_level_word_in_a_department_budget_is_part_of_the_name() -> None:
    facts, _ = _read(
        "调研、宣传经费 15 万元；州本级行政事业单位房屋建筑物保险费 50万元。\n",
        kind=DocKind.DEPARTMENT_BUDGET,
        name="昌吉回族自治州",
        year=2024,
    )
    assert [(f.indicator, str(f.scope), str(f.amount)) for f in facts] == [
        ("调研、宣传经费", "own", "15万元"),
        ("州本级行政事业单位房屋建筑物保险费", "own", "50万元"),
    ]


def test_a_ratio_says_which_budget_it_is_measured_against() -> None:
    from yusuan.model.serialize import fact_dict

    facts, relations = _read(
        "全市一般公共预算收入完成 23.17 亿元，为预算的 99%。"
        "全市一般公共预算支出完成 211.86 亿元，为调整预算的 90.2%。"
        "社会保险基金预算收入完成 26.7 亿元，完成年度预算的 108.3%。\n"
    )
    assert [(str(f.amount), f.pct_of_budget, f.pct_base) for f in facts] == [
        ("23.17亿元", Decimal("99"), Stage.BUDGET),
        ("211.86亿元", Decimal("90.2"), Stage.ADJUSTED),
        ("26.7亿元", Decimal("108.3"), Stage.BUDGET),
    ]
    assert [fact_dict(f)["pct_base"] for f in facts] == ["budget", "adjusted", "budget"]
    ratios = [r.note for r in relations if r.kind == RelationKind.RATIO]
    assert ratios == [
        "pct_of_budget;base=budget",
        "pct_of_budget;base=adjusted",
        "pct_of_budget;base=budget",
    ]


def test_names_keep_their_own_lead_words() -> None:
    facts, _ = _read(
        "全市各类项目资金完成143.02亿元。市直属各学校（幼儿园）生均公用经费0.45亿元。"
        "县（区）一般公共预算收入完成9.77亿元。全市各项税收收入12亿元。"
        "督促各县市（园区）将政府隐性债务化解资金 30.98 亿元纳入预算。\n",
        kind=DocKind.EXECUTION_REPORT,
    )
    assert [(f.indicator, str(f.scope)) for f in facts] == [
        ("各类项目资金", "whole"),  # a quantifier in the text's own name stays
        ("市直属各学校（幼儿园）生均公用经费", "whole"),
        ("县（区）一般公共预算收入", "whole"),
        ("税收收入", "whole"),  # the lexicon's name for 各项税收收入
        ("政府隐性债务化解资金", "whole"),  # a clause around a parenthesis is no name
    ]
    assert canonical("各类水利投资") == canonical("水利投资")


def test_own_revenue_among_sources_keeps_its_level_word() -> None:
    facts, _ = _read(
        "市本级政府性基金预算支出完成 5.23 亿元。政府性基金预算支出资金来源包括：本级预算收入 "
        "4.53 亿元、自治区转移支付 0.11 亿元。\n"
    )
    assert [(f.indicator, str(f.scope)) for f in facts] == [
        ("政府性基金预算支出", "own"),
        ("本级预算收入", "own"),
        ("自治区转移支付", "own"),
    ]


def test_a_breakdown_after_the_rates_belongs_to_the_figure_it_follows() -> None:
    facts, relations = _read(
        "2023 年，市本级“三公”经费支出 909.93 万元，为预算数的 91.45%。其中：公务用车购置及"
        "运行维护费 864.35 万元，为预算数的 93.12%，同比增长 0.99%（公务用车购置费 265.43 万元，"
        "为预算数的 97.72%；公务用车运行维护费 598.92 万元，为预算数的 91.22%）；公务接待费支出 "
        "40.06 万元，为预算数的 65.90%。\n"
    )
    assert [(f.indicator, f.parent) for f in facts] == [
        ("三公经费", None),
        ("公务用车购置及运行维护费", "三公经费"),
        ("公务用车购置费", "公务用车购置及运行维护费"),
        ("公务用车运行维护费", "公务用车购置及运行维护费"),
        ("公务接待费支出", "三公经费"),
    ]
    index = {f.id: i for i, f in enumerate(facts)}
    sums = sorted(
        (index[r.total], tuple(index[p] for p in r.parts), r.exhaustive)
        for r in relations
        if r.kind == RelationKind.SUM
    )
    # 因公出国（境）费 is left out, so the 三公 list is not all of it; "A及B" is A + B
    assert sums == [(0, (1, 4), False), (1, (2, 3), True)]


def test_list_items_stay_parts_past_the_total_until_a_new_subject() -> None:
    facts, _ = _read(
        "全市国有资本经营预算收入 100 万元，其中：市县（区）收入 60 万元；自治区转移支付 50 万元；"
        "上年结转 5 万元；市本级一般公共预算收入 30 万元。"
        "全市政府性基金预算收入 80 万元，其中：土地出让收入 70 万元；社会保险基金预算收入 9 万元。"
        "全市收到转贷债券 19.1 亿元，其中：新增一般债券 6.1 亿元，新增专项债券 11 亿元；"
        "共偿还到期本息 26.84 亿元。\n"
    )
    assert [(f.indicator, f.parent) for f in facts] == [
        ("国有资本经营预算收入", None),
        ("国有资本经营预算本级收入", "国有资本经营预算收入"),
        # 60 + 50 already pass 100: still parts, so the checker sees the excess
        ("自治区转移支付", "国有资本经营预算收入"),
        ("上年结转", "国有资本经营预算收入"),
        ("一般公共预算收入", None),  # a new scope opens a new subject
        ("政府性基金预算收入", None),
        ("土地出让收入", "政府性基金预算收入"),
        ("社会保险基金预算收入", None),  # another book
        ("转贷债券", None),
        ("新增一般债券", "转贷债券"),
        ("新增专项债券", "转贷债券"),
        ("偿还到期本息", None),  # 共… opens the sentence's own subject
    ]


def test_every_listed_government_is_a_part_of_the_whole() -> None:
    facts, relations = _read(
        "全市地方一般公共预算收入完成 23.17 亿元，为预算的 99%，同比增长 6%。其中：市级 13.4 亿元"
        "（含沙坡头区），为预算的 102.6%，同比增长 8.6%；中宁县 7.11 亿元，为预算的 93.4%；"
        "海原县 2.66 亿元，为预算的 97.6%。"
        "全市一般公共预算支出完成 211.86 亿元。其中：中宁县 53.03 亿元；海原县 63.68 亿元。\n"
    )
    assert [(str(f.scope), f.parent) for f in facts] == [
        ("whole", None),
        ("own", "一般公共预算收入"),
        ("中宁县", "一般公共预算收入"),
        ("海原县", "一般公共预算收入"),
        ("whole", None),
        ("中宁县", "一般公共预算支出"),
        ("海原县", "一般公共预算支出"),
    ]
    index = {f.id: i for i, f in enumerate(facts)}
    sums = sorted(
        (index[r.total], tuple(index[p] for p in r.parts), r.exhaustive)
        for r in relations
        if r.kind == RelationKind.SUM
    )
    # the own level and every county make the whole; two counties alone do not
    assert sums == [(0, (1, 2, 3), True), (4, (5, 6), False)]


def _sums(facts, relations) -> list[tuple]:
    """(total value, part values, exhaustive, note) of each sum, in the text's units."""
    by_id = {f.id: f for f in facts}
    return [
        (
            str(by_id[r.total].amount.value),
            tuple(str(by_id[p].amount.value) for p in r.parts),
            r.exhaustive,
            r.note,
        )
        for r in relations
        if r.kind == RelationKind.SUM
    ]


def test_the_sources_of_funds_balance_the_figure_a_bracket_qualifies() -> None:
    facts, relations = _read(
        "一般公共预算支出完成 59.42 亿元（沙坡头区支出 35.74 亿元），同比增长 22.9%。"
        "一般公共预算支出资金来源包括：地方一般公共预算收入 9.69 亿元、自治区转移支付 74.4 亿元。"
        "补助沙坡头区支出 32.36 亿元。收支相抵，年终滚存结余 9.27 亿元。\n"
    )
    by_id = {f.id: f for f in facts}
    (balance,) = [r for r in relations if r.kind == RelationKind.BALANCE]
    total = by_id[balance.total]
    assert (total.indicator, str(total.scope), str(total.amount.value)) == (
        "一般公共预算支出",
        "whole",
        "59.42",
    )


def test_own_revenue_among_sources_is_the_books_revenue() -> None:
    from yusuan.model import Book
    from yusuan.refdata.lexicon import own_revenue_of

    assert own_revenue_of("本级预算收入", Book.FUND) == "政府性基金预算收入"
    assert own_revenue_of("本级收入", Book.GENERAL) == "一般公共预算收入"
    assert own_revenue_of("上年结余资金", Book.FUND) is None
    assert own_revenue_of("本级预算收入", None) is None


def test_the_three_kinds_of_transfer_revenue_are_all_of_it() -> None:
    facts, relations = _read(
        "中卫市本级转移支付决算数为743,962万元。其中，返还性收入28,584万元；"
        "一般性转移支付决算数为563,273万元；专项转移支付决算数为152,105万元。\n"
    )
    assert _sums(facts, relations) == [
        ("743962", ("28584", "563273", "152105"), True, "其中"),
    ]


def test_principal_and_interest_make_the_debt_service() -> None:
    facts, relations = _read(
        "2023 年度乌苏市政府专项债券还本付息总额 1.5 亿元（本金 0.13 亿元，财政预算安排还本 "
        "0.13 亿元，再融资债券还本 0 亿元；财政预算安排付息 1.37 亿元）。\n"
    )
    assert sorted(_sums(facts, relations)) == [
        ("0.13", ("0.13", "0"), False, "其中"),
        ("1.5", ("0.13", "1.37"), True, "其中"),
    ]


def test_parts_by_month_of_a_cumulative_figure() -> None:
    facts, relations = _read(
        "2023 年，财政部累计下达自治区新增地方政府债务限额 1328 亿元，其中：1—4 月份下达的 414 "
        "亿元限额已经分配下达至各地，5 月份财政部下达自治区新增地方政府债务限额 914 亿元。\n"
        "2023 年自治区新增地方政府债务限额 1328 亿元中，新增一般债券限额 279 亿元，新增专项债券"
        "限额 1049 亿元。\n",
        kind=DocKind.EXECUTION_REPORT,
        name="新疆维吾尔自治区",
    )
    assert _sums(facts, relations) == [
        ("1328", ("414", "914"), True, "parts by period"),
        ("1328", ("279", "1049"), True, "其中"),
    ]


def test_parts_by_month_that_leave_months_out_are_not_all() -> None:
    facts, relations = _read(
        "2023 年，财政部下达自治区新增地方政府债务限额 1328 亿元，其中：1—4 月份下达的 414 "
        "亿元限额已经分配下达至各地，5 月份财政部下达自治区新增地方政府债务限额 914 亿元。\n",
        kind=DocKind.EXECUTION_REPORT,
        name="新疆维吾尔自治区",
    )
    assert _sums(facts, relations) == [("1328", ("414", "914"), False, "parts by period")]
