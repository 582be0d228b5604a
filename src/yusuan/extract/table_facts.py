"""Facts from tables: one fact per non-blank amount cell.

The indicator is the row's name (list prefix dropped), the code the row's
code; stage and period come from the column (or, for tables whose rows
name the stage, e.g. "一、上年度发行预计执行数", from the row's section);
a growth column's rate is attached as ``yoy_pct`` to the current-year
fact of the same row.
"""

from __future__ import annotations

import re
from datetime import date

from yusuan.extract.table_cells import normalize_code, squash, strip_prefix
from yusuan.extract.table_columns import REGION_RE, prior_current_columns, stage_of
from yusuan.model import (
    Amount,
    ColumnKind,
    Document,
    Fact,
    Period,
    Scope,
    Stage,
    Table,
    Unit,
)

_SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")
_UNITS = {"元": Unit.YUAN, "万元": Unit.WAN, "亿元": Unit.YI}


def table_facts(
    document: Document,
    table: Table,
    government: str | None,
    year: int | None,
    label: str | None = None,
) -> list[Fact]:
    """One fact per amount cell; ``label`` names the table in each fact
    (its number, else a label from its title)."""
    unit = _UNITS.get(table.unit or "")
    if unit is None:
        return []
    values = table.value_columns
    growth = _growth_targets(table)
    facts: list[Fact] = []
    section_stage: Stage | None = None
    section_year: int | None = None
    name_col = next((c for c in table.columns if c.kind is ColumnKind.NAME), None)
    # rows that are governments (行政区划名称 | 乌苏市): the column names the indicator
    region_rows = name_col is not None and bool(REGION_RE.match(name_col.name.rsplit("/", 1)[-1]))
    project = next(
        (vi for vi, c in enumerate(values) if c.kind is ColumnKind.TEXT and c.name == "项目名称"),
        None,
    )
    parents = row_parents(table)
    carried = "上年结转" in squash(table.title)
    for index, row in enumerate(table.rows):
        if _SECTION_RE.match(row.name):
            section_stage = stage_of(row.name) if "数" in row.name else None
            section_year = None
            if year is not None and section_stage is not None:
                section_year = year - 1 if "上年" in row.name else year
        for vi, col in enumerate(values):
            if col.kind is not ColumnKind.AMOUNT:
                continue
            cell = row.cells[vi]
            if cell.value is None:
                continue
            name, code = row.name, row.code
            parent = parents[index]
            right = bool(col.side) and _is_right(table, col.side or "")
            if right:
                name, code = _right_label(table, row, col.side or "")
            elif project is not None and row.cells[project].text:
                # a project under a classification item: the fact is the
                # project's, a part of the item the row names (its code
                # would make it read as the item's own total)
                name = row.cells[project].text.replace("\n", "")
                code, parent = None, _indicator(row.name) or parent
            if not name:
                continue
            gov, scope = government, col.scope or table.scope or Scope.WHOLE
            if region_rows:
                gov, scope = _region(name, government, scope)
                name = col.name
            stage = col.stage or Stage.OTHER
            period = col.period or (Period(year) if year else None)
            if section_stage is not None and stage_of(col.name) is None:
                stage = section_stage
                if section_year is not None:
                    period = Period(section_year)
            if carried and col.year is not None and stage in (Stage.BUDGET, Stage.BALANCE):
                # 上年结转结余: what the year before left over, at its end
                stage, period = Stage.BALANCE, Period.at(date(col.year - 1, 12, 31))
            if period is None:
                continue
            yoy = None
            g = growth.get(vi)
            if g is not None:
                yoy = row.cells[g].value
            facts.append(
                Fact(
                    indicator=_indicator(name),
                    amount=Amount(cell.value, unit),
                    stage=stage,
                    period=period,
                    source=document.source(cell.start, cell.end),
                    scope=scope,
                    book=table.book,
                    government=gov,
                    code=code,
                    parent=None if region_rows or right else parent,
                    yoy_pct=yoy,
                    table=table.number or label,
                    column=col.name,
                    row=index,
                )
            )
    return facts


_SUBTOTAL_RE = re.compile(r"[（(]小计[）)]$")


def _indicator(name: str) -> str:
    """A row's name as an indicator: no list prefix, no "（小计）" mark
    ("公务用车购置及运行费（小计）" -> "公务用车购置及运行费")."""
    return _SUBTOTAL_RE.sub("", strip_prefix(name)) or name


_LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2),
    (re.compile(r"^\d+\s*[.．、](?!\d)"), 3),
    (re.compile(r"^[（(]\d+[）)]"), 4),
)
_AMONG_RE = re.compile(r"^其中\s*[:：]\s*")


def row_parents(table: Table) -> list[str | None]:
    """The indicator each row is a part of: by code (2010601 in 20106) or,
    for uncoded rows, by list level (（一） under 一、, 其中： under its row)."""
    out: list[str | None] = []
    by_code: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (level, indicator)
    among: str | None = None  # parent of the rows of a 其中 list
    last = ""
    for row in table.rows:
        name = _indicator(row.name)
        parent = None
        if row.code:
            for n in (7, 5, 3):
                if len(row.code) > n and row.code[:n] in by_code:
                    parent = by_code[row.code[:n]]
                    break
            by_code[row.code] = name
        text = _AMONG_RE.sub("", row.name.strip())
        level = next((lv for rx, lv in _LEVELS if rx.match(text)), 0)
        if _AMONG_RE.match(row.name.strip()):
            among = last or None
            parent = parent or among
        elif level:
            among = None
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = parent or (stack[-1][1] if stack else None)
            stack.append((level, name))
        elif among is not None and not row.code:
            parent = among
        last = name
        out.append(None if row.total else parent)
    return out


def _region(name: str, government: str | None, scope: str) -> tuple[str | None, str]:
    """Government and scope a region row names ("乌苏市本级" -> 乌苏市, own)."""
    if name.endswith("本级"):
        return name[: -len("本级")] or government, Scope.OWN
    if government and name == government:
        return government, Scope.WHOLE
    return name, Scope.WHOLE


def _is_right(table: Table, side: str) -> bool:
    sides = [c.side for c in table.columns if c.side]
    return bool(sides) and side == sides[-1] and side != sides[0]


def _right_label(table: Table, row, side: str) -> tuple[str, str | None]:
    """Name and code of a two-sided row's right half (its text cell)."""
    values = table.value_columns
    for vi, col in enumerate(values):
        if col.side == side and col.kind is ColumnKind.TEXT:
            text = row.cells[vi].text.strip()
            parts = text.split(None, 1)
            if len(parts) == 2 and normalize_code(parts[0]):
                return parts[1].replace(" ", ""), normalize_code(parts[0])
            return text.replace(" ", ""), None
    return "", None


def _growth_targets(table: Table) -> dict[int, int]:
    """Value-column index of the current-year amount -> its growth column."""
    out: dict[int, int] = {}
    values = list(table.value_columns)
    for vi, col in enumerate(values):
        if col.kind is not ColumnKind.GROWTH:
            continue
        pair = prior_current_columns(values, vi)
        if pair is not None and pair[1] not in out:
            out[pair[1]] = vi
    return out


__all__ = ["row_parents", "table_facts"]
