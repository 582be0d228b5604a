"""Tables: numbered disclosure tables into columns, rows and cell facts."""

from __future__ import annotations

from yusuan.extract.context import DocContext
from yusuan.model import Document, Fact, Table


def extract_tables(
    document: Document, context: DocContext
) -> tuple[list[Table], list[Fact], set[int]]:
    """Tables, one fact per amount cell, and the line numbers the tables claim."""
    return [], [], set()
