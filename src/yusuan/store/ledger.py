"""The ledger API: store extractions, read back facts, tables and findings.

Every write is one transaction: a document and everything extracted from
it are stored together or not at all, and a document already stored (the
same sha256) is never stored twice.  Reads rebuild the model's records, so
the stages after the store speak only :mod:`yusuan.model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from yusuan.model import (
    Amount,
    Book,
    Cell,
    Column,
    ColumnKind,
    DocKind,
    Document,
    Extraction,
    Fact,
    Finding,
    Government,
    Level,
    Line,
    MappedText,
    Paragraph,
    Period,
    Problem,
    Relation,
    RelationKind,
    Row,
    Scope,
    Severity,
    Source,
    Span,
    Stage,
    Table,
    Unit,
)
from yusuan.store.db import make_engine, normalize_url, upgrade
from yusuan.store.schema import (
    DocumentRow,
    FactRow,
    FindingRow,
    FindingSourceRow,
    GovernmentRow,
    ParagraphRow,
    ProblemRow,
    RelationRow,
    TableCellRow,
    TableRow,
    TableRowRow,
)

REVIEW_STATUSES = ("confirmed", "dismissed")


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ``Store.ingest`` did.  ``new`` is False when the file was already stored."""

    document: str  # sha256
    name: str
    government: str | None
    kind: str
    year: int | None
    facts: int
    tables: int
    relations: int
    problems: int
    new: bool


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A stored document with its counts (the listing of ``Store.documents``)."""

    id: str  # sha256
    path: str
    name: str
    format: str
    kind: str
    government: str | None  # name
    division: str | None  # code
    year: int | None
    date: Date | None
    title: str
    ingested_at: datetime
    facts: int
    tables: int


@dataclass(frozen=True, slots=True)
class ReviewedFinding:
    """A stored finding with the reviewer's judgement (``status`` None while open)."""

    finding: Finding
    document: str
    status: str | None
    comment: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None


# --------------------------------------------------------------------------
# Conversions between model records and rows


def _dec(value: Decimal | None) -> str | None:
    """``str`` keeps a Decimal's exact digits and exponent (``131.50`` stays ``131.50``)."""
    return None if value is None else str(value)


def _undec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _scope(text: str) -> str:
    try:
        return Scope(text)
    except ValueError:
        return text


def _lines_json(lines: Sequence[Line]) -> list[list[object]]:
    out: list[list[object]] = []
    for line in lines:
        cells = None if line.cells is None else [[c.start, c.end] for c in line.cells]
        out.append([line.number, line.start, line.end, cells])
    return out


def _lines(text: str, data: list[list[Any]]) -> tuple[Line, ...]:
    lines = []
    for number, start, end, cells in data:
        spans = None
        if cells is not None:
            spans = tuple(Span(text[s:e], s, e) for s, e in cells)
        lines.append(Line(number, start, end, text[start:end], spans))
    return tuple(lines)


def _runs(offsets: Sequence[int]) -> list[list[int]]:
    """Offsets as runs of consecutive values: ``[3,4,5,9]`` -> ``[[3,3],[9,1]]``."""
    runs: list[list[int]] = []
    for offset in offsets:
        if runs and runs[-1][0] + runs[-1][1] == offset:
            runs[-1][1] += 1
        else:
            runs.append([offset, 1])
    return runs


def _unruns(runs: list[list[int]]) -> tuple[int, ...]:
    return tuple(o for start, length in runs for o in range(start, start + length))


def _source_cols(source: Source) -> dict[str, Any]:
    return {
        "source_document": source.document,
        "source_line": source.line,
        "source_start": source.start,
        "source_end": source.end,
        "source_quote": source.quote,
        "source_file": source.file,
        "source_page": source.page,
        "source_derived": source.derived,
    }


