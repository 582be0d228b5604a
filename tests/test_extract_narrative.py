"""Narrative extraction on the real seeds: quotes, context, relations, speed."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import gold, seed
from yusuan.extract.context import detect_context
from yusuan.extract.narrative import extract_narrative
from yusuan.extract.paragraphs import assemble_paragraphs
from yusuan.model import DocKind, Document, Fact, RelationKind, Scope, Stage
from yusuan.read import read
from yusuan.refdata.lexicon import canonical

SEEDS = ("000", "001", "002", "003", "004")


def _document(prefix: str) -> Document:
    document, _ = read(seed(prefix))
    assert document is not None
    return document


def _narrative(document: Document) -> tuple[list, list]:
    context = detect_context(document)
    paragraphs = assemble_paragraphs(document, set())
    facts, relations, _ = extract_narrative(document, paragraphs, context)
    return facts, relations


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_quote_is_the_source_text(prefix: str) -> None:
    document = _document(prefix)
    facts, relations = _narrative(document)
    assert facts
    for fact in facts:
        src = fact.source
        assert document.text[src.start : src.end] == src.quote
        assert document.line_at(src.start) == src.line
        # the printed number is inside the quote (spaces may split it in the source)
        digits = re.sub(r"[\s,]", "", src.quote)
        assert str(abs(fact.amount.value)).replace(",", "") in digits or fact.amount.value == 0
    ids = {f.id for f in facts}
    for relation in relations:
        assert relation.total == "" or relation.total in ids
        # a balance's uses are prefixed with '-' (see YS301)
        assert {p.removeprefix("-") for p in relation.parts} <= ids


@pytest.mark.parametrize(
    ("prefix", "name", "year", "kind", "day"),
    [
        ("000", "昌吉回族自治州", 2024, DocKind.EXECUTION_REPORT, date(2024, 8, 20)),
        ("001", "新疆维吾尔自治区", 2023, DocKind.EXECUTION_REPORT, date(2023, 7, 26)),
        ("002", "乌苏市", 2024, DocKind.BUDGET_REPORT, None),
        ("003", "昌吉回族自治州", 2024, DocKind.DEPARTMENT_BUDGET, None),
        ("004", "中卫市", 2023, DocKind.FINAL_REPORT, None),
    ],
)
def test_context(prefix: str, name: str, year: int, kind: DocKind, day: date | None) -> None:
    context = detect_context(_document(prefix))
    assert (context.government_name, context.year, context.kind, context.date) == (
        name,
        year,
        kind,
        day,
    )


def test_department_of_003() -> None:
    context = detect_context(_document("003"))
    assert context.department == "财政局"


def _label(f: Fact) -> tuple[str, str, str, str, Decimal]:
    return (canonical(f.indicator), str(f.scope), str(f.period), str(f.stage), f.amount.value)


_GOLD_FACT = re.compile(
    r"^(?P<ind>.+?) \[(?P<scope>[^,]+), (?P<period>[^,]+), (?P<stage>[^\]]+)\] = "
    r"(?P<value>-?[\d.]+) (?:亿元|万元|元)$"
)


def _gold_label(text: str) -> tuple[str, str, str, str, Decimal] | None:
    m = _GOLD_FACT.match(text)
    if not m:
        return None  # "0 (暂未发生)": a part the text states without a number
    return (
        canonical(m.group("ind")),
        m.group("scope"),
        m.group("period"),
        m.group("stage"),
        Decimal(m.group("value")),
    )


def test_sums_stated_in_000() -> None:
    facts, relations = _narrative(_document("000"))
    by_id = {f.id: f for f in facts}
    found = {
        (_label(by_id[r.total]), frozenset(_label(by_id[p]) for p in r.parts))
        for r in relations
        if r.kind == RelationKind.SUM
    }
    expected = json.loads(gold("000_*.relations.json").read_text("utf-8"))
    checked = 0
    for item in expected:
        if item["kind"] != "sum":
            continue
        parts = [_gold_label(p) for p in item["parts"]]
        if None in parts:
            continue  # 州本级国有资本经营预算支出 "暂未发生": no printed part to link
        assert (_gold_label(item["total"]), frozenset(parts)) in found, item["total"]
        checked += 1
    assert checked >= 9


def test_growth_share_ratio_and_exhaustive_in_000() -> None:
    facts, relations = _narrative(_document("000"))
    by_id = {f.id: f for f in facts}
    growth = {by_id[r.total].indicator for r in relations if r.kind == RelationKind.GROWTH}
    assert {"一般公共预算收入", "国有土地使用权出让收入", "非税收入"} <= growth
    shares = {
        (by_id[r.parts[0]].indicator, by_id[r.total].indicator, r.stated)
        for r in relations
        if r.kind == RelationKind.SHARE and r.total
    }
    assert ("民生支出", "一般公共预算支出", Decimal("74.23")) in shares
    assert ("非税收入", "一般公共预算收入", Decimal("41.07")) in shares
    exhaustive = {
        (by_id[r.total].indicator, by_id[r.total].scope, r.exhaustive)
        for r in relations
        if r.kind == RelationKind.SUM
    }
    assert ("三保支出", Scope.WHOLE, True) in exhaustive
    assert ("非税收入", Scope.WHOLE, False) in exhaustive  # a partial 其中 list


def test_final_report_stages_and_differences_in_004() -> None:
    facts, relations = _narrative(_document("004"))
    label = {(f.indicator, f.scope, f.stage, str(f.period), f.amount.value) for f in facts}
    assert ("一般公共预算收入", Scope.WHOLE, Stage.FINAL, "2023", Decimal("23.17")) in label
    assert ("一般公共预算收入", Scope.WHOLE, Stage.EXECUTION, "2023", Decimal("22.97")) in label
    assert ("一般公共预算收入", "中宁县", Stage.FINAL, "2023", Decimal("7.11")) in label
    by_id = {f.id: f for f in facts}
    diffs = {
        (by_id[r.total].amount.value, by_id[r.parts[0]].amount.value, r.stated)
        for r in relations
        if r.kind == RelationKind.DIFFERENCE
    }
    assert (Decimal("23.17"), Decimal("22.97"), Decimal("20000000.0")) in diffs
    assert (Decimal("8.31"), Decimal("11.66"), Decimal("-335000000.00")) in diffs


def test_mid_year_report_001() -> None:
    facts, _ = _narrative(_document("001"))
    label = {
        (
            f.indicator,
            f.scope,
            str(f.period),
            f.amount.value,
            f.yoy_abs and f.yoy_abs.value,
            f.yoy_pct,
        )
        for f in facts
    }
    assert (
        "一般公共预算收入",
        Scope.WHOLE,
        "2023-01..06",
        Decimal("1112.5"),
        Decimal("201.4"),
        Decimal("22.1"),
    ) in label
    assert (
        "一般公共预算支出",
        Scope.WHOLE,
        "2023-01..06",
        Decimal("3276.5"),
        Decimal("342.4"),
        Decimal("11.7"),
    ) in label
    own = {(f.indicator, f.amount.value, f.pct_of_budget) for f in facts if f.scope == Scope.OWN}
    assert ("一般公共预算收入", Decimal("170.8"), Decimal("106.8")) in own


# Figures the source itself gives twice under one name with different values.  Each entry is
# (seed, indicator, stage, period) and the reason; anything else sharing a context with a
# different value is an extraction error.
_SAME_NAME_ALLOWED: dict[tuple[str, str, str, str], str] = {
    ("002", "一般公共预算收入", "budget", "2024"): (
        "line 159's balance sentence calls the 总财力 407810 '一般公共预算收入' (gold N119 "
        "follows the text); line 137 lists the revenue proper, 150000, as a part of 总财力"
    ),
    ("002", "政府性基金预算收入", "budget", "2024"): (
        "line 189 calls the fund book's 总财力 132328 '政府性基金预算收入'; line 165 the "
        "revenue proper, 95263"
    ),
    **{
        ("002", name, "budget", "2024"): (
            "the same printed part under two wholes (自治区保障标准 and 地方保障标准 “三保”支出, "
            "lines 143/145); Fact.parent tells them apart, the gold names them as printed"
        )
        for name in ("保基本民生支出", "保工资支出", "保运转支出")
    },
    **{
        ("002", name, stage, period): (
            "debt service printed as a total for all bonds, then for general and for special "
            "bonds (lines 1347-1359) with the same part names; Fact.parent tells them apart"
        )
        for name, stage, period in (
            ("本金", "execution", "2023"),
            ("财政预算安排还本", "execution", "2023"),
            ("再融资债券还本", "execution", "2023"),
            ("财政预算安排付息", "execution", "2023"),
            ("财政预算安排还本", "budget", "2024"),
            ("再融资债券用于还本", "budget", "2024"),
            ("付息", "budget", "2024"),
        )
    },
    ("002", "巩固拓展脱贫攻坚成果和乡村振兴任务项目", "plan", "2024"): (
        "the same use of two funds (中央 3084 at line 1399, 自治区 2463 at line 1445); "
        "Fact.parent names the fund"
    ),
    ("002", "项目绩效目标", "budget", "2023"): (
        "two monitoring rounds in one sentence (June: 127131.27, August: 152251.88) over "
        "different sets of projects (line 2086)"
    ),
    ("003", "财政业务工作经费", "budget", "2024"): (
        "the project's budget (section （五）, 152.00) and its carry-over balance listed under "
        "上年结转结余 (line 1260, 9.12); the model has no carry-over stage"
    ),
}


def _interval(fact: Fact) -> tuple[Decimal, Decimal]:
    """The yuan a printed figure stands for (131.5 亿元 -> [131.45, 131.55) 亿元)."""
    amount = fact.amount
    scale = amount.yuan / amount.value if amount.value else Decimal(1)
    half = Decimal(1).scaleb(amount.value.as_tuple().exponent) / 2 * abs(scale)
    return amount.yuan - half, amount.yuan + half


def test_no_two_facts_share_a_context_with_different_values() -> None:
    violations = []
    used = set()
    for prefix in SEEDS:
        facts, _ = _narrative(_document(prefix))
        by_key: dict[tuple, list[Fact]] = {}
        for fact in facts:
            by_key.setdefault(fact.key, []).append(fact)
        for key, group in by_key.items():
            spans = {(f.source.start, f.source.end) for f in group}
            bounds = [_interval(f) for f in group]
            if len(spans) < 2 or max(lo for lo, _ in bounds) < min(hi for _, hi in bounds):
                continue  # one quote, or one figure printed in different units
            allowed = (prefix, key[3], str(key[4]), key[5])
            if allowed in _SAME_NAME_ALLOWED:
                used.add(allowed)
                continue
            violations.append(
                (prefix, *map(str, key[1:]), tuple((f.source.line, str(f.amount)) for f in group))
            )
    assert violations == []
    assert used == set(_SAME_NAME_ALLOWED)  # an entry no longer needed is removed
