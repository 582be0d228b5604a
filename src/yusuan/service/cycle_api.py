"""The budget management cycle over REST, under ``/api/v1/cycle``.

Indicators and their journal, payments and reversals, budget versions
(draft, adjustment, reallocation, approval, diff, year-end close), the
project library, the debt register, transfers allocated by factors, the
三保 / 三公 controls and performance targets — the operations of
:mod:`yusuan.cycle` (and of ``yusuan cycle …`` on the command line).

Roles: any logged-in user reads; editors act (``edit``: pay, reverse,
draft, propose, reallocate, register); reviewers approve (``approve``:
approve or reject a version, approve a reallocation at once, pass a project
review).  Unsafe calls carry the session's CSRF token.

A command the budget rules refuse (:class:`~yusuan.cycle.errors.Refused`)
comes back as the error envelope with the refusal's stable code and its
Chinese and English message: 409 for a conflict with the ledger's state,
422 for a value the rules cannot take, 404 for something that does not
exist.  Money is a decimal string in both directions (a JSON float amount is
refused); list endpoints paginate with ``page`` and ``pagesize`` as the rest
of the API does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field
from sqlalchemy import select
from starlette.responses import Response

from yusuan.cycle import controls, debt, ledger, performance, projects, transfers, versions
from yusuan.cycle.db import CycleDB
from yusuan.cycle.errors import Refused
from yusuan.cycle.factors import Allocation, Factor
from yusuan.service.auth import allowed
from yusuan.service.core import page_of
from yusuan.service.envelope import ERROR_RESPONSES, ApiError, Envelope, ok
from yusuan.service.security import reader, service_of
from yusuan.store.accounts import User
from yusuan.store.cycle import IndicatorRow

router = APIRouter(prefix="/api/v1/cycle", responses=ERROR_RESPONSES, tags=["cycle"])  # type: ignore[arg-type]

T = TypeVar("T")

Reader = Annotated[User, Depends(reader())]
Editor = Annotated[User, Depends(reader("edit"))]
Approver = Annotated[User, Depends(reader("approve"))]

DIVISION = r"^[0-9]{6,12}$"
Government = Annotated[str, Query(pattern=DIVISION, description="行政区划代码 division code")]
FiscalYear = Annotated[int, Query(ge=1949, le=2200)]
Page = Annotated[int, Query(ge=1, le=100000, description="1-based page")]
PageSize = Annotated[int, Query(ge=1, le=1000)]
BOOK_PATTERN = "^(general|fund|capital|social)$"
BookQ = Annotated[str, Query(pattern=BOOK_PATTERN)]
Id = Annotated[int, PathParam(ge=1, le=2**62)]


# --------------------------------------------------------------------------- plumbing

_DB_LOCK = threading.Lock()


def cycle_db(request: Request) -> CycleDB:
    """The application's cycle database: the store's engine with the cycle's
    transaction discipline (one per application, made on first use)."""
    state = request.app.state
    found = getattr(state, "cycle_db", None)
    if found is None:
        with _DB_LOCK:
            found = getattr(state, "cycle_db", None)
            if found is None:
                found = CycleDB(service_of(request).store.engine)
                state.cycle_db = found
    return found  # type: ignore[no-any-return]


# Refusals that say a value is unusable (422) or a thing does not exist (404);
# every other refusal conflicts with the state of the ledger (409).
_INVALID = ("cycle.amount_precision", "cycle.pay.amount", "cycle.pay.year", "cycle.factor.",
            "cycle.perf.op", "cycle.perf.weight", "cycle.perf.target", "cycle.debt.kind",
            "cycle.debt.purpose", "cycle.debt.terms", "cycle.debt.amount", "cycle.sanbao.kind",
            "cycle.realloc.amount", "cycle.transfer.amount", "cycle.version.negative",
            "cycle.version.duplicate_line", "cycle.version.no_project")
_MISSING = ("cycle.indicator.unknown", "cycle.version.unknown", "cycle.transfer.unknown",
            "cycle.debt.unknown", "cycle.debt.unknown_repayment", "cycle.perf.unknown")


def refusal_status(code: str) -> int:
    if code in _MISSING:
        return 404
    if any(code == c or (c.endswith(".") and code.startswith(c)) for c in _INVALID):
        return 422
    return 409


def refused(exc: Refused) -> ApiError:
    """A refusal as the error envelope: its code, messages and facts."""
    facts = exc.as_dict()["facts"]
    return ApiError(refusal_status(exc.code), exc.code, exc.message, exc.message_en or exc.message,
                    details={"facts": facts} if facts else None)


def attempt(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a cycle command; a refusal becomes an :class:`ApiError`."""
    try:
        return func(*args, **kwargs)
    except Refused as exc:
        raise refused(exc) from exc


def audit(request: Request, user: User, action: str, target: object, **detail: Any) -> None:
    service_of(request).accounts.audit(
        user.username, action, str(target), **{k: str(v) for k, v in detail.items()})


