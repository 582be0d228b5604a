"""The REST API under ``/api/v1``: every answer in the one envelope.

Reading needs a logged-in user (any role); uploading needs ``upload``
(editor, admin), judging a finding ``judge`` (reviewer, admin), accounts and
the audit log ``admin``.  Unsafe calls carry the session's CSRF token in
``X-CSRF-Token``.  Log in with ``POST /api/v1/session``.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.responses import Response

from yusuan.service.auth import MIN_PASSWORD, hash_password, login
from yusuan.service.core import Service, check_year, page_of
from yusuan.service.envelope import (
    ERROR_RESPONSES,
    ApiError,
    Envelope,
    bad_request,
    not_found,
    ok,
)
from yusuan.service.security import client_ip, reader, request_user, service_of
from yusuan.store.accounts import ROLES, AccountError, User

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)  # type: ignore[arg-type]

DOC_ID = r"^[0-9a-f]{6,64}$"
FINDING_ID = r"^[0-9a-f]{6,64}$"
DIVISION = r"^[0-9]{6,12}$"


class BookName(StrEnum):
    general = "general"
    fund = "fund"
    capital = "capital"
    social = "social"
    all = "all"


class StageName(StrEnum):
    budget = "budget"
    adjusted = "adjusted"
    execution = "execution"
    final = "final"
    limit = "limit"
    balance = "balance"
    plan = "plan"
    other = "other"


class SeverityName(StrEnum):
    error = "error"
    warning = "warning"
    notice = "notice"


class ReviewState(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"


class KindName(StrEnum):
    budget_report = "budget_report"
    execution_report = "execution_report"
    final_report = "final_report"
    department_budget = "department_budget"
    tables = "tables"
    other = "other"


Page = Annotated[int, Query(ge=1, le=100000, description="1-based page")]
PageSize = Annotated[int, Query(ge=1, le=1000)]
Year = Annotated[int | None, Query(ge=1949, le=2200)]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]


Reader = Annotated[User, Depends(reader())]
Uploader = Annotated[User, Depends(reader("upload"))]
Judge = Annotated[User, Depends(reader("judge"))]
Editor = Annotated[User, Depends(reader("edit"))]
Admin = Annotated[User, Depends(reader("admin"))]


def svc(request: Request) -> Service:
    return service_of(request)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- session


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


@router.get("/health", response_model=Envelope, summary="Liveness (public)")
def health(request: Request) -> Response:
    from yusuan import __version__

    # warm: the read models of the current ledger are built (pages answer from cache)
    return ok({"status": "ok", "version": __version__, "warm": svc(request).is_warm()})


@router.post("/session", response_model=Envelope, summary="Log in (sets the session cookie)")
def api_login(body: LoginBody, request: Request) -> Response:
    from yusuan.service.web import start_session

    service = svc(request)
    result = attempt_login(service, body.username, body.password, client_ip(request))
    response = ok({"user": user_dict(result.user), "csrf_token": result.csrf})
    start_session(request, response, result.token)
    return response


def attempt_login(service: Service, username: str, password: str, ip: str) -> Any:
    """Rate-limited password check; the login or an ApiError (401/429)."""
    for limiter, key in ((service.login_limiter, "u:" + username), (service.ip_limiter, "ip:" + ip)):
        wait = limiter.blocked(key)
        if wait > 0:
            raise ApiError(429, "login.rate_limited", f"登录尝试过多，请 {int(wait) + 1} 秒后再试。",
                           f"Too many attempts; try again in {int(wait) + 1} s.",
                           headers={"Retry-After": str(int(wait) + 1)})
    result = login(service.accounts, username, password)
    if result is None:
        service.login_limiter.fail("u:" + username)
        service.ip_limiter.fail("ip:" + ip)
        service.accounts.audit(username[:80], "login.failed", ip)
        raise ApiError(401, "login.failed", "用户名或密码错误。", "Wrong user name or password.")
    service.login_limiter.reset("u:" + username)
    service.accounts.audit(result.user.username, "login", ip)
    return result


@router.get("/session", response_model=Envelope, summary="Who am I")
async def whoami(request: Request, user: Reader) -> Response:
    auth = request_user(request)
    return ok({"user": user_dict(user), "csrf_token": auth[1] if auth else None})


@router.delete("/session", response_model=Envelope, summary="Log out")
async def api_logout(request: Request, user: Reader) -> Response:
    from yusuan.service.web import end_session

    response = ok({"logged_out": True})
    end_session(request, response, user)
    return response


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "active": user.active}


# --------------------------------------------------------------------------- documents


@router.get("/documents", response_model=Envelope, summary="Stored documents")
def list_documents(
    request: Request, user: Reader,
    government: Text = None,
    year: Year = None,
    kind: KindName | None = None,
    page: Page = 1,
    pagesize: PageSize = 100) -> Response:
    items, meta = page_of(svc(request).documents(government, year, kind.value if kind else None),
                          page, pagesize)
    return ok(items, **meta)


async def receive_upload(request: Request, file: UploadFile, user: User) -> Any:
    """Copy the upload to a private temp file (hashing it) and queue it."""
    service = svc(request)
    from yusuan.service.jobs import safe_name

    cap = service.settings.max_upload
    name = safe_name(file.filename)

    def spool() -> tuple[str, int, str]:
        digest = hashlib.sha256()
        size = 0
        fd, path = tempfile.mkstemp(prefix="yusuan-upload-", suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = file.file.read(1024 * 1024)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > cap:
                        raise ApiError(413, "upload.too_large",
                                       f"文件过大：上限为 {cap // (1024 * 1024)} MB。",
                                       f"The file is too large: the limit is {cap // (1024 * 1024)} MB.")
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            os.unlink(path)
            raise
        if size == 0:
            os.unlink(path)
            raise bad_request("upload.empty", "文件为空。", "The file is empty.")
        return path, size, digest.hexdigest()

    path, size, sha = await run_in_threadpool(spool)
    job = service.jobs.submit(Path(path), name, size, sha, user.username)
    service.accounts.audit(user.username, "document.upload", sha, name=name, size=size, job=job.id)
    return job


@router.post("/documents", response_model=Envelope, status_code=202,
             summary="Upload a document: read, store and check it",
             responses={201: {"model": Envelope, "description": "Stored and checked (wait=true)"}})
async def upload_document(
    request: Request, user: Uploader,
    file: Annotated[UploadFile, File(description="PDF, DOCX, XLSX, HTML or text")],
    wait: Annotated[bool, Query(description="answer when processing has finished")] = False) -> Response:
    service = svc(request)
    job = await receive_upload(request, file, user)
    links = {"job": f"/api/v1/jobs/{job.id}", "document": f"/api/v1/documents/{job.sha256}"}
    if not wait:
        return ok(job.as_dict(), status=202, links=links)
    job = await run_in_threadpool(service.jobs.wait, job.id, 600)
    if job.state == "failed":
        err = job.error or {}
        raise ApiError(422, err.get("code", "upload.failed"), err.get("message", "处理失败。"),
                       err.get("message_en", "Processing failed."), details={"job": job.as_dict()})
    return ok(job.as_dict(), status=201, links=links)


@router.get("/jobs", response_model=Envelope, summary="Recent uploads")
def list_jobs(request: Request, user: Reader) -> Response:
    return ok([j.as_dict() for j in svc(request).jobs.recent()])


@router.get("/jobs/{job_id}", response_model=Envelope, summary="An upload's progress")
def get_job(
    request: Request, user: Reader,
    job_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")]) -> Response:
    job = svc(request).jobs.get(job_id)
    if job is None:
        raise not_found("上传任务", "upload job")
    return ok(job.as_dict())


@router.get("/documents/{doc_id}", response_model=Envelope, summary="One document's description")
def get_document(request: Request, user: Reader, doc_id: Annotated[str, PathParam(pattern=DOC_ID)]) -> Response:
    service = svc(request)
    return ok(service.document(service.resolve_document(doc_id)))


@router.delete("/documents/{doc_id}", response_model=Envelope, summary="Remove a document")
async def delete_document(request: Request, user: Editor, doc_id: Annotated[str, PathParam(pattern=DOC_ID)]) -> Response:
    service = svc(request)
    sha = service.resolve_document(doc_id)
    await run_in_threadpool(service.remove_document, sha, user)
    return ok({"removed": sha})


@router.get("/documents/{doc_id}/view", response_model=Envelope,
            summary="Paragraphs and tables with figures and findings placed")
def document_view(request: Request, user: Reader, doc_id: Annotated[str, PathParam(pattern=DOC_ID)]) -> Response:
    service = svc(request)
    return ok(service.document_page(service.resolve_document(doc_id)))


@router.get("/documents/{doc_id}/tables", response_model=Envelope, summary="A document's tables")
def document_tables(request: Request, user: Reader, doc_id: Annotated[str, PathParam(pattern=DOC_ID)]) -> Response:
    service = svc(request)
    return ok(service.tables(service.resolve_document(doc_id)))


# --------------------------------------------------------------------------- facts, findings


def fact_filters(
    government: Text = None,
    book: BookName | None = None,
    indicator: Text = None,
    code: Annotated[str | None, Query(pattern=r"^[0-9*]{1,20}$")] = None,
    stage: StageName | None = None,
    period: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}\.\.\d{2}|-\d{2}-\d{2})?$")] = None,
    year: Year = None,
    document: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    scope: Text = None,
) -> dict[str, Any]:
    return {"government": government, "book": book.value if book else None, "indicator": indicator,
            "code": code, "stage": stage.value if stage else None, "period": period, "year": year,
            "document": document, "scope": scope}


FactFilters = Annotated[dict[str, Any], Depends(fact_filters)]


@router.get("/facts", response_model=Envelope, summary="Facts, filtered")
def list_facts(request: Request, user: Reader, filters: FactFilters, page: Page = 1, pagesize: PageSize = 100) -> Response:
    items, meta = page_of(svc(request).facts(**filters), page, pagesize)
    return ok(items, **meta)


def finding_filters(
    document: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    code: Annotated[str | None, Query(pattern=r"^[A-Z]{1,4}[0-9]{0,4}\*?$")] = None,
    severity: SeverityName | None = None,
    status: ReviewState | None = None,
) -> dict[str, Any]:
    return {"document": document, "code": code, "severity": severity.value if severity else None,
            "status": status.value if status else None}


FindingFilters = Annotated[dict[str, Any], Depends(finding_filters)]


@router.get("/findings", response_model=Envelope, summary="Findings with their judgement")
def list_findings(request: Request, user: Reader, filters: FindingFilters, page: Page = 1, pagesize: PageSize = 100) -> Response:
    items, meta = page_of(svc(request).findings(**filters), page, pagesize)
    return ok(items, **meta)


@router.get("/findings/{finding_id}", response_model=Envelope, summary="One finding")
def get_finding(request: Request, user: Reader, finding_id: Annotated[str, PathParam(pattern=FINDING_ID)],
                document: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None) -> Response:
    return ok(svc(request).finding(finding_id, document))


class Judgement(BaseModel):
    status: ReviewState = Field(description="confirmed, dismissed, or open to reopen")
    comment: str = Field(default="", max_length=4000)
    document: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


@router.post("/findings/{finding_id}/judgement", response_model=Envelope,
             summary="Confirm or dismiss a finding (reviewer)")
async def judge_finding(request: Request, user: Judge, body: Judgement,
                        finding_id: Annotated[str, PathParam(pattern=FINDING_ID)]) -> Response:
    status = None if body.status is ReviewState.open else body.status.value
    result = await run_in_threadpool(svc(request).judge, finding_id, status, body.comment, user,
                                     body.document)
    return ok(result)


# --------------------------------------------------------------------------- governments, analysis


@router.get("/governments", response_model=Envelope, summary="Governments with documents")
def list_governments(request: Request, user: Reader, page: Page = 1, pagesize: PageSize = 100) -> Response:
    items, meta = page_of(svc(request).governments(), page, pagesize)
    return ok(items, **meta)


@router.get("/governments/{code}", response_model=Envelope,
            summary="A government: four books, indicators, chart data")
async def get_government(request: Request, user: Reader, code: Annotated[str, PathParam(pattern=DIVISION)],
                         year: Year = None) -> Response:
    service = svc(request)
    return ok(await service.fast(*service.government_page_job(code, year)))


@router.get("/indicators", response_model=Envelope, summary="A government's indicators")
def list_indicators(request: Request, user: Reader, government: Annotated[str, Query(pattern=DIVISION)],
                    year: Year = None) -> Response:
    check_year(year)
    return ok(svc(request).indicators(government, year))


@router.get("/comparisons", response_model=Envelope,
            summary="A government's indicators across years and against peers")
def list_comparisons(request: Request, user: Reader, government: Annotated[str, Query(pattern=DIVISION)],
                     year: Year = None) -> Response:
    return ok(svc(request).comparisons(government, year))


@router.get("/aggregate", response_model=Envelope,
            summary="Cut and drill down (OpenSpending style); stage and year required")
async def get_aggregate(
    request: Request, user: Reader,
    cut: Annotated[str | None, Query(max_length=500, description="dim:value|dim:value")] = None,
    drilldown: Annotated[str | None, Query(max_length=200, description="dim|dim")] = None,
    order: Annotated[str | None, Query(max_length=40, description="field:asc|desc")] = None,
    page: Page = 1,
    pagesize: PageSize = 100) -> Response:
    service = svc(request)
    data = await service.fast(*service.aggregate_job(cut=cut, drilldown=drilldown, order=order,
                                                     page=page, pagesize=pagesize))
    return ok(data, page=page, pagesize=pagesize, total=data["total_cell_count"])


@router.get("/codes", response_model=Envelope, summary="Classification 类 → 款 → 项")
def list_codes(request: Request, user: Reader, year: Annotated[int, Query(ge=1990, le=2200)] = 2024,
               parent: Annotated[str | None, Query(pattern=r"^[0-9]{3,9}$")] = None) -> Response:
    return ok(svc(request).codes(year, parent))


@router.get("/search", response_model=Envelope, summary="Full-text search of paragraphs")
def search(request: Request, user: Reader, q: Annotated[str, Query(min_length=1, max_length=200)],
           page: Page = 1, pagesize: PageSize = 20) -> Response:
    data = svc(request).search(q, pagesize, (page - 1) * pagesize)
    return ok(data, page=page, pagesize=pagesize, total=data["total"])


# --------------------------------------------------------------------------- downloads


class Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@router.get("/downloads/facts.{fmt}", summary="Facts as CSV (UTF-8 with BOM), Excel or JSON",
            response_class=Response)
def download_facts(request: Request, user: Reader, filters: FactFilters, fmt: Format) -> Response:
    from yusuan.report.export import NAMES, csv_text, fact_row, json_text

    facts = svc(request).fact_records(**filters)
    if fmt is Format.csv:
        body = csv_text(facts).encode("utf-8-sig")
        media = "text/csv; charset=utf-8"
    elif fmt is Format.json:
        body = json_text(facts).encode("utf-8")
        media = "application/json; charset=utf-8"
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "facts"
        ws.append(list(NAMES))
        for f in facts:
            row = fact_row(f)
            ws.append([row[n] for n in NAMES])  # Decimal → a number cell
        buf = io.BytesIO()
        wb.save(buf)
        body = buf.getvalue()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="yusuan-facts.{fmt.value}"'})


FINDING_COLUMNS = ("id", "code", "severity", "message", "message_en", "expected", "printed", "gap",
                   "tolerance", "document", "status", "comment", "reviewed_by", "reviewed_at", "quotes")


@router.get("/downloads/findings.{fmt}", summary="Findings with judgements as CSV (UTF-8 with BOM), "
            "Excel or JSON", response_class=Response)
def download_findings(request: Request, user: Reader, fmt: Format, filters: FindingFilters) -> Response:
    from yusuan.model.serialize import dumps

    rows = []
    for f in svc(request).findings(**filters):
        row = {k: f.get(k) for k in FINDING_COLUMNS if k != "quotes"}
        row["quotes"] = " | ".join(s["quote"] for s in f["sources"])
        rows.append(row)
    return _table_download(rows, FINDING_COLUMNS, fmt, "yusuan-findings", dumps)


def _table_download(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: Format, name: str,
                    dumps: Any) -> Response:
    if fmt is Format.json:
        body = dumps(rows).encode("utf-8")
        media = "application/json; charset=utf-8"
    elif fmt is Format.csv:
        import csv

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else str(row[c]) for c in columns])
        body = buf.getvalue().encode("utf-8-sig")
        media = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = name.removeprefix("yusuan-")
        ws.append(list(columns))
        for row in rows:
            ws.append([row[c] for c in columns])
        out = io.BytesIO()
        wb.save(out)
        body = out.getvalue()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'})


# --------------------------------------------------------------------------- accounts


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=80, pattern=r"^[\w.@-]+$")
    password: str = Field(min_length=MIN_PASSWORD, max_length=1000)
    role: str = Field(pattern="^(" + "|".join(ROLES) + ")$")
    display_name: str = Field(default="", max_length=200)


@router.get("/users", response_model=Envelope, summary="Accounts (admin)")
def list_users(request: Request, user: Admin) -> Response:
    return ok([user_dict(u) for u in svc(request).accounts.users()])


@router.post("/users", response_model=Envelope, status_code=201, summary="Create an account (admin)")
async def create_user(request: Request, user: Admin, body: NewUser) -> Response:
    service = svc(request)
    try:
        digest = await run_in_threadpool(hash_password, body.password)
        created = await run_in_threadpool(
            service.accounts.add_user, body.username, digest, body.role, body.display_name)
    except AccountError as exc:
        raise ApiError(409, "user.exists", str(exc), f"Cannot create user {body.username}.") from exc
    service.accounts.audit(user.username, "user.add", created.username, role=created.role)
    return ok(user_dict(created), status=201)


@router.get("/audit", response_model=Envelope, summary="The audit log (admin)")
def audit_log(request: Request, user: Admin, page: Page = 1, pagesize: PageSize = 100) -> Response:
    entries = svc(request).accounts.audit_log(limit=pagesize, offset=(page - 1) * pagesize)
    return ok([{"at": e.at.isoformat(), "username": e.username, "action": e.action,
                "target": e.target, "detail": e.detail} for e in entries], page=page, pagesize=pagesize)
