"""Every endpoint of /api/v1, against a ledger holding seed 002 (乌苏市 2024 budget)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import seed
from tests.test_service_helpers import (
    PASSWORD,
    TestClient,
    fresh_database,
    login,
    make_app,
    upload,
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """An app with seed 002 uploaded (SQLite, and PostgreSQL when YUSUAN_TEST_PG
    is set), and the document's id."""
    path = seed("002")
    with fresh_database(request.param, tmp_path_factory.mktemp("api")) as url:
        app = make_app(url)
        with TestClient(app) as c:
            csrf = login(c, "editor")
            r = upload(c, csrf, path)
            assert r.status_code == 201, r.text
            doc = r.json()["data"]["document"]
        yield app, doc
        app.state.service.close()


@pytest.fixture
def api(loaded: tuple[Any, str]) -> Iterator[TestClient]:
    with TestClient(loaded[0]) as c:
        login(c, "admin")
        yield c


@pytest.fixture
def doc(loaded: tuple[Any, str]) -> str:
    return loaded[1]


def data(r: Any) -> Any:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    return body["data"]


def test_health_is_public(loaded: tuple[Any, str]) -> None:
    with TestClient(loaded[0]) as c:
        assert data(c.get("/api/v1/health"))["status"] == "ok"


def test_session_who_am_i_and_logout(loaded: tuple[Any, str]) -> None:
    with TestClient(loaded[0]) as c:
        csrf = login(c, "reviewer")
        me = data(c.get("/api/v1/session"))
        assert (me["user"]["username"], me["user"]["role"], me["csrf_token"]) == ("reviewer", "reviewer", csrf)
        assert c.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert c.get("/api/v1/session").status_code == 401


def test_wrong_password_is_401_with_the_login_code(loaded: tuple[Any, str]) -> None:
    with TestClient(loaded[0]) as c:
        r = c.post("/api/v1/session", json={"username": "viewer", "password": "nope-nope"})
        assert (r.status_code, r.json()["error"]["code"]) == (401, "login.failed")


def test_documents_list_filters_and_paginates(api: TestClient, doc: str) -> None:
    docs = data(api.get("/api/v1/documents"))
    assert [(d["id"], d["division"], d["kind"], d["year"]) for d in docs] == [
        (doc, "654202", "budget_report", 2024)]
    assert data(api.get("/api/v1/documents", params={"year": 2019})) == []
    assert len(data(api.get("/api/v1/documents", params={"government": "乌苏市"}))) == 1
    assert data(api.get("/api/v1/documents", params={"kind": "final_report"})) == []


def test_document_by_id_and_by_prefix(api: TestClient, doc: str) -> None:
    assert data(api.get(f"/api/v1/documents/{doc}"))["id"] == doc
    assert data(api.get(f"/api/v1/documents/{doc[:10]}"))["id"] == doc
    r = api.get("/api/v1/documents/" + "0" * 64)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")


def test_document_view_places_every_finding_and_marks_figures(api: TestClient, doc: str) -> None:
    view = data(api.get(f"/api/v1/documents/{doc}/view"))
    placed = [f["id"] for b in view["blocks"] for f in b["findings"]]
    placed += [f["id"] for f in view["unplaced_findings"]]
    findings = data(api.get("/api/v1/findings", params={"document": doc, "pagesize": 1000}))
    assert sorted(placed) == sorted(f["id"] for f in findings)
    kinds = {b["kind"] for b in view["blocks"]}
    assert kinds == {"paragraph", "table"}
    marked = [s for b in view["blocks"] if b["kind"] == "paragraph" for s in b["segments"] if s["fact"]]
    # a marked figure is the number itself: its text parses to the fact's printed value
    sample = marked[0]
    assert view["facts"][sample["fact"]]["value"] == sample["text"].replace(",", "")


def test_tables_of_a_document(api: TestClient, doc: str) -> None:
    tables = data(api.get(f"/api/v1/documents/{doc}/tables"))
    assert len(tables) >= 30
    assert all({"number", "title", "rows", "columns"} <= set(t) for t in tables)


def test_facts_filters_and_pagination(api: TestClient, doc: str) -> None:
    r = api.get("/api/v1/facts", params={"document": doc, "pagesize": 5, "page": 2})
    body = r.json()
    assert (len(body["data"]), body["meta"]["page"], body["meta"]["pagesize"]) == (5, 2, 5)
    assert body["meta"]["total"] > 1000
    budget = data(api.get("/api/v1/facts", params={"stage": "budget", "year": 2024, "pagesize": 1000}))
    assert budget and {(f["stage"], f["period"][:4]) for f in budget} == {("budget", "2024")}
    coded = data(api.get("/api/v1/facts", params={"code": "201*", "pagesize": 1000}))
    assert coded and all(f["code"].startswith("201") for f in coded)
    # money is a decimal string, never a float
    assert all(isinstance(f["value"], str) and isinstance(f["yuan"], str) for f in budget)


