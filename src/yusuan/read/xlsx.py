"""Excel (.xlsx): each sheet's rows, numbers as they display, with openpyxl (MIT).

A row with a single value outside a table (a table number, a title, a
unit line) or a note (注：…) is a paragraph line; every other row, a total
row whose values are blank included, is a tab-separated line, padded to
the width of its block of rows.  Sheets
follow each other in workbook order; in a workbook of several sheets each
is introduced by its name, unless the name is a default one ("Sheet2") or
repeats the sheet's first line.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from yusuan.model import Document, Problem
from yusuan.read.base import clean_cell, make_document
from yusuan.read.problems import problem

_DIGITS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _literal(part: str) -> str:
    """The text a format section prints around its number: quoted text, escapes, signs."""
    part = re.sub(r"\[[^\]]*\]", "", part)  # [Red], [$-804]
    part = re.sub(r"_.", "", part)  # padding to a character's width
    part = re.sub(r"\*.", "", part)  # fill
    part = re.sub(r'"([^"]*)"', r"\1", part)
    return re.sub(r"\\(.)", r"\1", part)


def format_number(value: float | int | Decimal, number_format: str | None) -> str:
    """``value`` as Excel shows it under ``number_format`` (common formats).

    Handles General, fixed decimals (``0.00``), thousands separators
    (``#,##0.00``), percent (``0.00%``), literal text around the number and
    a negative section (``#,##0.00;(#,##0.00)``); dates and other formats
    fall back to General.
    """
    fmt = (number_format or "General").strip()
    sections = fmt.split(";")
    negative = value < 0
    own_negative = negative and len(sections) > 1
    section = sections[1] if own_negative else sections[0]
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    digits = _DIGITS.search(bare)
    if section.lower() in ("general", "@", "") or digits is None:
        return _general(value)
    m = _DIGITS.search(section)
    if m is None:
        return _general(value)
    number = Decimal(str(value))
    if "%" in bare:
        number *= 100
    places = len(m.group(0).split(".")[1]) if "." in m.group(0) else 0
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if own_negative:
        number = abs(number)
    text = f"{number:,.{places}f}" if "," in m.group(0) else f"{number:.{places}f}"
    if text.startswith("-") and number == 0:
        text = text[1:]
    return _literal(section[: m.start()]) + text + _literal(section[m.end() :])


def _general(value: float | int | Decimal) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    number = Decimal(format(float(value), ".15g")) if isinstance(value, float) else value
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def cell_text(cell: object) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, cell.number_format)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return clean_cell(str(value))


def sheet_lines(ws: object) -> list[str]:
    rows = [[cell_text(c) for c in row] for row in ws.iter_rows()]
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            width = max(max((k + 1 for k, v in enumerate(r) if v), default=0) for r in block)
            out.extend("\t".join(r[:width] + [""] * (width - len(r[:width]))) for r in block)
            block.clear()

    for row in rows:
        filled = [k for k, v in enumerate(row) if v]
        if not filled:
            flush()
            out.append("")
        elif len(filled) == 1 and (not block or row[filled[0]].startswith(_NOTE)):
            flush()  # a title, unit or note line: a lone value outside a table
            out.append(row[filled[0]])
        else:
            block.append(row)
    flush()
    while out and not out[-1]:
        out.pop()
    return out


_CELL = re.compile(rb"<c[ >](?:(?!</c>).)*?</c>", re.S)


def uncached_formulas(data: bytes) -> int:
    """Formula cells saved without a computed value (a file written by a program, never
    opened in Excel): their value cannot be read."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for cell in _CELL.finditer(z.read(name)):
                    body = cell.group(0)
                    if b"<f" in body and not re.search(rb"<v>[^<]", body):
                        count += 1
    return count


_NOTE = ("注", "备注", "说明", "数据来源", "资料来源")

_DEFAULT_SHEET = re.compile(r"^(sheet|工作表)\d*$", re.I)


def _names_content(title: str, first_line: str) -> bool:
    """Whether a sheet's name adds to its text: not a default name, not its first line."""
    name = "".join(title.split())
    if not name or _DEFAULT_SHEET.match(name):
        return False
    return name != "".join(first_line.split())


class XlsxReader:
    format = "xlsx"
    extensions = (".xlsx", ".xlsm")

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
            return None, [
                problem(
                    "read.truncated",
                    path,
                    what="Excel ",
                    what_en="Excel",
                    reason=str(exc),
                    kept="未能读取任何内容。",
                    kept_en="nothing could be read.",
                )
            ]
        lines: list[str] = []
        try:
            many = len(book.worksheets) > 1
            for ws in book.worksheets:
                body = sheet_lines(ws)
                if not body:
                    continue
                if many and _names_content(ws.title, body[0]):
                    lines.append(ws.title)
                lines.extend(body)
                lines.append("")
            title = (book.properties.title or "").strip() if book.properties else ""
        finally:
            book.close()
        problems: list[Problem] = []
        missing = uncached_formulas(data)
        if missing:
            problems.append(problem("read.formulas", path, count=missing))
        text = "\n".join(lines).rstrip("\n") + "\n"
        if not text.strip():
            return None, [*problems, problem("read.empty", path)]
        return make_document(data, path, self.format, text, title=title), problems
