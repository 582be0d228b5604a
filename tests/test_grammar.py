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
    signed,
)
from yusuan.extract.paragraphs import assemble_paragraphs, is_heading_line, repair
from yusuan.model import DocKind, Document, RelationKind, Scope, Stage
from yusuan.read.base import split_lines


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
    ("text", "pct"),
    [
        ("为预算的44.76%", "44.76"),
        ("为调整预算的90.2%", "90.2"),
        ("完成年度预算的108.3%", "108.3"),
        ("支出进度达到63.2%", "63.2"),
        ("执行率99.98%", "99.98"),
    ],
)
def test_pct_of_budget(text: str, pct: str) -> None:
    m = PCT_BUDGET_RE.search(text)
    assert m is not None and decimal_of(m.group("num")) == Decimal(pct)


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
