"""The core model: small immutable records shared by every stage.

This package imports nothing else of the project.  Every other package
speaks in these records: a reader makes a :class:`Document`, the extractor
makes :class:`Fact`, :class:`Table` and :class:`Relation` records, the
checker makes :class:`Finding` records.
"""

from yusuan.model.money import UNIT_FACTOR, Amount, Interval, Unit, pct_interval
from yusuan.model.records import (
    Book,
    Cell,
    Code,
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
    content_id,
)
from yusuan.model.text import MappedText

__all__ = [
    "UNIT_FACTOR",
    "Amount",
    "Book",
    "Cell",
    "Code",
    "Column",
    "ColumnKind",
    "DocKind",
    "Document",
    "Extraction",
    "Fact",
    "Finding",
    "Government",
    "Interval",
    "Level",
    "Line",
    "MappedText",
    "Paragraph",
    "Period",
    "Problem",
    "Relation",
    "RelationKind",
    "Row",
    "Scope",
    "Severity",
    "Source",
    "Span",
    "Stage",
    "Table",
    "Unit",
    "content_id",
    "pct_interval",
]
