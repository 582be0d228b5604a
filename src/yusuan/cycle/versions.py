"""Budget versions: draft → approved → adjustments and reallocations → final accounts.

Every version of a government's budget for a year and book is kept whole (a
full set of lines, not a patch), so that any figure can be shown as it stood
at any date and two versions compared line by line.

* ``draft`` (预算草案): compiled (e.g. from the project library), approved by
  the people's congress (``session``, date).  Approval allocates the
  indicators.
* ``adjustment`` (预算调整): a new total; needs the congress standing
  committee's approval; approval moves the indicators by the differences.
* ``reallocation`` (预算调剂): moves funds between codes, total unchanged,
  within the rules (:func:`reallocate`); approved by the finance bureau.
* ``final`` (决算): compiled from the journal at year end (:func:`close_year`),
  which closes the year's indicators; then approved by the congress.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, func, insert, select, update

from yusuan.cycle import ledger
from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.cycle.money import to_fen, to_yuan
from yusuan.cycle.projects import move_project
from yusuan.model.money import Unit
from yusuan.model.records import Fact, Period, Stage
from yusuan.store.cycle import BudgetLineRow, BudgetVersionRow, IndicatorRow, ProjectRow

VER = BudgetVersionRow.__table__
LINE = BudgetLineRow.__table__
IND = IndicatorRow.__table__
PROJ = ProjectRow.__table__

KINDS = {"draft": "预算草案", "adjustment": "预算调整", "reallocation": "预算调剂", "final": "决算"}

LineKey = tuple[str, str, str, str, str]  # department, func_code, econ_code, project, fund_source


@dataclass(frozen=True, slots=True)
class Line:
    """One budget line, amount in yuan."""

    department: str
    func_code: str
    amount: Decimal
    econ_code: str = ""
    project: str = ""
    fund_source: str = ""
    name: str = ""
    sanbao: str = ""
    sangong: str = ""
    required: Decimal | None = None

    @property
    def key(self) -> LineKey:
        return (self.department, self.func_code, self.econ_code, self.project, self.fund_source)


@dataclass(frozen=True, slots=True)
class Version:
    id: int
    government: str
    year: int
    book: str
    seq: int
    kind: str
    status: str
    parent_id: int | None
    title: str
    session: str | None
    approved_on: date | None
    created_at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class LineChange:
    """One line of a diff between two versions."""

    key: LineKey
    name: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Move:
    """A reallocation: ``amount`` yuan from one line to another (new or existing)."""

    source: LineKey
    target: Line  # target.amount is the amount moved


def _version(row: object) -> Version:
    r = row._mapping  # type: ignore[attr-defined]
    return Version(
        r["id"], r["government"], r["year"], r["book"], r["seq"], r["kind"], r["status"],
        r["parent_id"], r["title"], r["session"], r["approved_on"], r["created_at"], r["note"],
    )


def _line(row: object) -> Line:
    r = row._mapping  # type: ignore[attr-defined]
    return Line(
        department=r["department"], func_code=r["func_code"], amount=to_yuan(r["amount_fen"]),
        econ_code=r["econ_code"], project=r["project"], fund_source=r["fund_source"],
        name=r["name"], sanbao=r["sanbao"], sangong=r["sangong"],
        required=None if r["required_fen"] is None else to_yuan(r["required_fen"]),
    )


def _check_lines(lines: Sequence[Line]) -> None:
    seen: set[LineKey] = set()
    for line in lines:
        if line.key in seen:
            raise Refused(
                "cycle.version.duplicate_line", f"预算行重复：{'/'.join(line.key)}",
                f"duplicate budget line {line.key}",
            )
        seen.add(line.key)
        if line.amount < 0:
            raise Refused(
                "cycle.version.negative", f"预算行金额不能为负：{'/'.join(line.key)}",
                f"negative budget line {line.key}",
            )


def _insert_version(
    conn: Connection, government: str, year: int, book: str, kind: str, lines: Sequence[Line],
    *, parent_id: int | None, title: str, actor: str, note: str = "",
) -> int:
    _check_lines(lines)
    seq = conn.execute(
        select(func.coalesce(func.max(VER.c.seq), 0)).where(
            VER.c.government == government, VER.c.year == year, VER.c.book == book
        )
    ).scalar_one() + 1
    vid = int(
        conn.execute(
            insert(VER).values(
                government=government, year=year, book=book, seq=seq, kind=kind, status="draft",
                parent_id=parent_id, title=title or KINDS[kind], session=None, approved_on=None,
                created_at=datetime.now(UTC), created_by=actor, note=note,
            )
        ).inserted_primary_key[0]
    )
    if lines:
        conn.execute(
            insert(LINE),
            [
                dict(
                    version_id=vid, department=ln.department, func_code=ln.func_code,
                    econ_code=ln.econ_code, project=ln.project, fund_source=ln.fund_source,
                    amount_fen=to_fen(ln.amount), sanbao=ln.sanbao, sangong=ln.sangong,
                    required_fen=None if ln.required is None else to_fen(ln.required),
                    name=ln.name,
                )
                for ln in lines
            ],
        )
    return vid


def _lines(conn: Connection, version_id: int) -> list[Line]:
    return [
        _line(r)
        for r in conn.execute(select(LINE).where(LINE.c.version_id == version_id).order_by(LINE.c.id))
    ]


def _get(conn: Connection, version_id: int) -> Version:
    row = conn.execute(select(VER).where(VER.c.id == version_id)).first()
    if row is None:
        raise Refused("cycle.version.unknown", f"预算版本 {version_id} 不存在",
                      f"budget version {version_id} does not exist")
    return _version(row)


def _effective(
    conn: Connection, government: str, year: int, book: str, at: date | None = None
) -> Version | None:
    query = select(VER).where(
        VER.c.government == government, VER.c.year == year, VER.c.book == book,
        VER.c.status == "approved", VER.c.kind != "final",
    )
    if at is not None:
        query = query.where(VER.c.approved_on <= at)
    row = conn.execute(query.order_by(VER.c.approved_on.desc(), VER.c.seq.desc()).limit(1)).first()
    return _version(row) if row else None


# --------------------------------------------------------------------------
# Commands


def create_draft(
    db: CycleDB, government: str, year: int, book: str, lines: Sequence[Line], *,
    title: str = "", actor: str = "",
) -> int:
    """A budget draft (预算草案).  Refused once a budget for the year is approved."""
    with db.write() as conn:
        if _effective(conn, government, year, book) is not None:
            raise Refused(
                "cycle.version.already_approved",
                f"{year} 年预算已批准，变动须通过预算调整或调剂",
                f"the {year} budget is approved: change it by adjustment or reallocation",
            )
        for ln in lines:
            if ln.project:
                _need_project(conn, government, ln.project, ("reviewed", "in_budget", "in_progress"))
        return _insert_version(conn, government, year, book, "draft", lines, parent_id=None,
                               title=title, actor=actor)


def compile_from_library(
    db: CycleDB, government: str, year: int, book: str, basic: Sequence[Line],
    project_lines: Sequence[Line], *, title: str = "", actor: str = "",
) -> int:
    """A draft from basic spending lines and lines for reviewed projects of the library."""
    for ln in project_lines:
        if not ln.project:
            raise Refused("cycle.version.no_project", "项目支出行缺少项目编码",
                          "a project line has no project code")
    return create_draft(db, government, year, book, [*basic, *project_lines], title=title,
                        actor=actor)


def _need_project(
    conn: Connection, government: str, code: str, statuses: Iterable[str]
) -> tuple[int, str]:
    row = conn.execute(
        select(PROJ.c.id, PROJ.c.status).where(PROJ.c.government == government, PROJ.c.code == code)
    ).first()
    if row is None:
        raise Refused("cycle.project.unknown", f"项目 {code} 不在项目库中",
                      f"project {code} is not in the project library", project=code)
    if row.status not in tuple(statuses):
        raise Refused(
            "cycle.project.not_reviewed",
            f"项目 {code} 状态为“{row.status}”，未经评审入库，不能列入预算",
            f"project {code} is {row.status}: only reviewed projects enter the budget",
            project=code,
        )
    return row.id, row.status


def propose_adjustment(
    db: CycleDB, government: str, year: int, book: str, changes: Sequence[Line], *,
    title: str = "", actor: str = "", note: str = "",
) -> int:
    """A budget adjustment (预算调整): the current lines with ``changes`` (new amounts by key)."""
    with db.write() as conn:
        base = _effective(conn, government, year, book)
        if base is None:
            raise Refused("cycle.version.no_budget", f"{year} 年预算尚未批准，不能调整",
                          f"no approved {year} budget to adjust")
        current = {ln.key: ln for ln in _lines(conn, base.id)}
        for ch in changes:
            if ch.project and ch.key not in current:
                _need_project(conn, government, ch.project, ("reviewed", "in_budget", "in_progress"))
            current[ch.key] = ch if ch.key not in current else replace(
                current[ch.key], amount=ch.amount, name=ch.name or current[ch.key].name
            )
        return _insert_version(conn, government, year, book, "adjustment", list(current.values()),
                               parent_id=base.id, title=title, actor=actor, note=note)


def approve(
    db: CycleDB, version_id: int, on_date: date, *, session: str = "", actor: str = ""
) -> list[int]:
    """Approve a version and carry it into the indicator ledger; returns the journal entry ids.

    A draft, adjustment or final account needs the approving ``session``
    (人民代表大会 / 常务委员会).  Refused as a whole when any indicator would
    fall below what has already been paid.
    """
    with db.write() as conn:
        return _approve(conn, version_id, on_date, session, actor)


def _lock_budget(conn: Connection, government: str, year: int, book: str) -> None:
    """Serialise changes to one budget: on PostgreSQL lock its version rows (SQLite: the
    write transaction already holds the database's write lock)."""
    if conn.dialect.name != "sqlite":
        conn.execute(select(VER.c.id).where(
            VER.c.government == government, VER.c.year == year, VER.c.book == book
        ).with_for_update()).all()


def _approve(conn: Connection, version_id: int, on_date: date, session: str, actor: str) -> list[int]:
    v = _get(conn, version_id)
    _lock_budget(conn, v.government, v.year, v.book)
    v = _get(conn, version_id)  # as it is now that the budget is ours
    if v.status != "draft":
        raise Refused("cycle.version.not_pending", f"预算版本 {version_id} 不是待批准状态",
                      f"budget version {version_id} is not pending")
    if v.kind != "reallocation" and not session:
        raise Refused(
            "cycle.version.session",
            f"{KINDS[v.kind]}须经人民代表大会或其常务委员会批准，请注明会议",
            f"a {v.kind} needs the approving session of the people's congress",
        )
    base = _effective(conn, v.government, v.year, v.book)
    if v.kind == "draft" and base is not None:
        raise Refused(
            "cycle.version.already_approved",
            f"{v.year} 年预算已批准，变动须通过预算调整或调剂",
            f"the {v.year} budget is approved: change it by adjustment or reallocation",
        )
    if v.kind in ("adjustment", "reallocation") and (base is None or base.id != v.parent_id):
        raise Refused(
            "cycle.version.stale",
            f"预算版本 {version_id} 所依据的版本已被替代，请重新编制",
            f"budget version {version_id} is based on a superseded version",
        )
    if base is not None and base.approved_on is not None and on_date < base.approved_on:
        raise Refused(
            "cycle.version.date",
            f"批准日期 {on_date} 早于现行版本的批准日期 {base.approved_on}",
            f"approval date {on_date} precedes the version in force ({base.approved_on})",
        )
    entries = [] if v.kind == "final" else _apply(conn, v, base, on_date, actor)
    conn.execute(
        update(VER).where(VER.c.id == version_id).values(
            status="approved", approved_on=on_date, session=session or None, approved_by=actor
        )
    )
    return entries


def reject(db: CycleDB, version_id: int, *, actor: str = "", note: str = "") -> None:
    with db.write() as conn:
        v = _get(conn, version_id)
        if v.status != "draft":
            raise Refused("cycle.version.not_pending", f"预算版本 {version_id} 不是待批准状态",
                          f"budget version {version_id} is not pending")
        conn.execute(update(VER).where(VER.c.id == version_id).values(
            status="rejected", approved_by=actor, note=note or v.note))


def _apply(
    conn: Connection, v: Version, base: Version | None, on_date: date, actor: str
) -> list[int]:
    """Move the indicators from ``base``'s lines to ``v``'s lines."""
    kind = {"draft": ledger.ALLOCATION, "adjustment": ledger.ADJUSTMENT,
            "reallocation": ledger.REALLOCATION}[v.kind]
    before = {ln.key: ln for ln in _lines(conn, base.id)} if base else {}
    after = {ln.key: ln for ln in _lines(conn, v.id)}
    entries = []
    # decreases first, so that a refusal names the line that cannot give
    keys = sorted(set(before) | set(after), key=lambda k: (
        to_fen(after[k].amount if k in after else Decimal(0))
        - to_fen(before[k].amount if k in before else Decimal(0)), k))
    for key in keys:
        new = after.get(key)
        delta = to_fen(new.amount if new else Decimal(0)) - to_fen(
            before[key].amount if key in before else Decimal(0))
        ikey = ledger.IndicatorKey(v.government, v.year, v.book, *key)
        if new is not None and new.project:
            pid, status = _need_project(conn, v.government, new.project,
                                        ("reviewed", "in_budget", "in_progress"))
            if status == "reviewed":
                move_project(conn, pid, "in_budget", on_date, actor, f"budget version {v.id}")
        line = new or before[key]
        indicator_id = ledger.ensure_indicator(
            conn, ikey, name=line.name, sanbao=line.sanbao, sangong=line.sangong,
            required_fen=None if line.required is None else to_fen(line.required),
        )
        if delta == 0 and base is not None:
            continue
        entry, _, _ = ledger.post(conn, indicator_id, kind, on_date=on_date,
                                  budget_delta_fen=delta, version_id=v.id, batch=f"v{v.id}",
                                  actor=actor)
        entries.append(entry)
    return entries


def reallocate(
    db: CycleDB, government: str, year: int, book: str, moves: Sequence[Move], on_date: date, *,
    title: str = "", actor: str = "", approve_now: bool = True,
) -> int:
    """Move funds between lines (预算调剂), the total unchanged; returns the version id.

    The rules: every move is positive and leaves the source line at no less
    than what has been paid from it; a 三公 line may not be increased (三公
    经费只减不增); a 三保 line may not be cut below its need; a target project
    must be in the library.  Approved by the finance bureau at once unless
    ``approve_now`` is False.
    """
    with db.write() as conn:
        _lock_budget(conn, government, year, book)
        base = _effective(conn, government, year, book)
        if base is None:
            raise Refused("cycle.version.no_budget", f"{year} 年预算尚未批准，不能调剂",
                          f"no approved {year} budget to reallocate")
        current = {ln.key: ln for ln in _lines(conn, base.id)}
        for mv in moves:
            amount = mv.target.amount
            if amount <= 0:
                raise Refused("cycle.realloc.amount", "调剂金额必须大于零",
                              "a reallocated amount must be positive")
            src = current.get(mv.source)
            if src is None:
                raise Refused("cycle.realloc.no_source", f"调出科目 {'/'.join(mv.source)} 无预算",
                              f"no budget line {mv.source} to move from")
            if src.amount < amount:
                raise Refused(
                    "cycle.realloc.exceeds",
                    f"调出金额 {amount} 元超过该行预算 {src.amount} 元",
                    f"moving {amount} yuan from a line of {src.amount} yuan",
                )
            if src.sanbao and src.required is not None and src.amount - amount < src.required:
                raise Refused(
                    "cycle.realloc.sanbao",
                    f"三保支出 {src.name or '/'.join(src.key)} 调减后低于保障需求 {src.required} 元",
                    f"a 三保 line would fall below its need of {src.required} yuan",
                )
            tgt = current.get(mv.target.key)
            sangong = (tgt.sangong if tgt else "") or mv.target.sangong
            if sangong:
                raise Refused(
                    "cycle.realloc.sangong", "“三公”经费只减不增，不能调入",
                    "三公 spending may only decrease: no funds may be moved into it",
                )
            if mv.target.project and tgt is None:
                _need_project(conn, government, mv.target.project,
                              ("reviewed", "in_budget", "in_progress"))
            current[mv.source] = replace(src, amount=src.amount - amount)
            current[mv.target.key] = (
                replace(tgt, amount=tgt.amount + amount) if tgt else mv.target
            )
        vid = _insert_version(conn, government, year, book, "reallocation",
                              list(current.values()), parent_id=base.id, title=title, actor=actor)
        if approve_now:
            _approve(conn, vid, on_date, "", actor)
    return vid


def close_year(
    db: CycleDB, government: str, year: int, book: str, on_date: date, *, actor: str = ""
) -> int:
    """Compile the final accounts (决算草案) from the journal and close the year's indicators.

    Each line of the last approved version becomes a line of what was paid
    against it; the indicators of the year and book take no further entries.
    Returns the id of the final version, to be approved by the congress.
    """
    with db.write() as conn:
        _lock_budget(conn, government, year, book)
        base = _effective(conn, government, year, book)
        if base is None:
            raise Refused("cycle.version.no_budget", f"{year} 年没有已批准的预算",
                          f"no approved {year} budget")
        if conn.execute(select(VER.c.id).where(
            VER.c.government == government, VER.c.year == year, VER.c.book == book,
            VER.c.kind == "final", VER.c.status != "rejected",
        )).first():
            raise Refused("cycle.version.closed", f"{year} 年已编制决算", f"{year} is already closed")
        lines = []
        rows = conn.execute(select(IND).where(
            IND.c.government == government, IND.c.year == year, IND.c.book == book))
        for r in rows:
            lines.append(Line(
                department=r.department, func_code=r.func_code, amount=to_yuan(r.paid_fen),
                econ_code=r.econ_code, project=r.project, fund_source=r.fund_source, name=r.name,
                sanbao=r.sanbao, sangong=r.sangong,
            ))
        conn.execute(update(IND).where(
            IND.c.government == government, IND.c.year == year, IND.c.book == book
        ).values(closed=True))
        return _insert_version(conn, government, year, book, "final", lines, parent_id=base.id,
                               title="决算草案", actor=actor)


# --------------------------------------------------------------------------
# Queries


def get_version(db: CycleDB, version_id: int) -> Version:
    with db.read() as conn:
        return _get(conn, version_id)


def lines(db: CycleDB, version_id: int) -> list[Line]:
    with db.read() as conn:
        return _lines(conn, version_id)


def versions(db: CycleDB, government: str, year: int, book: str) -> list[Version]:
    with db.read() as conn:
        return [_version(r) for r in conn.execute(select(VER).where(
            VER.c.government == government, VER.c.year == year, VER.c.book == book
        ).order_by(VER.c.seq))]


def effective_version(
    db: CycleDB, government: str, year: int, book: str, at: date | None = None
) -> Version | None:
    """The approved version in force at the end of ``at`` (today's when ``at`` is None)."""
    with db.read() as conn:
        return _effective(conn, government, year, book, at)


def lines_at(db: CycleDB, government: str, year: int, book: str, at: date) -> list[Line]:
    """The budget lines as they stood (approved) at the end of ``at``; empty before approval."""
    with db.read() as conn:
        v = _effective(conn, government, year, book, at)
        return _lines(conn, v.id) if v else []


def diff(db: CycleDB, a: int, b: int, *, unchanged: bool = False) -> list[LineChange]:
    """Line-by-line difference from version ``a`` to version ``b``."""
    with db.read() as conn:
        la = {ln.key: ln for ln in _lines(conn, a)}
        lb = {ln.key: ln for ln in _lines(conn, b)}
    out = []
    for key in sorted(set(la) | set(lb)):
        before = la[key].amount if key in la else Decimal("0.00")
        after = lb[key].amount if key in lb else Decimal("0.00")
        if before != after or unchanged:
            name = (lb.get(key) or la[key]).name
            out.append(LineChange(key, name, before, after))
    return out


def total(lines_: Iterable[Line]) -> Decimal:
    return sum((ln.amount for ln in lines_), Decimal("0.00"))


def budget_facts(
    db: CycleDB, government: str, year: int, book: str, *, government_name: str | None = None,
    unit: Unit = Unit.YUAN,
) -> list[Fact]:
    """年初预算, 调整预算 and 决算 of a year as model facts by functional code (类/款/项, total).

    ``budget`` is the first approved draft; ``adjusted`` the last approved
    version after it (adjustments and reallocations), when there is one;
    ``final`` the approved final accounts.
    """
    vs = [v for v in versions(db, government, year, book) if v.status == "approved"]
    chosen: list[tuple[Stage, Version]] = []
    drafts = [v for v in vs if v.kind == "draft"]
    later = [v for v in vs if v.kind in ("adjustment", "reallocation")]
    finals = [v for v in vs if v.kind == "final"]
    if drafts:
        chosen.append((Stage.BUDGET, drafts[0]))
    if later:
        chosen.append((Stage.ADJUSTED, max(later, key=lambda v: (v.approved_on, v.seq))))
    if finals:
        chosen.append((Stage.FINAL, finals[-1]))
    facts = []
    for stage, v in chosen:
        sums: dict[str, int] = {}
        for ln in lines(db, v.id):
            fen = to_fen(ln.amount)
            for length in (3, 5, 7):
                if len(ln.func_code) >= length:
                    sums[ln.func_code[:length]] = sums.get(ln.func_code[:length], 0) + fen
            sums[""] = sums.get("", 0) + fen
        for code, fen in sorted(sums.items()):
            facts.append(ledger.derived_fact(
                government, government_name, book, code, fen, stage, Period(year),
                f"cycle budget version {v.id} ({v.kind}, seq {v.seq})", unit=unit,
            ))
    return facts
