"""One JSON envelope for every answer, written by the project's one encoder.

Success: ``{"ok": true, "data": ..., "meta": {...}}``.
Error:   ``{"ok": false, "error": {"code", "message", "message_en", "status"}}``
(plus ``details`` for a request that failed validation).

``Decimal`` is always a string (``yusuan.model.serialize.dumps``); request
errors are raised as :class:`ApiError` and rendered here, while data
findings are returned as data (STYLE lessons 2 and 10).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from yusuan.model.serialize import dumps

JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """A request that cannot be served: its code, Chinese and English message, status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        message_en: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en or message)
        self.status = status
        self.code = code
        self.message = message
        self.message_en = message_en
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "status": self.status,
        }
        if self.details is not None:
            error["details"] = self.details
        return {"ok": False, "error": error}


# The errors every part of the service raises, in one place.
def not_found(what: str = "资源", what_en: str = "resource") -> ApiError:
    return ApiError(404, "not_found", f"未找到{what}。", f"{what_en} not found.")


def bad_request(code: str, message: str, message_en: str, details: Any = None) -> ApiError:
    return ApiError(400, code, message, message_en, details=details)


def unauthenticated() -> ApiError:
    return ApiError(401, "unauthenticated", "请先登录。", "Please log in.")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "您的角色无权执行此操作。", "Your role may not do this.")


def csrf_failed() -> ApiError:
    return ApiError(
        403, "csrf", "缺少或错误的 CSRF 令牌，请刷新页面后重试。",
        "Missing or wrong CSRF token; reload the page and try again.",
    )


class JSONResponse(Response):
    """A response encoded by :func:`yusuan.model.serialize.dumps` (Decimal as string)."""

    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return dumps(content, indent=None).encode("utf-8")


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None, **meta: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "data": data, "meta": meta}, status_code=status, headers=headers)


def error_response(err: ApiError) -> JSONResponse:
    return JSONResponse(err.body(), status_code=err.status, headers=err.headers)


# ---------------------------------------------------------------------------
# Schemas for the OpenAPI document (the encoder, not pydantic, writes bodies)


class ErrorBody(BaseModel):
    code: str
    message: str
    message_en: str
    status: int
    details: Any = None


class ErrorEnvelope(BaseModel):
    ok: bool
    error: ErrorBody


class Envelope(BaseModel):
    ok: bool
    data: Any = None
    meta: dict[str, Any] = {}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": text}
    for status, text in (
        (400, "Bad request"),
        (401, "Not logged in"),
        (403, "Forbidden (role or CSRF)"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "Upload too large"),
        (415, "Unsupported media type"),
        (422, "Invalid parameters"),
        (429, "Too many attempts"),
    )
}
