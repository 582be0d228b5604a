"""Fixtures shared by the service tests (imported by test_service_*, test_api_*,
test_web_*, test_e2e_*), and the tests of the small helpers themselves.

Databases: SQLite in a temporary folder, and PostgreSQL when ``YUSUAN_TEST_PG``
names a server (a fresh database is created for each use and dropped after).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("argon2")

from fastapi.testclient import TestClient

from yusuan.service.app import create_app
from yusuan.service.auth import hash_password, set_kdf_cost
from yusuan.service.core import Settings
from yusuan.service.jobs import safe_name

PASSWORD = "correct-horse-1"
USERS = (("admin", "admin"), ("editor", "editor"), ("editor2", "editor"), ("reviewer", "reviewer"),
         ("viewer", "viewer"))
# Argon2 is slow on purpose; the tests hash and verify hundreds of passwords,
# so they use a cheap cost (the verify path and the hash format are the same).
set_kdf_cost(time_cost=1, memory_kib=1024, parallelism=1)
_HASH = hash_password(PASSWORD)


def pg_server() -> str | None:
    return os.environ.get("YUSUAN_TEST_PG") or None


@contextmanager
def fresh_database(kind: str, tmp: Path) -> Iterator[str]:
    """A database URL of ``kind`` ("sqlite" or "postgres") that nobody else uses."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'ledger.db'}"
        return
    server = pg_server()
    if not server:
        pytest.skip("YUSUAN_TEST_PG not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from yusuan.store import normalize_url

    base = make_url(normalize_url(server))
    name = "yusuan_svc_" + secrets.token_hex(6)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def make_app(db_url: str, **settings: Any) -> Any:
    app = create_app(db_url, settings=Settings(**settings))
    accounts = app.state.service.accounts
    for name, role in USERS:
        accounts.add_user(name, _HASH, role)
    return app


def login(client: Any, username: str) -> str:
    """Log ``client`` in through the API; returns the session's CSRF token."""
    r = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["data"]["csrf_token"])


def upload(client: Any, csrf: str, path: Path | None = None, *, data: bytes | None = None,
           name: str | None = None, wait: bool = True) -> Any:
    body = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
    return client.post(
        "/api/v1/documents", params={"wait": str(wait).lower()},
        files={"file": (name or (path.name if path else "upload.txt"), body, "text/plain")},
        headers={"X-CSRF-Token": csrf},
    )


def table_counts(app: Any) -> dict[str, int]:
    """Rows in every ledger table (to show that a refused request changed nothing)."""
    from sqlalchemy import func, select

    from yusuan.store.schema import (
        DocumentRow,
        FactRow,
        FindingRow,
        ParagraphRow,
        TableCellRow,
        TableRow,
    )

    out = {}
    with app.state.service.store.session() as s:
        for model in (DocumentRow, FactRow, TableRow, TableCellRow, ParagraphRow, FindingRow):
            out[model.__tablename__] = s.scalar(select(func.count()).select_from(model)) or 0
    return out


class LiveServer:
    """The app served by uvicorn on a loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Any]:
    with fresh_database("sqlite", tmp_path) as url:
        app = make_app(url)
        yield app
        app.state.service.close()


@pytest.fixture
def client(sqlite_app: Any) -> Iterator[TestClient]:
    with TestClient(sqlite_app) as c:
        yield c


# --------------------------------------------------------------------------- tests of helpers


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("报告.pdf", "报告.pdf"),
        ("", "upload"),
        ("..", "upload"),
        ("a\x00b<script>.txt", "abscript.txt"),
        ("/", "upload"),
    ],
)
def test_safe_name_keeps_only_a_plain_file_name(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_login_returns_a_csrf_token_and_sets_an_httponly_cookie(client: TestClient) -> None:
    r = client.post("/api/v1/session", json={"username": "viewer", "password": PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"].lower()
    assert ("httponly" in cookie, "samesite=lax" in cookie) == (True, True)
    assert len(r.json()["data"]["csrf_token"]) >= 32
