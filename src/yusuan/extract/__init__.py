"""Extraction: a :class:`Document` becomes facts, tables and relations.

Order: the document's context (government, year, kind) is detected; table
extraction claims the lines that belong to tables; the remaining lines are
assembled into repaired paragraphs, from which narrative facts and the
relations they state are taken.
"""

from __future__ import annotations

from yusuan.extract.context import DocContext, detect_context
from yusuan.extract.narrative import extract_narrative
from yusuan.extract.paragraphs import assemble_paragraphs
from yusuan.extract.tables import extract_tables, table_problems
from yusuan.model import Document, Extraction


def extract(document: Document) -> Extraction:
    """Every figure of ``document`` as facts, with tables and relations."""
    context = detect_context(document)
    tables, table_facts, claimed = extract_tables(document, context)
    paragraphs = assemble_paragraphs(document, claimed)
    facts, relations, problems = extract_narrative(document, paragraphs, context)
    problems = [*problems, *table_problems(document, tables)]
    return Extraction(
        document=document,
        facts=tuple(facts) + tuple(table_facts),
        tables=tuple(tables),
        relations=tuple(relations),
        paragraphs=tuple(paragraphs),
        problems=tuple(problems),
        government=context.government,
        kind=context.kind,
        year=context.year,
        date=context.date,
    )


__all__ = ["DocContext", "extract"]