def _money(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money must be a decimal string or an integer, not a float")
    return value


def _day(value: date) -> date:
    if not date(1949, 1, 1) <= value <= date(2200, 12, 31):
        raise ValueError("date must lie between 1949-01-01 and 2200-12-31")
    return value


Day = Annotated[date, AfterValidator(_day)]
Money = Annotated[Decimal, BeforeValidator(_money), Field(max_digits=20, decimal_places=2)]
Ratio = Annotated[Decimal, BeforeValidator(_money), Field(max_digits=30)]


# --------------------------------------------------------------------------- serialisers


def indicator_dict(i: ledger.Indicator) -> dict[str, Any]:
    return {
        "id": i.id, **asdict(i.key), "name": i.name, "budget": i.budget, "paid": i.paid,
        "available": i.available, "sanbao": i.sanbao, "sangong": i.sangong,
        "required": i.required, "project_id": i.project_id, "bond_id": i.bond_id,
        "closed": i.closed,
    }


def entry_dict(e: ledger.Entry) -> dict[str, Any]:
    d = asdict(e)
    d["available_after"] = e.budget_after - e.paid_after
    return d


def version_dict(v: versions.Version, lines: list[versions.Line] | None = None) -> dict[str, Any]:
    d = asdict(v)
    d["kind_zh"] = versions.KINDS.get(v.kind, v.kind)
    if lines is not None:
        d["total"] = versions.total(lines)
    return d


def line_dict(ln: versions.Line) -> dict[str, Any]:
    return {**asdict(ln), "key": "/".join(ln.key)}


def change_dict(c: versions.LineChange) -> dict[str, Any]:
    return {"key": "/".join(c.key), "department": c.key[0], "func_code": c.key[1],
            "econ_code": c.key[2], "project": c.key[3], "fund_source": c.key[4], "name": c.name,
            "before": c.before, "after": c.after, "change": c.change}


def project_dict(p: projects.Project) -> dict[str, Any]:
    return {**asdict(p), "status_zh": projects.STATUSES.get(p.status, p.status)}


def bond_dict(b: debt.Bond) -> dict[str, Any]:
    return {**asdict(b), "kind_zh": debt.KINDS.get(b.kind, b.kind),
            "purpose_zh": debt.PURPOSES.get(b.purpose, b.purpose)}


def transfer_dict(t: transfers.Transfer, today: date | None = None) -> dict[str, Any]:
    d = asdict(t)
    d["shares"] = [{"recipient": r, "amount": a} for r, a in t.shares]
    d["working"] = list(t.working)
    d["overdue_days"] = t.overdue_days(today or date.today())
    return d


def allocation_dict(a: Allocation) -> dict[str, Any]:
    """The whole working of a factor allocation, and its explanation line by line."""
    return {
        "total": a.total,
        "quantum": a.quantum,
        "factors": [{"name": f.name, "weight": f.weight, "inverse": f.inverse} for f in a.factors],
        "rows": [
            {"recipient": r.recipient,
             "factor_values": list(r.factor_values),
             "factor_shares": [s.quantize(Decimal("0.0000000001")) for s in r.factor_shares],
             "weighted_share": r.weighted_share.quantize(Decimal("0.0000000001")),
             "exact": r.exact.quantize(Decimal("0.000001")),
             "floor": r.floor, "remainder": r.remainder.quantize(Decimal("0.000001")),
             "bonus": r.bonus, "amount": r.amount}
            for r in a.rows
        ],
        "sum": sum((r.amount for r in a.rows), Decimal(0)),
        "explain": a.explain("元"),
    }


def paged(items: list[Any], page: int, pagesize: int, convert: Callable[[Any], Any]) -> Response:
    chunk, meta = page_of(items, page, pagesize)
    return ok([convert(x) for x in chunk], **meta)


# --------------------------------------------------------------------------- read models
# (shared with the web pages, which feed the same dicts to their templates)


def ledgers(db: CycleDB) -> list[dict[str, Any]]:
    """The (government, year) pairs that have indicators, newest year first."""
    ind = IndicatorRow.__table__
    with db.read() as conn:
        rows = conn.execute(select(ind.c.government, ind.c.year).distinct()
                            .order_by(ind.c.year.desc(), ind.c.government)).all()
    return [{"government": r[0], "year": r[1]} for r in rows]


def indicator_view(db: CycleDB, indicator_id: int, at: date | None = None) -> dict[str, Any]:
    ind = attempt(ledger.get_indicator, db, indicator_id)
    entries = ledger.history(db, indicator_id)
    reversed_ids = {e.reverses for e in entries if e.reverses is not None}
    data: dict[str, Any] = {
        "indicator": indicator_dict(ind),
        "journal": [{**entry_dict(e), "reversed": e.id in reversed_ids} for e in entries],
    }
    if at is not None:
        budget, paid = ledger.balance_at(db, indicator_id, at)
        data["at"] = {"date": at, "budget": budget, "paid": paid, "available": budget - paid}
    return data


def version_view(db: CycleDB, version_id: int) -> dict[str, Any]:
    v = attempt(versions.get_version, db, version_id)
    lines = versions.lines(db, version_id)
    parent = versions.get_version(db, v.parent_id) if v.parent_id else None
    return {
        "version": version_dict(v, lines),
        "lines": [line_dict(ln) for ln in lines],
        "parent": version_dict(parent) if parent else None,
        "pending": v.status == "draft",
        "changes": [change_dict(c) for c in versions.diff(db, v.parent_id, v.id)] if parent else [],
    }


def diff_view(db: CycleDB, version_id: int, against: int | None) -> dict[str, Any]:
    v = attempt(versions.get_version, db, version_id)
    base_id = against if against is not None else v.parent_id
    if base_id is None:
        raise ApiError(422, "cycle.version.no_base", f"预算版本 {version_id} 没有可比较的上一版本",
                       f"budget version {version_id} has no version to compare with")
    base = attempt(versions.get_version, db, base_id)
    changes = versions.diff(db, base.id, v.id)
    return {
        "a": version_dict(base, versions.lines(db, base.id)),
        "b": version_dict(v, versions.lines(db, v.id)),
        "changes": [change_dict(c) for c in changes],
        "net_change": sum((c.change for c in changes), Decimal("0.00")),
    }


def debt_view(db: CycleDB, government: str, at: date, resources: Decimal | None = None
              ) -> dict[str, Any]:
    ind = debt.indicators(db, government, at, resources)
    kinds = []
    for kind, zh in debt.KINDS.items():
        lim = debt.limit(db, government, at.year, kind)
        bal = debt.balance(db, government, at, kind)
        kinds.append({"kind": kind, "kind_zh": zh, "limit": lim, "balance": bal,
                      "headroom": lim - bal,
                      "usage_pct": (bal / lim * 100).quantize(Decimal("0.01")) if lim else None})
    end = date(at.year, 12, 31)
    return {
        "government": government, "at": at, "year": at.year,
        "indicators": asdict(ind),
        "kinds": kinds,
        "bonds": [bond_dict(b) for b in debt.bonds(db, government)],
        "due": [asdict(r) for r in debt.due(db, government, at, end)],
        "project_funds": [{"project": code, "allocated": a, "spent": s}
                          for code, (a, s) in debt.project_funds(db, government).items()],
    }


# --------------------------------------------------------------------------- indicators, payments


@router.get("/indicators", response_model=Envelope, summary="预算指标及余额 Indicators and balances")
def list_indicators(request: Request, user: Reader, government: Government, year: FiscalYear,
                    book: Annotated[str | None, Query(pattern=BOOK_PATTERN)] = None,
                    page: Page = 1, pagesize: PageSize = 100) -> Response:
    items = ledger.list_indicators(cycle_db(request), government, year, book)
    return paged(items, page, pagesize, indicator_dict)


@router.get("/ledgers", response_model=Envelope, summary="Governments and years with indicators")
def list_ledgers(request: Request, user: Reader) -> Response:
    return ok(ledgers(cycle_db(request)))


@router.get("/indicators/{indicator_id}", response_model=Envelope,
            summary="一个指标的余额与分录 An indicator's balance and journal")
def get_indicator(request: Request, user: Reader, indicator_id: Id,
                  at: Annotated[Day | None, Query(description="balance as at this date")] = None
                  ) -> Response:
    return ok(indicator_view(cycle_db(request), indicator_id, at))


@router.get("/indicators/{indicator_id}/journal", response_model=Envelope,
            summary="An indicator's journal, paginated")
def indicator_journal(request: Request, user: Reader, indicator_id: Id, page: Page = 1,
                      pagesize: PageSize = 100) -> Response:
    db = cycle_db(request)
    attempt(ledger.get_indicator, db, indicator_id)
    return paged(ledger.history(db, indicator_id), page, pagesize, entry_dict)


class PaymentBody(BaseModel):
    amount: Money = Field(description="元, a decimal string")
    on_date: Day
    payee: str = Field(default="", max_length=200)
    memo: str = Field(default="", max_length=1000)


def payment_dict(p: ledger.Payment) -> dict[str, Any]:
    return {"entry_id": p.entry_id, "indicator_id": p.indicator_id, "amount": p.amount,
            "available_after": p.available_after,
            "notices": [asdict(n) for n in p.notices]}


@router.post("/indicators/{indicator_id}/payments", response_model=Envelope, status_code=201,
             summary="按指标支付 Pay against an indicator (editor)")
def pay(request: Request, user: Editor, indicator_id: Id, body: PaymentBody) -> Response:
    p = attempt(ledger.pay, cycle_db(request), indicator_id, body.amount, body.on_date,
                payee=body.payee, memo=body.memo, actor=user.username)
    audit(request, user, "cycle.pay", indicator_id, entry=p.entry_id, amount=p.amount)
    return ok(payment_dict(p), status=201)


class ReversalBody(BaseModel):
    on_date: Day
    memo: str = Field(default="", max_length=1000)


@router.post("/entries/{entry_id}/reversal", response_model=Envelope, status_code=201,
             summary="冲销一笔支付 Reverse a payment (editor)")
def reverse(request: Request, user: Editor, entry_id: Id, body: ReversalBody) -> Response:
    new_id = attempt(ledger.reverse, cycle_db(request), entry_id, body.on_date, memo=body.memo,
                     actor=user.username)
    audit(request, user, "cycle.reverse", entry_id, entry=new_id)
    return ok({"entry_id": new_id, "reverses": entry_id}, status=201)


@router.get("/reconciliation", response_model=Envelope,
            summary="核对分录与余额、哈希链 Reconcile journal, balances and hash chain")
def reconciliation(request: Request, user: Reader) -> Response:
    db = cycle_db(request)
    mismatches = [asdict(m) for m in ledger.reconcile(db)]
    broken = ledger.verify_chain(db)
    return ok({"ok": not mismatches and not broken, "mismatches": mismatches,
               "broken_entries": [b for b in broken if b > 0],
               "broken_indicators": [-b for b in broken if b < 0]})


# --------------------------------------------------------------------------- budget versions


class LineBody(BaseModel):
    department: str = Field(max_length=200)
    func_code: str = Field(pattern=r"^[0-9]{0,12}$")
    amount: Money
    econ_code: str = Field(default="", pattern=r"^[0-9]{0,12}$")
    project: str = Field(default="", max_length=100)
    fund_source: str = Field(default="", max_length=100)
    name: str = Field(default="", max_length=200)
    sanbao: str = Field(default="", max_length=40)
    sangong: str = Field(default="", max_length=40)
    required: Money | None = None

    def line(self) -> versions.Line:
        return versions.Line(
            department=self.department, func_code=self.func_code, amount=self.amount,
            econ_code=self.econ_code, project=self.project, fund_source=self.fund_source,
            name=self.name, sanbao=self.sanbao, sangong=self.sangong, required=self.required)


class VersionBody(BaseModel):
    kind: str = Field(pattern="^(draft|adjustment)$",
                      description="draft 预算草案 (all lines) or adjustment 预算调整 (changed lines)")
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    book: str = Field(default="general", pattern=BOOK_PATTERN)
    lines: list[LineBody] = Field(max_length=20000)
    title: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=2000)


