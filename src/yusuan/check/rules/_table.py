"""The structure of a disclosure table, as the table rules see it.

Which rows are parents of which (by classification code), which rows are
totals and subtotals, which columns hold amounts and which growth or
percentage columns compare which amount columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from yusuan.check.arith import ZERO, cell_iv
from yusuan.model import Cell, Column, ColumnKind, Interval, Row, Table

_TOTAL = re.compile(r"(合计|总计)\s*$|^\s*(合\s*计|总\s*计)")
_SUBTOTAL = re.compile(r"小\s*计")
_PART = re.compile(r"^\s*(其中|其\s*中)[：:]?")
_TOP = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_ALL = re.compile(r"(预算|资金)总额$")
_SPACE = re.compile(r"\s+")
_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|其中[：:])"
)

# Rows that the balance templates place under 转移性收入/转移性支出 but add to the
# total separately (上年结余, 调入资金, 债务转贷, 预算稳定调节基金 …).
BALANCE_LINE = re.compile(
    r"上年结余|结转|调入|调出|债务.*收入|转贷|稳定调节基金|上解|债务.*还本|年终结余|援助|补助.*收入|计划单列"
)


def clean(name: str) -> str:
    name = _SPACE.sub("", name)
    while True:
        stripped = _MARK.sub("", name, count=1)
        if stripped == name:
            return name.replace("(", "（").replace(")", "）")
        name = stripped


def is_total(row: Row) -> bool:
    return row.total or bool(_TOTAL.search(_SPACE.sub("", row.name or "")))


def is_subtotal(row: Row) -> bool:
    return bool(_SUBTOTAL.search(_SPACE.sub("", row.name or "")))


_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d+\s*[、.．](?!\d)"),
    re.compile(r"^[（(]\d+[)）]"),
)


def outline_level(row: Row) -> int | None:
    """1 for 一、, 2 for （一）, 3 for 1., 4 for (1); None for an unmarked row."""
    name = (row.name or "").strip()
    for n, pattern in enumerate(_LEVELS, start=1):
        if pattern.match(name):
            return n
    return None


def outline(rows: tuple[Row, ...]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Parents by the list markers of uncoded rows: (exhaustive children, 其中 children).

    A row marked 一、 owns the rows after it down to the next row of its level or above; its
    direct children are the rows of the next level present.  Rows under 其中 (and the unmarked
    rows that continue the 其中 list) are parts of the marked row before them, or of an
    unmarked row naming an amount in all (年度预算总额, 资金总额).  A 其中 list that ends with
    an 其他… item (其中：财政拨款 …, 其他资金 …) covers the whole: the catch-all item is what
    the items before it leave, so the list is exhaustive."""
    full: dict[int, list[int]] = {}
    part: dict[int, list[int]] = {}
    stack: list[tuple[int, int]] = []  # (level, row index)
    in_part: int | None = None
    for i, r in enumerate(rows):
        if is_total(r) or is_subtotal(r):
            stack, in_part = [], None
            continue
        lvl = outline_level(r)
        if lvl is None and _ALL.search(_SPACE.sub("", r.name or "")) and not is_part(r):
            stack, in_part = [(0, i)], None  # an amount in all heads the 其中 list after it
            continue
        if is_part(r) and stack:
            in_part = stack[-1][1]
            part.setdefault(in_part, []).append(i)
            continue
        if lvl is None or (in_part is not None and stack and lvl > stack[-1][0]):
            if in_part is not None:
                part[in_part].append(i)  # the 其中 list goes on ("（2）…" after "其中：（1）…")
            continue
        in_part = None
        while stack and stack[-1][0] >= lvl:
            stack.pop()
        if stack and stack[-1][0] > 0:
            full.setdefault(stack[-1][1], []).append(i)
        stack.append((lvl, i))
    for p, kids in list(part.items()):
        shown = [k for k in kids if not blank_row(rows[k])]  # rows without figures add 0
        if len(shown) >= 2 and p not in full and clean(rows[shown[-1]].name).startswith("其他"):
            part.pop(p)
            full[p] = shown
    return full, part


def is_part(row: Row) -> bool:
    return bool(_PART.match(row.name or ""))


def is_top(row: Row) -> bool:
    return bool(_TOP.match(row.name or ""))


def blank_row(row: Row) -> bool:
    return all(c.value is None for c in row.cells)


