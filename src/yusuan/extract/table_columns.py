"""Table columns: header lines joined into names, and what each column means.

A header of several lines is read as levels: an upper-level cell spans
the blank cells to its right as long as the level below is filled there
("2023 年完成数" over "合计 | 本级 | 本级以下"); names join the levels
with "/" and drop the spaces PDF text puts inside words.
"""

from __future__ import annotations

import re
from datetime import date

from yusuan.extract.table_cells import squash
from yusuan.model import Book, Column, ColumnKind, Period, Scope, Stage

_YEAR_RE = re.compile(r"(20\d{2})\s*年")
_CODE_HEAD_RE = re.compile(r"(编码|编号|^代码$|^[类款项]$|/[类款项]$)")
_SEQ_RE = re.compile(r"^(序号|序次|编号)$")
_NAME_RE = re.compile(
    r"(名称(/企业)?$|^项目$|^科目$|^地区$|^区划$|内容$|^支出功能分类$|^功能分类$|^指标$)"
)
_GROWTH_RE = re.compile(r"(增[\(（]?减[\)）]?|增长|增幅|增减)")
_PERCENT_RE = re.compile(r"(%|％|比重|占比|比例|百分比|利率)")
_TEXT_RE = re.compile(r"(单位|部门|领域|类型|性质|来源|期限|地点|投向|方式|备注|说明)$")
_CHANGE_RE = re.compile(r"(增减额|增加额|减少额|增[\(（]?减[\)）]?额)")


def header_names(rows: list[list[str]], width: int) -> list[str]:
    """Column names from header rows (cells as printed), ``width`` columns."""
    grid = [[squash(r[j]) if j < len(r) else "" for j in range(width)] for r in rows]
    # a line under a header line that fills every column is the rest of
    # wrapped cells ("比上年预算" / "数增(减)%"), not a level below it
    merged: list[list[str]] = []
    for row in grid:
        if merged and all(merged[-1]) and any(row):
            merged[-1] = [a + b for a, b in zip(merged[-1], row, strict=True)]
        else:
            merged.append(row)
    grid = merged
    levels = len(grid)
    # a group label printed one column left of the group it heads ("支出"
    # over the blank before "项目") moves onto the group's first column
    for k in range(levels - 1):
        for j in range(width - 1):
            if (
                grid[k][j]
                and not grid[k][j + 1]
                and not grid[k + 1][j]
                and grid[k + 1][j + 1]
                and j > 0
                and not grid[k][j - 1]
            ):
                grid[k][j + 1], grid[k][j] = grid[k][j], ""
    filled = [[grid[k][j] != "" for j in range(width)] for k in range(levels)]
    spans = [row[:] for row in grid]
    for k in range(levels - 1):
        for j in range(1, width):
            if spans[k][j]:
                continue
            # spans to the right while the level below has text here and the
            # level above (if any) does not start a new group
            left = spans[k][j - 1]
            below = any(filled[m][j] for m in range(k + 1, levels))
            above_new = k > 0 and grid[k - 1][j] != ""
            left_is_group = any(filled[m][j - 1] for m in range(k + 1, levels))
            if left and below and left_is_group and not above_new:
                spans[k][j] = left
    names = []
    for j in range(width):
        parts = [spans[k][j] for k in range(levels) if spans[k][j]]
        names.append("/".join(parts))
    return names


def year_of(text: str) -> int | None:
    m = _YEAR_RE.search(text)
    return int(m.group(1)) if m else None


def stage_of(text: str) -> Stage | None:
    """The stage a header names: 调整预算 before 预算, 执行/完成 -> execution."""
    t = squash(text)
    if "限额" in t:
        return Stage.LIMIT
    if "余额" in t or "结余" in t:
        return Stage.BALANCE
    if "调整" in t and "预算" in t:
        return Stage.ADJUSTED
    if "决算" in t:
        return Stage.FINAL
    if "执行" in t or "完成" in t or "预计" in t or "实际" in t:
        return Stage.EXECUTION
    if "预算" in t:
        return Stage.BUDGET
    return None


