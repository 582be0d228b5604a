"""Who is asking and may they: the session cookie, roles, CSRF, the upload cap.

A request's user comes from the HttpOnly session cookie.  Every unsafe
request (POST, PUT, PATCH, DELETE) of a logged-in user must carry the
session's CSRF token, as the ``X-CSRF-Token`` header (API) or the
``csrf_token`` form field (web forms).  The login form, before any session
exists, uses a double-submit cookie.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yusuan.service.auth import SESSION_COOKIE, allowed, csrf_ok
from yusuan.service.envelope import (
    ApiError,
    JSONResponse,
    csrf_failed,
    forbidden,
    unauthenticated,
)
from yusuan.store.accounts import User

PRE_CSRF_COOKIE = "yusuan_login_csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def service_of(request: Request) -> Any:
    return request.app.state.service


def request_user(request: Request) -> tuple[User, str] | None:
    """The logged-in user and the session's CSRF token (cached on the request)."""
    if hasattr(request.state, "auth"):
        return request.state.auth  # type: ignore[no-any-return]
    token = request.cookies.get(SESSION_COOKIE)
    found = None
    if token and len(token) < 200:
        found = service_of(request).session_user(token)
    request.state.auth = found
    return found


async def given_csrf(request: Request) -> str | None:
    token = request.headers.get("x-csrf-token")
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def require(request: Request, permission: str = "read") -> User:
    """The user, when logged in and allowed ``permission``; CSRF checked on unsafe methods."""
    auth = request_user(request)
    if auth is None:
        raise unauthenticated()
    user, csrf = auth
    if request.method in UNSAFE and not csrf_ok(csrf, await given_csrf(request)):
        raise csrf_failed()
    if not allowed(user, permission):
        raise forbidden()
    return user


def reader(permission: str = "read") -> Any:
    async def dependency(request: Request) -> User:
        return await require(request, permission)

    return dependency


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413), counted as they stream in,
    so a huge upload is stopped before it fills the disk."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in UNSAFE:
            await self.app(scope, receive, send)
            return
        # room for the multipart envelope around the file itself
        limit = self.limit + 64 * 1024
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting, watch)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.limit // (1024 * 1024)
        err = ApiError(413, "upload.too_large", f"文件过大：上限为 {mb} MB。",
                       f"The file is too large: the limit is {mb} MB.")
        headers = dict(scope.get("headers") or [])
        accept = headers.get(b"accept", b"").decode("latin-1")
        response: Response
        if not scope["path"].startswith("/api/") and "text/html" in accept:
            response = HTMLResponse(
                '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/static/app.css">'
                f'<main><section class="card"><h1>413</h1><p class="error" data-code="{err.code}">'
                f'{err.message}<br>{err.message_en}</p><p><a href="/">返回 Back</a></p></section></main>',
                status_code=413, headers={"Connection": "close"})
        else:
            response = JSONResponse(err.body(), status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)