def cell(row: Row, j: int) -> Cell | None:
    return row.cells[j] if j < len(row.cells) else None


@dataclass(frozen=True)
class Structure:
    """Parent links by code, and which children a parent's row leaves out."""

    parent: dict[int, int]  # row index -> parent row index
    children: dict[int, list[int]]
    detached: frozenset[int]  # children added to the total separately (balance lines)
    amount_cols: tuple[int, ...]  # indexes into Table.value_columns
    two_sided: bool


def structure(table: Table) -> Structure:
    vcols = table.value_columns
    amount_cols = tuple(j for j, c in enumerate(vcols) if c.kind == ColumnKind.AMOUNT)
    two_sided = len({c.side for c in vcols if c.side}) > 1
    rows = table.rows
    seen: dict[str, int] = {}
    parent: dict[int, int] = {}
    for i, row in enumerate(rows):
        code = row.code
        if not code or not code.isdigit():
            continue
        best = None
        for k in range(len(code) - 1, 2, -1):
            anc = seen.get(code[:k])
            if anc is not None:
                best = anc
                break
        if best is not None:
            parent[i] = best
        seen.setdefault(code, i)
    children: dict[int, list[int]] = {}
    for i, p in parent.items():
        children.setdefault(p, []).append(i)
    for kids in children.values():
        kids.sort()
    detached: set[int] = set()
    for p, kids in children.items():
        detached.update(_detached(rows, p, kids, amount_cols))
    return Structure(parent, children, frozenset(detached), amount_cols, two_sided)


def _detached(rows: tuple[Row, ...], p: int, kids: list[int], cols: tuple[int, ...]) -> list[int]:
    """Trailing children of ``p`` that are balance lines when the parent covers only the ones
    before them (转移性收入 = 返还性收入 + 一般性转移支付 + 专项转移支付, while 上年结余, 调入资金
    … follow it and count in the total separately)."""
    if not cols or len(kids) < 2:
        return []
    for k in range(1, len(kids)):
        rest = kids[k:]
        if not all(BALANCE_LINE.search(rows[r].name or "") for r in rest):
            continue
        ok = True
        for j in cols:
            full = sum_rows(rows, kids, j)
            lead = sum_rows(rows, kids[:k], j)
            par = cell_iv(cell(rows[p], j))
            if full.overlaps(par) and not lead.overlaps(par):
                ok = False
                break
            if not lead.overlaps(par):
                ok = False
                break
        if ok and any(not sum_rows(rows, kids, j).overlaps(cell_iv(cell(rows[p], j)))
                      for j in cols):
            return rest
    return []


def sum_rows(rows: tuple[Row, ...], idx: list[int] | tuple[int, ...], j: int) -> Interval:
    lo = hi = ZERO
    for i in idx:
        iv = cell_iv(cell(rows[i], j))
        lo += iv.lo
        hi += iv.hi
    return Interval(lo, hi)


def point_sum(rows: tuple[Row, ...], idx: list[int] | tuple[int, ...], j: int) -> Decimal:
    total = ZERO
    for i in idx:
        c = cell(rows[i], j)
        if c is not None and c.value is not None:
            total += c.value
    return total


def compared_columns(table: Table, j: int) -> tuple[int, int] | None:
    """For a growth, percent or change column ``j``: (base, current) amount column indexes.

    Amount columns before ``j`` are grouped by (year, stage) where the header gives them; the
    first column of each of the last two groups (a group's 合计/小计 comes first) are compared,
    the later year being current.  Without years: the two nearest amount columns before ``j``."""
    vcols = table.value_columns
    col = vcols[j]
    before = [k for k in range(j) if vcols[k].kind == ColumnKind.AMOUNT
              and (col.side is None or vcols[k].side == col.side)]
    if len(before) < 2:
        return None
    groups: dict[tuple[object, object], int] = {}
    for k in before:
        c = vcols[k]
        if c.year is None and c.stage is None:
            groups = {}
            break
        groups.setdefault((c.year, c.stage), k)
    if len(groups) >= 2:
        firsts = list(groups.values())
        a, b = firsts[-2], firsts[-1]
    else:
        a, b = before[-2], before[-1]
    ya, yb = vcols[a].year, vcols[b].year
    if ya is not None and yb is not None and ya > yb:
        return b, a
    return a, b


