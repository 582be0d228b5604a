"""The envelope contract: one shape for every success and one for every error,
whatever raised it (our code, validation, routing, the upload cap, the rate
limit), on the API and on every page's JSON twin; money never a float."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_service_helpers import (
    PASSWORD,
    TestClient,
    fresh_database,
    login,
    make_app,
    upload,
)

pytest_plugins = ("tests.test_service_helpers",)  # the client and sqlite_app fixtures

SUCCESS_KEYS = {"ok", "data", "meta"}
ERROR_KEYS = {"code", "message", "message_en", "status"}


def assert_success(r: Any) -> Any:
    body = r.json()
    assert set(body) == SUCCESS_KEYS and body["ok"] is True and isinstance(body["meta"], dict)
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert_no_float(body)
    return body


def assert_error(r: Any, status: int, code: str) -> None:
    body = r.json()
    assert set(body) == {"ok", "error"} and body["ok"] is False
    err = body["error"]
    assert ERROR_KEYS <= set(err) <= ERROR_KEYS | {"details"}
    assert (err["status"], r.status_code, err["code"]) == (status, status, code)
    assert all(isinstance(err[k], str) and err[k] for k in ("code", "message", "message_en"))


def assert_no_float(value: Any) -> None:
    if isinstance(value, float):
        raise AssertionError(f"a float in a response: {value!r}")
    if isinstance(value, dict):
        for v in value.values():
            assert_no_float(v)
    elif isinstance(value, list):
        for v in value:
            assert_no_float(v)


def test_every_success_has_one_envelope(client: TestClient) -> None:
    csrf = login(client, "admin")
    r = upload(client, csrf, data="乌苏市2024年一般公共预算收入100.5万元，其中：税收收入60.25万元，非税收入40万元。".encode(),
               name="t.txt")
    body = assert_success(r)
    doc = body["data"]["document"]
    fact = assert_success(client.get("/api/v1/facts", params={"document": doc}))["data"][0]
    assert isinstance(fact["value"], str) and isinstance(fact["yuan"], str)
    for path, params in [
        ("/api/v1/health", None), ("/api/v1/session", None), ("/api/v1/documents", None),
        (f"/api/v1/documents/{doc}", None), (f"/api/v1/documents/{doc}/view", None),
        (f"/api/v1/documents/{doc}/tables", None), ("/api/v1/jobs", None), ("/api/v1/facts", None),
        ("/api/v1/findings", None), ("/api/v1/governments", None), ("/api/v1/codes", None),
        ("/api/v1/search", {"q": "税收"}), ("/api/v1/users", None), ("/api/v1/audit", None),
        ("/api/v1/aggregate", {"cut": "stage:budget|year:2024", "drilldown": "indicator"}),
        ("/index.json", None), ("/governments.json", None), ("/findings.json", None),
        ("/codes.json", None), ("/search.json", {"q": "税收"}), (f"/documents/{doc}.json", None),
        ("/admin/users.json", None), ("/admin/audit.json", None),
    ]:
        r = client.get(path, params=params)
        assert r.status_code == 200, (path, r.text)
        assert_success(r)


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("GET", "/api/v1/documents/" + "0" * 64, {}, 404, "not_found"),
    ("GET", "/api/v1/no-such-thing", {}, 404, "not_found"),
    ("GET", "/no-such-page.json", {}, 404, "not_found"),
    ("PUT", "/api/v1/documents", {}, 405, "method_not_allowed"),
    ("GET", "/api/v1/facts", {"params": {"year": "two thousand"}}, 422, "invalid_request"),
    ("GET", "/api/v1/facts", {"params": {"stage": "guess"}}, 422, "invalid_request"),
    ("GET", "/api/v1/aggregate", {"params": {"cut": "book:general"}}, 400, "aggregate.dimension_required"),
    ("GET", "/api/v1/aggregate", {"params": {"cut": "nonsense"}}, 400, "aggregate.bad_cut"),
    ("GET", "/api/v1/governments/000000", {}, 404, "not_found"),
    ("GET", "/governments/000000.json", {}, 404, "not_found"),
    ("POST", "/api/v1/findings/" + "a" * 16 + "/judgement", {"json": {"status": "confirmed"}}, 403, "csrf"),
    ("POST", "/api/v1/session", {"json": {"username": "admin"}}, 422, "invalid_request"),
])
def test_every_error_has_one_envelope(client: TestClient, method: str, path: str,
                                      kwargs: dict[str, Any], status: int, code: str) -> None:
    login(client, "admin")
    assert_error(client.request(method, path, **kwargs), status, code)


def test_anonymous_and_role_errors_have_the_envelope(client: TestClient) -> None:
    assert_error(client.get("/api/v1/facts"), 401, "unauthenticated")
    csrf = login(client, "viewer")
    assert_error(upload(client, csrf, data=b"abc", name="a.txt"), 403, "forbidden")


def test_rate_limit_and_upload_cap_have_the_envelope(tmp_path: Any) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        app = make_app(url, max_upload=1024 * 1024)
        with TestClient(app) as c:
            for _ in range(5):
                c.post("/api/v1/session", json={"username": "ghost", "password": "wrong-password"})
            assert_error(c.post("/api/v1/session", json={"username": "ghost", "password": PASSWORD}),
                         429, "login.rate_limited")
            csrf = login(c, "editor")
            assert_error(upload(c, csrf, data=b"x" * (2 * 1024 * 1024), name="big.txt"), 413,
                         "upload.too_large")
        app.state.service.close()


def test_an_unexpected_failure_is_a_500_in_the_envelope(client: TestClient, monkeypatch: Any) -> None:
    login(client, "admin")

    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(client.app.state.service, "governments", boom)
    with TestClient(client.app, raise_server_exceptions=False) as c:
        login(c, "admin")
        assert_error(c.get("/api/v1/governments"), 500, "internal_error")
