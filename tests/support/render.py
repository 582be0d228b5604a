"""Render seed text as PDF, DOCX, XLSX and HTML files, for reader tests and benchmarks.

The input is a piece of seed text: lines that contain a tab are table rows
(cells joined by tabs), consecutive rows form one table, every other
non-blank line is a paragraph.  Each format renders paragraphs as
paragraphs and each table block as a real table of that format: a ruled
table in a PDF, a Word table, spreadsheet cells, an HTML ``<table>``.

PDF needs fpdf2 (LGPL-3.0, a test dependency) and a CJK font (see
:func:`cjk_fonts`; on Debian ``apt-get install fonts-wqy-microhei``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

# CJK fonts for PDF rendering, best first, as (path, index in a collection).
# - WenQuanYi Micro Hei (Debian: fonts-wqy-microhei; Apache-2.0 or GPL-3+
#   with font exception): one TrueType font for Latin and CJK.
# - Noto Sans CJK SC (Debian: fonts-noto-cjk) is CFF: fpdf2 embeds it with an
#   encoding CMap that pdfminer (so pdfplumber) cannot decode; pdfium, which
#   yusuan reads PDFs with, can.
# Not used: DejaVu Sans + Droid Sans Fallback through fpdf2's fallback
# fonts: fpdf2 (2.8) then loses the font state between lines and the first
# Latin characters of a line come out without a font.
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


def cjk_fonts() -> tuple[str, int] | None:
    """The first CJK font (path, collection index) present on this machine, or None."""
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    return None


# --------------------------------------------------------------------------
# Seed text into blocks


@dataclass(frozen=True)
class Block:
    """A paragraph (``rows`` is None) or a table (``rows`` set)."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] | None = None


def blocks(text: str) -> list[Block]:
    """Paragraph and table blocks of seed text, in order.

    Table rows are padded to the widest row of their block, so every row
    of one table has the same number of cells.
    """
    out: list[Block] = []
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            out.append(Block(rows=tuple(r + ("",) * (width - len(r)) for r in rows)))
            rows.clear()

    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if "\t" in line:
            rows.append(tuple(line.split("\t")))
            continue
        flush()
        if line.strip():
            out.append(Block(text=line.strip()))
    flush()
    return out


def table_rows(text: str) -> list[tuple[str, ...]]:
    """Every table row of ``text`` as :func:`blocks` sees it (padded)."""
    return [row for b in blocks(text) if b.rows for row in b.rows]


_TABLE_NO = re.compile(r"^\s*表\s*(\d+)\s*$")
_SECTION = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")


def seed_tables(text: str, numbers: list[int]) -> str:
    """The text of numbered tables ("表 N" up to the next table or section).

    Includes each table's number, title, unit and notes lines.
    """
    lines = text.split("\n")
    starts: dict[int, int] = {}
    for i, line in enumerate(lines):
        m = _TABLE_NO.match(line)
        if m and int(m.group(1)) not in starts:
            starts[int(m.group(1))] = i
    pieces = []
    for n in numbers:
        begin = starts[n]
        end = len(lines)
        for j in range(begin + 1, len(lines)):
            if _TABLE_NO.match(lines[j]) or _SECTION.match(lines[j]):
                end = j
                break
        pieces.append("\n".join(lines[begin:end]).strip("\n"))
    return "\n\n".join(pieces) + "\n"


# --------------------------------------------------------------------------
# Cell values for spreadsheets

_INT = re.compile(r"^-?\d+$")
_DEC = re.compile(r"^-?\d+\.(\d+)$")
_SEP = re.compile(r"^-?\d{1,3}(,\d{3})+(\.(\d+))?$")
_PCT = re.compile(r"^(-?\d+(?:\.(\d+))?)%$")


def cell_value(text: str, numeric: bool = True) -> tuple[object, str | None]:
    """A spreadsheet value and number format for a cell text.

    Integers become ints, decimals floats with as many decimals as printed,
    ``1,234.5`` a float with a thousands format, ``23.12%`` the fraction
    with a percent format; codes with leading zeros and all other text
    stay text; blank stays blank (None).
    """
    t = text.strip()
    if not t:
        return None, None
    if not numeric or (len(t) > 1 and t[0] == "0" and t[1].isdigit()):
        return text, None
    if _INT.match(t):
        return int(t), None
    m = _DEC.match(t)
    if m:
        return float(t), "0." + "0" * len(m.group(1))
    m = _SEP.match(t)
    if m:
        places = len(m.group(3) or "")
        fmt = "#,##0" + ("." + "0" * places if places else "")
        return float(t.replace(",", "")), fmt
    m = _PCT.match(t)
    if m:
        places = len(m.group(2) or "")
        value = float(Decimal(m.group(1)) / 100)
        return value, "0" + ("." + "0" * places if places else "") + "%"
    return text, None


def _text_columns(rows: tuple[tuple[str, ...], ...]) -> set[int]:
    """Columns whose header names codes: their digits stay text."""
    header = rows[0]
    return {i for i, h in enumerate(header) if "编码" in h or "代码" in h}


