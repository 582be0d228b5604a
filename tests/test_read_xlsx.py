"""Excel: rows as tab-separated lines, numbers as their format displays them."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest

from tests.support.render import cell_value
from yusuan.read import read_bytes
from yusuan.read.xlsx import format_number


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (448488, "General", "448488"),
        (448488.0, "General", "448488"),
        (0.1 + 0.2, "General", "0.3"),
        (2400.54, "General", "2400.54"),
        (0.2312, "0.00%", "23.12%"),
        (-0.1615, "0.00%", "-16.15%"),
        (0.05, "0%", "5%"),
        (2400.54, "#,##0.00", "2,400.54"),
        (1234567, "#,##0", "1,234,567"),
        (2400.5, "0.00", "2400.50"),
        (131.45, "0.0", "131.5"),
        (-5.0, "#,##0.00;[Red]-#,##0.00", "-5.00"),
        (-5.0, "#,##0.00;(#,##0.00)", "(5.00)"),
        (-5.0, "#,##0.00_);(#,##0.00)", "(5.00)"),
        (5.0, "#,##0.00_);(#,##0.00)", "5.00"),
        (0.0, "0.00", "0.00"),
        (Decimal("12.5"), "General", "12.5"),
        (3, '"¥"#,##0', "¥3"),
        (12.5, '0.0"万元"', "12.5万元"),
    ],
)
def test_format_number(value, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_generator_cell_values() -> None:
    assert cell_value("73100") == (73100, None)
    assert cell_value("23.12%") == (pytest.approx(0.2312), "0.00%")
    assert cell_value("2,400.54") == (2400.54, "#,##0.00")
    assert cell_value("1.5") == (1.5, "0.0")
    assert cell_value("") == (None, None)
    assert cell_value("0101") == ("0101", None)
    assert cell_value("101", numeric=False) == ("101", None)
    assert cell_value("一、税收收入") == ("一、税收收入", None)


def _book_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "收入"
    ws["A1"] = "2024 年乌苏市一般公共预算收入表"
    ws.merge_cells("A1:D1")
    ws["D2"] = "单位：万元"
    ws.append(["科目编码", "项 目", "2024 年预算数", "增长%"])
    ws.append(["101", "一、税收收入", 90000, 0.2312])
    ws["D4"].number_format = "0.00%"
    ws.append(["10105", "企业所得税退税", None, None])
    ws.append([None, "合计", 2400.54, None])
    ws["C6"].number_format = "#,##0.00"
    ws.append([])
    ws.append(["填报日期", datetime(2024, 1, 8)])
    second = book.create_sheet("说明")
    second["A1"] = "无"
    third = book.create_sheet("Sheet3")  # a default name is not text
    third["A1"] = "表2"
    fourth = book.create_sheet("表3")  # nor a name its first line repeats
    fourth["A1"] = "表 3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_rows() -> None:
    doc, problems = read_bytes(_book_bytes(), "b.xlsx")
    assert problems == [] and doc is not None
    assert doc.text.split("\n") == [
        "收入",
        "2024 年乌苏市一般公共预算收入表",
        "单位：万元",
        "科目编码\t项 目\t2024 年预算数\t增长%",
        "101\t一、税收收入\t90000\t23.12%",
        "10105\t企业所得税退税\t\t",
        "\t合计\t2,400.54\t",
        "",
        "填报日期\t2024-01-08",
        "",
        "说明",
        "无",
        "",
        "表2",
        "",
        "表 3",
        "",
    ]


def test_empty_workbook() -> None:
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    doc, problems = read_bytes(out.getvalue(), "e.xlsx")
    assert doc is None and [p.code for p in problems] == ["read.empty"]


def test_formulas_without_values_are_reported() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["项目", "金额"])
    ws.append(["甲", 1])
    ws.append(["乙", 2])
    ws.append(["合计", "=SUM(B2:B3)"])  # openpyxl saves no computed value
    out = io.BytesIO()
    book.save(out)
    doc, problems = read_bytes(out.getvalue(), "f.xlsx")
    assert [(p.code, p.message_en.split(" ")[1]) for p in problems] == [("read.formulas", "1")]
    assert doc is not None and doc.text.split("\n")[3] == "合计\t"
