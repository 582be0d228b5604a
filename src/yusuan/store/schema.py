"""The ledger's tables (SQLAlchemy 2 typed declarative mapping).

Money and rates are stored as decimal *strings*: ``str(Decimal)`` keeps the
printed precision (``131.50`` stays ``131.50``), which the checker needs
to infer rounding tolerance, and no database turns it into a float.

Every change to these tables needs a migration in ``migrations/versions``;
``tests/test_store.py`` fails when the two disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every ledger table (other store modules add theirs here)."""


class GovernmentRow(Base):
    """A government by its division code (GB/T 2260)."""

    __tablename__ = "governments"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent: Mapped[str | None] = mapped_column(String(12))


class DocumentRow(Base):
    """A source file as read; ``sha256`` of its bytes is its identity."""

    __tablename__ = "documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    government: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("governments.code"), index=True
    )
    government_name: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    issued: Mapped[date | None] = mapped_column("date", Date)  # the date the document gives
    title: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    # [[number, start, end, [[start, end], ...] | null], ...]: the line text is text[start:end]
    lines: Mapped[list[list[object]]] = mapped_column(JSON)
    page_starts: Mapped[list[int]] = mapped_column(JSON)  # offset where each page begins
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ParagraphRow(Base):
    """A repaired paragraph; ``offsets`` as runs ``[[source_offset, length], ...]``."""

    __tablename__ = "paragraphs"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    heading: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    offsets: Mapped[list[list[int]]] = mapped_column(JSON)


class FactRow(Base):
    """One :class:`yusuan.model.Fact`, every field kept."""

    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_context", "government", "book", "stage", "period"),
        Index("ix_facts_document_seq", "document", "seq"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(Text, index=True)
    value: Mapped[str] = mapped_column(String(60))  # decimal string as printed
    unit: Mapped[str] = mapped_column(String(8))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    period: Mapped[str] = mapped_column(String(24), index=True)  # str(Period)
    period_year: Mapped[int] = mapped_column(Integer, index=True)
    period_start_month: Mapped[int] = mapped_column(Integer)
    period_end_month: Mapped[int] = mapped_column(Integer)
    period_day: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(100), index=True)
    book: Mapped[str | None] = mapped_column(String(20))
    government: Mapped[str | None] = mapped_column(String(100), index=True)
    division: Mapped[str | None] = mapped_column(String(12), index=True)
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    parent: Mapped[str | None] = mapped_column(Text)
    yoy_abs_value: Mapped[str | None] = mapped_column(String(60))
    yoy_abs_unit: Mapped[str | None] = mapped_column(String(8))
    yoy_pct: Mapped[str | None] = mapped_column(String(60))
    pct_of_budget: Mapped[str | None] = mapped_column(String(60))
    pct_base: Mapped[str | None] = mapped_column(String(20))  # Stage the ratio is against
    share_pct: Mapped[str | None] = mapped_column(String(60))
    share_of: Mapped[str | None] = mapped_column(Text)
    table_number: Mapped[str | None] = mapped_column(String(40))
    column_name: Mapped[str | None] = mapped_column(Text)
    row_index: Mapped[int | None] = mapped_column(Integer)
    source_document: Mapped[str] = mapped_column(String(64))
    source_line: Mapped[int] = mapped_column(Integer)
    source_start: Mapped[int] = mapped_column(Integer)
    source_end: Mapped[int] = mapped_column(Integer)
    source_quote: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(Text, default="")
    source_page: Mapped[int | None] = mapped_column(Integer)
    source_derived: Mapped[str] = mapped_column(Text, default="")


class TableRow(Base):
    """A table of a document; ``columns`` as a JSON list of column dicts."""

    __tablename__ = "tables"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(20))
    columns: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    empty: Mapped[bool] = mapped_column(Boolean)
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    book: Mapped[str | None] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[list[str]] = mapped_column(JSON)


class TableRowRow(Base):
    """A row of a stored table."""

    __tablename__ = "table_rows"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    table: Mapped[int] = mapped_column(Integer, ForeignKey("tables.pk", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    total: Mapped[bool] = mapped_column(Boolean, default=False)
    code_printed: Mapped[str | None] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer, default=0)


class TableCellRow(Base):
    """A cell of a stored table row: a value cell (aligned with the table's value
    columns) or, with ``unplaced`` set, a value whose column the text leaves open."""

    __tablename__ = "table_cells"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    row: Mapped[int] = mapped_column(
        Integer, ForeignKey("table_rows.pk", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    unplaced: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(String(60))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class RelationRow(Base):
    """An arithmetic claim linking facts by id."""

    __tablename__ = "relations"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    total: Mapped[str] = mapped_column(String(64))
    parts: Mapped[list[str]] = mapped_column(JSON)
    stated: Mapped[str | None] = mapped_column(String(60))
    exhaustive: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # the source, all null when the relation has none
    source_document: Mapped[str | None] = mapped_column(String(64))
    source_line: Mapped[int | None] = mapped_column(Integer)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    source_quote: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    source_page: Mapped[int | None] = mapped_column(Integer)
    source_derived: Mapped[str | None] = mapped_column(Text)


class FindingRow(Base):
    """A checker finding, with a reviewer's judgement."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_document_id", "document", "id", unique=True),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[list[str]] = mapped_column(JSON)
    expected: Mapped[str | None] = mapped_column(Text)
    printed: Mapped[str | None] = mapped_column(Text)
    gap: Mapped[str | None] = mapped_column(Text)
    tolerance: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the reviewer's judgement: null (open), "confirmed" or "dismissed"
    review_status: Mapped[str | None] = mapped_column(String(20))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FindingSourceRow(Base):
    """A source span quoted by a finding."""

    __tablename__ = "finding_sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding: Mapped[int] = mapped_column(
        Integer, ForeignKey("findings.pk", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(64))
    line: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    file: Mapped[str] = mapped_column(Text, default="")
    page: Mapped[int | None] = mapped_column(Integer)
    derived: Mapped[str] = mapped_column(Text, default="")


class ProblemRow(Base):
    """Something wrong with an ingested document's input (model.Problem)."""

    __tablename__ = "problems"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    file: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text, default="")
    line: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60), default="")
