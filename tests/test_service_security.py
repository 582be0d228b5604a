"""Security: anonymous requests, roles, CSRF, injection, traversal, huge and
malformed uploads, the login rate limit and the audit log."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import seed
from tests.test_service_helpers import (
    PASSWORD,
    TestClient,
    fresh_database,
    login,
    make_app,
    table_counts,
    upload,
)
from yusuan.service import api, web

pytest_plugins = ("tests.test_service_helpers",)  # the client and sqlite_app fixtures

PUBLIC = {("GET", "/api/v1/health"), ("POST", "/api/v1/session"), ("GET", "/login"), ("POST", "/login")}
SAMPLE = {"doc_id": "a" * 64, "finding_id": "b" * 16, "job_id": "c" * 16, "code": "654202",
          "fmt": "csv"}


def all_routes() -> list[tuple[str, str]]:
    out = []
    for router in (api.router, web.router):
        for route in router.routes:
            for method in sorted(getattr(route, "methods", ()) or ()):
                if method == "HEAD":
                    continue
                path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], route.path)
                out.append((method, path))
    return out


def test_there_are_many_routes_to_check() -> None:
    assert len(all_routes()) >= 35


@pytest.mark.parametrize(("method", "path"), [r for r in all_routes() if r not in PUBLIC])
def test_every_non_public_route_refuses_an_anonymous_request(client: TestClient, method: str,
                                                             path: str) -> None:
    r = client.request(method, path, follow_redirects=False,
                       params={"government": "654202", "q": "x"} if method == "GET" else None)
    if path.startswith("/api/"):
        assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthenticated")
    else:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_json_twin_of_a_page_refuses_anonymous_with_the_envelope(client: TestClient) -> None:
    r = client.get("/governments.json")
    assert (r.status_code, r.json()["ok"], r.json()["error"]["status"]) == (401, False, 401)


def test_viewer_can_read_but_not_upload_or_judge(client: TestClient) -> None:
    csrf = login(client, "viewer")
    assert client.get("/api/v1/documents").status_code == 200
    r = upload(client, csrf, data=b"x" * 10, name="a.txt")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    r = client.post("/api/v1/findings/" + "b" * 16 + "/judgement", json={"status": "confirmed"},
                    headers={"X-CSRF-Token": csrf})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    r = client.post("/upload", files={"file": ("a.txt", b"abc")}, data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/admin/users", follow_redirects=False).status_code == 403


def test_editor_cannot_judge_and_reviewer_cannot_upload(client: TestClient) -> None:
    csrf = login(client, "editor")
    r = client.post("/api/v1/findings/" + "b" * 16 + "/judgement", json={"status": "confirmed"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403
    csrf = login(client, "reviewer")
    assert upload(client, csrf, data=b"abc", name="a.txt").status_code == 403


def test_unsafe_requests_without_the_csrf_token_are_refused(client: TestClient) -> None:
    csrf = login(client, "admin")
    before = table_counts(client.app)
    path = seed("000")
    r = client.post("/api/v1/documents", files={"file": (path.name, path.read_bytes())})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "csrf")
    r = client.post("/api/v1/documents", files={"file": (path.name, path.read_bytes())},
                    headers={"X-CSRF-Token": "forged-" + csrf[:10]})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "csrf")
    r = client.post("/upload", files={"file": (path.name, path.read_bytes())}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/api/v1/users", json={"username": "x", "password": PASSWORD, "role": "admin"})
    assert r.status_code == 403
    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 403
    assert table_counts(client.app) == before
    assert "x" not in [u.username for u in client.app.state.service.accounts.users()]


def test_the_login_form_needs_its_own_csrf_cookie(client: TestClient) -> None:
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "guess"},
                    follow_redirects=False)
    assert r.status_code == 403
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_login_redirects_only_to_local_paths(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token,
                                    "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_login_attempts_are_rate_limited(client: TestClient) -> None:
    codes = []
    for _ in range(7):
        r = client.post("/api/v1/session", json={"username": "viewer", "password": "wrong-password"})
        codes.append(r.status_code)
    assert codes == [401] * 5 + [429, 429]
    # even the right password waits until the window has passed
    r = client.post("/api/v1/session", json={"username": "viewer", "password": PASSWORD})
    assert (r.status_code, r.json()["error"]["code"]) == (429, "login.rate_limited")
    assert int(r.headers["retry-after"]) > 0
    # other users are not locked out by it
    assert client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize("attack", [
    "' OR '1'='1", "1; DROP TABLE facts; --", "乌苏市' UNION SELECT * FROM users --", "\\x00",
])
def test_sql_injection_in_filters_is_only_text(client: TestClient, attack: str) -> None:
    csrf = login(client, "editor")
    upload(client, csrf, data="乌苏市2024年一般公共预算收入100万元。".encode(), name="a.txt")
    before = table_counts(client.app)
    for path, params in (("/api/v1/facts", {"government": attack}),
                         ("/api/v1/facts", {"indicator": attack}),
                         ("/api/v1/documents", {"government": attack}),
                         ("/api/v1/search", {"q": attack})):
        r = client.get(path, params=params)
        assert (r.status_code, r.json()["ok"], r.json()["data"] if path != "/api/v1/search"
                else r.json()["data"]["hits"]) == (200, True, [])
    for path, params in (("/api/v1/facts", {"code": attack}), ("/api/v1/facts", {"stage": attack}),
                         ("/api/v1/findings", {"document": attack}),
                         ("/api/v1/aggregate", {"cut": f"stage:{attack}|year:2024"})):
        r = client.get(path, params=params)
        assert r.status_code in (200, 400, 422) and r.json()["ok"] is (r.status_code == 200)
    assert table_counts(client.app) == before
    assert len(client.app.state.service.accounts.users()) == 5


@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/documents/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/documents/..%2f..%2fetc%2fpasswd", "/static/..%5c..%5cetc%5cpasswd",
])
def test_path_traversal_is_refused(client: TestClient, path: str) -> None:
    login(client, "admin")
    r = client.get(path, follow_redirects=False)
    assert r.status_code in (400, 404, 422)
    assert "root:" not in r.text


def test_an_uploaded_file_name_cannot_escape(client: TestClient) -> None:
    csrf = login(client, "editor")
    r = upload(client, csrf, data="一般公共预算收入100万元。".encode(), name="../../../etc/cron.d/evil.txt")
    assert r.status_code == 201
    doc = client.get(f"/api/v1/documents/{r.json()['data']['document']}").json()["data"]
    assert doc["name"] == "evil.txt"


def test_a_huge_upload_is_refused_and_changes_nothing(tmp_path: Any) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        app = make_app(url, max_upload=1024 * 1024)
        with TestClient(app) as c:
            csrf = login(c, "editor")
            before = table_counts(app)
            r = upload(c, csrf, data=b"0" * (3 * 1024 * 1024), name="big.txt")
            assert (r.status_code, r.json()["error"]["code"]) == (413, "upload.too_large")
            # a file just over the cap inside the multipart envelope allowance
            r = upload(c, csrf, data=b"1" * (1024 * 1024 + 10), name="big2.txt")
            assert (r.status_code, r.json()["error"]["code"]) == (413, "upload.too_large")
            assert table_counts(app) == before
        app.state.service.close()


@pytest.mark.parametrize(("name", "body", "code"), [
    ("broken.pdf", b"%PDF-1.7\n garbage that is no pdf \x00\x01", "unreadable"),
    ("empty.txt", b"", "upload.empty"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unreadable"),
    ("broken.xlsx", b"PK\x03\x04not a zip", "unreadable"),
])
def test_a_malformed_upload_gets_a_clear_error_and_changes_nothing(
    client: TestClient, name: str, body: bytes, code: str
) -> None:
    csrf = login(client, "editor")
    before = table_counts(client.app)
    r = upload(client, csrf, data=body, name=name)
    err = r.json()["error"]
    assert (r.status_code in (400, 422), err["code"]) == (True, code)
    assert err["message"] and err["message_en"]
    assert table_counts(client.app) == before


def test_every_change_is_in_the_audit_log(client: TestClient) -> None:
    csrf = login(client, "editor")
    doc = upload(client, csrf, seed("000")).json()["data"]["document"]
    csrf = login(client, "reviewer")
    findings = client.get("/api/v1/findings", params={"document": doc}).json()["data"]
    fid = findings[0]["id"] if findings else None
    if fid:
        client.post(f"/api/v1/findings/{fid}/judgement", json={"status": "confirmed", "comment": "属实"},
                    headers={"X-CSRF-Token": csrf})
    log = [(e.username, e.action, e.target) for e in client.app.state.service.accounts.audit_log()]
    assert ("editor", "document.upload", doc) in log
    assert ("editor", "document.ingest", doc) in log
    assert ("editor", "login", "testclient") in log
    if fid:
        entry = next(e for e in client.app.state.service.accounts.audit_log() if e.action == "finding.judge")
        assert (entry.username, entry.target, entry.detail["status"], entry.detail["comment"]) == (
            "reviewer", fid, "confirmed", "属实")


def test_security_headers_are_set(client: TestClient) -> None:
    r = client.get("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert (r.headers["x-frame-options"], r.headers["x-content-type-options"]) == ("DENY", "nosniff")


def test_a_huge_upload_from_the_web_form_gets_a_page(tmp_path: Any) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        app = make_app(url, max_upload=1024 * 1024)
        with TestClient(app) as c:
            login(c, "editor")
            r = c.post("/upload", files={"file": ("big.txt", b"0" * (2 * 1024 * 1024))},
                       headers={"Accept": "text/html"})
            assert (r.status_code, "text/html" in r.headers["content-type"]) == (413, True)
            assert 'data-code="upload.too_large"' in r.text
        app.state.service.close()
