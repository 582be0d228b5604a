"""The application factory: ``create_app(db_url)`` gives the ASGI app.

>>> app = create_app("sqlite:///yusuan.db")          # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8000)    # doctest: +SKIP
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from yusuan import __version__
from yusuan.service import api, web
from yusuan.service.core import Service, Settings
from yusuan.service.envelope import ApiError, error_response
from yusuan.service.i18n import Translator
from yusuan.service.security import BodyLimit
from yusuan.store import Store

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class JsonTwin:
    """``/page.json`` is ``/page`` asking for JSON (datasette's way)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path.endswith(".json") and not path.startswith(("/api/", "/static/")):
                scope = dict(scope)
                scope["path"] = path[: -len(".json")] or "/"
                if scope["path"] == "/index":
                    scope["path"] = "/"
                scope["raw_path"] = scope["path"].encode("utf-8")
                state = dict(scope.get("state") or {})
                state["want_json"] = True
                scope["state"] = state

            async def headers(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    extra = [
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"),
                        (b"x-frame-options", b"DENY"),
                        (b"content-security-policy", CSP.encode()),
                    ]
                    message["headers"] = list(message.get("headers", [])) + extra
                await send(message)

            await self.app(scope, receive, headers)
            return
        await self.app(scope, receive, send)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or web.wants_json(request)


def _html_error(request: Request, err: ApiError) -> Response:
    if err.status == 401:
        return web.login_redirect(request)
    t = Translator(web.lang_of(request))
    return web.render(request, "error.html",
                      {"code": err.code, "status": err.status,
                       "message": err.message_en if t.lang == "en" else err.message},
                      status=err.status)


def _handle(request: Request, err: ApiError) -> Response:
    response = error_response(err) if _is_api(request) else _html_error(request, err)
    for k, v in err.headers.items():
        response.headers[k] = v
    return response


_HTTP_CODES = {
    404: ("not_found", "未找到该页面或资源。", "Not found."),
    405: ("method_not_allowed", "不支持该请求方法。", "Method not allowed."),
}


def _cycle_routers() -> list[Any]:
    """The budget-cycle API and pages."""
    from yusuan.service import cycle_api, cycle_web

    return [cycle_api.router, cycle_web.router]


def _allowed_methods(path: str) -> list[str]:
    """Every method some route serves at ``path`` (for the Allow header of a 405)."""
    methods: set[str] = set()
    for router in (api.router, web.router, *_cycle_routers()):
        for route in router.routes:
            regex = getattr(route, "path_regex", None)
            if regex is not None and regex.match(path):
                methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def create_app(
    db_url: str | None = None,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
) -> FastAPI:
    """The web UI and REST API over the ledger at ``db_url`` (migrated on open)."""
    store = store or Store.open(db_url)
    if store.engine.url.get_backend_name() == "sqlite" and store.engine.url.database not in (
        None, "", ":memory:"
    ):
        with store.engine.connect() as conn:  # readers do not wait for writers
            conn.execute(text("PRAGMA journal_mode=WAL"))
    service = Service(store, settings)

    app = FastAPI(
        title="yusuan API",
        version=__version__,
        description="预算账本、审查发现与分析的接口。Ledger, findings and analysis of government budgets. "
        "Every response is an envelope: {ok, data, meta} or {ok: false, error: {code, message, "
        "message_en, status}}; money is a decimal string.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service

    @app.exception_handler(ApiError)
    async def api_error(request: Request, err: ApiError) -> Response:
        return _handle(request, err)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"loc": [str(x) for x in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")}
            for e in exc.errors()
        ]
        fields = ", ".join(".".join(d["loc"][1:] or d["loc"]) for d in details)[:200]
        err = ApiError(422, "invalid_request", f"请求参数不合法：{fields}",
                       f"Invalid request parameters: {fields}", details=details)
        return _handle(request, err)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, zh, en = _HTTP_CODES.get(exc.status_code, ("http_error", "请求无法完成。", str(exc.detail)))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request.url.path))
        return _handle(request, ApiError(exc.status_code, code, zh, en, headers=headers))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        err = ApiError(500, "internal_error", "服务器内部错误，已记录。",
                       f"Internal server error ({type(exc).__name__}).")
        return error_response(err) if _is_api(request) else _html_error(request, err)

    app.include_router(api.router)
    app.include_router(web.router)
    for router in _cycle_routers():
        app.include_router(router)
    static = resources.files("yusuan.service") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(BodyLimit, limit=service.settings.max_upload)
    app.add_middleware(JsonTwin)
    return app