@router.get("/versions", response_model=Envelope, summary="预算版本 Budget versions")
def list_versions(request: Request, user: Reader, government: Government, year: FiscalYear,
                  book: BookQ = "general", page: Page = 1, pagesize: PageSize = 100) -> Response:
    db = cycle_db(request)
    items = versions.versions(db, government, year, book)
    return paged(items, page, pagesize, lambda v: version_dict(v, versions.lines(db, v.id)))


@router.post("/versions", response_model=Envelope, status_code=201,
             summary="编制预算草案或提出预算调整 Draft or propose an adjustment (editor)")
def create_version(request: Request, user: Editor, body: VersionBody) -> Response:
    db = cycle_db(request)
    lines = [ln.line() for ln in body.lines]
    if body.kind == "draft":
        vid = attempt(versions.create_draft, db, body.government, body.year, body.book, lines,
                      title=body.title, actor=user.username)
    else:
        vid = attempt(versions.propose_adjustment, db, body.government, body.year, body.book,
                      lines, title=body.title, actor=user.username, note=body.note)
    audit(request, user, f"cycle.version.{body.kind}", vid)
    return ok(version_view(db, vid), status=201)


@router.get("/versions/{version_id}", response_model=Envelope,
            summary="一个预算版本及其各行 A version and its lines")
