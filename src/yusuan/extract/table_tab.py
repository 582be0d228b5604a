"""Tab-separated table bodies: header levels, label and value columns, rows.

Every reader renders table rows as tab-separated lines, so this one path
serves text, PDF, Word, Excel and HTML tables.  Header lines are the
leading lines without numbers; a header repeated after a page break is
dropped; a label printed in the wrong column (a 小计 name under 科目编码,
合计 under 序号) is taken as the row's name.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.extract.table_cells import normalize_code, parse_number, squash
from yusuan.extract.table_columns import (
    default_stage,
    header_names,
    kind_of,
    make_column,
    prior_current_columns,
)
from yusuan.extract.table_space import is_number_row
from yusuan.model import Cell, Column, ColumnKind, Line, Row, Span

_RULER_RE = re.compile(r"^[-—_=\s.…]*$")


def _cell(span: Span, kind: ColumnKind) -> Cell:
    raw = span.text
    text = raw.strip()
    if not text:
        return Cell("", None, span.start, span.start)
    lead = len(raw) - len(raw.lstrip())
    start = span.start + lead
    value = parse_number(text) if kind in _NUMERIC else None
    return Cell(text, value, start, start + len(text))


_NUMERIC = (ColumnKind.AMOUNT, ColumnKind.GROWTH, ColumnKind.PERCENT, ColumnKind.CHANGE)


def _is_number_cell(text: str) -> bool:
    t = squash(text)
    return bool(t) and parse_number(t) is not None


def _inner_blank(texts: list[str]) -> bool:
    """A blank cell between filled ones: the line spans groups over columns."""
    filled = [j for j, t in enumerate(texts) if t.strip()]
    return bool(filled) and any(not texts[j].strip() for j in range(filled[0], filled[-1]))


def parse_tab_table(
    body: list[Line], title: str, year: int | None, gov: str | None
) -> tuple[list[Column], list[Row]]:
    """Columns and rows of a table body of tab-separated lines."""
    header: list[list[str]] = []
    data: list[Line] = []
    started = False
    first_head = ""
    for ln in body:
        cells = ln.cells or ()
        texts = [c.text for c in cells]
        nonblank = [t for t in texts if t.strip()]
        if not nonblank or all(_RULER_RE.match(t) for t in texts):
            continue
        if is_number_row(" ".join(texts)):
            continue
        numeric = (
            any(_is_number_cell(t) for t in texts[1:])
            or normalize_code(texts[0].strip()) is not None
        )
        if not started:
            # a further header line continues a header that spans columns
            # (blank cells under a group) or starts with a blank cell
            spans = bool(header) and _inner_blank(header[-1])
            more = not header or spans or not texts[0].strip()
            if not numeric and more and (len(nonblank) >= 2 or not header):
                header.append(texts)
                if not first_head:
                    first_head = squash(texts[0]) or squash(nonblank[0])
                continue
            started = True
        if not numeric and first_head and squash(nonblank[0]) == first_head and len(nonblank) >= 2:
            continue  # header repeated after a page break
        data.append(ln)
    width = max([len(r) for r in header] + [len(ln.cells or ()) for ln in data] + [1])
    names = header_names(header, width) if header else [f"列{k + 1}" for k in range(width)]
    sides = _sides(names)
    stage = default_stage(title)
    kinds = [kind_of(n) for n in names]
    named = [j for j, k in enumerate(kinds) if k is ColumnKind.NAME]
    # a 项目名称 column names the row rather than a 区划/地区 column before it
    name_col = next(
        (j for j in named if names[j].rsplit("/", 1)[-1] not in ("区划", "地区")),
        named[0] if named else None,
    )
    if name_col is None:
        # no named label column: the first text column before any value
        name_col = next(
            (j for j, k in enumerate(kinds) if k not in (ColumnKind.CODE, ColumnKind.SEQ)), 0
        )
        kinds[name_col] = ColumnKind.NAME
    for j, k in enumerate(kinds):
        if k is ColumnKind.NAME and j != name_col:
            kinds[j] = ColumnKind.TEXT
    kinds = _text_columns(kinds, data, name_col)
    columns = [
        make_column(n, k, year, stage, gov, sides[j])
        for j, (n, k) in enumerate(zip(names, kinds, strict=True))
    ]
    right = _right(sides)
    code_cols = [
        j
        for j, k in enumerate(kinds)
        if k is ColumnKind.CODE and (right is None or sides[j] != right)
    ]
    value_idx = [j for j, k in enumerate(kinds) if k not in (ColumnKind.CODE, ColumnKind.NAME)]
    rows: list[Row] = []
    for ln in data:
        cells = list(ln.cells or ())
        while len(cells) < width:
            end = cells[-1].end if cells else ln.start
            cells.append(Span("", end, end))
        code_printed = " ".join(cells[j].text.strip() for j in code_cols if cells[j].text.strip())
        code = normalize_code(code_printed) if code_printed else None
        name = squash_name(cells[name_col].text)
        if code is None and code_printed and not name:
            name, code_printed = squash_name(code_printed), ""
        if not name:
            # a label printed in another label column (合计 under 序号)
            for j in range(width):
                if kinds[j] in (ColumnKind.SEQ, ColumnKind.TEXT) and j < name_col:
                    t = cells[j].text.strip()
                    if t and parse_number(t) is None:
                        name = squash_name(t)
                        break
        row_cells = tuple(_cell(cells[j], kinds[j]) for j in value_idx)
        rows.append(
            Row(
                code=code,
                name=name,
                cells=row_cells,
                line=ln.number,
                start=ln.start,
                end=ln.end,
                code_printed=code_printed or None,
                level=len(code) // 2 if code else 0,
            )
        )
    columns = _growth_or_ratio(columns, rows)
    return columns, rows


def squash_name(text: str) -> str:
    """A row name as printed, without the spaces PDF text puts inside words."""
    t = text.strip()
    # keep a space between Latin/digit words ("S101 延长线"), drop it between CJK
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", t)


def _sides(names: list[str]) -> list[str | None]:
    tops = [n.split("/", 1)[0] for n in names]
    if any(t.endswith("收入") for t in tops) and any(t.endswith("支出") for t in tops):
        return [
            t if "/" in n and (t.endswith("收入") or t.endswith("支出")) else None
            for t, n in zip(tops, names, strict=True)
        ]
    return [None] * len(names)


def _right(sides: list[str | None]) -> str | None:
    seen = [s for s in sides if s]
    return seen[-1] if seen and seen[-1] != seen[0] else None


def _text_columns(kinds: list[ColumnKind], data: list[Line], name_col: int) -> list[ColumnKind]:
    """Amount-by-default columns whose cells are words are text columns."""
    out = list(kinds)
    for j, k in enumerate(kinds):
        if k is not ColumnKind.AMOUNT:
            continue
        words = nums = 0
        for ln in data:
            cells = ln.cells or ()
            if j >= len(cells):
                continue
            t = cells[j].text.strip()
            if not t:
                continue
            if parse_number(t) is not None:
                nums += 1
            else:
                words += 1
        if words > nums:
            out[j] = ColumnKind.TEXT
    return out


def _growth_or_ratio(columns: list[Column], rows: list[Row]) -> list[Column]:
    """A "为上年完成数的%" column often holds growth rates: decide from the data."""
    values = [c for c in columns if c.kind not in (ColumnKind.CODE, ColumnKind.NAME)]
    out = list(columns)
    for vi, col in enumerate(values):
        if col.kind not in (ColumnKind.PERCENT, ColumnKind.GROWTH):
            continue
        pair = prior_current_columns(values, vi)
        if pair is None:
            continue
        pi, ci = pair
        growth = ratio = 0
        for r in rows:
            p, c, v = r.cells[pi].value, r.cells[ci].value, r.cells[vi].value
            if p is None or c is None or v is None or p == 0:
                continue
            g = (c / p - 1) * 100
            q = c / p * 100
            if abs(g - v) <= Decimal("0.6"):
                growth += 1
            elif abs(q - v) <= Decimal("0.6"):
                ratio += 1
        kind = col.kind
        if growth > ratio:
            kind = ColumnKind.GROWTH
        elif ratio > growth:
            kind = ColumnKind.PERCENT
        if kind is not col.kind:
            idx = out.index(col)
            out[idx] = Column(col.name, kind, col.year, col.stage, col.period, col.scope, col.side)
    return out
