"""The web UI: server-rendered pages in Chinese (English with ``?lang=en``).

Every page is also JSON: add ``.json`` to its path or ask with
``Accept: application/json``, and the page's data comes back in the API's
envelope — the template and the JSON twin are fed the same dict.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from yusuan.model.serialize import dumps
from yusuan.service.auth import SESSION_COOKIE, SESSION_LIFETIME, allowed, csrf_ok, hash_password
from yusuan.service.core import Service, page_of
from yusuan.service.docview import segments_html
from yusuan.service.envelope import ApiError, csrf_failed, ok
from yusuan.service.i18n import LANG_COOKIE, LANGS, Translator
from yusuan.service.security import (
    PRE_CSRF_COOKIE,
    client_ip,
    new_token,
    reader,
    request_user,
    service_of,
)
from yusuan.store.accounts import ROLES, AccountError, User

router = APIRouter(include_in_schema=False)


Reader = Annotated[User, Depends(reader())]
Uploader = Annotated[User, Depends(reader("upload"))]
Judge = Annotated[User, Depends(reader("judge"))]
Admin = Annotated[User, Depends(reader("admin"))]

_TEMPLATES = str(resources.files("yusuan.service") / "templates")
env = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _num(value: Any) -> str:
    """A decimal string with thousands separators (``1234567.5`` → ``1,234,567.5``)."""
    if value is None or value == "":
        return ""
    text = str(value)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if not whole.isdigit():
        return text
    grouped = f"{int(whole):,}"
    return sign + grouped + ("." + frac if frac else "")


env.filters["num"] = _num
env.globals["segments_html"] = segments_html


def svc(request: Request) -> Service:
    return service_of(request)  # type: ignore[no-any-return]


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return lang if lang in LANGS else "zh"


def wants_json(request: Request) -> bool:
    if getattr(request.state, "want_json", False):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render(request: Request, template: str, data: dict[str, Any], status: int = 200,
           **extra: Any) -> HTMLResponse:
    auth = request_user(request)
    lang = lang_of(request)
    t = Translator(lang)
    html = env.get_template(template).render(
        data=data,
        t=t,
        lang=lang,
        user=auth[0] if auth else None,
        csrf=auth[1] if auth else "",
        can=lambda perm: allowed(auth[0] if auth else None, perm),
        path=request.url.path,
        query=str(request.url.query),
        **extra,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def page(request: Request, template: str, data: dict[str, Any], *,
         extra: dict[str, Any] | None = None, **meta: Any) -> Response:
    """The page as HTML, or its data in the envelope when JSON is asked for."""
    if wants_json(request):
        return ok(data, view=template.removesuffix(".html"), **meta)
    return render(request, template, data, meta=meta, **(extra or {}))


def script_json(value: Any) -> str:
    """JSON safe to place inside a ``<script type="application/json">`` element."""
    return dumps(value, indent=None).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax",
        secure=svc(request).settings.secure_cookies,
        max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
    )


def end_session(request: Request, response: Response, user: User) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        svc(request).forget_session(token)
    svc(request).accounts.audit(user.username, "logout")
    response.delete_cookie(SESSION_COOKIE, path="/")


def safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# --------------------------------------------------------------------------- login


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    token = request.cookies.get(PRE_CSRF_COOKIE) or new_token()
    service = svc(request)
    response = render(request, "login.html", {"next": safe_next(next),
                                              "no_users": service.accounts.count() == 0},
                      login_csrf=token)
    response.set_cookie(PRE_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    from yusuan.service.api import attempt_login

    service = svc(request)
    if not csrf_ok(request.cookies.get(PRE_CSRF_COOKIE), csrf_token):
        raise csrf_failed()
    try:
        result = attempt_login(service, username, password, client_ip(request))
    except ApiError as err:
        t = Translator(lang_of(request))
        return render(request, "login.html",
                      {"next": safe_next(next), "error": err.message if t.lang == "zh" else err.message_en,
                       "no_users": False},
                      status=err.status, login_csrf=csrf_token)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(request, response, result.token)
    response.delete_cookie(PRE_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, user: Reader) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(request, response, user)
    return response


# --------------------------------------------------------------------------- documents


@router.get("/")
def index(request: Request, user: Reader, page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    service = svc(request)
    docs, meta = page_of(service.documents(), page_no, 50)
    jobs = [j.as_dict() for j in service.jobs.recent(limit=10)]
    return page(request, "index.html", {"documents": docs, "jobs": jobs,
                                        "max_upload_mb": service.settings.max_upload // (1024 * 1024)},
                **meta)


@router.post("/upload")
async def upload(request: Request, user: Uploader, file: Annotated[UploadFile, File()]) -> Response:
    from yusuan.service.api import receive_upload

    job = await receive_upload(request, file, user)
    if wants_json(request):
        return ok(job.as_dict(), status=202)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, user: Reader, job_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")]) -> Response:
    job = svc(request).jobs.get(job_id)
    if job is None:
        raise ApiError(404, "not_found", "未找到上传任务。", "Upload job not found.")
    return page(request, "job.html", {"job": job.as_dict()})


@router.get("/documents/{doc_id}")
def document_page(request: Request, user: Reader, doc_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{6,64}$")]) -> Response:
    service = svc(request)
    sha = service.resolve_document(doc_id)
    return page(request, "document.html", service.document_page(sha))


@router.post("/findings/{finding_id}/judge")
async def judge(
    request: Request, user: Judge,
    finding_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{6,64}$")],
    status: Annotated[str, Form(pattern="^(confirmed|dismissed|open)$")],
    comment: Annotated[str, Form(max_length=4000)] = "",
    document: Annotated[str, Form(pattern=r"^([0-9a-f]{64})?$")] = "") -> Response:
    result = await run_in_threadpool(svc(request).judge, finding_id,
                                     None if status == "open" else status, comment, user,
                                     document or None)
    if wants_json(request):
        return ok(result)
    return RedirectResponse(f"/documents/{result['document']}#f-{finding_id}", status_code=303)


@router.get("/findings")
def findings_page(
    request: Request, user: Reader,
    status: Annotated[str | None, Query(pattern="^(open|confirmed|dismissed)?$")] = None,
    severity: Annotated[str | None, Query(pattern="^(error|warning|notice)?$")] = None,
    document: Annotated[str | None, Query(pattern=r"^([0-9a-f]{64})?$")] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    service = svc(request)
    status, severity, document = status or None, severity or None, document or None
    items, meta = page_of(service.findings(status=status, severity=severity, document=document),
                          page_no, 100)
    names = {d["id"]: d["name"] for d in service.documents()}
    for f in items:
        f["document_name"] = names.get(f["document"], f["document"][:12])
    return page(request, "findings.html",
                {"findings": items, "filters": {"status": status, "severity": severity,
                                                "document": document}}, **meta)


# --------------------------------------------------------------------------- governments


@router.get("/governments")
def governments_page(request: Request, user: Reader, page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    items, meta = page_of(svc(request).governments(), page_no, 100)
    return page(request, "governments.html", {"governments": items}, **meta)


@router.get("/governments/{code}")
async def government_page(request: Request, user: Reader,
                          code: Annotated[str, PathParam(pattern=r"^[0-9]{6,12}$")],
                          year: Annotated[int | None, Query(ge=1949, le=2200)] = None) -> Response:
    service = svc(request)
    data = await service.fast(*service.government_page_job(code, year))
    if wants_json(request):
        return ok(data, view="government")
    # rendering the page's tables takes a while: not on the event loop
    return await run_in_threadpool(page, request, "government.html", data,
                                   extra={"charts_json": script_json(data["charts"])})


# --------------------------------------------------------------------------- browse


@router.get("/codes")
def codes_page(request: Request, user: Reader, year: Annotated[int, Query(ge=1990, le=2200)] = 2024,
               code: Annotated[str | None, Query(pattern=r"^[0-9]{3,9}$")] = None) -> Response:
    return page(request, "codes.html", svc(request).codes(year, code))


@router.get("/search")
def search_page(request: Request, user: Reader, q: Annotated[str | None, Query(max_length=200)] = None,
                page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    data: dict[str, Any] = {"q": q or "", "hits": [], "total": 0}
    if q and q.strip():
        data = svc(request).search(q, 20, (page_no - 1) * 20)
    return page(request, "search.html", data, page=page_no, pagesize=20, total=data["total"])


# --------------------------------------------------------------------------- admin


@router.get("/admin/audit")
def audit_page(request: Request, user: Admin, page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    entries = svc(request).accounts.audit_log(limit=100, offset=(page_no - 1) * 100)
    return page(request, "audit.html", {"entries": [
        {"at": e.at.isoformat(timespec="seconds"), "username": e.username, "action": e.action,
         "target": e.target, "detail": e.detail} for e in entries]}, page=page_no)


@router.get("/admin/users")
def users_page(request: Request, user: Admin) -> Response:
    from yusuan.service.api import user_dict

    return page(request, "users.html", {"users": [user_dict(u) for u in svc(request).accounts.users()],
                                        "roles": list(ROLES)})


@router.post("/admin/users")
async def users_add(
    request: Request, user: Admin,
    username: Annotated[str, Form(min_length=1, max_length=80, pattern=r"^[\w.@-]+$")],
    password: Annotated[str, Form(min_length=8, max_length=1000)],
    role: Annotated[str, Form(pattern="^(admin|editor|reviewer|viewer)$")]) -> Response:
    service = svc(request)
    try:
        digest = await run_in_threadpool(hash_password, password)
        created = await run_in_threadpool(service.accounts.add_user, username, digest, role)
    except AccountError as exc:
        raise ApiError(409, "user.exists", str(exc), f"Cannot create user {username}.") from exc
    service.accounts.audit(user.username, "user.add", created.username, role=role)
    return RedirectResponse("/admin/users", status_code=303)


def login_redirect(request: Request) -> Response:
    target = request.url.path + (("?" + request.url.query) if request.url.query else "")
    return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)
