"""Web pages of the budget cycle: the indicator ledger, budget versions, the debt register.

- ``/cycle/indicators`` 指标账: a government's indicators for a year, each
  with budget, paid and available; → ``/cycle/indicators/{id}``: one
  indicator's balance and journal, with the 录入支付 form (editors) and a
  冲销 button on each payment.
- ``/cycle/versions`` 预算版本 → ``/cycle/versions/{id}``: a version's lines,
  the changes against its parent, and the 审批 form (reviewers) while it is
  pending; ``/cycle/versions/{id}/diff`` the line-by-line diff.
- ``/cycle/debt`` 债务: limit against balance by kind, bonds, repayments due.
- ``/cycle/projects`` 项目库 and ``/cycle/transfers`` 转移支付 (with the
  factor allocation's working and days overdue): read-only lists.

Each page has its JSON twin (``.json`` or ``Accept: application/json``) fed
the same dict as the template (:mod:`yusuan.service.cycle_api` builds them).
Every form carries the session's CSRF token; a refused command shows the
page again with the refusal's code and message (status 409/422/404).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as PathParam
from starlette.responses import RedirectResponse, Response

from yusuan.cycle import ledger, projects, transfers, versions
from yusuan.cycle.errors import Refused
from yusuan.service.cycle_api import (
    Day,
    cycle_db,
    debt_view,
    diff_view,
    indicator_dict,
    indicator_view,
    ledgers,
    payment_dict,
    project_dict,
    refused,
    transfer_dict,
    version_dict,
    version_view,
)
from yusuan.service.envelope import ApiError, ok
from yusuan.service.i18n import pick
from yusuan.service.security import reader, service_of
from yusuan.service.web import lang_of, page, wants_json
from yusuan.store.accounts import User

router = APIRouter(include_in_schema=False)

Reader = Annotated[User, Depends(reader())]
Editor = Annotated[User, Depends(reader("edit"))]
Approver = Annotated[User, Depends(reader("approve"))]
Id = Annotated[int, PathParam(ge=1, le=2**62)]
Gov = Annotated[str | None, Query(pattern=r"^([0-9]{6,12})?$")]
YearQ = Annotated[int | None, Query(ge=1949, le=2200)]
BookQ = Annotated[str, Query(pattern="^(general|fund|capital|social)$")]
PAGESIZE = 100

# The pages' own words, Chinese first.
WORDS: dict[str, tuple[str, str]] = {
    "cycle": ("预算执行", "Budget cycle"),
    "ledger": ("指标账", "Indicator ledger"),
    "versions": ("预算版本", "Budget versions"),
    "debt": ("债务", "Debt"),
    "indicator": ("预算指标", "Indicator"),
    "department": ("部门", "Department"),
    "func_code": ("功能科目", "Functional code"),
    "econ_code": ("经济科目", "Economic code"),
    "project": ("项目", "Project"),
    "fund_source": ("资金来源", "Fund source"),
    "budget": ("指标", "Budget"),
    "paid": ("已支付", "Paid"),
    "available": ("可用余额", "Available"),
    "closed": ("已结账", "Closed"),
    "journal": ("分录", "Journal"),
    "date": ("日期", "Date"),
    "entry_kind": ("类型", "Kind"),
    "budget_delta": ("指标变动", "Budget change"),
    "paid_delta": ("支付", "Payment"),
    "payee": ("收款人", "Payee"),
    "memo": ("摘要", "Memo"),
    "actor": ("经办人", "By"),
    "pay": ("录入支付", "Enter a payment"),
    "amount": ("金额（元）", "Amount (yuan)"),
    "reverse": ("冲销", "Reverse"),
    "reversed": ("已冲销", "Reversed"),
    "show": ("查询", "Show"),
    "choose": ("选择政府与年度", "Choose a government and year"),
    "no_ledger": ("尚无预算指标。", "No indicators yet."),
    "version": ("版本", "Version"),
    "seq": ("序", "No."),
    "status": ("状态", "Status"),
    "approved_on": ("批准日期", "Approved on"),
    "session": ("批准会议", "Approving session"),
    "total": ("合计（元）", "Total (yuan)"),
    "lines": ("预算行", "Lines"),
    "changes": ("与上一版本相比", "Changes from the previous version"),
    "diff": ("逐行比较", "Line-by-line diff"),
    "before": ("原数", "Before"),
    "after": ("新数", "After"),
    "change": ("增减", "Change"),
    "approve": ("审批通过", "Approve"),
    "reject": ("退回", "Reject"),
    "note": ("意见", "Note"),
    "pending": ("待审批", "Pending approval"),
    "kind": ("类别", "Kind"),
    "limit": ("限额", "Limit"),
    "balance": ("余额", "Balance"),
    "headroom": ("尚可举借", "Headroom"),
    "usage": ("限额使用率", "Limit used"),
    "debt_ratio": ("债务率", "Debt ratio"),
    "bonds": ("债券", "Bonds"),
    "code": ("编码", "Code"),
    "name": ("名称", "Name"),
    "purpose": ("用途", "Purpose"),
    "term": ("期限（年）", "Term (years)"),
    "rate": ("利率%", "Rate %"),
    "issue_date": ("发行日期", "Issued"),
    "due": ("年内到期未偿", "Falling due this year"),
    "principal": ("本金", "Principal"),
    "interest": ("利息", "Interest"),
    "as_at": ("截至", "As at"),
    "done": ("已完成。", "Done."),
    "refused": ("未能执行", "Refused"),
    "no_data": ("暂无数据。", "No data."),
    "balance_at": ("某日余额", "Balance at a date"),
    "all_books": ("全部预算本", "All books"),
    "projects": ("项目库", "Project library"),
    "transfers": ("转移支付", "Transfers"),
    "department_short": ("主管部门", "Department"),
    "project_total": ("总投资（元）", "Total (yuan)"),
    "received_on": ("收到日期", "Received"),
    "deadline": ("下达期限", "Deadline"),
    "passed_on": ("下达日期", "Passed down"),
    "overdue_days": ("逾期天数", "Days overdue"),
    "shares": ("分配结果", "Allocation"),
    "working": ("测算过程", "Working"),
    "recipient": ("分配对象", "Recipient"),
}
STATUS_WORDS = {"draft": ("待审批", "Pending"), "approved": ("已批准", "Approved"),
                "rejected": ("已退回", "Rejected")}
ENTRY_WORDS = {"allocation": ("指标下达", "Allocation"), "adjustment": ("预算调整", "Adjustment"),
               "reallocation": ("预算调剂", "Reallocation"), "payment": ("支付", "Payment"),
               "reversal": ("冲销", "Reversal")}
KIND_EN = {"draft": "Draft budget", "adjustment": "Adjustment", "reallocation": "Reallocation",
           "final": "Final accounts"}


class Words:
    """``w("key")`` in the cycle templates; ``w.status``, ``w.entry``, ``w.kind`` for vocabularies."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str) -> str:
        pair = WORDS.get(key)
        return pick(pair, self.lang) if pair else key

    def status(self, key: str) -> str:
        return pick(STATUS_WORDS.get(key, (key, key)), self.lang)

    def entry(self, key: str) -> str:
        return pick(ENTRY_WORDS.get(key, (key, key)), self.lang)

    def kind(self, key: str) -> str:
        return pick((versions.KINDS.get(key, key), KIND_EN.get(key, key)), self.lang)