def test_findings_filters_and_one_finding(api: TestClient, doc: str) -> None:
    errors = data(api.get("/api/v1/findings", params={"severity": "error", "pagesize": 1000}))
    assert errors and {f["severity"] for f in errors} == {"error"}
    one = data(api.get(f"/api/v1/findings/{errors[0]['id']}"))
    assert (one["id"], one["document"], one["status"]) == (errors[0]["id"], doc, "open")
    ys2 = data(api.get("/api/v1/findings", params={"code": "YS2*", "pagesize": 1000}))
    assert ys2 and all(f["code"].startswith("YS2") for f in ys2)


def test_judgement_is_kept_and_reopen_clears_it(loaded: tuple[Any, str], doc: str) -> None:
    with TestClient(loaded[0]) as c:
        csrf = login(c, "reviewer")
        fid = data(c.get("/api/v1/findings", params={"status": "open"}))[0]["id"]
        r = c.post(f"/api/v1/findings/{fid}/judgement", json={"status": "dismissed", "comment": "表内口径不同"},
                   headers={"X-CSRF-Token": csrf})
        got = data(r)
        assert (got["status"], got["comment"], got["reviewed_by"]) == ("dismissed", "表内口径不同", "reviewer")
        again = data(c.get(f"/api/v1/findings/{fid}"))
        assert (again["status"], again["comment"]) == ("dismissed", "表内口径不同")
        dismissed = data(c.get("/api/v1/findings", params={"status": "dismissed"}))
        assert fid in [f["id"] for f in dismissed]
        reopened = data(c.post(f"/api/v1/findings/{fid}/judgement", json={"status": "open"},
                               headers={"X-CSRF-Token": csrf}))
        assert (reopened["status"], reopened["comment"]) == ("open", None)


def test_governments_and_the_government_page(api: TestClient) -> None:
    govs = data(api.get("/api/v1/governments"))
    assert [(g["code"], g["name"], g["documents"]) for g in govs] == [("654202", "乌苏市", 1)]
    page = data(api.get("/api/v1/governments/654202"))
    assert page["year"] == 2023  # the latest year with an outturn
    assert [b["book"] for b in page["books"]] == ["general", "fund", "capital", "social"]
    general = {(line["name"], line["scope"]): line for line in page["books"][0]["lines"]}
    line = general[("一般公共预算收入", "whole")]
    assert line["execution"]["wan"] == "139154"
    debt = {i["name"]: (i["balance"], i["limit"]) for i in page["charts"]["debt"]["items"]}
    assert debt["一般债务"] == ("248130", "288313")
    assert page["charts"]["composition"]["expenditure"]["tree"]
    assert {i["id"] for i in page["indicators"]} >= {"fiscal_self_sufficiency"}
    assert data(api.get("/api/v1/governments/654202", params={"year": 2024}))["year"] == 2024
    assert api.get("/api/v1/governments/999999").status_code == 404


def test_indicators_and_comparisons(api: TestClient) -> None:
    ind = data(api.get("/api/v1/indicators", params={"government": "654202", "year": 2023}))
    by_id = {(i["id"], i["scope"]): i for i in ind}
    # 财政自给率 = 139154 / 570600
    assert by_id[("fiscal_self_sufficiency", "whole")]["value"] == "24.39"
    comp = data(api.get("/api/v1/comparisons", params={"government": "654202"}))
    assert comp["government"]["code"] == "654202"
    assert isinstance(comp["years"], list) and isinstance(comp["peers"], list)


def test_aggregate_requires_stage_and_year(api: TestClient) -> None:
    r = api.get("/api/v1/aggregate", params={"drilldown": "code", "cut": "year:2024"})
    body = r.json()
    assert (r.status_code, body["error"]["code"], body["error"]["details"]["missing"]) == (
        400, "aggregate.dimension_required", ["stage"])