def _fact_cols(fact: Fact, document: str, seq: int) -> dict[str, Any]:
    return {
        "id": fact.id,
        "document": document,
        "seq": seq,
        "indicator": fact.indicator,
        "value": _dec(fact.amount.value),
        "unit": fact.amount.unit.value,
        "stage": fact.stage.value,
        "period": str(fact.period),
        "period_year": fact.period.year,
        "period_start_month": fact.period.start_month,
        "period_end_month": fact.period.end_month,
        "period_day": fact.period.day,
        "scope": str(fact.scope),
        "book": fact.book.value if fact.book else None,
        "government": fact.government,
        "division": fact.division,
        "code": fact.code,
        "parent": fact.parent,
        "yoy_abs_value": _dec(fact.yoy_abs.value) if fact.yoy_abs else None,
        "yoy_abs_unit": fact.yoy_abs.unit.value if fact.yoy_abs else None,
        "yoy_pct": _dec(fact.yoy_pct),
        "pct_of_budget": _dec(fact.pct_of_budget),
        "pct_base": fact.pct_base.value if fact.pct_base else None,
        "share_pct": _dec(fact.share_pct),
        "share_of": fact.share_of,
        "table_number": fact.table,
        "column_name": fact.column,
        "row_index": fact.row,
        **_source_cols(fact.source),
    }


def _fact(row: FactRow) -> Fact:
    yoy_abs = None
    if row.yoy_abs_value is not None and row.yoy_abs_unit is not None:
        yoy_abs = Amount(Decimal(row.yoy_abs_value), Unit(row.yoy_abs_unit))
    return Fact(
        indicator=row.indicator,
        amount=Amount(Decimal(row.value), Unit(row.unit)),
        stage=Stage(row.stage),
        period=Period(row.period_year, row.period_start_month, row.period_end_month, row.period_day),
        source=Source(
            document=row.source_document,
            line=row.source_line,
            start=row.source_start,
            end=row.source_end,
            quote=row.source_quote,
            file=row.source_file,
            page=row.source_page,
            derived=row.source_derived,
        ),
        scope=_scope(row.scope),
        book=Book(row.book) if row.book else None,
        government=row.government,
        division=row.division,
        code=row.code,
        parent=row.parent,
        yoy_abs=yoy_abs,
        yoy_pct=_undec(row.yoy_pct),
        pct_of_budget=_undec(row.pct_of_budget),
        share_pct=_undec(row.share_pct),
        share_of=row.share_of,
        table=row.table_number,
        column=row.column_name,
        row=row.row_index,
        id=row.id,
        pct_base=Stage(row.pct_base) if row.pct_base else None,
    )


def _column_json(column: Column) -> dict[str, object]:
    return {
        "name": column.name,
        "kind": column.kind.value,
        "year": column.year,
        "stage": column.stage.value if column.stage else None,
        "period": str(column.period) if column.period else None,
        "period_parts": (
            [column.period.year, column.period.start_month, column.period.end_month,
             column.period.day.isoformat() if column.period.day else None]
            if column.period
            else None
        ),
        "scope": column.scope,
        "side": column.side,
    }


def _column(data: dict[str, Any]) -> Column:
    period = None
    if data.get("period_parts"):
        year, start, end, day = data["period_parts"]
        period = Period(year, start, end, Date.fromisoformat(day) if day else None)
    return Column(
        name=data["name"],
        kind=ColumnKind(data["kind"]),
        year=data.get("year"),
        stage=Stage(data["stage"]) if data.get("stage") else None,
        period=period,
        scope=_scope(data["scope"]) if data.get("scope") is not None else None,
        side=data.get("side"),
    )


def _glob(column: InstrumentedAttribute[Any], value: str) -> ColumnElement[bool]:
    """Exact match, or a LIKE pattern when ``value`` holds ``*`` wildcards."""
    if "*" not in value:
        return column == value
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped.replace("*", "%"), escape="\\")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


# --------------------------------------------------------------------------
# The store


