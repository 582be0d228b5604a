"""Comparisons across years and peers; classification codes across years."""

from __future__ import annotations

from decimal import Decimal

from tests.test_analyze_indicators import mk
from yusuan.analyze.codemap import link_codes, remap_facts
from yusuan.analyze.compare import across_years, against_peers
from yusuan.analyze.indicators import compute
from yusuan.model import Code, Level, Period, Stage

D = Decimal


def _pair(gov: str, year: int, rev: str, spend: str) -> list:
    p = Period(year, 1, 6)
    return [mk("一般公共预算收入", rev, Stage.EXECUTION, p, gov=gov),
            mk("一般公共预算支出", spend, Stage.EXECUTION, p, gov=gov)]


def test_across_years_like_for_like() -> None:
    facts = _pair("甲市", 2023, "40", "100") + _pair("甲市", 2024, "50", "100")
    facts.append(mk("一般公共预算收入", "90", Stage.FINAL, Period(2023), gov="甲市"))
    rows = across_years(compute(facts, select=["fiscal_self_sufficiency"]))
    h1 = [r for r in rows if r.months == "01..06"]
    assert [(r.years, r.values, r.changes) for r in h1] == [
        ((2023, 2024), (D(40), D(50)), (None, D(10)))]
    assert all(r.stage is Stage.EXECUTION for r in h1)


def test_peers_against_same_level_mean() -> None:
    facts = _pair("甲市", 2024, "40", "100") + _pair("乙市", 2024, "60", "100") + _pair("丙县", 2024, "10", "100")
    results = compute(facts, select=["fiscal_self_sufficiency"])
    rows = against_peers(results, {"甲市": Level.PREFECTURE, "乙市": Level.PREFECTURE, "丙县": Level.COUNTY})
    got = [(r.government, r.level, r.value, r.peer_mean, r.deviation, r.rank, r.peer_count) for r in rows]
    assert got == [
        ("丙县", "county", D(10), D(10), D(0), 1, 1),
        ("乙市", "prefecture", D(60), D(50), D(10), 1, 2),
        ("甲市", "prefecture", D(40), D(50), D(-10), 2, 2),
    ]


def _codes(year: int, items: dict[str, str]) -> list[Code]:
    return [Code(c, n, "function", year) for c, n in items.items()]


def test_codes_linked_across_years_and_unmatched_reported() -> None:
    old = _codes(2023, {"2010101": "行政运行", "2010102": "一般行政管理事务", "2080501": "行政单位离退休",
                        "2130199": "其他农业支出", "2299999": "旧项目"})
    new = _codes(2024, {"2010101": "行政运行", "2010102": "一般行政管理事务（新）", "2080505": "行政单位离退休",
                        "2130126": "农村综合改革", "2130199": "其他农业农村支出", "2240101": "新项目"})
    mapping = link_codes(old, new, {"2130126": ["2130199"]})
    links = {(x.old, x.new, x.status) for x in mapping.links}
    assert links == {
        ("2010101", "2010101", "same"),
        ("2010102", "2010102", "renamed"),
        ("2080501", "2080505", "recoded"),
        ("2130199", "2130126", "mapped"),
        ("2130199", "2130199", "renamed"),
    }
    assert [c.code for c in mapping.unmatched_old] == ["2299999"]
    assert [c.code for c in mapping.unmatched_new] == ["2240101"]
    facts = [mk("行政运行", "1", Stage.FINAL, Period(2023), code="2010101"),
             mk("其他农业支出", "2", Stage.FINAL, Period(2023), code="2130199"),
             mk("旧项目", "3", Stage.FINAL, Period(2023), code="2299999"),
             mk("行政单位离退休", "4", Stage.FINAL, Period(2023), code="2080501")]
    remapped = remap_facts(facts, mapping)
    assert [(c, f.amount.value) for c, f in remapped.facts] == [("2010101", D(1)), ("2080505", D(4))]
    assert [f.code for f in remapped.split] == ["2130199"]
    assert [f.code for f in remapped.unmatched] == ["2299999"]
