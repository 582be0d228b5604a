"""Performance targets (绩效目标) as records the management cycle can use.

The table extractor reads each 绩效目标表 into a :class:`Table` whose rows are
its indicators (三级指标 as the row name; 一级指标, 二级指标, 指标值, … as
text cells).  :func:`targets_from_tables` turns those rows into
:class:`PerformanceTarget` records: the printed value split into a
comparison (≥, ≤, =, >, <), a number or a text, and a unit, with the
weight, the project or department it belongs to and its source span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from yusuan.extract.table_cells import parse_number
from yusuan.extract.table_forms import COLUMNS, NAME_COLUMN, NOTE_PROJECT, NOTE_UNIT
from yusuan.model import Document, Row, Source, Table

_COMPARISONS = (
    (re.compile(r"^(?:＞=|>=|≥|不低于|不少于|大于等于)"), "≥"),
    (re.compile(r"^(?:＜=|<=|≤|不高于|不超过|不多于|小于等于)"), "≤"),
    (re.compile(r"^(?:＞|>|大于|高于)"), ">"),
    (re.compile(r"^(?:＜|<|小于|低于)"), "<"),
    (re.compile(r"^(?:=|＝|等于)"), "="),
)
_SUFFIXES = ((re.compile(r"(?:及)?以上$"), "≥"), (re.compile(r"(?:以下|以内|之?前)$"), "≤"))
_NUMBER_UNIT_RE = re.compile(r"^([-−]?\d+(?:\.\d+)?)\s*([^\d]*)$")


@dataclass(frozen=True, slots=True)
class PerformanceTarget:
    """One indicator of a performance target form.

    ``value`` is a Decimal when the target is a number ("≥5个" -> 5, unit
    个; "≤127万元" -> 127, unit 万元; "=100%" -> 100, unit %), else the
    printed text ("显著提升", "7月20日前").  ``comparison`` is one of ≥ ≤ >
    < = or "" when the form states none.
    """

    level1: str  # 一级指标: 产出指标, 效益指标, 满意度指标, 履职效能, …
    level2: str  # 二级指标: 数量指标, 质量指标, 时效指标, 经济成本指标, …
    level3: str  # 三级指标: the indicator's own name
    comparison: str
    value: Decimal | str
    unit: str
    printed: str  # the 指标值 cell as printed (whitespace removed)
    weight: Decimal | None  # 分值权重, when printed
    project: str  # 项目名称; "" on a department form
    department: str  # 预算单位 / 部门名称
    basis: str  # 指标值设置依据 (历史标准, 计划标准, …)
    prior: str  # 上年完成值 as printed ("" when not printed)
    form: str  # the form's title
    source: Source


def parse_target_value(text: str) -> tuple[str, Decimal | str, str]:
    """``"≥5个"`` -> ``("≥", Decimal("5"), "个")``; ``"显著提升"`` -> ``("", "显著提升", "")``."""
    t = re.sub(r"\s+", "", text)
    comparison = ""
    for rx, sym in _COMPARISONS:
        m = rx.match(t)
        if m:
            comparison, t = sym, t[m.end() :]
            break
    for rx, sym in _SUFFIXES:
        m = rx.search(t)
        if m and not comparison:
            comparison, t = sym, t[: m.start()]
            break
    m = _NUMBER_UNIT_RE.match(t)
    if m:
        value = parse_number(m.group(1))
        if value is not None:
            return comparison, value, m.group(2).replace("％", "%")
    return comparison, t, ""


def _note(table: Table, prefix: str) -> str:
    return next((n[len(prefix) :] for n in table.notes if n.startswith(prefix)), "")


def is_target_table(table: Table) -> bool:
    names = [c.name for c in table.columns]
    return bool(names) and names[0] == NAME_COLUMN and all(c in names for c in COLUMNS)


def targets_from_tables(
    document: Document, tables: list[Table] | tuple[Table, ...]
) -> list[PerformanceTarget]:
    """Every indicator of every performance target form among ``tables``."""
    out: list[PerformanceTarget] = []
    for table in tables:
        if not is_target_table(table):
            continue
        index = {c.name: k for k, c in enumerate(table.value_columns)}
        project = _note(table, NOTE_PROJECT)
        department = _note(table, NOTE_UNIT)
        for row in table.rows:
            printed = _text(row, index, "指标值")
            if not printed or not row.name:
                continue  # a money row of the form's head
            comparison, value, unit = parse_target_value(printed)
            weight = parse_number(_text(row, index, "分值权重"))
            out.append(
                PerformanceTarget(
                    level1=_text(row, index, "一级指标"),
                    level2=_text(row, index, "二级指标"),
                    level3=row.name,
                    comparison=comparison,
                    value=value,
                    unit=unit,
                    printed=printed,
                    weight=weight,
                    project=project,
                    department=department,
                    basis=_text(row, index, "指标值设置依据"),
                    prior=_text(row, index, "上年完成值"),
                    form=table.title,
                    source=document.source(row.start, row.end),
                )
            )
    return out


def _text(row: Row, index: dict[str, int], column: str) -> str:
    k = index.get(column)
    return row.cells[k].text if k is not None else ""


__all__ = ["PerformanceTarget", "is_target_table", "parse_target_value", "targets_from_tables"]