def test_aggregate_cuts_and_drills_down(api: TestClient) -> None:
    d = data(api.get("/api/v1/aggregate", params={"cut": "year:2024|stage:budget|book:general",
                                                  "drilldown": "code"}))
    assert d["drilldown"] == ["code", "period"]
    assert d["cut"]["level"] == "1" and d["cut"]["scope"] == "whole"
    assert all(len(c["code"]) == 3 for c in d["cells"])
    total = sum(int(c["amount"]) for c in d["cells"])
    assert d["summary"]["amount"] == str(total)
    by_stage = data(api.get("/api/v1/aggregate", params={"cut": "year:2023", "drilldown": "stage"}))
    assert by_stage["summary"] is None or len({c["stage"] for c in by_stage["cells"]}) <= 1
    bad = api.get("/api/v1/aggregate", params={"cut": "year:2024|stage:budget", "drilldown": "colour"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "aggregate.bad_drilldown")


def test_codes_browse_from_class_to_item(api: TestClient) -> None:
    root = data(api.get("/api/v1/codes", params={"year": 2024}))
    assert root["current"] is None and "201" in [c["code"] for c in root["children"]]
    kuan = data(api.get("/api/v1/codes", params={"year": 2024, "parent": "201"}))
    assert kuan["current"]["code"] == "201" and all(len(c["code"]) == 5 for c in kuan["children"])
    xiang = data(api.get("/api/v1/codes", params={"year": 2024, "parent": kuan["children"][0]["code"]}))
    assert [t["code"] for t in xiang["trail"]] == ["201", kuan["children"][0]["code"]]
    assert all(len(c["code"]) == 7 for c in xiang["children"])


def test_search_finds_paragraphs(api: TestClient, doc: str) -> None:
    r = api.get("/api/v1/search", params={"q": "乡村振兴"})
    d = data(r)
    assert d["total"] > 0 and d["hits"][0]["document"] == doc
    assert any(run["hit"] and run["text"] == "乡村振兴" for run in d["hits"][0]["snippet"])
    # LIKE wildcards are matched as text: "%_" is printed nowhere
    assert data(api.get("/api/v1/search", params={"q": "%_"}))["total"] == 0


def test_jobs_list_and_unknown_job(api: TestClient) -> None:
    jobs = data(api.get("/api/v1/jobs"))
    assert jobs and jobs[0]["state"] == "done"
    one = data(api.get(f"/api/v1/jobs/{jobs[0]['id']}"))
    assert one["progress"] == 100
    assert api.get("/api/v1/jobs/" + "0" * 16).status_code == 404


def test_downloads_csv_with_bom_excel_and_json(api: TestClient, doc: str) -> None:
    r = api.get("/api/v1/downloads/facts.csv", params={"document": doc, "stage": "budget"})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {row["stage"] for row in rows} == {"budget"}
    j = api.get("/api/v1/downloads/facts.json", params={"document": doc, "stage": "budget"})
    assert len(json.loads(j.content)) == len(rows)
    x = api.get("/api/v1/downloads/facts.xlsx", params={"document": doc, "stage": "budget"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws.max_row == len(rows) + 1


def test_findings_download_keeps_judgements(api: TestClient, doc: str) -> None:
    r = api.get("/api/v1/downloads/findings.csv", params={"document": doc})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    listed = data(api.get("/api/v1/findings", params={"document": doc, "pagesize": 1000}))
    assert [(row["id"], row["code"], row["status"]) for row in rows] == [
        (f["id"], f["code"], f["status"]) for f in listed]
    assert len(json.loads(api.get("/api/v1/downloads/findings.json", params={"document": doc}).content)) == len(rows)
    from openpyxl import load_workbook

    x = api.get("/api/v1/downloads/findings.xlsx", params={"document": doc})
    assert load_workbook(io.BytesIO(x.content)).active.max_row == len(rows) + 1


def test_users_and_audit_for_admin(loaded: tuple[Any, str]) -> None:
    with TestClient(loaded[0]) as c:
        csrf = login(c, "admin")
        r = c.post("/api/v1/users", json={"username": "analyst", "password": PASSWORD, "role": "viewer"},
                   headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201
        dup = c.post("/api/v1/users", json={"username": "analyst", "password": PASSWORD, "role": "viewer"},
                     headers={"X-CSRF-Token": csrf})
        assert (dup.status_code, dup.json()["error"]["code"]) == (409, "user.exists")
        assert "analyst" in [u["username"] for u in data(c.get("/api/v1/users"))]
        actions = [(e["username"], e["action"], e["target"]) for e in data(c.get("/api/v1/audit"))]
        assert ("admin", "user.add", "analyst") in actions
        assert any(a[1] == "document.ingest" and a[0] == "editor" for a in actions)


def test_delete_document_needs_edit_and_removes_it(tmp_path: Any) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        app = make_app(url)
        with TestClient(app) as c:
            csrf = login(c, "editor")
            doc = upload(c, csrf, data="一般公共预算收入100万元。".encode(), name="x.txt").json()["data"]["document"]
            assert c.delete(f"/api/v1/documents/{doc}", headers={"X-CSRF-Token": csrf}).status_code == 200
            assert c.get(f"/api/v1/documents/{doc}").status_code == 404
        app.state.service.close()
