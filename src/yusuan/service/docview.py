"""A document as the reviewer reads it: paragraphs and tables in order, the
extracted figures marked, and each finding next to the passage it quotes.

Everything here is plain data (dicts, lists, strings); the template and the
JSON twin render the same structure.  Offsets are the document's: a fact's
source span and a finding's quote are located in the repaired paragraph text
through its source map, and in a table through its cells' spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from yusuan.model import Extraction, Fact, Paragraph, Table
from yusuan.model.serialize import dec, source_dict
from yusuan.store import ReviewedFinding

_NUMBER = re.compile(r"-?\d[\d,， ]*(?:\.\s*\d+)?")


def figure_span(fact: Fact) -> tuple[int, int]:
    """The characters of the printed number inside the fact's quote (the whole
    quote when the number cannot be found in it)."""
    src = fact.source
    quote = src.quote
    if src.end - src.start != len(quote):
        return src.start, src.end
    for m in _NUMBER.finditer(quote):
        text = re.sub(r"[,， ]", "", m.group(0))
        try:
            value = Decimal(text)
        except InvalidOperation:
            continue
        if value == fact.amount.value:
            return src.start + m.start(), src.start + m.end()
    return src.start, src.end


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: str  # "fact" | "finding"
    key: str


def _fact_info(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "indicator": fact.indicator,
        "code": fact.code,
        "value": dec(fact.amount.value),
        "unit": fact.amount.unit.value,
        "stage": fact.stage.value,
        "period": str(fact.period),
        "scope": str(fact.scope),
        "book": fact.book.value if fact.book else None,
    }


def _segments(text: str, offsets: Sequence[int], marks: Sequence[_Mark]) -> list[dict[str, Any]]:
    """Split ``text`` (whose characters come from ``offsets``) into runs that share
    the same fact and findings; a run records which finding quotes start at it."""
    n = len(text)
    if n == 0:
        return []
    facts: list[str | None] = [None] * n
    finds: list[tuple[str, ...]] = [()] * n
    ordered = list(offsets)
    monotonic = all(a <= b for a, b in pairwise(ordered))
    for mark in marks:
        if monotonic:
            lo, hi = bisect_left(ordered, mark.start), bisect_left(ordered, mark.end)
            positions: Sequence[int] = range(lo, hi)
        else:
            positions = [i for i, o in enumerate(ordered) if mark.start <= o < mark.end]
        for i in positions:
            if mark.kind == "fact":
                if facts[i] is None:
                    facts[i] = mark.key
            elif mark.key not in finds[i]:
                finds[i] = (*finds[i], mark.key)
    out: list[dict[str, Any]] = []
    started: set[str] = set()
    for i, ch in enumerate(text):
        key = (facts[i], finds[i])
        anchors = [f for f in finds[i] if f not in started]
        started.update(anchors)
        if out and (out[-1]["fact"], tuple(out[-1]["findings"])) == key and not anchors:
            out[-1]["text"] += ch
        else:
            out.append({"text": ch, "fact": key[0], "findings": list(key[1]), "anchors": anchors})
    return out


def segments_html(segments: Sequence[dict[str, Any]], facts: dict[str, dict[str, Any]],
                  stage_name: Any = str, scope_name: Any = str) -> Markup:
    """The segments of a paragraph as HTML (escaped), marks and quote anchors included."""
    out: list[str] = []
    for s in segments:
        for a in s["anchors"]:
            out.append(f'<a id="q-{escape(a)}" class="anchor"></a>')
        text = escape(s["text"])
        if not s["fact"] and not s["findings"]:
            out.append(str(text))
            continue
        classes = []
        attrs = ""
        if s["fact"]:
            classes.append("fig")
            f = facts.get(s["fact"])
            if f is not None:
                title = (f"{f['indicator']} · {stage_name(f['stage'])} {f['period']} · "
                         f"{scope_name(f['scope'])} · {f['value']}{f['unit']}")
                attrs += f' data-fact="{escape(f["id"])}" title="{escape(title)}"'
        if s["findings"]:
            classes.append("q")
            attrs += f' data-findings="{escape(" ".join(s["findings"]))}"'
        out.append(f'<span class="{" ".join(classes)}"{attrs}>{text}</span>')
    return Markup("".join(out))


def _finding_info(r: ReviewedFinding) -> dict[str, Any]:
    f = r.finding
    return {
        "id": f.id,
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "message_en": f.message_en,
        "expected": f.expected,
        "printed": f.printed,
        "gap": f.gap,
        "tolerance": f.tolerance,
        "facts": list(f.facts),
        "sources": [source_dict(s) for s in f.sources],
        "document": r.document,
        "status": r.status or "open",
        "comment": r.comment,
        "reviewed_by": r.reviewed_by,
        "reviewed_at": r.reviewed_at.isoformat() if r.reviewed_at else None,
    }


def finding_info(r: ReviewedFinding) -> dict[str, Any]:
    return _finding_info(r)


def document_view(
    extraction: Extraction, findings: Sequence[ReviewedFinding], meta: dict[str, Any]
) -> dict[str, Any]:
    """The document page's data: ``blocks`` in order, each with its findings."""
    doc = extraction.document
    fact_marks = []
    fact_table: dict[str, dict[str, Any]] = {}
    for fact in extraction.facts:
        if fact.source.document != doc.id:
            continue
        s, e = figure_span(fact)
        fact_marks.append(_Mark(s, e, "fact", fact.id))
        fact_table[fact.id] = _fact_info(fact)
    fact_marks.sort(key=lambda m: (m.start, m.end))

    finding_marks: list[_Mark] = []
    anchor_of: dict[str, int] = {}  # finding id -> offset it is shown at
    for r in findings:
        for s in r.finding.sources:
            if s.document == doc.id and s.end > s.start:
                finding_marks.append(_Mark(s.start, s.end, "finding", r.finding.id))
                anchor_of.setdefault(r.finding.id, s.start)

    blocks: list[dict[str, Any]] = []
    spans: list[tuple[int, int, int]] = []  # (start, end, block index)
    items: list[tuple[int, str, Paragraph | Table]] = [
        (p.start, "paragraph", p) for p in extraction.paragraphs
    ] + [(t.start, "table", t) for t in extraction.tables]
    items.sort(key=lambda x: (x[0], x[1]))
    starts = [m.start for m in fact_marks]
    for _, kind, item in items:
        lo = bisect_left(starts, item.start - 2000)
        near = [m for m in fact_marks[lo:] if m.start < item.end and m.end > item.start]
        near += [m for m in finding_marks if m.start < item.end and m.end > item.start]
        if kind == "paragraph":
            p = item
            assert isinstance(p, Paragraph)
            blocks.append({
                "kind": "paragraph",
                "index": p.index,
                "line": p.line,
                "heading": p.heading,
                "start": p.start,
                "end": p.end,
                "segments": _segments(p.text.text, p.text.offsets, near),
                "findings": [],
            })
        else:
            t = item
            assert isinstance(t, Table)
            blocks.append(_table_block(t, near))
        spans.append((item.start, item.end, len(blocks) - 1))

    unplaced: list[dict[str, Any]] = []
    for r in findings:
        info = _finding_info(r)
        at = anchor_of.get(r.finding.id)
        target = None
        if at is not None:
            for start, end, index in spans:
                if start <= at < max(end, start + 1):
                    target = index
                    break
        if target is None:
            unplaced.append(info)
        else:
            blocks[target]["findings"].append(info)
    for block in blocks:
        anchored = {a for s in block.get("segments", ()) for a in s["anchors"]}
        for row in block.get("rows", ()):  # a table finding is anchored at its first row
            row["anchors"] = [f for f in row["findings"] if f not in anchored]
            anchored.update(row["anchors"])
        block["anchor_ids"] = [f["id"] for f in block["findings"] if f["id"] not in anchored]
    return {
        "document": meta,
        "blocks": blocks,
        "facts": fact_table,
        "unplaced_findings": unplaced,
        "problems": [
            {"code": p.code, "message": p.message, "message_en": p.message_en, "line": p.line}
            for p in extraction.problems
        ],
    }


