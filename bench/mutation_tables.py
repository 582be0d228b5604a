"""Which table cells of an extraction some relation constrains (for bench/mutation.py)."""

from __future__ import annotations

from yusuan.check.rules._table import compared_columns, is_subtotal, is_total, structure
from yusuan.model import ColumnKind, Extraction


def table_constrained_spans(ex: Extraction) -> list[tuple[int, int]]:
    """Spans of the table cells a relation ties to other numbers: a cell whose row has a
    parent code or children, a table with a total or subtotal row, an amount that a printed
    rate of its row compares, a rate with its two amount columns."""
    spans: list[tuple[int, int]] = []
    for t in ex.tables:
        if t.empty:
            continue
        st = structure(t)
        has_total = any(is_total(r) or is_subtotal(r) for r in t.rows)
        vcols = t.value_columns
        for i, row in enumerate(t.rows):
            linked = i in st.parent or i in st.children or has_total
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
                if (k in (ColumnKind.AMOUNT, ColumnKind.CHANGE) and (linked or j in compared)
                        ) or rate:
                    spans.append((c.start, c.end))
    return spans