REGION_RE = re.compile(r"^(行政区划(名称)?|区划|地区(名称)?|地州市、?县市区|县市区)$")


def kind_of(name: str) -> ColumnKind:
    """The kind of a column from its joined header name."""
    last = name.rsplit("/", 1)[-1]
    if _SEQ_RE.match(last):
        return ColumnKind.SEQ
    if _CODE_HEAD_RE.search(last) or (
        name.count("/") and _CODE_HEAD_RE.search(name) and re.fullmatch(r"[类款项]", last)
    ):
        return ColumnKind.CODE
    if _NAME_RE.search(last) or REGION_RE.match(last):
        return ColumnKind.NAME
    if _TEXT_RE.search(last):
        return ColumnKind.TEXT
    if _CHANGE_RE.search(name):
        return ColumnKind.CHANGE
    if _GROWTH_RE.search(name) and ("%" in name or "％" in name or "率" in name):
        return ColumnKind.GROWTH
    if "为上年" in name or "为预算" in name or _PERCENT_RE.search(last):
        return ColumnKind.PERCENT
    return ColumnKind.AMOUNT


def scope_of(name: str, government: str | None) -> str | None:
    """Scope named by a column ("乌苏市本级" -> own, "合计" under a scope split -> whole)."""
    t = squash(name).rsplit("/", 1)[-1]
    if "本级以下" in t:
        return t
    if t.endswith("本级"):
        return Scope.OWN
    if government and t == government:
        return Scope.WHOLE
    return None


def make_column(
    name: str,
    kind: ColumnKind,
    default_year: int | None,
    default_stage: Stage,
    government: str | None,
    side: str | None = None,
) -> Column:
    """A :class:`Column` with year, stage, period and scope read from its name."""
    if kind not in (ColumnKind.AMOUNT,):
        return Column(name, kind, year_of(name), None, None, scope_of(name, government), side)
    year = year_of(name) or default_year
    stage = stage_of(name) or default_stage
    period = None
    if year is not None:
        if stage is Stage.BALANCE and ("年末" in name or "年终" in name or "结余" in name):
            period = Period.at(date(year, 12, 31))
        else:
            period = Period(year)
    return Column(name, kind, year, stage, period, scope_of(name, government), side)


def book_of(title: str) -> Book | None:
    """The budget book a table title names."""
    t = squash(title)
    if ("一般债" in t) and ("专项债" in t):
        return None
    if "一般公共预算" in t or "一般债务" in t:
        return Book.GENERAL
    if "政府性基金" in t or "专项债" in t:
        return Book.FUND
    if "国有资本经营" in t:
        return Book.CAPITAL
    if "社会保险基金" in t:
        return Book.SOCIAL
    return None


def default_stage(title: str) -> Stage:
    t = squash(title)
    if "决算" in t:
        return Stage.FINAL
    if "执行" in t or "使用情况" in t or "发行情况" in t:
        return Stage.EXECUTION
    if "限额" in t and "余额" not in t:
        return Stage.LIMIT
    if "分配" in t:
        return Stage.PLAN
    return Stage.BUDGET


def prior_current_columns(values: list[Column], vi: int) -> tuple[int, int] | None:
    """Indices (among value columns) of the prior and current amount columns
    a growth column at ``vi`` compares: the first column of the latest year
    and the first of the year before, on the same side."""
    side = values[vi].side
    amounts = [
        (i, c.year)
        for i, c in enumerate(values)
        if c.kind is ColumnKind.AMOUNT and c.side == side and c.year is not None
    ]
    if not amounts:
        return None
    latest = max(y for _, y in amounts)
    cur = next(i for i, y in amounts if y == latest)
    prior = next((i for i, y in amounts if y == latest - 1), None)
    return None if prior is None else (prior, cur)
