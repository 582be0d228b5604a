"""Performance targets (绩效目标), monitoring values and the self-evaluation score.

A target is a row of the 绩效目标表 the seeds print: 一级指标 (产出/效益/满意度),
二级指标 (数量/质量/时效/成本 …), 三级指标 (what is measured), a comparison
and a value (``≥98%``, ``≤5%``, ``=2 次``), and a weight in points.

The self-evaluation scores each target on its latest final value (or the
latest monitoring value): a target met scores its full weight; one missed
scores in proportion (the seeds' 评分规则 "按照完成比例赋分") — actual/target
for ≥ and >, target/actual for ≤ and < — and an equality missed scores zero.
The score is the sum, out of the sum of weights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import insert, select

from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.store.cycle import PerfTargetRow, PerfValueRow, ProjectRow

TGT = PerfTargetRow.__table__
VAL = PerfValueRow.__table__
PROJ = ProjectRow.__table__

_TARGET_RE = re.compile(r"^\s*(＞=|＜=|>=|<=|≥|≤|＝|=|＞|＜|>|<)\s*([0-9]+(?:\.[0-9]+)?)\s*(.*?)\s*$")

OPS = {"≥": "ge", ">=": "ge", "＞=": "ge", "≤": "le", "<=": "le", "＜=": "le", "=": "eq",
       "＝": "eq", ">": "gt", "＞": "gt", "<": "lt", "＜": "lt"}
_TWO = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class TargetScore:
    target_id: int
    level1: str
    level2: str
    level3: str
    op: str
    target: Decimal
    weight: Decimal
    actual: Decimal | None
    met: bool
    score: Decimal


@dataclass(frozen=True, slots=True)
class Evaluation:
    rows: tuple[TargetScore, ...]

    @property
    def score(self) -> Decimal:
        return sum((r.score for r in self.rows), Decimal(0)).quantize(_TWO, ROUND_HALF_UP)

    @property
    def full(self) -> Decimal:
        return sum((r.weight for r in self.rows), Decimal(0))


def add_target(
    db: CycleDB, government: str, year: int, *, level1: str, level2: str, level3: str, op: str,
    target: Decimal, weight: Decimal, unit: str = "", project: str | None = None,
    department: str = "", basis: str = "",
) -> int:
    if op not in OPS:
        raise Refused("cycle.perf.op", f"无法识别的比较符 {op}", f"unknown comparison {op}")
    if weight < 0:
        raise Refused("cycle.perf.weight", "分值权重不能为负", "weight must not be negative")
    with db.write() as conn:
        project_id = None
        if project:
            project_id = conn.execute(select(PROJ.c.id).where(
                PROJ.c.government == government, PROJ.c.code == project)).scalar()
            if project_id is None:
                raise Refused("cycle.project.unknown", f"项目 {project} 不在项目库中",
                              f"project {project} is not in the library")
        return int(conn.execute(insert(TGT).values(
            government=government, year=year, project_id=project_id, department=department,
            level1=level1, level2=level2, level3=level3, op=op, target=str(target), unit=unit,
            weight=str(weight), basis=basis)).inserted_primary_key[0])


def record_value(
    db: CycleDB, target_id: int, on_date: date, value: Decimal, *, final: bool = False,
    note: str = "",
) -> int:
    """A monitoring value during the year, or the final value (``final=True``)."""
    with db.write() as conn:
        if conn.execute(select(TGT.c.id).where(TGT.c.id == target_id)).first() is None:
            raise Refused("cycle.perf.unknown", f"绩效指标 {target_id} 不存在",
                          f"target {target_id} does not exist")
        return int(conn.execute(insert(VAL).values(
            target_id=target_id, on_date=on_date, value=str(value), final=final,
            note=note)).inserted_primary_key[0])


def parse_target(text: str) -> tuple[str, Decimal, str]:
    """A target value as the seeds print it: ``＞=2 次`` → (``≥``, 2, ``次``).

    The comparison is normalised to ≥ ≤ = > <; the unit is what follows the
    number (``%``, ``个``, ``次`` …).  Raises :class:`Refused` on anything else.
    """
    m = _TARGET_RE.match(text)
    if not m:
        raise Refused("cycle.perf.target", f"无法识别的指标值：{text}", f"unreadable target {text!r}")
    canonical = {"ge": "≥", "le": "≤", "eq": "=", "gt": ">", "lt": "<"}[OPS[m.group(1)]]
    return canonical, Decimal(m.group(2)), m.group(3).replace("％", "%")


def met(op: str, actual: Decimal, target: Decimal) -> bool:
    kind = OPS[op]
    return {
        "ge": actual >= target, "gt": actual > target, "le": actual <= target,
        "lt": actual < target, "eq": actual == target,
    }[kind]


def score_one(op: str, actual: Decimal | None, target: Decimal, weight: Decimal) -> Decimal:
    if actual is None:
        return Decimal(0)
    if met(op, actual, target):
        return weight
    kind = OPS[op]
    if kind in ("ge", "gt") and target > 0:
        return min(weight, weight * max(actual, Decimal(0)) / target)
    if kind in ("le", "lt") and actual > 0:
        return min(weight, weight * target / actual)
    return Decimal(0)


def evaluate(
    db: CycleDB, government: str, year: int, *, project: str | None = None,
    department: str | None = None,
) -> Evaluation:
    """The self-evaluation of a project's or department's targets."""
    query = select(TGT).where(TGT.c.government == government, TGT.c.year == year)
    with db.read() as conn:
        if project:
            pid = conn.execute(select(PROJ.c.id).where(
                PROJ.c.government == government, PROJ.c.code == project)).scalar()
            query = query.where(TGT.c.project_id == pid)
        if department is not None:
            query = query.where(TGT.c.department == department)
        rows = []
        for t in conn.execute(query.order_by(TGT.c.id)).all():
            value = conn.execute(select(VAL.c.value).where(VAL.c.target_id == t.id).order_by(
                VAL.c.final.desc(), VAL.c.on_date.desc(), VAL.c.id.desc()).limit(1)).scalar()
            actual = Decimal(value) if value is not None else None
            target, weight = Decimal(t.target), Decimal(t.weight)
            rows.append(TargetScore(
                t.id, t.level1, t.level2, t.level3, t.op, target, weight, actual,
                actual is not None and met(t.op, actual, target),
                score_one(t.op, actual, target, weight).quantize(_TWO, ROUND_HALF_UP),
            ))
    return Evaluation(tuple(rows))
