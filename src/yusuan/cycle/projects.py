"""The project library (项目库): projects and their lifecycle.

proposed (申报) → reviewed (评审入库) → in_budget (纳入预算) → in_progress (实施中)
→ completed (完工).  A project can also be withdrawn (退出) before it is in
the budget.  Only a project in the budget or later can receive project
spending (see :mod:`yusuan.cycle.ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.cycle.money import to_fen, to_yuan
from yusuan.store.cycle import ProjectEventRow, ProjectRow

PROJ = ProjectRow.__table__
EVENTS = ProjectEventRow.__table__

STATUSES = {
    "proposed": "申报",
    "reviewed": "评审入库",
    "in_budget": "纳入预算",
    "in_progress": "实施中",
    "completed": "完工",
    "withdrawn": "退出",
}
TRANSITIONS = {
    "proposed": ("reviewed", "withdrawn"),
    "reviewed": ("in_budget", "withdrawn"),
    "in_budget": ("in_progress", "reviewed"),
    "in_progress": ("completed",),
    "completed": (),
    "withdrawn": (),
}


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    government: str
    code: str
    name: str
    department: str
    status: str
    total: Decimal
    start_year: int | None
    end_year: int | None
    category: str


def _project(row: object) -> Project:
    r = row._mapping  # type: ignore[attr-defined]
    return Project(
        r["id"], r["government"], r["code"], r["name"], r["department"], r["status"],
        to_yuan(r["total_fen"]), r["start_year"], r["end_year"], r["category"],
    )


def propose(
    db: CycleDB,
    government: str,
    code: str,
    name: str,
    department: str,
    total: Decimal,
    *,
    on_date: date,
    start_year: int | None = None,
    end_year: int | None = None,
    category: str = "",
    actor: str = "",
) -> int:
    """Enter a project into the library as proposed; returns its id."""
    with db.write() as conn:
        if conn.execute(
            select(PROJ.c.id).where(PROJ.c.government == government, PROJ.c.code == code)
        ).first():
            raise Refused(
                "cycle.project.duplicate", f"项目编码 {code} 已在项目库中",
                f"project code {code} is already in the library",
            )
        pid = int(
            conn.execute(
                insert(PROJ).values(
                    government=government, code=code, name=name, department=department,
                    status="proposed", total_fen=to_fen(total), start_year=start_year,
                    end_year=end_year, category=category, created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
        )
        conn.execute(
            insert(EVENTS).values(project_id=pid, from_status=None, to_status="proposed",
                                  on_date=on_date, actor=actor, note="")
        )
    return pid


def move_project(
    conn: Connection, project_id: int, to_status: str, on_date: date, actor: str = "",
    note: str = "",
) -> None:
    """Move a project along its lifecycle, inside a write transaction."""
    query = select(PROJ.c.status, PROJ.c.code).where(PROJ.c.id == project_id)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise Refused("cycle.project.unknown", f"项目 {project_id} 不存在",
                      f"project {project_id} does not exist")
    if to_status not in TRANSITIONS.get(row.status, ()):
        raise Refused(
            "cycle.project.transition",
            f"项目 {row.code} 不能从“{STATUSES.get(row.status, row.status)}”转为"
            f"“{STATUSES.get(to_status, to_status)}”",
            f"project {row.code} cannot go from {row.status} to {to_status}",
        )
    conn.execute(update(PROJ).where(PROJ.c.id == project_id).values(status=to_status))
    conn.execute(
        insert(EVENTS).values(project_id=project_id, from_status=row.status, to_status=to_status,
                              on_date=on_date, actor=actor, note=note)
    )


def advance(
    db: CycleDB, project_id: int, to_status: str, on_date: date, *, actor: str = "",
    note: str = "",
) -> None:
    with db.write() as conn:
        move_project(conn, project_id, to_status, on_date, actor, note)


def get(db: CycleDB, government: str, code: str) -> Project | None:
    with db.read() as conn:
        row = conn.execute(
            select(PROJ).where(PROJ.c.government == government, PROJ.c.code == code)
        ).first()
    return _project(row) if row else None


def library(db: CycleDB, government: str, status: str | None = None) -> list[Project]:
    query = select(PROJ).where(PROJ.c.government == government)
    if status:
        query = query.where(PROJ.c.status == status)
    with db.read() as conn:
        return [_project(r) for r in conn.execute(query.order_by(PROJ.c.code))]


def events(db: CycleDB, project_id: int) -> list[tuple[str | None, str, date]]:
    with db.read() as conn:
        return [
            (r.from_status, r.to_status, r.on_date)
            for r in conn.execute(
                select(EVENTS).where(EVENTS.c.project_id == project_id).order_by(EVENTS.c.id)
            )
        ]
