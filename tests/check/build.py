"""Builders of small hand-made records for the checker's tests.

A test writes a budget passage or a tab-separated table as text; these helpers
make the Document, Facts, Tables and Relations that point into it, the way the
extractor would, so that each rule is tested on records alone.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.check import check
from yusuan.model import (
    Amount,
    Book,
    Cell,
    Column,
    ColumnKind,
    Document,
    Extraction,
    Fact,
    Finding,
    Period,
    Relation,
    RelationKind,
    Row,
    Source,
    Stage,
    Table,
    Unit,
)
from yusuan.read import read_bytes

H1 = Period.months(2024, 1, 6)
Y24 = Period(2024)


def document(text: str, name: str = "t.txt") -> Document:
    doc, _ = read_bytes(text.encode("utf-8"), name)
    assert doc is not None
    return doc


def fact(doc: Document, indicator: str, quote: str, *, nth: int = 0, unit: Unit = Unit.YI,
         stage: Stage = Stage.EXECUTION, period: Period = H1, scope: str = "whole",
         value: str | None = None, **kw: object) -> Fact:
    """A fact whose number is ``quote`` (or ``value``), found in the text (``nth`` occurrence)."""
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(quote, at + 1)
    number = value if value is not None else quote
    return Fact(
        indicator=indicator,
        amount=Amount(Decimal(number), unit),
        stage=stage,
        period=period,
        source=Source(doc.id, doc.line_at(at), at, at + len(quote), quote, doc.path),
        scope=scope,
        government=kw.pop("government", "甲市"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def amount(value: str, unit: Unit = Unit.YI) -> Amount:
    return Amount(Decimal(value), unit)


def rel(kind: RelationKind, total: Fact, parts: list[Fact], stated: str | None = None,
        exhaustive: bool = False, note: str = "", neg: tuple[Fact, ...] = ()) -> Relation:
    ids = tuple(p.id for p in parts) + tuple("-" + p.id for p in neg)
    return Relation(kind, total.id, ids, Decimal(stated) if stated else None, exhaustive,
                    total.source, note)


def extraction(doc: Document, facts: list[Fact] = (), relations: list[Relation] = (),  # type: ignore[assignment]
               tables: list[Table] = (), year: int | None = 2024) -> Extraction:  # type: ignore[assignment]
    return Extraction(doc, tuple(facts), tuple(tables), tuple(relations), year=year)


def table(doc: Document, columns: list[tuple[str, ColumnKind]] | list[Column], *,
          number: str = "表1", title: str = "2024年甲市一般公共预算收入表", unit: str = "万元",
          book: Book | None = Book.GENERAL, first_line: int = 1, last_line: int | None = None,
          code_col: bool = True) -> Table:
    """A table from the tab-separated lines of ``doc`` (lines first_line..last_line).

    Each line is ``code<TAB>name<TAB>values…`` (without ``code_col``: ``name<TAB>values…``).
    """
    cols = [c if isinstance(c, Column) else Column(c[0], c[1], year=_year(c[0]))
            for c in columns]
    head = [Column("科目编码", ColumnKind.CODE)] if code_col else []
    head.append(Column("项目", ColumnKind.NAME))
    rows = []
    last = last_line or len(doc.lines)
    for ln in doc.lines[first_line - 1:last]:
        if not ln.cells:
            continue
        spans = list(ln.cells)
        code = spans.pop(0).text.strip() if code_col else ""
        name = spans.pop(0).text
        cells = []
        for sp in spans:
            t = sp.text.strip()
            num = t.rstrip("%").replace(",", "")
            try:
                value = Decimal(num) if num else None
            except ArithmeticError:
                value = None
            cells.append(Cell(t, value, sp.start, sp.end))
        total = any(w in name for w in ("合计", "总计"))
        rows.append(Row(code or None, name, tuple(cells), ln.number, ln.start, ln.end, total))
    return Table(number, title, unit, tuple(head + cols), tuple(rows), False, first_line, last,
                 doc.lines[first_line - 1].start, doc.lines[last - 1].end, book)


def _year(name: str) -> int | None:
    import re

    m = re.search(r"(20\d\d)", name)
    return int(m.group(1)) if m else None


def run(ex: Extraction | list[Extraction], select: list[str] | None = None,
        preview: bool = False) -> tuple[Finding, ...]:
    exs = ex if isinstance(ex, list) else [ex]
    return check(exs, select, preview=preview).findings


def flat(findings: tuple[Finding, ...]) -> list[tuple[str, str | None, str | None]]:
    """Findings as (code, expected, printed) tuples."""
    return [(f.code, f.expected, f.printed) for f in findings]