def _show(request: Request, template: str, data: dict[str, Any], *, status: int = 200,
          **meta: Any) -> Response:
    response = page(request, template, data, extra={"w": Words(lang_of(request))}, **meta)
    response.status_code = status
    return response


def _error(exc: Refused | ApiError) -> dict[str, Any]:
    err = refused(exc) if isinstance(exc, Refused) else exc
    return {"code": err.code, "message": err.message, "message_en": err.message_en,
            "status": err.status}


def _default_ledger(request: Request, government: str | None, year: int | None
                    ) -> tuple[str | None, int | None, list[dict[str, Any]]]:
    known = ledgers(cycle_db(request))
    if not government and known:
        government = known[0]["government"]
    if government and year is None:
        years = [k["year"] for k in known if k["government"] == government]
        year = years[0] if years else date.today().year
    return government, year, known


# --------------------------------------------------------------------------- indicators


@router.get("/cycle")
def cycle_home(request: Request, user: Reader) -> Response:
    """The cycle's front page is the indicator ledger of the latest year."""
    return indicators_page(request, user, None, None, None, 1)


@router.get("/cycle/indicators")
def indicators_page(request: Request, user: Reader, government: Gov = None, year: YearQ = None,
                    book: Annotated[str | None, Query(pattern="^(general|fund|capital|social)?$")] = None,
                    page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    government, year, known = _default_ledger(request, government, year)
    items: list[ledger.Indicator] = []
    if government and year:
        items = ledger.list_indicators(cycle_db(request), government, year, book or None)
    start = (page_no - 1) * PAGESIZE
    rows = [indicator_dict(i) for i in items[start:start + PAGESIZE]]
    totals = {k: sum((getattr(i, k) for i in items), Decimal("0.00"))
              for k in ("budget", "paid", "available")}
    return _show(request, "cycle_indicators.html",
                 {"government": government, "year": year, "book": book or None, "ledgers": known,
                  "indicators": rows, "totals": totals},
                 page=page_no, pagesize=PAGESIZE, total=len(items))


def _indicator_page(request: Request, indicator_id: int, at: date | None,
                    error: dict[str, Any] | None = None, form: dict[str, str] | None = None,
                    status: int = 200) -> Response:
    data = indicator_view(cycle_db(request), indicator_id, at)
    data["error"] = error
    data["form"] = form or {"on_date": _default_date(data).isoformat()}
    done = request.query_params.get("done")
    data["done"] = done if done and done.isdigit() else None
    return _show(request, "cycle_indicator.html", data, status=status)


def _default_date(data: dict[str, Any]) -> date:
    """Today within the indicator's year; otherwise its latest entry's date (no back-dating)."""
    today = date.today()
    if today.year == data["indicator"]["year"]:
        return today
    if data["journal"]:
        return max(e["on_date"] for e in data["journal"])  # type: ignore[no-any-return]
    return date(data["indicator"]["year"], 1, 1)


@router.get("/cycle/indicators/{indicator_id}")
def indicator_page(request: Request, user: Reader, indicator_id: Id,
                   at: Annotated[Day | None, Query()] = None) -> Response:
    return _indicator_page(request, indicator_id, at)


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise Refused("cycle.pay.amount", f"支付金额 {text} 不是数字",
                      f"payment amount {text!r} is not a number") from exc
    if not value.is_finite():
        raise Refused("cycle.pay.amount", f"支付金额 {text} 不是数字",
                      f"payment amount {text!r} is not a number")
    return value


@router.post("/cycle/indicators/{indicator_id}/pay")
def pay_submit(
    request: Request, user: Editor, indicator_id: Id,
    amount: Annotated[str, Form(min_length=1, max_length=40)],
    on_date: Annotated[Day, Form()],
    payee: Annotated[str, Form(max_length=200)] = "",
    memo: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        p = ledger.pay(cycle_db(request), indicator_id, _amount(amount), on_date, payee=payee,
                       memo=memo, actor=user.username)
    except Refused as exc:
        if wants_json(request):
            raise refused(exc) from exc
        err = _error(exc)
        form = {"amount": amount, "on_date": on_date.isoformat(), "payee": payee, "memo": memo}
        return _indicator_page(request, indicator_id, None, err, form, status=err["status"])
    service_of(request).accounts.audit(user.username, "cycle.pay", str(indicator_id),
                                       entry=str(p.entry_id), amount=str(p.amount))
    if wants_json(request):
        return ok(payment_dict(p), status=201)
    return RedirectResponse(f"/cycle/indicators/{indicator_id}?done={p.entry_id}", status_code=303)


@router.post("/cycle/entries/{entry_id}/reverse")
def reverse_submit(
    request: Request, user: Editor, entry_id: Id,
    indicator: Annotated[int, Form(ge=1, le=2**62)],
    on_date: Annotated[Day, Form()],
    memo: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        new_id = ledger.reverse(cycle_db(request), entry_id, on_date, memo=memo,
                                actor=user.username)
    except Refused as exc:
        if wants_json(request):
            raise refused(exc) from exc
        err = _error(exc)
        return _indicator_page(request, indicator, None, err, status=err["status"])
    service_of(request).accounts.audit(user.username, "cycle.reverse", str(entry_id),
                                       entry=str(new_id))
    if wants_json(request):
        return ok({"entry_id": new_id, "reverses": entry_id}, status=201)
    return RedirectResponse(f"/cycle/indicators/{indicator}?done={new_id}", status_code=303)


# --------------------------------------------------------------------------- versions


@router.get("/cycle/versions")
def versions_page(request: Request, user: Reader, government: Gov = None, year: YearQ = None,
                  book: BookQ = "general") -> Response:
    government, year, known = _default_ledger(request, government, year)
    db = cycle_db(request)
    items = versions.versions(db, government, year, book) if government and year else []
    return _show(request, "cycle_versions.html",
                 {"government": government, "year": year, "book": book, "ledgers": known,
                  "versions": [version_dict(v, versions.lines(db, v.id)) for v in items]})


def _version_page(request: Request, version_id: int, error: dict[str, Any] | None = None,
                  status: int = 200) -> Response:
    data = version_view(cycle_db(request), version_id)
    data["error"] = error
    data["today"] = date.today().isoformat()
    data["done"] = request.query_params.get("done") == "1"
    return _show(request, "cycle_version.html", data, status=status)


@router.get("/cycle/versions/{version_id}")
def version_page(request: Request, user: Reader, version_id: Id) -> Response:
    return _version_page(request, version_id)


@router.get("/cycle/versions/{version_id}/diff")
def diff_page(request: Request, user: Reader, version_id: Id,
              against: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> Response:
    return _show(request, "cycle_diff.html", diff_view(cycle_db(request), version_id, against))


@router.post("/cycle/versions/{version_id}/approve")
def approve_submit(
    request: Request, user: Approver, version_id: Id,
    on_date: Annotated[Day, Form()],
    session: Annotated[str, Form(max_length=200)] = "") -> Response:
    db = cycle_db(request)
    try:
        entries = versions.approve(db, version_id, on_date, session=session, actor=user.username)
    except Refused as exc:
        if wants_json(request):
            raise refused(exc) from exc
        err = _error(exc)
        return _version_page(request, version_id, err, status=err["status"])
    service_of(request).accounts.audit(user.username, "cycle.version.approve", str(version_id),
                                       entries=str(len(entries)))
    if wants_json(request):
        return ok({"version": version_dict(versions.get_version(db, version_id)),
                   "entries": entries})
    return RedirectResponse(f"/cycle/versions/{version_id}?done=1", status_code=303)


@router.post("/cycle/versions/{version_id}/reject")
def reject_submit(
    request: Request, user: Approver, version_id: Id,
    note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    db = cycle_db(request)
    try:
        versions.reject(db, version_id, actor=user.username, note=note)
    except Refused as exc:
        if wants_json(request):
            raise refused(exc) from exc
        err = _error(exc)
        return _version_page(request, version_id, err, status=err["status"])
    service_of(request).accounts.audit(user.username, "cycle.version.reject", str(version_id))
    if wants_json(request):
        return ok({"version": version_dict(versions.get_version(db, version_id))})
    return RedirectResponse(f"/cycle/versions/{version_id}?done=1", status_code=303)


# --------------------------------------------------------------------------- debt


@router.get("/cycle/debt")
def debt_page(request: Request, user: Reader, government: Gov = None,
              at: Annotated[Day | None, Query()] = None) -> Response:
    known = ledgers(cycle_db(request))
    if not government and known:
        government = known[0]["government"]
    day = at or date.today()
    data: dict[str, Any] = {"government": government, "at": day, "ledgers": known, "debt": None}
    if government:
        data["debt"] = debt_view(cycle_db(request), government, day)
    return _show(request, "cycle_debt.html", data)


# --------------------------------------------------------------------------- projects, transfers


@router.get("/cycle/projects")
def projects_page(request: Request, user: Reader, government: Gov = None) -> Response:
    government, _, known = _default_ledger(request, government, None)
    items = projects.library(cycle_db(request), government) if government else []
    return _show(request, "cycle_projects.html",
                 {"government": government, "ledgers": known, "statuses": projects.STATUSES,
                  "projects": [project_dict(p) for p in items]})


@router.get("/cycle/transfers")
def transfers_page(request: Request, user: Reader, government: Gov = None, year: YearQ = None,
                   today: Annotated[Day | None, Query()] = None) -> Response:
    government, year, known = _default_ledger(request, government, year)
    day = today or date.today()
    items = transfers.transfers(cycle_db(request), government, year) if government and year else []
    return _show(request, "cycle_transfers.html",
                 {"government": government, "year": year, "today": day, "ledgers": known,
                  "transfers": [transfer_dict(t, day) for t in items]})
