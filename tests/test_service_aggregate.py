"""The aggregate's rules, on facts small enough to read: cut and drill down,
never add across stages, years or periods, never add a 类 to its own 款, count
an item printed twice once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.model import Amount, Book, Fact, Period, Source, Stage, Unit
from yusuan.service.aggregate import Index, aggregate
from yusuan.service.envelope import ApiError


def fact(gov: str, code: str | None, value: str, stage: Stage = Stage.BUDGET, year: int = 2024,
         scope: str = "whole", book: Book = Book.GENERAL, start: int = 0,
         period: Period | None = None, indicator: str = "支出") -> Fact:
    return Fact(indicator=indicator, amount=Amount(Decimal(value), Unit.WAN), stage=stage,
                period=period or Period(year), source=Source(f"doc-{gov}", 1, start, start + 1, "x"),
                scope=scope, book=book, government=f"县{gov}", division=gov, code=code)


FACTS = [
    fact("650001", "201", "100"), fact("650001", "20101", "60", start=1), fact("650001", "205", "50", start=2),
    fact("650001", "201", "100", start=3),  # the same item printed again: counted once
    fact("650001", "201", "90", stage=Stage.FINAL, year=2023, start=4),
    fact("650001", "201", "40", stage=Stage.EXECUTION, period=Period(2024, 1, 6), start=5),
    fact("650001", "201", "70", stage=Stage.EXECUTION, period=Period(2024, 1, 9), start=6),
    fact("650001", "201", "30", scope="own", start=7),
    fact("650003", "201", "10"), fact("650003", "205", "5", start=1),
    fact("650003", "201", "999", book=Book.ALL, start=2),
    fact("650003", None, "120", indicator="一般公共预算收入", start=3),
    fact("650001", None, "300", indicator="一般公共预算收入", start=9),
]


def cells(result: dict) -> list[tuple]:
    keys = result["drilldown"]
    return sorted((*(c[k] for k in keys), c["amount"], c["count"]) for c in result["cells"])


def test_budget_by_government_adds_only_class_level_whole_scope_items() -> None:
    r = aggregate(Index(FACTS), "year:2024|stage:budget", "government")
    # 650001: 201 (100, once) + 205 (50); 20101 is a 款 and 本级 and 四本合计 are left out
    assert cells(r) == [("650001", "2024", "1500000", 2), ("650003", "2024", "150000", 2)]
    assert r["summary"] == {"amount": "1650000", "count": 4}


def test_drilling_by_stage_keeps_stages_and_periods_apart() -> None:
    r = aggregate(Index(FACTS), "year:2024|government:650001", "stage|code")
    assert cells(r) == [
        ("budget", "201", "2024", "1000000", 1), ("budget", "205", "2024", "500000", 1),
        ("execution", "201", "2024-01..06", "400000", 1), ("execution", "201", "2024-01..09", "700000", 1),
    ]
    assert r["summary"] is None  # no total across stages


def test_years_are_never_added() -> None:
    r = aggregate(Index(FACTS), "code:201|government:650001", "year|stage")
    assert ("2023", "final", "2023", "900000", 1) in cells(r)
    with pytest.raises(ApiError) as err:
        aggregate(Index(FACTS), "stage:budget", "government")
    assert (err.value.status, err.value.code, err.value.details) == (
        400, "aggregate.dimension_required", {"missing": ["year"]})


def test_levels_scope_book_and_indicator_cuts() -> None:
    assert cells(aggregate(Index(FACTS), "year:2024|stage:budget|level:2", "code")) == [
        ("20101", "2024", "600000", 1)]
    assert cells(aggregate(Index(FACTS), "year:2024|stage:budget|scope:own", "code")) == [
        ("201", "2024", "300000", 1)]
    assert cells(aggregate(Index(FACTS), "year:2024|stage:budget|book:all", "government")) == [
        ("650003", "2024", "9990000", 1)]
    r = aggregate(Index(FACTS), "year:2024|stage:budget|indicator:一般公共预算收入", "")
    assert (cells(r), r["summary"]["amount"]) == ([("2024", "4200000", 2)], "4200000")


def test_order_and_pages() -> None:
    r = aggregate(Index(FACTS), "year:2024|stage:budget", "code", order="amount:asc", page=1, pagesize=1)
    assert (r["cells"][0]["code"], r["total_cell_count"]) == ("205", 2)
    with pytest.raises(ApiError):
        aggregate(Index(FACTS), "year:2024|stage:budget", "code", order="colour:asc")