def _table_block(table: Table, marks: Sequence[_Mark]) -> dict[str, Any]:
    ordered = sorted(marks, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    longest = max((m.end - m.start for m in ordered), default=0)

    def covering(start: int, end: int) -> tuple[str | None, list[str]]:
        fact = None
        finds: list[str] = []
        stop = max(end, start + 1)
        for m in ordered[bisect_left(starts, start - longest):bisect_left(starts, stop)]:
            if m.end > start:
                if m.kind == "fact" and fact is None:
                    fact = m.key
                elif m.kind == "finding" and m.key not in finds:
                    finds.append(m.key)
        return fact, finds

    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            fact, finds = covering(cell.start, cell.end) if cell.text else (None, [])
            cells.append({"text": cell.text, "fact": fact, "findings": finds})
        _, row_finds = covering(row.start, row.end)
        rows.append({
            "code": row.code_printed or row.code,
            "name": row.name,
            "total": row.total,
            "line": row.line,
            "cells": cells,
            "findings": row_finds,
        })
    return {
        "kind": "table",
        "number": table.number,
        "title": table.title,
        "unit": table.unit,
        "book": table.book.value if table.book else None,
        "scope": table.scope,
        "start": table.start,
        "end": table.end,
        "line": table.line_start,
        "columns": [c.name for c in table.value_columns],
        "rows": rows,
        "empty": table.empty,
        "notes": list(table.notes),
        "findings": [],
    }
