"""Excel disclosure tables: written from the ledger, read back with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import seed
from tests.test_analyze_indicators import mk
from yusuan.model import Book, Cell, Column, ColumnKind, Fact, Period, Row, Stage, Table, Unit
from yusuan.report.excel import (
    HEADER_ROW,
    XTable,
    standard_tables,
    table_from_ledger,
    write_workbook,
)

D = Decimal


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_published_table_rebuilt_from_facts(tmp_path: Path) -> None:
    cols = (Column("科目编码", ColumnKind.CODE), Column("项目", ColumnKind.NAME),
            Column("2023年预算数", ColumnKind.AMOUNT, 2023, Stage.BUDGET),
            Column("2024年预算数", ColumnKind.AMOUNT, 2024, Stage.BUDGET),
            Column("比上年预算数增(减)%", ColumnKind.GROWTH))

    def row(code: str | None, name: str, a: str, b: str, g: str, start: int, total: bool = False) -> Row:
        cells = (Cell(a, D(a) if a else None, start, start + len(a)),
                 Cell(b, D(b) if b else None, start + 10, start + 10 + len(b)),
                 Cell(g, D(g.rstrip("%")) if g else None, start + 20, start + 20 + len(g)))
        return Row(code, name, cells, 1, start, start + 30, total)

    rows = (row("101", "一、税收收入", "73100", "90000", "23.12%", 100),
            row("10118", "耕地占用税", "300", "", "-100.00%", 200),
            row(None, "一般公共预算收入", "448488", "407810", "-9.07%", 300, total=True))
    table = Table("表1", "2024 年乌苏市一般公共预算收入表", "万元", cols, rows, False, 1, 9, 0, 400,
                  book=Book.GENERAL)
    facts: list[Fact] = []
    for i, r in enumerate(rows):
        for vi, c in enumerate(r.cells[:2]):
            if c.value is None:
                continue
            f = mk(r.name, c.text, Stage.BUDGET, Period(2023 + vi), unit=Unit.WAN, code=r.code,
                   table="表1", column=cols[2 + vi].name, row=i,
                   yoy_pct=r.cells[2].text.rstrip("%") if vi == 1 else None)
            # the extractor's span is the cell's span
            facts.append(Fact(**{**{k: getattr(f, k) for k in f.__slots__ if k != "id"},
                                 "source": f.source.__class__(f.source.document, 1, c.start, c.end, c.text)}))
    xt = table_from_ledger(table, facts)
    path = tmp_path / "t.xlsx"
    write_workbook([xt], path)
    ws = load_workbook(path)["表1"]
    assert (ws["A1"].value, ws["A2"].value, ws.cell(3, 5).value) == ("表1", table.title, "单位：万元")
    assert [c.value for c in ws[HEADER_ROW]] == [c.name for c in cols]
    got = [[ws.cell(HEADER_ROW + 1 + i, j).value for j in range(1, 6)] for i in range(3)]
    assert [[g[0], g[1], *(_number(v) for v in g[2:])] for g in got] == [
        ["101", "一、税收收入", D(73100), D(90000), D("23.12")],
        ["10118", "耕地占用税", D(300), None, D("-100.00")],  # rate of a blank cell: the stored table's
        [None, "一般公共预算收入", D(448488), D(407810), D("-9.07")],
    ]
    assert isinstance(ws["C5"].value, int | float)  # a number, not text
    assert ws["E5"].number_format.endswith('"%"')


def test_standard_tables_prior_current_change(tmp_path: Path) -> None:
    facts = [
        mk("税收收入", "73100", Stage.FINAL, Period(2023), unit=Unit.WAN, code="101", book=Book.GENERAL, gov="乌苏市"),
        mk("税收收入", "90000", Stage.BUDGET, Period(2024), unit=Unit.WAN, code="101", book=Book.GENERAL, gov="乌苏市"),
        mk("一般公共服务支出", "1.2", Stage.BUDGET, Period(2024), unit=Unit.YI, code="201", book=Book.GENERAL, gov="乌苏市"),
        mk("一般公共服务支出", "10000", Stage.EXECUTION, Period(2023), unit=Unit.WAN, code="201", book=Book.GENERAL, gov="乌苏市"),
        mk("国有土地使用权出让收入", "5000", Stage.BUDGET, Period(2024), unit=Unit.WAN, code="1030148", book=Book.FUND, gov="乌苏市", scope="own"),
    ]
    tables = standard_tables(facts, "乌苏市", 2024)
    assert [(t.number, t.title) for t in tables] == [
        ("表1", "2024年乌苏市一般公共预算收入表"),
        ("表2", "2024年乌苏市一般公共预算支出表"),
        ("表3", "2024年乌苏市本级政府性基金预算收入表"),
    ]
    assert tables[0].rows[0].values == (D(73100), D(90000), D("23.12"))  # (90000-73100)/73100
    assert tables[1].rows[0].values == (D(10000), D(12000), D("20.00"))  # 1.2 亿元 = 12000 万元
    path = tmp_path / "std.xlsx"
    write_workbook(tables, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["表1", "表2", "表3"]
    assert _number(wb["表2"]["D5"].value) == D(12000)


def test_empty_workbook_still_opens(tmp_path: Path) -> None:
    write_workbook([], tmp_path / "e.xlsx")
    assert load_workbook(tmp_path / "e.xlsx").sheetnames == ["空"]


def test_seed002_tables_rebuilt_cell_by_cell(tmp_path: Path) -> None:
    from yusuan.extract import extract
    from yusuan.read import read

    document, _ = read(seed("002"))
    assert document is not None
    ex = extract(document)
    tables = [t for t in ex.tables if not t.empty and t.number]
    if not tables:
        pytest.skip("table extraction gives no numbered tables of seed 002 yet")
    rebuilt: list[XTable] = [table_from_ledger(t, ex.facts) for t in tables]
    path = tmp_path / "002.xlsx"
    write_workbook(rebuilt, path)
    wb = load_workbook(path)
    compared = 0
    wrong = []
    for sheet, table in zip(wb.worksheets, tables, strict=True):
        assert sheet.cell(1, 1).value == table.number
        assert sheet.cell(2, 1).value == table.title
        value_at = [i + 1 for i, c in enumerate(table.columns) if c.kind not in (ColumnKind.CODE, ColumnKind.NAME)]
        for r, row in enumerate(table.rows):
            for vi, cell in enumerate(row.cells):
                got = sheet.cell(HEADER_ROW + 1 + r, value_at[vi]).value
                compared += 1
                ok = got == cell.text if isinstance(got, str) else _number(got) == cell.value
                if not ok:
                    wrong.append((table.number, r, row.name, table.value_columns[vi].name, cell.text, got))
    assert compared > 2000
    assert wrong == []


def test_three_public_and_debt_tables() -> None:
    from yusuan.report.excel import debt_table, three_public_table

    gov = "乌苏市"
    facts = [
        mk("“三公”经费支出", "1341", Stage.BUDGET, Period(2023), unit=Unit.WAN, gov=gov),
        mk("“三公”经费支出", "1337", Stage.BUDGET, Period(2024), unit=Unit.WAN, gov=gov),
        mk("公务接待费", "345", Stage.BUDGET, Period(2024), unit=Unit.WAN, gov=gov),
        # seed 004: 自治区核定市本级债务限额87.65亿元。年底限额内政府性债务余额 76.57 亿元
        mk("债务限额", "87.65", Stage.LIMIT, Period(2023), gov=gov, scope="own"),
        mk("政府债务余额", "76.57", Stage.BALANCE, Period.parse("2023-12-31"), gov=gov, scope="own"),
        mk("政府债务余额", "70", Stage.BALANCE, Period.parse("2023-06-30"), gov=gov, scope="own"),
    ]
    t = three_public_table(facts, gov, 2024)
    assert [(r.name, r.values) for r in t.rows] == [
        ("“三公”经费支出", (D(1341), D(1337), D("-0.30"))),  # (1337-1341)/1341 = -0.298%
        ("公务接待费", (None, D(345), None)),
    ]
    d = debt_table(facts, gov, 2023)
    assert [(r.name, r.values) for r in d.rows] == [("地方政府债务（本级）", (D("87.65"), D("76.57")))]
    assert d.headers == ("项目", "债务限额", "债务余额")


def test_basic_expenditure_by_economic_class_kept_apart_by_table(tmp_path: Path) -> None:
    """Seed 002 prints 表5 基本支出 and 表6 all expenditure by 政府预算支出经济分类:
    501 is 82152 / 86515 in 表5 and 86234 / 88933 in 表6; each table keeps its own."""
    gov = "乌苏市"
    own = dict(unit=Unit.WAN, gov=gov, scope="own", book=Book.GENERAL)

    def row(table: str, code: str, name: str, prior: str, current: str) -> list[Fact]:
        return [mk(name, prior, Stage.BUDGET, Period(2023), code=code, table=table, row=0, **own),
                mk(name, current, Stage.BUDGET, Period(2024), code=code, table=table, row=0, **own)]

    facts = [
        *row("表5", "501", "机关工资福利支出", "82152", "86515"),
        *row("表5", "502", "机关商品和服务支出", "8361", "5980"),
        *row("表6", "501", "机关工资福利支出", "86234", "88933"),
        *row("表6", "503", "机关资本性支出（一）", "100", "0"),
    ]
    titles = {"表5": "2024 年乌苏市本级一般公共预算基本支出预算表",
              "表6": "2024 年乌苏市本级一般公共预算政府预算支出经济分类明细表"}
    tables = standard_tables(facts, gov, 2024, titles=titles)
    assert [(t.number, t.title) for t in tables] == [
        ("表1", "2024年乌苏市本级一般公共预算基本支出预算表"),
        ("表2", "2024年乌苏市本级一般公共预算政府预算支出经济分类表"),
    ]
    assert [(r.code, r.values) for r in tables[0].rows] == [
        ("501", (D(82152), D(86515), D("5.31"))),  # (86515-82152)/82152 = 5.311%
        ("502", (D(8361), D(5980), D("-28.48"))),  # (5980-8361)/8361 = -28.477%
        (None, (D(90513), D(92495), D("2.19"))),  # 82152+8361, 86515+5980; 1982/90513 = 2.190%
    ]
    assert tables[1].rows[0].values == (D(86234), D(88933), D("3.13"))
    write_workbook(tables, tmp_path / "econ.xlsx")
    ws = load_workbook(tmp_path / "econ.xlsx")["表1"]
    assert (ws["A5"].value, _number(ws["D5"].value), ws["B7"].value) == ("501", D(86515), "合计")


def test_transfers_to_lower_governments_by_project_and_region() -> None:
    """230 items give the 对下转移支付安排情况表; seed 004's "补助沙坡头区支出 32.36 亿元"
    (一般公共预算) and "0.26 亿元" (政府性基金) give the table by region."""
    gov = "中卫市"
    wan = dict(unit=Unit.WAN, gov=gov, book=Book.GENERAL)
    facts = [
        mk("返还性支出", "8926", Stage.FINAL, Period(2023), code="23001", **wan),
        mk("返还性支出", "8926", Stage.BUDGET, Period(2024), code="23001", **wan),
        mk("一般性转移支付", "1000", Stage.BUDGET, Period(2024), code="23002", **wan),
        mk("均衡性转移支付支出", "600", Stage.BUDGET, Period(2024), code="2300202", **wan),
        mk("补助沙坡头区支出", "32.36", Stage.FINAL, Period(2023), gov=gov, scope="own",
           book=Book.GENERAL),
        mk("补助沙坡头区支出", "0.26", Stage.FINAL, Period(2023), gov=gov, scope="own", book=Book.FUND),
    ]
    from yusuan.report.excel import transfer_tables

    by_project, by_region = transfer_tables(facts, gov, 2024)
    assert by_project.title == "2024年中卫市对下转移支付安排情况表"
    assert [(r.code, r.name, r.values) for r in by_project.rows] == [
        ("23001", "返还性支出", (D(8926), D(8926), D("0.00"))),
        ("23002", "一般性转移支付", (None, D(1000), None)),
        ("2300202", "均衡性转移支付支出", (None, D(600), None)),
        (None, "中卫市对下税收返还和转移支付合计", (D(8926), D(9926), D("11.20"))),  # 1000/8926
    ]
    assert by_region.title == "2023年中卫市对下转移支付决算情况表（分地区）"
    assert by_region.headers == ("项目", "合计", "沙坡头区")
    assert [(r.name, r.values) for r in by_region.rows] == [
        ("一般公共预算对下转移支付", (D(323600), D(323600))),  # 32.36 亿元 = 323600 万元
        ("政府性基金预算对下转移支付", (D(2600), D(2600))),
        ("合计", (D(326200), D(326200))),
    ]