# --------------------------------------------------------------------------
# Writers


def render_html(text: str, path: str | Path, title: str = "") -> Path:
    """An HTML page: ``<p>`` per paragraph, ``<table>`` per table block."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>td { border: 1px solid #000 }</style>",
        "<script>var ignored = '不是正文';</script></head><body>",
    ]
    for b in blocks(text):
        if b.rows is None:
            parts.append(f"<p>{escape(b.text)}</p>")
            continue
        parts.append('<table border="1">')
        for row in b.rows:
            cells = "".join(f"<td>{escape(c)}</td>" for c in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    out = Path(path)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out


def render_docx(text: str, path: str | Path) -> Path:
    """A Word document: paragraphs and real tables (style "Table Grid")."""
    import docx

    document = docx.Document()
    for b in blocks(text):
        if b.rows is None:
            document.add_paragraph(b.text)
            continue
        width = len(b.rows[0])
        table = document.add_table(rows=len(b.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(b.rows):
            cells = table.rows[r].cells
            for c, value in enumerate(row):
                cells[c].text = value
    out = Path(path)
    document.save(str(out))
    return out


def render_xlsx(text: str, path: str | Path, sheet: str = "Sheet1") -> Path:
    """A workbook of one sheet: paragraphs in column A, tables as cells.

    Numbers are numbers (percent cells percent-formatted), code columns
    stay text, blank cells stay blank.
    """
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    r = 1
    for b in blocks(text):
        if b.rows is None:
            ws.cell(row=r, column=1, value=b.text)
            r += 1
            continue
        text_cols = _text_columns(b.rows)
        for row in b.rows:
            for c, cell_text in enumerate(row):
                value, fmt = cell_value(cell_text, numeric=c not in text_cols)
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c + 1, value=value)
                if fmt:
                    cell.number_format = fmt
            r += 1
        r += 1  # a blank row after each table
    out = Path(path)
    book.save(str(out))
    return out


class _Pdf:
    """fpdf2 with the CJK font set up."""

    def __init__(self, font_size: float = 8.0) -> None:
        from fpdf import FPDF

        fonts = cjk_fonts()
        if fonts is None:
            raise RuntimeError(
                "no CJK font: apt-get install fonts-wqy-microhei (or fonts-noto-cjk)"
            )
        path, index = fonts
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_auto_page_break(auto=True, margin=12)
        pdf.set_margins(12, 12, 12)
        pdf.add_font("cjk", "", path, collection_font_number=index)
        pdf.set_font("cjk", size=font_size)
        self.pdf = pdf
        self.size = font_size

    def paragraph(self, text: str) -> None:
        pdf = self.pdf
        pdf.multi_cell(0, self.size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        pdf = self.pdf
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        ncols = len(rows[0])
        pad = 2.2
        want = [max(pdf.get_string_width(row[c]) for row in rows) + pad for c in range(ncols)]
        if sum(want) > usable:
            # Shrink the widest columns first, keeping narrow ones whole.
            fair = usable / ncols
            narrow = [w for w in want if w <= fair]
            wide = [i for i, w in enumerate(want) if w > fair]
            share = (usable - sum(narrow)) / max(1e-9, sum(want[i] for i in wide))
            want = [w if w <= fair else w * share for w in want]
        total = min(sum(want), usable - 0.01)
        want = [w * total / sum(want) for w in want]
        with pdf.table(
            col_widths=tuple(want),
            width=total,
            first_row_as_headings=False,
            line_height=self.size * 0.5,
            padding=0.6,
            align="LEFT",
        ) as table:
            for row in rows:
                out = table.row()
                for value in row:
                    out.cell(value)
        pdf.ln(2)

    def save(self, path: Path) -> None:
        self.pdf.output(str(path))


def render_pdf(text: str, path: str | Path, font_size: float = 8.0) -> Path:
    """A PDF (A4, CJK font) with paragraphs and each table as a ruled table."""
    doc = _Pdf(font_size)
    doc.pdf.add_page()
    for b in blocks(text):
        if b.rows is None:
            doc.paragraph(b.text)
        else:
            doc.table(b.rows)
    out = Path(path)
    doc.save(out)
    return out


RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "html": render_html,
}


def render_all(text: str, directory: str | Path, stem: str) -> Iterator[tuple[str, Path]]:
    """Render ``text`` in every format into ``directory``; yield (format, path)."""
    base = Path(directory)
    for fmt, render in RENDERERS.items():
        yield fmt, render(text, base / f"{stem}.{fmt}")


def main(argv: list[str] | None = None) -> None:
    """python -m tests.support.render SEED.txt OUT_DIR [--tables 1 2 3]"""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("text", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tables", type=int, nargs="*", help="only these numbered tables")
    args = parser.parse_args(argv)
    text = args.text.read_text(encoding="utf-8")
    if args.tables:
        text = seed_tables(text, args.tables)
    args.out.mkdir(parents=True, exist_ok=True)
    for fmt, path in render_all(text, args.out, args.text.stem):
        print(fmt, path)


if __name__ == "__main__":
    main()
