"""The cycle's figures as a document of the ledger, so managed and ingested data meet.

:func:`as_extraction` writes facts derived by the cycle (execution from the
journal, budgets from versions, debt from the register) as a small text
document — one line per figure — and points every fact's source at its line,
so that the store can ingest it like any published document, the checker can
check it and every figure keeps a quote as its provenance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from yusuan.model.records import (
    DocKind,
    Document,
    Extraction,
    Fact,
    Government,
    Line,
    Source,
)

STAGE_ZH = {
    "budget": "年初预算", "adjusted": "调整预算", "execution": "执行数", "final": "决算数",
    "limit": "限额", "balance": "余额", "plan": "安排", "other": "其他",
}


def as_extraction(
    facts: Iterable[Fact],
    government: Government,
    year: int,
    *,
    title: str = "",
    kind: DocKind = DocKind.OTHER,
    on: date | None = None,
) -> Extraction:
    """One document holding ``facts``, each re-sourced to its own line."""
    facts = list(facts)
    head = title or f"{government.name}{year}年预算管理数据（由预算管理模块生成）"
    texts = [head]
    for f in facts:
        texts.append("\t".join([
            f.code or "", f.indicator, STAGE_ZH.get(f.stage.value, f.stage.value), str(f.period),
            f"{f.amount.value}{f.amount.unit.value}",
        ]))
    text = "\n".join(texts) + "\n"
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    name = f"cycle-{government.code}-{year}-{sha[:8]}.txt"
    lines = []
    offset = 0
    for number, line in enumerate(texts, start=1):
        lines.append(Line(number=number, start=offset, end=offset + len(line), text=line))
        offset += len(line) + 1
    document = Document(id=sha, path=f"cycle:{name}", name=name, format="txt", text=text,
                        lines=tuple(lines), title=head)
    placed = []
    for f, line in zip(facts, lines[1:], strict=True):
        source = Source(document=sha, line=line.number, start=line.start, end=line.end,
                        quote=line.text, file=name, derived=f.source.derived)
        placed.append(replace(f, source=source, id=""))
    return Extraction(document=document, facts=tuple(placed), tables=(), relations=(),
                      government=government, kind=kind, year=year, date=on)
