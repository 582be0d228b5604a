"""The simulated year's facts through the report generator and the checker.

This is the last "done when" step of the cycle issue: the disclosure tables and
the mid-year report paragraphs generated from the cycle's figures exist, and the
checker finds nothing wrong in them.  It uses src/yusuan/report and
src/yusuan/check (other helpers' work): when their interfaces change, adapt this
file (marked for the lead).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.test_cycle_year import NAME, YEAR, simulate_year
from yusuan.check import check
from yusuan.extract import extract
from yusuan.model.records import Period, Stage
from yusuan.read import read
from yusuan.report.excel import standard_tables, write_workbook
from yusuan.report.paragraphs import write_paragraphs


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return simulate_year(tmp_path_factory.mktemp("year"))


def test_mid_year_paragraphs_read_back_and_check_clean(year: dict, tmp_path: Path) -> None:
    # a report speaks of the books and their 类 (款 and 项 belong in the tables)
    facts = [f for f in year["facts"]
             if ((f.stage == Stage.EXECUTION and f.period == Period.months(YEAR, 1, 6))
                 or f.stage == Stage.BUDGET) and (f.code is None or len(f.code) == 3)]
    written = write_paragraphs(facts, government=NAME)
    path = tmp_path / "mid_year.txt"
    path.write_text(written.text, encoding="utf-8")
    document, problems = read(str(path))
    assert document is not None and list(problems) == []
    extraction = extract(document)
    assert len(extraction.facts) == len(written.facts)
    total = [f for f in extraction.facts if f.indicator.endswith("一般公共预算支出")
             and f.stage == Stage.EXECUTION]
    assert [(f.amount.value, f.amount.unit.value) for f in total] == [(D(2437), "万元")]
    assert list(check([extraction]).findings) == []


def test_disclosure_tables_read_back_and_check_clean(year: dict, tmp_path: Path) -> None:
    tables = standard_tables(year["facts"], NAME, YEAR)
    assert f"{YEAR}年{NAME}本级一般公共预算支出表" in [t.title for t in tables]
    path = tmp_path / "tables.xlsx"
    write_workbook(tables, path)
    document, problems = read(str(path))
    assert document is not None and list(problems) == []
    extraction = extract(document)
    by_code = {f.code: f.amount.value for f in extraction.facts if f.code}
    assert (by_code["205"], by_code["213"]) == (D(1200), D(800))
    assert list(check([extraction]).findings) == []


def test_cycle_figures_enter_the_ledger_as_a_document(year: dict, tmp_path: Path) -> None:
    from yusuan.cycle.publish import as_extraction
    from yusuan.model.records import Government, Level
    from yusuan.store import Store

    ex = as_extraction(year["facts"], Government("999901", NAME, Level.COUNTY), YEAR)
    assert len({f.id for f in ex.facts}) == len(ex.facts) == len(year["facts"])
    for f in ex.facts[:5]:
        assert ex.document.text[f.source.start:f.source.end] == f.source.quote
    with Store.open(tmp_path / "ledger.db") as store:
        store.ingest(ex)
        june = store.facts(government="999901", stage="execution", period="2024-01..06",
                           indicator="一般公共预算支出")
        assert [(f.amount.value, f.amount.unit.value) for f in june] == [(D(2437), "万元")]
    assert list(check([ex]).findings) == []
