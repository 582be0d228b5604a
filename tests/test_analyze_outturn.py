"""Budget against outturn: one line per item and year, stages side by side."""

from __future__ import annotations

from decimal import Decimal

from tests.test_analyze_indicators import mk
from yusuan.analyze.outturn import outturn_lines
from yusuan.model import Book, Period, Stage

D = Decimal


def test_one_line_with_every_stage() -> None:
    y = Period(2024)
    facts = [
        mk("一般公共预算支出", "100", Stage.BUDGET, y, book=Book.GENERAL),
        mk("一般公共预算支出", "120", Stage.ADJUSTED, y, book=Book.GENERAL),
        mk("一般公共预算支出", "30", Stage.EXECUTION, Period(2024, 1, 3), book=Book.GENERAL),
        mk("一般公共预算支出", "66", Stage.EXECUTION, Period(2024, 1, 6), book=Book.GENERAL,
           pct_of_budget="55"),
        mk("一般公共预算支出", "90", Stage.EXECUTION, Period(2023, 1, 6), book=Book.GENERAL),
    ]
    lines = outturn_lines(facts)
    assert [(ln.year, ln.item) for ln in lines] == [(2023, "一般公共预算支出"), (2024, "一般公共预算支出")]
    line = lines[1]
    assert (line.budget.yuan, line.adjusted.yuan, line.execution.yuan) == (
        D(100) * 10**8, D(120) * 10**8, D(66) * 10**8)
    assert line.final is None
    assert line.execution_rate == D(55)  # 66 / 120 adjusted
    assert line.stated_rate == D(55)
    assert line.variance == D(-54) * 10**8
    assert line.elapsed == D(50)
    assert line.ahead == D(5)
    # cumulative figures are kept; 4-6月 is derived by difference and says so
    assert [str(f.period) for f in line.cumulative] == ["2024-01..03", "2024-01..06"]
    (single,) = line.singles
    assert (str(single.period), single.yuan, single.derivation) == (
        "2024-04..06", D(36) * 10**8, "2024-01..06 − 2024-01..03")
    # the 2023 line holds only its own execution figure: years never mix
    assert lines[0].budget is None and lines[0].execution.yuan == D(90) * 10**8


def test_final_outturn_is_whole_year() -> None:
    y = Period(2023)
    facts = [mk("税收收入", "40", Stage.FINAL, y, code="101"), mk("税收收入", "50", Stage.BUDGET, y, code="101")]
    (line,) = outturn_lines(facts)
    assert (line.item, line.execution_rate, line.elapsed) == ("101", D(80), D(100))


def test_no_derivation_without_both_ends() -> None:
    facts = [mk("一般公共预算收入", "66", Stage.EXECUTION, Period(2024, 1, 6)),
             mk("一般公共预算收入", "20", Stage.EXECUTION, Period(2024, 4, 6))]
    (line,) = outturn_lines(facts)
    assert line.singles == ()
    assert line.execution.period == Period(2024, 1, 6)
