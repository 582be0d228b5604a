"""Which table cells of an extraction some relation constrains (for bench/mutation.py)."""

from __future__ import annotations

from yusuan.check.arith import is_blank
from yusuan.check.engine import Context
from yusuan.check.rules._debt_table import (
    bound_pairs,
    cross_table_sums,
    debt_cells,
    same_figure_groups,
)
from yusuan.check.rules._table import (
    cell,
    compared_columns,
    is_part,
    is_subtotal,
    is_total,
    outline,
    structure,
)
from yusuan.check.rules.debt import _groups
from yusuan.check.rules.tables import (
    _row_fits,
    additive_cols,
    column_groups,
    established_numbered_groups,
    named_column_groups,
    table_views,
)
from yusuan.model import Cell, ColumnKind, Extraction, Table

EQ, BOUND = 2, 1  # tied by an equality the checker tests, or only bounded (as bench/mutation.py)
Spans = dict[tuple[int, int], int]


def table_constrained_spans(ex: Extraction) -> list[tuple[int, int]]:
    """Spans of the table cells some relation constrains (either level)."""
    return list(table_constrained_levels(ex))


def table_constrained_levels(ex: Extraction) -> Spans:
    """Span -> EQ or BOUND for the table cells a relation ties to other numbers: a cell whose
    row has a parent code or children (a 其中 item only bounded), a table with a total or
    subtotal row, an amount that a printed rate of its row compares, a rate with its two
    amount columns; the cells of a total column and its part columns (YS114); a heading row
    and the rows under it (YS115; its 其中 items only bounded); a head row and its numbered
    rows (YS116); the debt-table cells that another debt table repeats or adds up (YS406,
    YS407); new bonds and the new limit (YS408) and the balances and limits compared by
    YS401 (bounded)."""
    level: Spans = {}

    def mark(spans: list[tuple[int, int]], lv: int) -> None:
        for sp in spans:
            level[sp] = max(level.get(sp, 0), lv)

    for t in ex.tables:
        if t.empty:
            continue
        st = structure(t)
        has_total = any(is_total(r) or is_subtotal(r) for r in t.rows)
        vcols = t.value_columns
        for i, row in enumerate(t.rows):
            linked = i in st.parent or i in st.children or has_total
            # a 其中 item under its parent code is only bounded by it
            part_only = (not has_total and i not in st.children and i in st.parent
                         and is_part(t.rows[st.children[st.parent[i]][0]]))
            compared: set[int] = set()  # amount columns a printed rate of this row compares
            for j, c in enumerate(row.cells):
                if c.value is not None and j < len(vcols) and vcols[j].kind in (
                        ColumnKind.GROWTH, ColumnKind.PERCENT, ColumnKind.CHANGE):
                    compared.update(compared_columns(t, j) or ())
            for j, c in enumerate(row.cells):
                if c.value is None or j >= len(vcols):
                    continue
                k = vcols[j].kind
                rate = k in (ColumnKind.GROWTH, ColumnKind.PERCENT) and compared_columns(
                    t, j) is not None
                amount = k in (ColumnKind.AMOUNT, ColumnKind.CHANGE)
                if rate or (amount and j in compared):
                    mark([(c.start, c.end)], EQ)
                elif amount and linked:
                    mark([(c.start, c.end)], BOUND if part_only else EQ)
    views = [v for t in ex.tables if not t.empty for v in table_views(t)]
    for v in views:
        mark(_column_group_spans(v) + _numbered_spans(v), EQ)
        full, part = _outline_spans(v)
        mark(full, EQ)
        mark(part, BOUND)
    eq, bound = _debt_spans(ex, views)
    mark(eq, EQ)
    mark(bound, BOUND)
    return level


def _printed(cells: list[Cell | None]) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in cells if c is not None and c.value is not None]


def _column_group_spans(t: Table) -> list[tuple[int, int]]:
    """YS114: a row's total column and its part columns, when a part is printed."""
    out: list[tuple[int, int]] = []
    for j, members in column_groups(t):
        for r in t.rows:
            parts = [cell(r, k) for k in members]
            if all(is_blank(p) for p in parts):
                continue
            out += _printed([cell(r, j), *parts])
    for j, members in named_column_groups(t):
        # the rows establish the group: a changed row still leaves it established only when
        # enough other rows fit
        fits = [f for r in t.rows if (f := _row_fits(t, r, j, members)) is not None]
        ok, bad = sum(fits), len(fits) - sum(fits)
        for r in t.rows:
            f = _row_fits(t, r, j, members)
            if f is None or (f and not (ok - 1 >= 2 and ok - 1 > bad + 1)):
                continue
            out += _printed([cell(r, j), *(cell(r, k) for k in members)])
    return out


def _numbered_spans(t: Table) -> list[tuple[int, int]]:
    """YS116: a head row and its numbered rows, in the columns that stay checked when one of
    their cells changes (the head must still be shown to total them by the other columns)."""
    out: list[tuple[int, int]] = []
    for h, kids, fit, miss in established_numbered_groups(t):
        for j in fit + miss:
            if j in fit and not (len(fit) - 1 >= 1 and len(fit) - 1 >= len(miss) + 1):
                continue
            out += _printed([cell(t.rows[i], j) for i in (h, *kids)])
    return out


def _outline_spans(t: Table) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """YS115: (a heading row and its rows, a row and its 其中 items), without codes."""
    if any(r.code for r in t.rows):
        return [], []
    full, part = outline(t.rows)
    out: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    for groups, spans in ((full, out[0]), (part, out[1])):
        for p, kids in groups.items():
            for j in additive_cols(t):
                if all(is_blank(cell(t.rows[k], j)) for k in kids):
                    continue
                spans += _printed([cell(t.rows[p], j), *(cell(t.rows[k], j) for k in kids)])
    return out


def _debt_spans(ex: Extraction, views: list[Table]) -> tuple[list[tuple[int, int]],
                                                             list[tuple[int, int]]]:
    """(cells tied by YS406/YS407 equalities, cells bounded by YS408 and YS401)."""
    ctx = Context.build([ex])
    cells = debt_cells(ctx, ex, views)
    eq: list[tuple[int, int]] = []
    bound: list[tuple[int, int]] = []
    for g in same_figure_groups(cells):  # YS406
        eq += [(c.cell.start, c.cell.end) for c in g]
    for total, choices in cross_table_sums(cells):  # YS407
        eq.append((total.cell.start, total.cell.end))
        eq += [(p.cell.start, p.cell.end) for combo in choices for p in combo]
    for a, b in bound_pairs(cells):  # YS408
        bound += [(a.cell.start, a.cell.end), (b.cell.start, b.cell.end)]
    for g in _groups(ctx).values():  # YS401: a balance and a limit of one kind
        for kind in ("general", "special", "total"):
            bal, lim = g.get(("balance", kind), []), g.get(("limit", kind), [])
            if bal and lim:
                bound += [(f.source.start, f.source.end) for f in bal + lim
                          if f.table is not None]
    return eq, bound