def effective(rows: tuple[Row, ...], children: dict[int, list[int]], i: int, j: int) -> Interval:
    """A row's figure in column ``j``; a blank parent stands for the sum of its children."""
    c = cell(rows[i], j)
    if (c is None or c.value is None) and i in children:
        lo = hi = ZERO
        for k in children[i]:
            iv = effective(rows, children, k, j)
            lo += iv.lo
            hi += iv.hi
        return Interval(lo, hi)
    return cell_iv(c)


def effective_point(rows: tuple[Row, ...], children: dict[int, list[int]], i: int,
                    j: int) -> Decimal:
    c = cell(rows[i], j)
    if (c is None or c.value is None) and i in children:
        return sum((effective_point(rows, children, k, j) for k in children[i]), ZERO)
    return c.value if c is not None and c.value is not None else ZERO


def col_label(col: Column) -> str:
    return col.name.replace("\n", "").strip()


_CODE_NAME = re.compile(r"^\s*([1-9]\d{2}(?:\s?\d{2}){0,3})\s+(\S.*)$")


def side_views(table: Table) -> list[Table]:
    """A two-sided table (收入 | 支出 printed side by side) as one table per side.

    The 收入 side keeps the row's code and name; the 支出 side takes its name (and a leading
    code, "201 一般公共服务支出") from its own text column.  Cells keep their spans."""
    vcols = table.value_columns
    sides = [s for s in dict.fromkeys(c.side for c in vcols) if s]
    if len(sides) < 2:
        return [table]
    out: list[Table] = []
    for n, side in enumerate(sides):
        idx = [j for j, c in enumerate(vcols) if c.side == side]
        name_col = next((j for j in idx if vcols[j].kind in (ColumnKind.TEXT, ColumnKind.NAME)),
                        None)
        keep = [j for j in idx if j != name_col]
        rows = []
        for r in table.rows:
            code, name = r.code, r.name
            if n > 0:
                text = r.cells[name_col].text if name_col is not None and name_col < len(
                    r.cells) else ""
                m = _CODE_NAME.match(text)
                code, name = (re.sub(r"\s", "", m.group(1)), m.group(2)) if m else (None, text)
            cells = tuple(r.cells[j] for j in keep if j < len(r.cells))
            if not name.strip() and all(c.value is None for c in cells):
                continue
            rows.append(Row(code, name, cells, r.line, r.start, r.end,
                            bool(_TOTAL.search(name)) or (r.total and n == 0),
                            None, r.level))
        head = [c for c in table.columns if c.kind in (ColumnKind.CODE, ColumnKind.NAME)
                and c.side in (None, side)][:2]
        cols = tuple(head) + tuple(vcols[j] for j in keep)
        out.append(Table(table.number, f"{table.title}（{side}）", table.unit, cols, tuple(rows),
                         table.empty, table.line_start, table.line_end, table.start, table.end,
                         table.book, table.scope, table.notes))
    return out


def column_precision(table: Table) -> Table:
    """The table with each amount column's figures at the column's finest printed precision.

    Text taken from PDFs drops trailing zeros (``1`` for ``1.00`` beside ``0.13``); an amount
    column is printed in one format, so its figures are read at the most decimals any of its
    cells shows (at least two cells must show them).  Percentages keep their own precision."""
    vcols = table.value_columns
    places: dict[int, int] = {}
    for j, c in enumerate(vcols):
        if c.kind not in (ColumnKind.AMOUNT, ColumnKind.CHANGE):
            continue
        counts: dict[int, int] = {}
        for r in table.rows:
            cl = cell(r, j)
            if cl is not None and cl.value is not None:
                exp = cl.value.as_tuple().exponent
                if isinstance(exp, int) and exp < 0:
                    counts[-exp] = counts.get(-exp, 0) + 1
        if counts:
            finest = max(counts)
            if counts[finest] >= 2 and finest <= 4:
                places[j] = finest
    if not places:
        return table
    rows = []
    for r in table.rows:
        cells = list(r.cells)
        for j, k in places.items():
            if j < len(cells) and cells[j].value is not None:
                c = cells[j]
                cells[j] = Cell(c.text, c.value.quantize(Decimal(1).scaleb(-k)), c.start, c.end)
        rows.append(Row(r.code, r.name, tuple(cells), r.line, r.start, r.end, r.total,
                        r.code_printed, r.level))
    return Table(table.number, table.title, table.unit, table.columns, tuple(rows), table.empty,
                 table.line_start, table.line_end, table.start, table.end, table.book,
                 table.scope, table.notes)
