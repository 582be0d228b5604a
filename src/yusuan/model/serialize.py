"""One deterministic JSON form for every record; Decimal is written as a string."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from yusuan.model.money import Amount
from yusuan.model.records import (
    Document,
    Extraction,
    Fact,
    Finding,
    Period,
    Relation,
    Source,
    Table,
)
from yusuan.model.text import MappedText


def dec(value: Decimal | None) -> str | None:
    """A Decimal as a plain string (no exponent), ``None`` kept."""
    if value is None:
        return None
    text = format(value, "f")
    return text


def fact_dict(fact: Fact) -> dict[str, Any]:
    yoy_abs = None
    if fact.yoy_abs is not None:
        yoy_abs = (
            fact.yoy_abs.value
            if fact.yoy_abs.unit == fact.amount.unit
            else fact.yoy_abs.in_unit(fact.amount.unit).normalize()
        )
    return {
        "id": fact.id,
        "indicator": fact.indicator,
        "parent": fact.parent,
        "code": fact.code,
        "book": fact.book.value if fact.book else None,
        "scope": str(fact.scope),
        "government": fact.government,
        "division": fact.division,
        "stage": fact.stage.value,
        "period": str(fact.period),
        "value": dec(fact.amount.value),
        "unit": fact.amount.unit.value,
        "yuan": dec(fact.amount.yuan),
        "yoy_abs": dec(yoy_abs),
        "yoy_pct": dec(fact.yoy_pct),
        "pct_of_budget": dec(fact.pct_of_budget),
        "pct_base": fact.pct_base.value if fact.pct_base else None,
        "share_pct": dec(fact.share_pct),
        "share_of": fact.share_of,
        "table": fact.table,
        "column": fact.column,
        "row": fact.row,
        "quote": fact.source.quote,
        "line": fact.source.line,
        "start": fact.source.start,
        "end": fact.source.end,
    }


def source_dict(source: Source) -> dict[str, Any]:
    return {
        "document": source.document,
        "file": source.file,
        "line": source.line,
        "start": source.start,
        "end": source.end,
        "quote": source.quote,
        "page": source.page,
        "derived": source.derived or None,
    }


def table_dict(table: Table) -> dict[str, Any]:
    return {
        "number": table.number,
        "title": table.title,
        "unit": table.unit,
        "book": table.book.value if table.book else None,
        "scope": table.scope,
        "columns": [
            {
                "name": c.name,
                "kind": c.kind.value,
                "year": c.year,
                "stage": c.stage.value if c.stage else None,
                "scope": c.scope,
                "side": c.side,
            }
            for c in table.columns
        ],
        "rows": [
            {
                "code": r.code,
                "code_printed": r.code_printed,
                "name": r.name,
                "values": [c.text if c.text else None for c in r.cells],
                "total": r.total,
                "line": r.line,
            }
            for r in table.rows
        ],
        "empty": table.empty,
        "line_start": table.line_start,
        "line_end": table.line_end,
        "notes": list(table.notes),
    }


def relation_dict(relation: Relation) -> dict[str, Any]:
    return {
        "kind": relation.kind.value,
        "total": relation.total,
        "parts": list(relation.parts),
        "stated": dec(relation.stated),
        "exhaustive": relation.exhaustive,
        "note": relation.note,
        "source": source_dict(relation.source) if relation.source else None,
    }


def document_dict(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "path": document.path,
        "name": document.name,
        "format": document.format,
        "title": document.title,
        "lines": len(document.lines),
        "chars": len(document.text),
        "pages": document.pages,
    }


def extraction_dict(ex: Extraction) -> dict[str, Any]:
    doc = document_dict(ex.document)
    doc.update(
        {
            "government": ex.government.name if ex.government else None,
            "division": ex.government.code if ex.government else None,
            "kind": ex.kind.value,
            "year": ex.year,
            "date": ex.date.isoformat() if ex.date else None,
        }
    )
    return {
        "document": doc,
        "facts": [fact_dict(f) for f in ex.facts],
        "tables": [table_dict(t) for t in ex.tables],
        "relations": [relation_dict(r) for r in ex.relations],
        "problems": [dataclasses.asdict(p) for p in ex.problems],
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "message_en": finding.message_en,
        "expected": finding.expected,
        "printed": finding.printed,
        "gap": finding.gap,
        "tolerance": finding.tolerance,
        "facts": list(finding.facts),
        "document": finding.document,
        "sources": [source_dict(s) for s in finding.sources],
    }


def _default(obj: object) -> Any:
    if isinstance(obj, Decimal):
        return dec(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Period):
        return str(obj)
    if isinstance(obj, Amount):
        return {"value": dec(obj.value), "unit": obj.unit.value}
    if isinstance(obj, MappedText):
        return obj.text
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """The project's one JSON encoder: Decimal as string, Chinese unescaped."""
    return json.dumps(obj, default=_default, ensure_ascii=False, indent=indent)