class Store:
    """A ledger database.  ``Store.open(url)`` creates or upgrades it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | Path | None = None, *, migrate: bool = True) -> Store:
        """Open the ledger at ``url`` (default ``sqlite:///yusuan.db``), applying migrations."""
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    # ---------------------------------------------------------------- writes

    def ingest(self, extraction: Extraction) -> IngestResult:
        """Store one document with everything extracted from it, in one transaction.

        A document whose sha256 is already stored adds nothing (``new`` is False).
        Any error rolls the whole document back and is raised.
        """
        sha = extraction.document.id
        existing = self._result(sha)
        if existing is not None:
            return existing
        try:
            with self.session() as session:
                self._write(session, extraction)
        except IntegrityError:
            # stored meanwhile by another writer: report it as present
            existing = self._result(sha)
            if existing is None:
                raise
            return existing
        gov = extraction.government
        return IngestResult(
            document=sha,
            name=extraction.document.name,
            government=gov.name if gov else None,
            kind=extraction.kind.value,
            year=extraction.year,
            facts=len(extraction.facts),
            tables=len(extraction.tables),
            relations=len(extraction.relations),
            problems=len(extraction.problems),
            new=True,
        )

    def _write(self, session: Session, ex: Extraction) -> None:
        doc = ex.document
        gov = ex.government
        if gov is not None:
            # another writer may add the same government at the same moment: insert-or-ignore
            if session.get_bind().dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as upsert
            else:
                from sqlalchemy.dialects.sqlite import insert as upsert
            session.execute(
                upsert(GovernmentRow)
                .values(code=gov.code, name=gov.name, level=gov.level.value, parent=gov.parent)
                .on_conflict_do_nothing(index_elements=["code"])
            )
        session.add(
            DocumentRow(
                sha256=doc.id,
                path=doc.path,
                name=doc.name,
                format=doc.format,
                kind=ex.kind.value,
                government=gov.code if gov else None,
                government_name=gov.name if gov else None,
                year=ex.year,
                issued=ex.date,
                title=doc.title,
                pages=doc.pages,
                text=doc.text,
                lines=_lines_json(doc.lines),
                page_starts=list(doc.page_starts),
                ingested_at=_now(),
            )
        )
        session.flush()
        if ex.paragraphs:
            session.execute(
                insert(ParagraphRow),
                [
                    {
                        "document": doc.id,
                        "index": p.index,
                        "line": p.line,
                        "start": p.start,
                        "end": p.end,
                        "heading": p.heading,
                        "text": p.text.text,
                        "offsets": _runs(p.text.offsets),
                    }
                    for p in ex.paragraphs
                ],
            )
        if ex.facts:
            session.execute(
                insert(FactRow), [self._fact_cols(f, doc.id, i) for i, f in enumerate(ex.facts)]
            )
        for seq, table in enumerate(ex.tables):
            self._write_table(session, doc.id, seq, table)
        if ex.relations:
            session.execute(
                insert(RelationRow),
                [self._relation_cols(r, doc.id, i) for i, r in enumerate(ex.relations)],
            )
        if ex.problems:
            session.execute(
                insert(ProblemRow),
                [
                    {
                        "document": doc.id,
                        "seq": i,
                        "file": p.file,
                        "message": p.message,
                        "message_en": p.message_en,
                        "line": p.line,
                        "code": p.code,
                    }
                    for i, p in enumerate(ex.problems)
                ],
            )

    # Indirections kept as methods so that tests can make one fail mid-transaction.
    def _fact_cols(self, fact: Fact, document: str, seq: int) -> dict[str, Any]:
        return _fact_cols(fact, document, seq)

    def _relation_cols(self, relation: Relation, document: str, seq: int) -> dict[str, Any]:
        cols: dict[str, Any] = {
            "document": document,
            "seq": seq,
            "kind": relation.kind.value,
            "total": relation.total,
            "parts": list(relation.parts),
            "stated": _dec(relation.stated),
            "exhaustive": relation.exhaustive,
            "note": relation.note,
        }
        if relation.source is not None:
            cols.update(_source_cols(relation.source))
        return cols

    def _write_table(self, session: Session, document: str, seq: int, table: Table) -> None:
        table_pk = session.execute(
            insert(TableRow).returning(TableRow.pk),
            {
                "document": document,
                "seq": seq,
                "number": table.number,
                "title": table.title,
                "unit": table.unit,
                "columns": [_column_json(c) for c in table.columns],
                "empty": table.empty,
                "line_start": table.line_start,
                "line_end": table.line_end,
                "start": table.start,
                "end": table.end,
                "book": table.book.value if table.book else None,
                "scope": None if table.scope is None else str(table.scope),
                "notes": list(table.notes),
            },
        ).scalar_one()
        if not table.rows:
            return
        row_pks = session.execute(
            insert(TableRowRow).returning(TableRowRow.pk, sort_by_parameter_order=True),
            [
                {
                    "table": table_pk,
                    "seq": i,
                    "code": r.code,
                    "name": r.name,
                    "line": r.line,
                    "start": r.start,
                    "end": r.end,
                    "total": r.total,
                    "code_printed": r.code_printed,
                    "level": r.level,
                }
                for i, r in enumerate(table.rows)
            ],
        ).scalars().all()
        cells = [
            {
                "row": row_pk,
                "seq": j,
                "unplaced": unplaced,
                "text": c.text,
                "value": _dec(c.value),
                "start": c.start,
                "end": c.end,
            }
            for row_pk, r in zip(row_pks, table.rows, strict=True)
            for unplaced, group in ((False, r.cells), (True, r.unplaced))
            for j, c in enumerate(group)
        ]
        if cells:
            session.execute(insert(TableCellRow), cells)

    def remove(self, document: str) -> bool:
        """Delete a document and everything stored from it; False when absent."""
        with self.session() as session:
            row = session.get(DocumentRow, document)
            if row is None:
                return False
            # explicit deletes: not every database enforces ON DELETE CASCADE
            tables = select(TableRow.pk).where(TableRow.document == document)
            rows = select(TableRowRow.pk).where(TableRowRow.table.in_(tables))
            findings = select(FindingRow.pk).where(FindingRow.document == document)
            session.execute(delete(TableCellRow).where(TableCellRow.row.in_(rows)))
            session.execute(delete(TableRowRow).where(TableRowRow.table.in_(tables)))
            session.execute(delete(FindingSourceRow).where(FindingSourceRow.finding.in_(findings)))
            for model in (TableRow, FactRow, RelationRow, ParagraphRow, ProblemRow, FindingRow):
                session.execute(delete(model).where(model.document == document))
            session.delete(row)
        return True

    # ----------------------------------------------------------------- reads

    def _result(self, sha: str) -> IngestResult | None:
        """The IngestResult of a document already stored (``new`` False)."""
        with self._sessions() as session:
            row = session.get(DocumentRow, sha)
            if row is None:
                return None

            def count(model: Any) -> int:
                return session.scalar(
                    select(func.count()).select_from(model).where(model.document == sha)
                ) or 0

            return IngestResult(
                document=sha,
                name=row.name,
                government=row.government_name,
                kind=row.kind,
                year=row.year,
                facts=count(FactRow),
                tables=count(TableRow),
                relations=count(RelationRow),
                problems=count(ProblemRow),
                new=False,
            )

    def has(self, document: str) -> bool:
        with self._sessions() as session:
            return session.get(DocumentRow, document) is not None

    def resolve(self, ref: str) -> str | None:
        """The sha256 of the document ``ref`` names: a sha256, a unique prefix of one
        (6 characters or more), a file name or a path.  None when none or several match."""
        with self._sessions() as session:
            if session.get(DocumentRow, ref) is not None:
                return ref
            conditions = [DocumentRow.name == ref, DocumentRow.path == ref]
            if len(ref) >= 6:
                conditions.append(DocumentRow.sha256.startswith(ref.lower()))
            found = session.scalars(select(DocumentRow.sha256).where(or_(*conditions))).all()
            return found[0] if len(found) == 1 else None

    def documents(self) -> list[StoredDocument]:
        """Every stored document, in the order they were ingested."""
        with self._sessions() as session:
            facts = (
                select(FactRow.document, func.count().label("n"))
                .group_by(FactRow.document)
                .subquery()
            )
            tables = (
                select(TableRow.document, func.count().label("n"))
                .group_by(TableRow.document)
                .subquery()
            )
            query = (
                select(DocumentRow, facts.c.n, tables.c.n)
                .outerjoin(facts, facts.c.document == DocumentRow.sha256)
                .outerjoin(tables, tables.c.document == DocumentRow.sha256)
                .order_by(DocumentRow.ingested_at, DocumentRow.name)
            )
            out = []
            for row, n_facts, n_tables in session.execute(query).all():
                out.append(
                    StoredDocument(
                        id=row.sha256,
                        path=row.path,
                        name=row.name,
                        format=row.format,
                        kind=row.kind,
                        government=row.government_name,
                        division=row.government,
                        year=row.year,
                        date=row.issued,
                        title=row.title,
                        ingested_at=_aware(row.ingested_at) or row.ingested_at,
                        facts=n_facts or 0,
                        tables=n_tables or 0,
                    )
                )
            return out

    def facts(
        self,
        *,
        government: str | None = None,
        book: Book | str | None = None,
        indicator: str | None = None,
        code: str | None = None,
        stage: Stage | str | None = None,
        period: Period | str | None = None,
        year: int | None = None,
        document: str | None = None,
        scope: str | None = None,
    ) -> list[Fact]:
        """Stored facts matching every filter given, in document and extraction order.

        ``government`` matches the printed name or the division code; ``indicator``
        and ``code`` match exactly, or as a pattern when they hold ``*``;
        ``period`` matches ``str(Period)`` ("2024", "2024-01..06"); ``year`` the
        period's fiscal year; ``document`` a sha256.
        """
        query = select(FactRow).join(DocumentRow, DocumentRow.sha256 == FactRow.document)
        if government is not None:
            query = query.where(
                or_(FactRow.government == government, FactRow.division == government)
            )
        if book is not None:
            query = query.where(FactRow.book == Book(book).value)
        if indicator is not None:
            query = query.where(_glob(FactRow.indicator, indicator))
        if code is not None:
            query = query.where(_glob(FactRow.code, code))
        if stage is not None:
            query = query.where(FactRow.stage == Stage(stage).value)
        if period is not None:
            query = query.where(FactRow.period == str(period))
        if year is not None:
            query = query.where(FactRow.period_year == year)
        if document is not None:
            query = query.where(FactRow.document == document)
        if scope is not None:
            query = query.where(FactRow.scope == str(scope))
        query = query.order_by(DocumentRow.ingested_at, DocumentRow.name, FactRow.seq)
        with self._sessions() as session:
            return [_fact(row) for row in session.scalars(query)]

    def tables(self, document: str) -> list[Table]:
        """The tables of a stored document, rebuilt, in document order."""
        with self._sessions() as session:
            return self._tables(session, document)

    def _tables(self, session: Session, document: str) -> list[Table]:
        table_rows = session.scalars(
            select(TableRow).where(TableRow.document == document).order_by(TableRow.seq)
        ).all()
        if not table_rows:
            return []
        rows = session.scalars(
            select(TableRowRow)
            .join(TableRow, TableRow.pk == TableRowRow.table)
            .where(TableRow.document == document)
            .order_by(TableRowRow.table, TableRowRow.seq)
        ).all()
        cells: dict[tuple[int, bool], list[Cell]] = {}
        for cell in session.scalars(
            select(TableCellRow)
            .join(TableRowRow, TableRowRow.pk == TableCellRow.row)
            .join(TableRow, TableRow.pk == TableRowRow.table)
            .where(TableRow.document == document)
            .order_by(TableCellRow.row, TableCellRow.unplaced, TableCellRow.seq)
        ):
            cells.setdefault((cell.row, cell.unplaced), []).append(
                Cell(cell.text, _undec(cell.value), cell.start, cell.end)
            )
        by_table: dict[int, list[Row]] = {}
        for r in rows:
            by_table.setdefault(r.table, []).append(
                Row(
                    code=r.code,
                    name=r.name,
                    cells=tuple(cells.get((r.pk, False), ())),
                    line=r.line,
                    start=r.start,
                    end=r.end,
                    total=r.total,
                    code_printed=r.code_printed,
                    level=r.level,
                    unplaced=tuple(cells.get((r.pk, True), ())),
                )
            )
        return [
            Table(
                number=t.number,
                title=t.title,
                unit=t.unit,
                columns=tuple(_column(c) for c in t.columns),
                rows=tuple(by_table.get(t.pk, ())),
                empty=t.empty,
                line_start=t.line_start,
                line_end=t.line_end,
                start=t.start,
                end=t.end,
                book=Book(t.book) if t.book else None,
                scope=None if t.scope is None else _scope(t.scope),
                notes=tuple(t.notes),
            )
            for t in table_rows
        ]

    def relations(self, document: str) -> list[Relation]:
        with self._sessions() as session:
            return self._relations(session, document)

    def _relations(self, session: Session, document: str) -> list[Relation]:
        out = []
        for r in session.scalars(
            select(RelationRow).where(RelationRow.document == document).order_by(RelationRow.seq)
        ):
            source = None
            if r.source_document is not None:
                source = Source(
                    document=r.source_document,
                    line=r.source_line or 0,
                    start=r.source_start or 0,
                    end=r.source_end or 0,
                    quote=r.source_quote or "",
                    file=r.source_file or "",
                    page=r.source_page,
                    derived=r.source_derived or "",
                )
            out.append(
                Relation(
                    kind=RelationKind(r.kind),
                    total=r.total,
                    parts=tuple(r.parts),
                    stated=_undec(r.stated),
                    exhaustive=r.exhaustive,
                    source=source,
                    note=r.note,
                )
            )
        return out

    def document(self, document: str) -> Document | None:
        """The stored document as read (text and lines), or None."""
        with self._sessions() as session:
            row = session.get(DocumentRow, document)
            return None if row is None else self._document(row)

    @staticmethod
    def _document(row: DocumentRow) -> Document:
        return Document(
            id=row.sha256,
            path=row.path,
            name=row.name,
            format=row.format,
            text=row.text,
            lines=_lines(row.text, row.lines),
            title=row.title,
            pages=row.pages,
            page_starts=tuple(row.page_starts or ()),
        )

    def extraction(self, document: str) -> Extraction:
        """Everything stored from one document, as the extractor made it.

        Raises ``KeyError`` when no document has that sha256.
        """
        with self._sessions() as session:
            row = session.get(DocumentRow, document)
            if row is None:
                raise KeyError(document)
            government = None
            if row.government is not None:
                g = session.get(GovernmentRow, row.government)
                if g is not None:
                    government = Government(g.code, g.name, Level(g.level), g.parent)
            facts = session.scalars(
                select(FactRow).where(FactRow.document == document).order_by(FactRow.seq)
            ).all()
            paragraphs = session.scalars(
                select(ParagraphRow)
                .where(ParagraphRow.document == document)
                .order_by(ParagraphRow.index, ParagraphRow.pk)
            ).all()
            problems = session.scalars(
                select(ProblemRow).where(ProblemRow.document == document).order_by(ProblemRow.seq)
            ).all()
            return Extraction(
                document=self._document(row),
                facts=tuple(_fact(f) for f in facts),
                tables=tuple(self._tables(session, document)),
                relations=tuple(self._relations(session, document)),
                paragraphs=tuple(
                    Paragraph(
                        index=p.index,
                        line=p.line,
                        start=p.start,
                        end=p.end,
                        text=MappedText(p.text, _unruns(p.offsets)),
                        heading=p.heading,
                    )
                    for p in paragraphs
                ),
                problems=tuple(
                    Problem(p.file, p.message, p.message_en, p.line, p.code) for p in problems
                ),
                government=government,
                kind=DocKind(row.kind),
                year=row.year,
                date=row.issued,
            )

    # -------------------------------------------------------------- findings

    def save_findings(self, document: str, findings: Iterable[Finding]) -> int:
        """Replace the checker's findings for ``document``; returns how many were saved.

        A finding raised again (same id) keeps its reviewer's judgement; findings
        no longer raised are removed.  A finding whose ``document`` is None is
        saved as one of ``document``.
        """
        items = list(findings)
        with self.session() as session:
            if session.get(DocumentRow, document) is None:
                raise KeyError(document)
            old = {
                row.id: row
                for row in session.scalars(select(FindingRow).where(FindingRow.document == document))
            }
            keep: dict[str, tuple[Any, ...]] = {}
            for row in old.values():
                if row.review_status is not None:
                    keep[row.id] = (
                        row.review_status,
                        row.review_comment,
                        row.reviewed_by,
                        row.reviewed_at,
                    )
            old_pks = select(FindingRow.pk).where(FindingRow.document == document)
            session.execute(delete(FindingSourceRow).where(FindingSourceRow.finding.in_(old_pks)))
            session.execute(delete(FindingRow).where(FindingRow.document == document))
            now = _now()
            seen: set[str] = set()
            for seq, finding in enumerate(items):
                if finding.id in seen:
                    continue
                seen.add(finding.id)
                status, comment, who, when = keep.get(finding.id, (None, None, None, None))
                row = FindingRow(
                    id=finding.id,
                    document=document,
                    seq=seq,
                    code=finding.code,
                    severity=finding.severity.value,
                    message=finding.message,
                    message_en=finding.message_en,
                    facts=list(finding.facts),
                    expected=finding.expected,
                    printed=finding.printed,
                    gap=finding.gap,
                    tolerance=finding.tolerance,
                    checked_at=now,
                    review_status=status,
                    review_comment=comment,
                    reviewed_by=who,
                    reviewed_at=when,
                )
                session.add(row)
                session.flush()
                if finding.sources:
                    session.execute(
                        insert(FindingSourceRow),
                        [
                            {
                                "finding": row.pk,
                                "seq": i,
                                "document": s.document,
                                "line": s.line,
                                "start": s.start,
                                "end": s.end,
                                "quote": s.quote,
                                "file": s.file,
                                "page": s.page,
                                "derived": s.derived,
                            }
                            for i, s in enumerate(finding.sources)
                        ],
                    )
            return len(seen)

    def review(
        self,
        finding: str,
        status: str | None,
        *,
        comment: str | None = None,
        who: str | None = None,
        document: str | None = None,
    ) -> int:
        """Record a reviewer's judgement ("confirmed", "dismissed", or None to reopen)
        on the finding with id ``finding`` (in ``document`` when given).
        Returns how many stored findings were updated."""
        if status is not None and status not in REVIEW_STATUSES:
            raise ValueError(f"review status must be one of {REVIEW_STATUSES}: {status!r}")
        with self.session() as session:
            query = select(FindingRow).where(FindingRow.id == finding)
            if document is not None:
                query = query.where(FindingRow.document == document)
            rows = session.scalars(query).all()
            for row in rows:
                row.review_status = status
                row.review_comment = comment
                row.reviewed_by = who
                row.reviewed_at = _now() if status is not None else None
            return len(rows)

    def reviewed_findings(
        self,
        *,
        document: str | None = None,
        code: str | None = None,
        severity: Severity | str | None = None,
        status: str | None = None,
    ) -> list[ReviewedFinding]:
        """Stored findings with their judgement.  ``code`` may end in ``*`` (a prefix);
        ``status`` is "open", "confirmed" or "dismissed"."""
        query = select(FindingRow).join(DocumentRow, DocumentRow.sha256 == FindingRow.document)
        if document is not None:
            query = query.where(FindingRow.document == document)
        if code is not None:
            query = query.where(_glob(FindingRow.code, code))
        if severity is not None:
            query = query.where(FindingRow.severity == Severity(severity).value)
        if status == "open":
            query = query.where(FindingRow.review_status.is_(None))
        elif status is not None:
            query = query.where(FindingRow.review_status == status)
        query = query.order_by(DocumentRow.ingested_at, DocumentRow.name, FindingRow.seq)
        with self._sessions() as session:
            rows = session.scalars(query).all()
            sources: dict[int, list[Source]] = {}
            if rows:
                for s in session.scalars(
                    select(FindingSourceRow)
                    .where(FindingSourceRow.finding.in_([r.pk for r in rows]))
                    .order_by(FindingSourceRow.finding, FindingSourceRow.seq)
                ):
                    sources.setdefault(s.finding, []).append(
                        Source(s.document, s.line, s.start, s.end, s.quote, s.file, s.page, s.derived)
                    )
            return [
                ReviewedFinding(
                    finding=Finding(
                        code=r.code,
                        severity=Severity(r.severity),
                        message=r.message,
                        facts=tuple(r.facts),
                        sources=tuple(sources.get(r.pk, ())),
                        expected=r.expected,
                        printed=r.printed,
                        gap=r.gap,
                        tolerance=r.tolerance,
                        message_en=r.message_en,
                        document=r.document,
                        id=r.id,
                    ),
                    document=r.document,
                    status=r.review_status,
                    comment=r.review_comment,
                    reviewed_by=r.reviewed_by,
                    reviewed_at=_aware(r.reviewed_at),
                )
                for r in rows
            ]

    def findings(
        self,
        *,
        document: str | None = None,
        code: str | None = None,
        severity: Severity | str | None = None,
        status: str | None = None,
    ) -> list[Finding]:
        """Stored findings (see :meth:`reviewed_findings` for the filters)."""
        return [
            r.finding
            for r in self.reviewed_findings(
                document=document, code=code, severity=severity, status=status
            )
        ]


__all__ = [
    "REVIEW_STATUSES",
    "IngestResult",
    "ReviewedFinding",
    "Store",
    "StoredDocument",
    "normalize_url",
]
