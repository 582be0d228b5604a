"""Report paragraphs from facts, in the seeds' style, and their round trip."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import seed
from tests.test_analyze_indicators import mk
from yusuan.model import Fact, Period, Stage, Unit
from yusuan.report.paragraphs import fact_phrase, scope_words, write_paragraphs


def test_sentence_in_seed_style() -> None:
    facts = [
        mk("一般公共预算收入", "131.5", yoy_abs="12.59", yoy_pct="10.59"),
        mk("税收收入", "77.48", parent="一般公共预算收入", yoy_pct="-5.18"),
        mk("非税收入", "54.01", parent="一般公共预算收入", yoy_pct="45.24"),
        mk("一般公共预算支出", "191.14", yoy_abs="2.15", yoy_pct="1.14"),
    ]
    text = write_paragraphs(facts).text.split("\n")
    assert text[0] == "关于2024年上半年昌吉回族自治州预算执行情况的报告"
    assert text[4] == (
        "1-6月，全州一般公共预算收入完成131.5亿元，比上年同期增收12.59亿元，增长10.59%。"
        "其中：税收收入完成77.48亿元，同比下降5.18%；非税收入完成54.01亿元，同比增长45.24%。"
        "全州一般公共预算支出完成191.14亿元，比上年同期增支2.15亿元，增长1.14%。")


def test_phrases_for_rates_shares_and_stocks() -> None:
    assert fact_phrase(mk("一般公共预算支出", "27.99", scope="own", pct_of_budget="26.19", yoy_pct="26.6"),
                       "州本级") == "州本级一般公共预算支出完成27.99亿元，为预算的26.19%，比上年同期增长26.6%"
    assert fact_phrase(mk("民生支出", "141.87", share_pct="74.23"), "全州") == (
        "全州民生支出完成141.87亿元，占一般公共预算支出的74.23%")
    assert fact_phrase(mk("国有资本经营预算支出", "0.03", yoy_abs="-0.01", yoy_pct="-19.7"), "全州") == (
        "全州国有资本经营预算支出完成0.03亿元，比上年同期减支0.01亿元，下降19.7%")
    assert fact_phrase(mk("地方政府法定债务余额", "614.79", Stage.BALANCE, Period.parse("2024-06-30"))) == (
        "地方政府法定债务余额614.79亿元")
    assert fact_phrase(mk("三公经费", "1337", Stage.BUDGET, Period(2024), unit=Unit.WAN)) == (
        "三公经费1337万元纳入年初预算")
    assert scope_words("新疆维吾尔自治区") == ("全区", "自治区本级")
    assert scope_words("乌苏市") == ("全市", "市本级")


def _key(f: Fact, parent: bool = True) -> tuple[object, ...]:
    return (str(f.scope), f.indicator, f.parent if parent else None, f.stage, f.period, f.amount.value, f.amount.unit,
            f.yoy_abs, f.yoy_pct, f.pct_of_budget, f.share_pct)


def _round_trip(prefix: str) -> tuple[list[Fact], list[Fact], Counter]:
    from yusuan.extract import extract
    from yusuan.read import read, read_bytes

    document, _ = read(seed(prefix))
    assert document is not None
    ex = extract(document)
    gov = ex.government.name if ex.government else None
    written = write_paragraphs(ex.facts, gov)
    if not written.facts:
        pytest.skip(f"no narrative facts extracted from seed {prefix} yet")
    doc, _ = read_bytes(written.text.encode("utf-8"), f"generated-{prefix}.txt")
    assert doc is not None
    facts_back = extract(doc).facts
    back = Counter(_key(f) for f in facts_back)
    loose = Counter(_key(f, parent=False) for f in facts_back)
    missing = []
    for f in written.facts:
        # a part keeps its parent when it was written after 其中 under it
        k = _key(f, parent=f.id in written.parts)
        if back[k]:
            back[k] -= 1
        else:
            missing.append(f)
    return list(written.facts), missing, loose


def test_round_trip_seed000_every_fact() -> None:
    written, missing, _ = _round_trip("000")
    assert len(written) >= 40
    assert [(f.indicator, str(f.amount)) for f in missing] == []


def test_round_trip_seed004_every_fact() -> None:
    written, missing, _ = _round_trip("004")
    assert len(written) >= 160
    assert [(f.indicator, str(f.amount)) for f in missing] == []


def test_breakdown_of_a_part_goes_in_parentheses_and_reads_back() -> None:
    """Seed 004, 市本级 三公: 265.43 and 598.92 break down 864.35 (公务用车购置及运行维护费),
    so they are printed in parentheses right after it, as the seed does, and read back
    with it as their parent."""
    own = dict(scope="own", stage=Stage.FINAL, period=Period(2023), unit=Unit.WAN, gov="中卫市")
    facts = [
        mk("三公经费", "909.93", pct_of_budget="91.45", yoy_pct="1.97", **own),
        mk("公务用车购置及运行维护费", "864.35", parent="三公经费", pct_of_budget="93.12",
           yoy_pct="0.99", **own),
        mk("公务用车购置费", "265.43", parent="公务用车购置及运行维护费", **own),
        mk("公务用车运行维护费", "598.92", parent="公务用车购置及运行维护费", **own),
        mk("公务接待费支出", "40.06", parent="三公经费", **own),
    ]
    written = write_paragraphs(facts)
    assert ("其中：公务用车购置及运行维护费完成864.35万元，为预算的93.12%，同比增长0.99%"
            "（公务用车购置费完成265.43万元；公务用车运行维护费完成598.92万元）；"
            "公务接待费支出完成40.06万元。") in written.text
    assert [f.indicator for f in written.facts] == [
        "三公经费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费支出"]
    assert written.parts == frozenset(f.id for f in facts[1:])
    from yusuan.extract import extract
    from yusuan.read import read_bytes

    doc, _ = read_bytes(written.text.encode("utf-8"), "generated.txt")
    back = {(f.indicator, f.parent, str(f.amount)) for f in extract(doc).facts}
    assert back == {("三公经费", None, "909.93万元"),
                    ("公务用车购置及运行维护费", "三公经费", "864.35万元"),
                    ("公务用车购置费", "公务用车购置及运行维护费", "265.43万元"),
                    ("公务用车运行维护费", "公务用车购置及运行维护费", "598.92万元"),
                    ("公务接待费支出", "三公经费", "40.06万元")}


def test_breakdown_of_a_part_with_a_note_reads_back_with_its_parent() -> None:
    """Seed 004, 市级 三公 （含沙坡头区）: the breakdown of 1,203.04 keeps the note and
    its parent when read back."""
    own = dict(scope="own", stage=Stage.FINAL, period=Period(2023), unit=Unit.WAN, gov="中卫市")
    note = "（含沙坡头区）"
    facts = [
        mk("三公经费" + note, "1256.25", pct_of_budget="93.58", yoy_pct="12.67", **own),
        mk("公务用车购置及运行维护费" + note, "1203.04", parent="三公经费" + note,
           pct_of_budget="94.89", yoy_pct="11.89", **own),
        mk("公务用车购置费" + note, "412.42", parent="公务用车购置及运行维护费" + note,
           pct_of_budget="98.52", yoy_pct="46.30", **own),
        mk("公务用车运行维护费" + note, "790.62", parent="公务用车购置及运行维护费" + note,
           pct_of_budget="93.11", yoy_pct="-0.33", **own),
    ]
    written = write_paragraphs(facts)
    assert ("其中：公务用车购置及运行维护费完成1203.04万元（含沙坡头区），为预算的94.89%，"
            "同比增长11.89%（公务用车购置费完成412.42万元（含沙坡头区），为预算的98.52%，"
            "同比增长46.30%；公务用车运行维护费完成790.62万元（含沙坡头区），为预算的93.11%，"
            "同比下降0.33%）。") in written.text
    from yusuan.extract import extract
    from yusuan.read import read_bytes

    doc, _ = read_bytes(written.text.encode("utf-8"), "generated.txt")
    back = {(f.indicator, f.parent, str(f.amount), f.pct_of_budget, f.yoy_pct)
            for f in extract(doc).facts}
    assert back == {(f.indicator, f.parent, str(f.amount), f.pct_of_budget, f.yoy_pct) for f in facts}


def test_level_share_of_a_whole_figure_is_written_with_the_level_word() -> None:
    """Seed 004: 全市…收入完成 23.17 亿元…其中：市级 13.4 亿元（含沙坡头区）."""
    year = dict(stage=Stage.FINAL, period=Period(2023), gov="中卫市")
    facts = [
        mk("一般公共预算收入", "23.17", pct_of_budget="99", yoy_pct="6", **year),
        mk("一般公共预算收入（含沙坡头区）", "13.4", scope="own", parent="一般公共预算收入",
           pct_of_budget="102.6", yoy_pct="8.6", **year),
    ]
    text = write_paragraphs(facts).text
    assert ("全市一般公共预算收入完成23.17亿元，为预算的99%，比上年同期增长6%。"
            "其中：市级13.4亿元（含沙坡头区），为预算的102.6%，同比增长8.6%。") in text


def test_nothing_written_from_tables() -> None:
    f = mk("税收收入", "90000", Stage.BUDGET, Period(2024), unit=Unit.WAN, table="表1", column="2024年预算数", row=0)
    assert write_paragraphs([f]).facts == ()
