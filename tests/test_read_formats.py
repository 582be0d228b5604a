"""Every format of the same seed tables reads back to the same rows and the same facts.

Tables 1-4 and 9 of seed 002 (with their number, title, unit and notes
lines) are rendered once per module as PDF, DOCX, XLSX and HTML by
tests/support/render.py and read back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import seed
from tests.support import need_cjk_font
from tests.support.render import render_all, seed_tables, table_rows
from yusuan.model import Document
from yusuan.read import read

TABLES = [1, 2, 3, 4, 9]
FORMATS = ["pdf", "docx", "xlsx", "html"]


def _squash(cell: str) -> str:
    return "".join(cell.split())


def rows_of(doc: Document) -> list[tuple[str, ...]]:
    return [tuple(_squash(c.text) for c in line.cells) for line in doc.lines if line.cells]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    text = seed_tables(seed("002").read_text(encoding="utf-8"), TABLES)
    directory = tmp_path_factory.mktemp("formats")
    txt = directory / "tables.txt"
    txt.write_text(text, encoding="utf-8")
    files = {"txt": txt}
    need_cjk_font()
    files.update(render_all(text, directory, "tables"))
    return files


@pytest.fixture(scope="module")
def documents(rendered: dict[str, Path]) -> dict[str, Document]:
    out = {}
    for fmt, path in rendered.items():
        doc, problems = read(path)
        assert problems == [], (fmt, problems)
        assert doc is not None and doc.format == fmt
        out[fmt] = doc
    return out


def test_seed_piece_has_the_tables(documents: dict[str, Document]) -> None:
    text = documents["txt"].text
    assert [n for n in TABLES if f"表 {n}\n" in text] == TABLES
    rows = table_rows(text)
    assert len(rows) > 150
    assert ("1030148", "二、国有土地使用权出让收入", "52624", "78084", "48.38%") in rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_rows_as_txt(documents: dict[str, Document], fmt: str) -> None:
    expected = [tuple(_squash(c) for c in row) for row in table_rows(documents["txt"].text)]
    assert rows_of(documents[fmt]) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraph_lines_kept(documents: dict[str, Document], fmt: str) -> None:
    lines = {ln.text.strip() for ln in documents[fmt].lines if not ln.cells}
    for expected in (
        "表 1",
        "2024 年乌苏市一般公共预算收入表",
        "单位：万元",
        "表 9",
        "2024 年乌苏市政府性基金收入表",
    ):
        assert expected in lines, (fmt, expected)


def test_pdf_has_pages(documents: dict[str, Document]) -> None:
    doc = documents["pdf"]
    assert doc.pages >= 3
    assert len(doc.page_starts) == doc.pages
    assert doc.page_at(len(doc.text) - 1) == doc.pages


def _facts(doc: Document) -> list[tuple]:
    from yusuan.extract import extract

    return [
        (f.indicator, f.code, f.column, f.amount.value, f.amount.unit) for f in extract(doc).facts
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_facts_all_formats(documents: dict[str, Document], fmt: str) -> None:
    expected = _facts(documents["txt"])
    assert expected, "the table extractor found no facts in the txt tables"
    assert _facts(documents[fmt]) == expected


def test_xlsx_cells_are_typed(rendered: dict[str, Path]) -> None:
    import openpyxl

    ws = openpyxl.load_workbook(rendered["xlsx"]).active
    found = {}
    for row in ws.iter_rows():
        if row[0].value == "101" and row[1].value == "一、税收收入":
            found = {c.column: (c.value, c.number_format) for c in row}
            break
    assert found[1] == ("101", "General")  # codes stay text
    assert found[3] == (73100, "General") and found[4] == (90000, "General")
    assert found[5][0] == pytest.approx(0.2312) and found[5][1] == "0.00%"


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, yusuan.read, yusuan.read.registry; "
        "print(sorted(m for m in ('docx', 'openpyxl', 'lxml', 'pypdfium2', 'pdfplumber') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