def get_version(request: Request, user: Reader, version_id: Id) -> Response:
    return ok(version_view(cycle_db(request), version_id))


@router.get("/versions/{version_id}/diff", response_model=Envelope,
            summary="逐行比较 Line-by-line diff (against its parent by default)")
def version_diff(request: Request, user: Reader, version_id: Id,
                 against: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> Response:
    return ok(diff_view(cycle_db(request), version_id, against))


class ApprovalBody(BaseModel):
    on_date: Day
    session: str = Field(default="", max_length=200,
                         description="批准会议, e.g. 市第十八届人民代表大会第四次会议")


@router.post("/versions/{version_id}/approval", response_model=Envelope,
             summary="批准预算版本 Approve a version (reviewer)")
def approve_version(request: Request, user: Approver, version_id: Id, body: ApprovalBody) -> Response:
    db = cycle_db(request)
    entries = attempt(versions.approve, db, version_id, body.on_date, session=body.session,
                      actor=user.username)
    audit(request, user, "cycle.version.approve", version_id, entries=len(entries))
    return ok({"version": version_dict(versions.get_version(db, version_id)),
               "entries": entries})


class RejectionBody(BaseModel):
    note: str = Field(default="", max_length=2000)


@router.post("/versions/{version_id}/rejection", response_model=Envelope,
             summary="退回预算版本 Reject a pending version (reviewer)")
def reject_version(request: Request, user: Approver, version_id: Id, body: RejectionBody) -> Response:
    db = cycle_db(request)
    attempt(versions.reject, db, version_id, actor=user.username, note=body.note)
    audit(request, user, "cycle.version.reject", version_id)
    return ok({"version": version_dict(versions.get_version(db, version_id))})


class LineKeyBody(BaseModel):
    department: str = Field(max_length=200)
    func_code: str = Field(pattern=r"^[0-9]{0,12}$")
    econ_code: str = Field(default="", pattern=r"^[0-9]{0,12}$")
    project: str = Field(default="", max_length=100)
    fund_source: str = Field(default="", max_length=100)

    def key(self) -> versions.LineKey:
        return (self.department, self.func_code, self.econ_code, self.project, self.fund_source)


class MoveBody(BaseModel):
    source: LineKeyBody
    target: LineKeyBody
    amount: Money
    name: str = Field(default="", max_length=200, description="name of a new target line")


class ReallocationBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    book: str = Field(default="general", pattern=BOOK_PATTERN)
    on_date: Day
    moves: list[MoveBody] = Field(min_length=1, max_length=1000)
    title: str = Field(default="", max_length=200)
    approve_now: bool = Field(default=False,
                              description="approve at once (needs the approve permission)")


@router.post("/reallocations", response_model=Envelope, status_code=201,
             summary="预算调剂 Move funds between lines, total unchanged (editor)")
def reallocate(request: Request, user: Editor, body: ReallocationBody) -> Response:
    if body.approve_now and not allowed(user, "approve"):
        raise ApiError(403, "forbidden", "您的角色无权批准预算调剂；请提交后由审核人批准。",
                       "Your role may not approve a reallocation; submit it for a reviewer.")
    db = cycle_db(request)
    moves = [versions.Move(m.source.key(), versions.Line(
        m.target.department, m.target.func_code, m.amount, econ_code=m.target.econ_code,
        project=m.target.project, fund_source=m.target.fund_source, name=m.name))
        for m in body.moves]
    vid = attempt(versions.reallocate, db, body.government, body.year, body.book, moves,
                  body.on_date, title=body.title, actor=user.username,
                  approve_now=body.approve_now)
    audit(request, user, "cycle.reallocate", vid, approved=body.approve_now)
    return ok(version_view(db, vid), status=201)


class CloseBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    book: str = Field(default="general", pattern=BOOK_PATTERN)
    on_date: Day


@router.post("/closings", response_model=Envelope, status_code=201,
             summary="年终结账并生成决算草案 Close the year into final accounts (editor)")
def close_year(request: Request, user: Editor, body: CloseBody) -> Response:
    db = cycle_db(request)
    vid = attempt(versions.close_year, db, body.government, body.year, body.book, body.on_date,
                  actor=user.username)
    audit(request, user, "cycle.close", vid, year=body.year, book=body.book)
    return ok(version_view(db, vid), status=201)


# --------------------------------------------------------------------------- projects

ProjectCode = Annotated[str, PathParam(min_length=1, max_length=100)]
GovPath = Annotated[str, PathParam(pattern=DIVISION)]


@router.get("/projects", response_model=Envelope, summary="项目库 The project library")
def list_projects(request: Request, user: Reader, government: Government,
                  status: Annotated[str | None, Query(pattern="^(" + "|".join(projects.STATUSES) + ")$")] = None,
                  page: Page = 1, pagesize: PageSize = 100) -> Response:
    items = projects.library(cycle_db(request), government, status)
    return paged(items, page, pagesize, project_dict)


def _project(db: CycleDB, government: str, code: str) -> projects.Project:
    p = projects.get(db, government, code)
    if p is None:
        raise ApiError(404, "cycle.project.unknown", f"项目 {code} 不在项目库中",
                       f"project {code} is not in the project library")
    return p


@router.get("/projects/{government}/{code}", response_model=Envelope,
            summary="一个项目及其状态流转 A project and its lifecycle")
def get_project(request: Request, user: Reader, government: GovPath, code: ProjectCode) -> Response:
    db = cycle_db(request)
    p = _project(db, government, code)
    return ok({"project": project_dict(p),
               "events": [{"from": a, "to": b, "on_date": d} for a, b, d in projects.events(db, p.id)],
               "next": list(projects.TRANSITIONS.get(p.status, ()))})


class ProjectBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    department: str = Field(max_length=200)
    total: Money
    on_date: Day
    start_year: int | None = Field(default=None, ge=1949, le=2200)
    end_year: int | None = Field(default=None, ge=1949, le=2200)
    category: str = Field(default="", max_length=100)


@router.post("/projects", response_model=Envelope, status_code=201,
             summary="申报项目入库 Propose a project (editor)")
def propose_project(request: Request, user: Editor, body: ProjectBody) -> Response:
    db = cycle_db(request)
    attempt(projects.propose, db, body.government, body.code, body.name, body.department,
            body.total, on_date=body.on_date, start_year=body.start_year, end_year=body.end_year,
            category=body.category, actor=user.username)
    audit(request, user, "cycle.project.propose", body.code)
    return ok(project_dict(_project(db, body.government, body.code)), status=201)


class TransitionBody(BaseModel):
    to_status: str = Field(pattern="^(" + "|".join(projects.STATUSES) + ")$")
    on_date: Day
    note: str = Field(default="", max_length=1000)


# A project review (评审入库) is an approval; the other moves are an editor's.
REVIEW_STATUSES = frozenset({"reviewed"})


@router.post("/projects/{government}/{code}/transition", response_model=Envelope,
             summary="项目状态流转 Move a project (editor; review by a reviewer)")
def move_project(request: Request, government: GovPath, code: ProjectCode,
                 body: TransitionBody, user: Reader) -> Response:
    needed = "approve" if body.to_status in REVIEW_STATUSES else "edit"
    if not allowed(user, needed):
        raise ApiError(403, "forbidden", "您的角色无权执行此操作。", "Your role may not do this.")
    db = cycle_db(request)
    p = _project(db, government, code)
    attempt(projects.advance, db, p.id, body.to_status, body.on_date, actor=user.username,
            note=body.note)
    audit(request, user, "cycle.project.move", code, to=body.to_status)
    return ok(project_dict(_project(db, government, code)))


# --------------------------------------------------------------------------- debt


@router.get("/debt", response_model=Envelope,
            summary="债务限额、余额、限额使用率与债务率 Debt limit against balance")
def debt_status(request: Request, user: Reader, government: Government,
                at: Annotated[Day, Query(description="as at this date")],
                resources: Annotated[Decimal | None, Query(ge=0, description="综合财力（元）")] = None
                ) -> Response:
    return ok(debt_view(cycle_db(request), government, at, resources))


@router.get("/debt/bonds", response_model=Envelope, summary="登记的债券 Registered bonds")
def list_bonds(request: Request, user: Reader, government: Government, page: Page = 1,
               pagesize: PageSize = 100) -> Response:
    return paged(debt.bonds(cycle_db(request), government), page, pagesize, bond_dict)


@router.get("/debt/bonds/{bond_id}", response_model=Envelope,
            summary="一只债券及其还本付息计划 A bond and its repayment schedule")
def get_bond(request: Request, user: Reader, bond_id: Id, government: Government) -> Response:
    db = cycle_db(request)
    found = [b for b in debt.bonds(db, government) if b.id == bond_id]
    if not found:
        raise ApiError(404, "cycle.debt.unknown", f"债券 {bond_id} 未登记", f"bond {bond_id} unknown")
    return ok({"bond": bond_dict(found[0]), "schedule": [asdict(r) for r in debt.schedule(db, bond_id)]})


class LimitBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    kind: str = Field(pattern="^(general|special)$")
    limit: Money
    new_limit: Money | None = None


@router.post("/debt/limits", response_model=Envelope,
             summary="设定债务限额 Set a debt limit (editor)")
def set_limit(request: Request, user: Editor, body: LimitBody) -> Response:
    db = cycle_db(request)
    attempt(debt.set_limit, db, body.government, body.year, body.kind, body.limit, body.new_limit)
    audit(request, user, "cycle.debt.limit", body.government, year=body.year, kind=body.kind,
          limit=body.limit)
    return ok({"government": body.government, "year": body.year, "kind": body.kind,
               "limit": debt.limit(db, body.government, body.year, body.kind)})


class BondBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(default="", max_length=200)
    kind: str = Field(pattern="^(general|special)$")
    purpose: str = Field(default="new", pattern="^(new|refinancing)$")
    amount: Money
    term_years: int = Field(ge=1, le=100)
    rate: Ratio = Field(description="票面利率, percent")
    issue_date: Day
    refinances: list[int] = Field(default_factory=list, max_length=1000)
    amortize: bool = False


@router.post("/debt/bonds", response_model=Envelope, status_code=201,
             summary="登记债券 Register a bond within the limit (editor)")
def issue_bond(request: Request, user: Editor, body: BondBody) -> Response:
    db = cycle_db(request)
    bid = attempt(debt.issue_bond, db, body.government, body.code, kind=body.kind,
                  purpose=body.purpose, amount=body.amount, term_years=body.term_years,
                  rate=body.rate, issue_date=body.issue_date, name=body.name,
                  refinances=body.refinances, amortize=body.amortize)
    audit(request, user, "cycle.debt.issue", body.code, amount=body.amount)
    bond = next(b for b in debt.bonds(db, body.government) if b.id == bid)
    return ok({"bond": bond_dict(bond), "schedule": [asdict(r) for r in debt.schedule(db, bid)]},
              status=201)


class BondAllocationBody(BaseModel):
    project: str = Field(min_length=1, max_length=100)
    amount: Money


@router.post("/debt/bonds/{bond_id}/allocations", response_model=Envelope, status_code=201,
             summary="债券资金安排到项目 Allocate a bond to a project (editor)")
def allocate_bond(request: Request, user: Editor, bond_id: Id, body: BondAllocationBody) -> Response:
    aid = attempt(debt.allocate_bond, cycle_db(request), bond_id, body.project, body.amount)
    audit(request, user, "cycle.debt.allocate", bond_id, project=body.project, amount=body.amount)
    return ok({"allocation_id": aid, "bond_id": bond_id, "project": body.project,
               "amount": body.amount}, status=201)


class RepaymentBody(BaseModel):
    on_date: Day


@router.post("/debt/repayments/{schedule_id}", response_model=Envelope,
             summary="记录还本付息 Record a scheduled repayment as paid (editor)")
def repay(request: Request, user: Editor, schedule_id: Id, body: RepaymentBody) -> Response:
    attempt(debt.repay, cycle_db(request), schedule_id, body.on_date)
    audit(request, user, "cycle.debt.repay", schedule_id)
    return ok({"schedule_id": schedule_id, "paid_on": body.on_date})


# --------------------------------------------------------------------------- transfers


@router.get("/transfers", response_model=Envelope, summary="转移支付 Transfers to pass down")
def list_transfers(request: Request, user: Reader, government: Government, year: FiscalYear,
                   today: Annotated[Day | None, Query()] = None, page: Page = 1,
                   pagesize: PageSize = 100) -> Response:
    items = transfers.transfers(cycle_db(request), government, year)
    return paged(items, page, pagesize, lambda t: transfer_dict(t, today))


@router.get("/transfers/overdue", response_model=Envelope,
            summary="逾期未下达的转移支付 Transfers not passed down in time")
def overdue_transfers(request: Request, user: Reader, government: Government, year: FiscalYear,
                      today: Annotated[Day, Query(description="检查日期 as of")]) -> Response:
    items = transfers.overdue(cycle_db(request), government, year, today)
    return ok([transfer_dict(t, today) for t in items], today=today)


@router.get("/transfers/{transfer_id}", response_model=Envelope, summary="一笔转移支付 A transfer")
def get_transfer(request: Request, user: Reader, transfer_id: Id,
                 today: Annotated[Day | None, Query()] = None) -> Response:
    return ok(transfer_dict(attempt(transfers.get, cycle_db(request), transfer_id), today))


class IndicatorKeyBody(BaseModel):
    department: str = Field(max_length=200)
    func_code: str = Field(pattern=r"^[0-9]{0,12}$")
    econ_code: str = Field(default="", pattern=r"^[0-9]{0,12}$")
    book: str = Field(default="general", pattern=BOOK_PATTERN)
    fund_source: str = Field(default="", max_length=100)


class TransferBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    name: str = Field(min_length=1, max_length=200)
    total: Money
    received_on: Day
    kind: str = Field(default="special", max_length=40)
    deadline_days: int = Field(default=transfers.DEFAULT_DEADLINE_DAYS, ge=0, le=3650)
    func_code: str = Field(default="", pattern=r"^[0-9]{0,12}$")
    basis: str = Field(default="", max_length=500)
    indicator: IndicatorKeyBody | None = Field(
        default=None, description="also budget it in this indicator, paid out when passed down")


@router.post("/transfers", response_model=Envelope, status_code=201,
             summary="登记待下达的转移支付 Register a transfer (editor)")
def receive_transfer(request: Request, user: Editor, body: TransferBody) -> Response:
    db = cycle_db(request)
    key = None
    if body.indicator is not None:
        k = body.indicator
        key = ledger.IndicatorKey(body.government, body.year, k.book, k.department, k.func_code,
                                  k.econ_code, "", k.fund_source)
    tid = attempt(transfers.receive, db, body.government, body.year, body.name, body.total,
                  body.received_on, kind=body.kind, deadline_days=body.deadline_days,
                  func_code=body.func_code, basis=body.basis, indicator=key, actor=user.username)
    audit(request, user, "cycle.transfer.receive", tid, total=body.total)
    return ok(transfer_dict(transfers.get(db, tid)), status=201)


class FactorBody(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    weight: Ratio = Field(description="0.30 for 30%")
    inverse: bool = False


class FactorAllocationBody(BaseModel):
    factors: list[FactorBody] = Field(min_length=1, max_length=50)
    data: dict[str, dict[str, Ratio]] = Field(description="recipient → factor → value")
    quantum: Money = Field(default=Decimal(10000), description="取整单位（元）, 10000 = whole 万元")


def _factors(body: FactorAllocationBody) -> list[Factor]:
    return [Factor(f.name, f.weight, inverse=f.inverse) for f in body.factors]


@router.post("/transfers/{transfer_id}/allocation", response_model=Envelope,
             summary="按因素法分配 Allocate a transfer by factors, with the working (editor)")
def allocate_transfer(request: Request, user: Editor, transfer_id: Id,
                      body: FactorAllocationBody) -> Response:
    result = attempt(transfers.allocate_by_factors, cycle_db(request), transfer_id,
                     _factors(body), body.data, quantum=body.quantum)
    audit(request, user, "cycle.transfer.allocate", transfer_id, recipients=len(result.rows))
    return ok(allocation_dict(result))


class PassBody(BaseModel):
    on_date: Day


@router.post("/transfers/{transfer_id}/pass", response_model=Envelope,
             summary="记录已下达 Record a transfer as passed down (editor)")
def pass_transfer(request: Request, user: Editor, transfer_id: Id, body: PassBody) -> Response:
    db = cycle_db(request)
    late = attempt(transfers.pass_down, db, transfer_id, body.on_date, actor=user.username)
    audit(request, user, "cycle.transfer.pass", transfer_id, late_days=late)
    return ok({**transfer_dict(transfers.get(db, transfer_id), body.on_date), "late_days": late})


# --------------------------------------------------------------------------- controls


@router.get("/controls/sanbao", response_model=Envelope,
            summary="三保保障情况 三保 need, budget, paid and short items")
def sanbao(request: Request, user: Reader, government: Government, year: FiscalYear,
           at: Annotated[Day, Query()]) -> Response:
    rows = controls.sanbao_status(cycle_db(request), government, year, at)
    return ok({"rows": [asdict(r) for r in rows], "short": any(r.short_items for r in rows)},
              at=at)


@router.get("/controls/sangong", response_model=Envelope,
            summary="三公经费只减不增 三公 budget against last year's")
def sangong(request: Request, user: Reader, government: Government, year: FiscalYear) -> Response:
    db = cycle_db(request)
    cmp = controls.sangong_compare(controls.sangong_budget(db, government, year),
                                   controls.sangong_budget(db, government, year - 1))
    return ok({
        "rows": [{"item": r.item, "name_zh": r.name_zh, "last": r.last, "this": r.this,
                  "change": r.change, "pct": r.pct} for r in cmp.rows],
        "only_decrease": cmp.only_decrease,
        "increased_items": list(cmp.increased_items),
        "paid": controls.sangong_paid(db, government, year),
    })


# --------------------------------------------------------------------------- performance


@router.get("/performance", response_model=Envelope,
            summary="绩效目标与自评 Performance targets and the self-evaluation score")
def performance_targets(request: Request, user: Reader, government: Government, year: FiscalYear,
                        project: Annotated[str | None, Query(max_length=100)] = None,
                        department: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    ev = performance.evaluate(cycle_db(request), government, year, project=project,
                              department=department)
    return ok({"targets": [asdict(r) for r in ev.rows], "score": ev.score, "full": ev.full})


class TargetBody(BaseModel):
    government: str = Field(pattern=DIVISION)
    year: int = Field(ge=1949, le=2200)
    level1: str = Field(max_length=100)
    level2: str = Field(max_length=100)
    level3: str = Field(max_length=500)
    target: str = Field(min_length=1, max_length=100, description="as printed: ≥98%, ＞=2 次")
    weight: Ratio
    project: str | None = Field(default=None, max_length=100)
    department: str = Field(default="", max_length=200)
    basis: str = Field(default="", max_length=500)


@router.post("/performance/targets", response_model=Envelope, status_code=201,
             summary="设定绩效目标 Add a performance target (editor)")
def add_target(request: Request, user: Editor, body: TargetBody) -> Response:
    op, value, unit = attempt(performance.parse_target, body.target)
    tid = attempt(performance.add_target, cycle_db(request), body.government, body.year,
                  level1=body.level1, level2=body.level2, level3=body.level3, op=op,
                  target=value, weight=body.weight, unit=unit, project=body.project,
                  department=body.department, basis=body.basis)
    audit(request, user, "cycle.perf.target", tid)
    return ok({"id": tid, "op": op, "target": value, "unit": unit, "weight": body.weight},
              status=201)


class ValueBody(BaseModel):
    on_date: Day
    value: Ratio
    final: bool = False
    note: str = Field(default="", max_length=1000)


@router.post("/performance/targets/{target_id}/values", response_model=Envelope, status_code=201,
             summary="记录监控值或完成值 Record a monitoring or final value (editor)")
def record_value(request: Request, user: Editor, target_id: Id, body: ValueBody) -> Response:
    vid = attempt(performance.record_value, cycle_db(request), target_id, body.on_date,
                  body.value, final=body.final, note=body.note)
    audit(request, user, "cycle.perf.value", target_id, value=body.value)
    return ok({"id": vid, "target_id": target_id, "value": body.value, "final": body.final},
              status=201)
