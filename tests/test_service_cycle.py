"""The budget cycle over the service: /api/v1/cycle and the /cycle pages, with roles and CSRF.

A small budget of 乌苏市 (654202) for 2024, made through the API itself:
a draft of three lines (教育 1,000,000.00, 卫生 500,000.00, 三公 公务接待费
20,000.00), approved by a reviewer, paid by an editor; then an adjustment, a
reallocation, the debt register, a transfer allocated by factors, 三保/三公 and
performance targets.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.test_service_helpers import TestClient, fresh_database, login, make_app
from yusuan.service.app import create_app

GOV = "654202"
DRAFT_LINES = [
    {"department": "教育局", "func_code": "2050201", "amount": "1000000.00", "name": "学前教育"},
    {"department": "卫健委", "func_code": "2100101", "amount": "500000.00", "name": "行政运行"},
    {"department": "办公室", "func_code": "2010301", "econ_code": "30217", "amount": "20000.00",
     "name": "公务接待费", "sangong": "reception"},
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated SQLite ledger with the test accounts, made once and copied for each test."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("cycle")) as url:
        made = make_app(url)
        made.state.service.close()
        yield Path(url.removeprefix("sqlite:///"))


def _copy(template: Path, folder: Path) -> Any:
    for suffix in ("", "-wal", "-shm"):
        if Path(str(template) + suffix).exists():
            shutil.copy(str(template) + suffix, str(folder / "ledger.db") + suffix)
    return create_app(f"sqlite:///{folder / 'ledger.db'}")


def _close(application: Any) -> None:
    cycle_db = getattr(application.state, "cycle_db", None)
    if cycle_db is not None:
        cycle_db.close()
    application.state.service.close()


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[Any]:
    application = _copy(template, tmp_path)
    yield application
    _close(application)


@pytest.fixture(scope="module")
def shared_app(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app for the tests that change nothing."""
    application = _copy(template, tmp_path_factory.mktemp("shared"))
    yield application
    _close(application)


class As:
    """A logged-in client of one role with its CSRF token."""

    def __init__(self, app: Any, username: str) -> None:
        self.client = TestClient(app)
        self.csrf = login(self.client, username)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, body: Any = None, *, csrf: bool = True) -> Any:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.client.post(path, json=body if body is not None else {}, headers=headers)


def data(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is True
    return body["data"]


def error(r: Any) -> tuple[int, str]:
    body = r.json()
    assert body["ok"] is False
    return r.status_code, body["error"]["code"]


class Roles(dict[str, As]):
    """Clients by user name, logged in on first use."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, username: str) -> As:
        self[username] = As(self.app, username)
        return self[username]


@pytest.fixture
def roles(app: Any) -> dict[str, As]:
    return Roles(app)


@pytest.fixture
def budget(roles: dict[str, As]) -> dict[str, Any]:
    """An approved 2024 budget; returns the version and the indicators by function code."""
    ed, rv = roles["editor"], roles["reviewer"]
    v = data(ed.post("/api/v1/cycle/versions", {"kind": "draft", "government": GOV, "year": 2024,
                                                "lines": DRAFT_LINES}), 201)
    vid = v["version"]["id"]
    data(rv.post(f"/api/v1/cycle/versions/{vid}/approval",
                 {"on_date": "2024-01-20", "session": "乌苏市第十八届人民代表大会第四次会议"}))
    inds = data(ed.get("/api/v1/cycle/indicators", params={"government": GOV, "year": 2024}))
    return {"version": vid, "ind": {i["func_code"]: i for i in inds}}


# --------------------------------------------------------------------------- roles and CSRF


def test_anonymous_is_refused_everywhere(app: Any) -> None:
    c = TestClient(app)
    assert error(c.get("/api/v1/cycle/indicators", params={"government": GOV, "year": 2024})) == (
        401, "unauthenticated")
    assert error(c.post("/api/v1/cycle/indicators/1/payments",
                        json={"amount": "1.00", "on_date": "2024-02-01"})) == (401, "unauthenticated")
    r = c.get("/cycle/indicators", follow_redirects=False)
    assert (r.status_code, r.headers["location"].startswith("/login")) == (303, True)


def _cycle_routes() -> list[tuple[str, str]]:
    from yusuan.service import cycle_api, cycle_web

    sample = {"government": GOV, "code": "P1"}
    out = []
    for router in (cycle_api.router, cycle_web.router):
        for route in router.routes:
            for method in sorted(set(getattr(route, "methods", ()) or ()) - {"HEAD"}):
                out.append((method, re.sub(r"\{(\w+)\}", lambda m: sample.get(m.group(1), "1"),
                                           route.path)))
    return out


def test_there_are_many_cycle_routes() -> None:
    assert len(_cycle_routes()) >= 45


@pytest.mark.parametrize(("method", "path"), _cycle_routes())
def test_every_cycle_route_refuses_an_anonymous_request(shared_app: Any, method: str, path: str) -> None:
    r = TestClient(shared_app).request(method, path, follow_redirects=False)
    if path.startswith("/api/"):
        assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthenticated")
    else:
        assert (r.status_code, r.headers["location"].startswith("/login?next=")) == (303, True)


def test_draft_and_approval_make_indicators(roles: dict[str, As], budget: dict[str, Any]) -> None:
    ind = budget["ind"]
    assert sorted((i["func_code"], i["budget"], i["paid"], i["available"]) for i in ind.values()) == [
        ("2010301", "20000.00", "0.00", "20000.00"),
        ("2050201", "1000000.00", "0.00", "1000000.00"),
        ("2100101", "500000.00", "0.00", "500000.00"),
    ]
    v = data(roles["viewer"].get(f"/api/v1/cycle/versions/{budget['version']}"))
    assert (v["version"]["status"], v["version"]["total"], v["version"]["session"], len(v["lines"]),
            v["pending"]) == ("approved", "1520000.00", "乌苏市第十八届人民代表大会第四次会议", 3, False)


def test_viewer_cannot_pay_and_editor_cannot_approve(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    pay = {"amount": "100.00", "on_date": "2024-02-01"}
    assert error(roles["viewer"].post(f"/api/v1/cycle/indicators/{edu}/payments", pay)) == (
        403, "forbidden")
    assert error(roles["reviewer"].post(f"/api/v1/cycle/indicators/{edu}/payments", pay)) == (
        403, "forbidden")
    adj = data(roles["editor"].post("/api/v1/cycle/versions", {
        "kind": "adjustment", "government": GOV, "year": 2024,
        "lines": [{"department": "教育局", "func_code": "2050201", "amount": "1200000.00"}]}), 201)
    vid = adj["version"]["id"]
    approval = {"on_date": "2024-06-30", "session": "常委会第二十次会议"}
    assert error(roles["editor"].post(f"/api/v1/cycle/versions/{vid}/approval", approval)) == (
        403, "forbidden")
    assert error(roles["viewer"].post(f"/api/v1/cycle/versions/{vid}/approval", approval)) == (
        403, "forbidden")
    # nothing moved
    assert data(roles["viewer"].get(f"/api/v1/cycle/versions/{vid}"))["version"]["status"] == "draft"


def test_missing_csrf_is_refused_and_changes_nothing(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    r = roles["editor"].post(f"/api/v1/cycle/indicators/{edu}/payments",
                             {"amount": "100.00", "on_date": "2024-02-01"}, csrf=False)
    assert error(r) == (403, "csrf")
    assert data(roles["editor"].get(f"/api/v1/cycle/indicators/{edu}"))["journal"][-1]["kind"] == "allocation"


# --------------------------------------------------------------------------- payments


def test_payment_then_balance_and_history(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    p = data(roles["editor"].post(f"/api/v1/cycle/indicators/{edu}/payments", {
        "amount": "250000.50", "on_date": "2024-03-05", "payee": "第一幼儿园", "memo": "设备"}), 201)
    assert (p["amount"], p["available_after"], p["notices"]) == ("250000.50", "749999.50", [])
    view = data(roles["viewer"].get(f"/api/v1/cycle/indicators/{edu}", params={"at": "2024-02-01"}))
    assert (view["indicator"]["paid"], view["indicator"]["available"]) == ("250000.50", "749999.50")
    assert [(e["kind"], e["budget_delta"], e["paid_delta"], e["available_after"], e["actor"])
            for e in view["journal"]] == [
        ("allocation", "1000000.00", "0.00", "1000000.00", "reviewer"),
        ("payment", "0.00", "250000.50", "749999.50", "editor"),
    ]
    assert view["at"] == {"date": "2024-02-01", "budget": "1000000.00", "paid": "0.00",
                          "available": "1000000.00"}
    audit = data(roles["admin"].get("/api/v1/audit"))
    assert [(e["username"], e["action"], e["target"]) for e in audit if e["action"].startswith("cycle.")] == [
        ("editor", "cycle.pay", str(edu)), ("reviewer", "cycle.version.approve", str(budget["version"])),
        ("editor", "cycle.version.draft", str(budget["version"]))]
    page = roles["viewer"].get(f"/api/v1/cycle/indicators/{edu}/journal",
                               params={"page": 2, "pagesize": 1}).json()
    assert ([e["kind"] for e in page["data"]], page["meta"]) == (
        ["payment"], {"page": 2, "pagesize": 1, "total": 2})


def test_payment_beyond_balance_is_the_refusal_envelope(roles: dict[str, As], budget: dict[str, Any]) -> None:
    health = budget["ind"]["2100101"]["id"]
    r = roles["editor"].post(f"/api/v1/cycle/indicators/{health}/payments",
                             {"amount": "500000.01", "on_date": "2024-02-01"})
    body = r.json()["error"]
    assert (r.status_code, body["code"], body["details"]["facts"]["available"],
            body["details"]["facts"]["requested"]) == (
        409, "cycle.pay.insufficient", "500000.00", "500000.01")
    assert body["message"].startswith("预算指标可用余额不足") and body["message_en"]
    assert data(roles["editor"].get(f"/api/v1/cycle/indicators/{health}"))["indicator"]["paid"] == "0.00"


@pytest.mark.parametrize(("amount", "status", "code"), [
    ("0.001", 422, "invalid_request"),  # finer than a fen: refused by the schema
    (12.5, 422, "invalid_request"),  # a float is never money
    ("-5", 422, "cycle.pay.amount"),
])
def test_bad_amounts(roles: dict[str, As], budget: dict[str, Any], amount: Any, status: int, code: str) -> None:
    edu = budget["ind"]["2050201"]["id"]
    r = roles["editor"].post(f"/api/v1/cycle/indicators/{edu}/payments",
                             {"amount": amount, "on_date": "2024-02-01"})
    assert error(r) == (status, code)


def test_unknown_indicator_is_404_with_its_code(roles: dict[str, As]) -> None:
    assert error(roles["viewer"].get("/api/v1/cycle/indicators/999")) == (404, "cycle.indicator.unknown")
    assert error(roles["editor"].post("/api/v1/cycle/indicators/999/payments",
                                      {"amount": "1", "on_date": "2024-02-01"})) == (
        404, "cycle.indicator.unknown")


def test_reversal_once_only(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    ed = roles["editor"]
    p = data(ed.post(f"/api/v1/cycle/indicators/{edu}/payments",
                     {"amount": "100.00", "on_date": "2024-02-01"}), 201)
    assert error(roles["viewer"].post(f"/api/v1/cycle/entries/{p['entry_id']}/reversal",
                                      {"on_date": "2024-02-02"})) == (403, "forbidden")
    rev = data(ed.post(f"/api/v1/cycle/entries/{p['entry_id']}/reversal", {"on_date": "2024-02-02"}), 201)
    assert rev["reverses"] == p["entry_id"]
    assert error(ed.post(f"/api/v1/cycle/entries/{p['entry_id']}/reversal",
                         {"on_date": "2024-02-03"})) == (409, "cycle.reverse.twice")
    view = data(ed.get(f"/api/v1/cycle/indicators/{edu}"))
    assert (view["indicator"]["paid"], [e["reversed"] for e in view["journal"]]) == (
        "0.00", [False, True, False])
    rec = data(ed.get("/api/v1/cycle/reconciliation"))
    assert (rec["ok"], rec["mismatches"], rec["broken_entries"]) == (True, [], [])


def test_indicator_list_paginates(roles: dict[str, As], budget: dict[str, Any]) -> None:
    r = roles["viewer"].get("/api/v1/cycle/indicators",
                            params={"government": GOV, "year": 2024, "pagesize": 2, "page": 2}).json()
    # listed by id: the smallest increase was allocated first
    assert ([i["func_code"] for i in r["data"]], r["meta"]["total"]) == (["2050201"], 3)
    assert data(roles["viewer"].get("/api/v1/cycle/ledgers")) == [{"government": GOV, "year": 2024}]


# --------------------------------------------------------------------------- versions


def test_adjustment_approval_diff_and_stale_refusal(roles: dict[str, As], budget: dict[str, Any]) -> None:
    ed, rv = roles["editor"], roles["reviewer"]
    adj = data(ed.post("/api/v1/cycle/versions", {
        "kind": "adjustment", "government": GOV, "year": 2024,
        "lines": [{"department": "教育局", "func_code": "2050201", "amount": "1200000.00"}]}), 201)
    vid = adj["version"]["id"]
    assert [(c["func_code"], c["before"], c["after"], c["change"]) for c in adj["changes"]] == [
        ("2050201", "1000000.00", "1200000.00", "200000.00")]
    assert error(rv.post(f"/api/v1/cycle/versions/{vid}/approval", {"on_date": "2024-06-30"})) == (
        409, "cycle.version.session")
    ok = data(rv.post(f"/api/v1/cycle/versions/{vid}/approval",
                      {"on_date": "2024-06-30", "session": "常委会第二十次会议"}))
    assert (ok["version"]["status"], len(ok["entries"])) == ("approved", 1)
    assert error(rv.post(f"/api/v1/cycle/versions/{vid}/approval",
                         {"on_date": "2024-07-01", "session": "x"})) == (409, "cycle.version.not_pending")
    d = data(roles["viewer"].get(f"/api/v1/cycle/versions/{vid}/diff",
                                 params={"against": budget["version"]}))
    assert (d["net_change"], d["a"]["total"], d["b"]["total"]) == ("200000.00", "1520000.00", "1720000.00")
    listed = data(roles["viewer"].get("/api/v1/cycle/versions", params={"government": GOV, "year": 2024}))
    assert [(v["kind"], v["status"], v["total"]) for v in listed] == [
        ("draft", "approved", "1520000.00"), ("adjustment", "approved", "1720000.00")]
    assert error(roles["viewer"].get(f"/api/v1/cycle/versions/{budget['version']}/diff")) == (
        422, "cycle.version.no_base")
    again = ed.post("/api/v1/cycle/versions", {"kind": "draft", "government": GOV, "year": 2024,
                                               "lines": DRAFT_LINES})
    assert error(again) == (409, "cycle.version.already_approved")


def test_reject_a_pending_version(roles: dict[str, As], budget: dict[str, Any]) -> None:
    adj = data(roles["editor"].post("/api/v1/cycle/versions", {
        "kind": "adjustment", "government": GOV, "year": 2024,
        "lines": [{"department": "卫健委", "func_code": "2100101", "amount": "1.00"}]}), 201)
    vid = adj["version"]["id"]
    assert error(roles["editor"].post(f"/api/v1/cycle/versions/{vid}/rejection", {})) == (403, "forbidden")
    r = data(roles["reviewer"].post(f"/api/v1/cycle/versions/{vid}/rejection", {"note": "依据不足"}))
    assert (r["version"]["status"], r["version"]["note"]) == ("rejected", "依据不足")


def test_reallocation_pending_then_approved_and_sangong_refused(
        roles: dict[str, As], budget: dict[str, Any]) -> None:
    ed, rv = roles["editor"], roles["reviewer"]
    move = {"source": {"department": "教育局", "func_code": "2050201"},
            "target": {"department": "卫健委", "func_code": "2100101"}, "amount": "30000.00"}
    body = {"government": GOV, "year": 2024, "on_date": "2024-05-01", "moves": [move]}
    assert error(ed.post("/api/v1/cycle/reallocations", {**body, "approve_now": True})) == (
        403, "forbidden")
    v = data(ed.post("/api/v1/cycle/reallocations", body), 201)
    assert (v["version"]["kind"], v["version"]["status"], v["version"]["total"]) == (
        "reallocation", "draft", "1520000.00")
    data(rv.post(f"/api/v1/cycle/versions/{v['version']['id']}/approval", {"on_date": "2024-05-02"}))
    inds = {i["func_code"]: i["budget"] for i in data(rv.get(
        "/api/v1/cycle/indicators", params={"government": GOV, "year": 2024}))}
    assert (inds["2050201"], inds["2100101"]) == ("970000.00", "530000.00")
    into_sangong = {**move, "target": {"department": "办公室", "func_code": "2010301",
                                       "econ_code": "30217"}}
    r = ed.post("/api/v1/cycle/reallocations", {**body, "moves": [into_sangong], "on_date": "2024-05-03"})
    assert error(r) == (409, "cycle.realloc.sangong")
    back = {**move, "source": move["target"], "target": move["source"], "amount": "10000.00"}
    now = data(roles["admin"].post("/api/v1/cycle/reallocations", {
        **body, "moves": [back], "on_date": "2024-05-04", "approve_now": True}), 201)
    assert (now["version"]["status"], sorted((c["func_code"], c["change"]) for c in now["changes"])) == (
        "approved", [("2050201", "10000.00"), ("2100101", "-10000.00")])


def test_close_year_makes_final_accounts(roles: dict[str, As], budget: dict[str, Any]) -> None:
    ed = roles["editor"]
    edu = budget["ind"]["2050201"]["id"]
    data(ed.post(f"/api/v1/cycle/indicators/{edu}/payments", {"amount": "900000", "on_date": "2024-11-01"}), 201)
    final = data(ed.post("/api/v1/cycle/closings", {"government": GOV, "year": 2024,
                                                    "on_date": "2024-12-31"}), 201)
    assert (final["version"]["kind"], final["version"]["total"]) == ("final", "900000.00")
    assert error(ed.post(f"/api/v1/cycle/indicators/{edu}/payments",
                         {"amount": "1", "on_date": "2024-12-31"})) == (409, "cycle.indicator.closed")


# --------------------------------------------------------------------------- projects


def test_project_library_and_review_needs_a_reviewer(roles: dict[str, As]) -> None:
    ed, rv = roles["editor"], roles["reviewer"]
    p = data(ed.post("/api/v1/cycle/projects", {
        "government": GOV, "code": "P2024-001", "name": "第二中学教学楼", "department": "教育局",
        "total": "12000000", "on_date": "2023-09-01"}), 201)
    assert (p["status"], p["status_zh"], p["total"]) == ("proposed", "申报", "12000000.00")
    path = f"/api/v1/cycle/projects/{GOV}/P2024-001"
    assert error(ed.post(path + "/transition", {"to_status": "reviewed", "on_date": "2023-10-01"})) == (
        403, "forbidden")
    assert data(rv.post(path + "/transition", {"to_status": "reviewed", "on_date": "2023-10-01"}))[
        "status"] == "reviewed"
    assert error(ed.post(path + "/transition", {"to_status": "completed", "on_date": "2023-10-02"})) == (
        409, "cycle.project.transition")
    got = data(roles["viewer"].get(path))
    assert ([(e["from"], e["to"]) for e in got["events"]], got["next"]) == (
        [(None, "proposed"), ("proposed", "reviewed")], ["in_budget", "withdrawn"])
    page = roles["viewer"].get("/cycle/projects", params={"government": GOV})
    assert (page.status_code, "第二中学教学楼" in page.text, "评审入库" in page.text) == (200, True, True)
    listed = data(roles["viewer"].get("/api/v1/cycle/projects", params={"government": GOV,
                                                                         "status": "reviewed"}))
    assert [x["code"] for x in listed] == ["P2024-001"]
    assert error(roles["viewer"].get(f"/api/v1/cycle/projects/{GOV}/NOPE")) == (404, "cycle.project.unknown")


# --------------------------------------------------------------------------- debt


def test_debt_register_limit_bonds_and_over_limit(roles: dict[str, As]) -> None:
    ed, vw = roles["editor"], roles["viewer"]
    assert error(vw.post("/api/v1/cycle/debt/limits", {"government": GOV, "year": 2024,
                                                        "kind": "general", "limit": "100"})) == (403, "forbidden")
    data(ed.post("/api/v1/cycle/debt/limits", {"government": GOV, "year": 2024, "kind": "general",
                                               "limit": "50000000"}))
    data(ed.post("/api/v1/cycle/debt/limits", {"government": GOV, "year": 2024, "kind": "special",
                                               "limit": "80000000", "new_limit": "30000000"}))
    bond = data(ed.post("/api/v1/cycle/debt/bonds", {
        "government": GOV, "code": "2024-SP-01", "kind": "special", "amount": "20000000",
        "term_years": 10, "rate": "2.35", "issue_date": "2024-04-10"}), 201)
    assert (bond["bond"]["kind_zh"], len(bond["schedule"]), bond["schedule"][0]["interest"]) == (
        "专项债务", 10, "470000.00")
    over = ed.post("/api/v1/cycle/debt/bonds", {
        "government": GOV, "code": "2024-SP-02", "kind": "special", "amount": "15000000",
        "term_years": 5, "rate": "2.2", "issue_date": "2024-05-10"})
    assert error(over) == (409, "cycle.debt.over_new_limit")
    status = data(vw.get("/api/v1/cycle/debt", params={"government": GOV, "at": "2024-06-30",
                                                       "resources": "100000000"}))
    assert [(k["kind"], k["limit"], k["balance"], k["headroom"], k["usage_pct"]) for k in status["kinds"]] == [
        ("general", "50000000.00", "0.00", "50000000.00", "0.00"),
        ("special", "80000000.00", "20000000.00", "60000000.00", "25.00")]
    ind = status["indicators"]
    assert (ind["limit"], ind["balance"], ind["limit_usage_pct"], ind["debt_ratio_pct"], ind["band"]) == (
        "130000000.00", "20000000.00", "15.38", "20.00", "green")
    bonds = data(vw.get("/api/v1/cycle/debt/bonds", params={"government": GOV}))
    one = data(vw.get(f"/api/v1/cycle/debt/bonds/{bonds[0]['id']}", params={"government": GOV}))
    first = one["schedule"][0]["id"]
    data(ed.post(f"/api/v1/cycle/debt/repayments/{first}", {"on_date": "2025-04-10"}))
    assert error(ed.post(f"/api/v1/cycle/debt/repayments/{first}", {"on_date": "2025-04-11"})) == (
        409, "cycle.debt.repaid")


# --------------------------------------------------------------------------- transfers


def test_transfer_allocated_by_factors_with_the_working(roles: dict[str, As]) -> None:
    ed = roles["editor"]
    t = data(ed.post("/api/v1/cycle/transfers", {
        "government": GOV, "year": 2024, "name": "衔接推进乡村振兴补助资金", "total": "1000000",
        "received_on": "2024-03-01", "deadline_days": 5}), 201)
    far = ed.post("/api/v1/cycle/transfers", {"government": GOV, "year": 2024, "name": "x", "total": "1",
                                              "received_on": "9999-12-30"})
    assert error(far) == (422, "invalid_request")
    factors = [{"name": "人口", "weight": "0.6"}, {"name": "收入", "weight": "0.4", "inverse": True}]
    body = {"factors": factors, "quantum": "10000",
            "data": {"甲镇": {"人口": "3000", "收入": "10000"}, "乙镇": {"人口": "1000", "收入": "20000"}}}
    assert error(roles["viewer"].post(f"/api/v1/cycle/transfers/{t['id']}/allocation", body)) == (
        403, "forbidden")
    a = data(ed.post(f"/api/v1/cycle/transfers/{t['id']}/allocation", body))
    # 甲: 0.6×0.75 + 0.4×(2/3) = 0.716666…; 716,666.67 → 710,000 + the largest remainder 10,000
    assert [(r["recipient"], r["floor"], r["bonus"], r["amount"]) for r in a["rows"]] == [
        ("甲镇", "710000", True, "720000"), ("乙镇", "280000", False, "280000")]
    assert (a["sum"], a["rows"][0]["weighted_share"], len(a["explain"])) == ("1000000", "0.7166666667", 5)
    bad = {**body, "factors": [{"name": "人口", "weight": "0.5"}, {"name": "收入", "weight": "0.4"}]}
    assert error(ed.post(f"/api/v1/cycle/transfers/{t['id']}/allocation", bad)) == (
        422, "cycle.factor.weights")
    overdue = data(roles["viewer"].get("/api/v1/cycle/transfers/overdue",
                                       params={"government": GOV, "year": 2024, "today": "2024-03-10"}))
    assert [(x["id"], x["overdue_days"]) for x in overdue] == [(t["id"], 4)]
    passed = data(ed.post(f"/api/v1/cycle/transfers/{t['id']}/pass", {"on_date": "2024-03-08"}))
    assert (passed["late_days"], passed["passed_on"]) == (2, "2024-03-08")
    got = data(roles["viewer"].get(f"/api/v1/cycle/transfers/{t['id']}"))
    assert got["shares"] == [{"recipient": "甲镇", "amount": "720000.00"},
                             {"recipient": "乙镇", "amount": "280000.00"}]
    assert len(data(roles["viewer"].get("/api/v1/cycle/transfers",
                                        params={"government": GOV, "year": 2024}))) == 1
    page = roles["viewer"].get("/cycle/transfers", params={"government": GOV, "year": 2024})
    assert (page.status_code, "720,000.00" in page.text, "最大余数法" in page.text) == (200, True, True)
    twin = data(roles["viewer"].get("/cycle/transfers.json", params={"government": GOV, "year": 2024}))
    assert [(x["name"], x["overdue_days"]) for x in twin["transfers"]] == [("衔接推进乡村振兴补助资金", 2)]


# --------------------------------------------------------------------------- controls, performance


def test_sanbao_and_sangong(roles: dict[str, As], budget: dict[str, Any]) -> None:
    ed, rv = roles["editor"], roles["reviewer"]
    last = data(ed.post("/api/v1/cycle/versions", {"kind": "draft", "government": GOV, "year": 2023, "lines": [
        {"department": "办公室", "func_code": "2010301", "econ_code": "30217", "amount": "25000.00",
         "sangong": "reception"},
        {"department": "人社局", "func_code": "2080501", "amount": "300000", "sanbao": "wages",
         "required": "360000"}]}), 201)
    data(rv.post(f"/api/v1/cycle/versions/{last['version']['id']}/approval",
                 {"on_date": "2023-01-20", "session": "人代会"}))
    sg = data(roles["viewer"].get("/api/v1/cycle/controls/sangong", params={"government": GOV, "year": 2024}))
    assert ([(r["item"], r["last"], r["this"], r["pct"]) for r in sg["rows"]], sg["only_decrease"]) == (
        [("reception", "25000.00", "20000.00", "-20.00"), ("total", "25000.00", "20000.00", "-20.00")], True)
    sb = data(roles["viewer"].get("/api/v1/cycle/controls/sanbao",
                                  params={"government": GOV, "year": 2023, "at": "2023-03-01"}))
    wages = next(r for r in sb["rows"] if r["kind"] == "wages")
    assert (wages["required"], wages["budget"], wages["short_items"], sb["short"]) == (
        "360000.00", "300000.00", 1, True)


def test_performance_targets_and_score(roles: dict[str, As]) -> None:
    ed = roles["editor"]
    t1 = data(ed.post("/api/v1/cycle/performance/targets", {
        "government": GOV, "year": 2024, "level1": "产出指标", "level2": "数量指标",
        "level3": "培训人次", "target": "＞=200 人次", "weight": "20", "department": "人社局"}), 201)
    assert (t1["op"], t1["target"], t1["unit"]) == ("≥", "200", "人次")
    assert error(ed.post("/api/v1/cycle/performance/targets", {
        "government": GOV, "year": 2024, "level1": "a", "level2": "b", "level3": "c",
        "target": "about 5", "weight": "10"})) == (422, "cycle.perf.target")
    data(ed.post(f"/api/v1/cycle/performance/targets/{t1['id']}/values",
                 {"on_date": "2024-12-31", "value": "150", "final": True}), 201)
    assert error(ed.post("/api/v1/cycle/performance/targets/999/values",
                         {"on_date": "2024-12-31", "value": "1"})) == (404, "cycle.perf.unknown")
    ev = data(roles["viewer"].get("/api/v1/cycle/performance", params={"government": GOV, "year": 2024}))
    assert ([(r["level3"], r["actual"], r["met"], r["score"]) for r in ev["targets"]], ev["score"], ev["full"]) == (
        [("培训人次", "150", False, "15.00")], "15.00", "20")


# --------------------------------------------------------------------------- web pages


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ["/cycle", "/cycle/indicators", "/cycle/indicators/{edu}", "/cycle/versions",
                                  "/cycle/versions/{version}", "/cycle/debt", "/cycle/projects",
                                  "/cycle/transfers"])
def test_pages_render_with_json_twins(roles: dict[str, As], budget: dict[str, Any], path: str) -> None:
    path = path.format(edu=budget["ind"]["2050201"]["id"], version=budget["version"])
    c = roles["viewer"].client
    html = c.get(path)
    assert (html.status_code, html.headers["content-type"].startswith("text/html")) == (200, True)
    twin = c.get(path + ".json")
    assert (twin.status_code, twin.json()["ok"]) == (200, True)
    assert c.get(path, headers={"Accept": "application/json"}).json()["data"] == twin.json()["data"]


def test_unknown_things_are_404_on_pages_and_twins(shared_app: Any) -> None:
    c = As(shared_app, "viewer")
    html = c.get("/cycle/indicators/999")
    assert (html.status_code, 'data-code="cycle.indicator.unknown"' in html.text) == (404, True)
    assert error(c.get("/cycle/versions/999.json")) == (404, "cycle.version.unknown")
    assert error(c.get("/api/v1/cycle/transfers/999")) == (404, "cycle.transfer.unknown")
    assert error(c.get("/api/v1/cycle/debt/bonds/999", params={"government": GOV})) == (404, "cycle.debt.unknown")
    empty = c.get("/cycle/indicators")
    assert (empty.status_code, "尚无预算指标" in empty.text) == (200, True)


def test_indicator_list_page_shows_balances(roles: dict[str, As], budget: dict[str, Any]) -> None:
    r = roles["viewer"].get("/cycle/indicators", params={"government": GOV, "year": 2024})
    assert "指标账" in r.text and "1,000,000.00" in r.text and "1,520,000.00" in r.text
    assert 'href="/cycle"' in r.text  # the site's navigation leads here
    en = roles["viewer"].get("/cycle/indicators", params={"government": GOV, "year": 2024, "lang": "en"})
    assert (en.status_code, "Indicator ledger" in en.text, "指标账" in en.text) == (200, True, False)
    twin = roles["viewer"].get("/cycle/indicators.json", params={"government": GOV, "year": 2024}).json()
    assert (twin["data"]["totals"]["available"], twin["meta"]["total"]) == ("1520000.00", 3)


def test_payment_form_end_to_end(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    c = roles["editor"].client
    page = c.get(f"/cycle/indicators/{edu}")
    assert "录入支付" in page.text
    token = csrf_of(page.text)
    # the form's date: today in the indicator's year, else the latest entry's (the approval)
    default = re.search(r'name="on_date" type="date" required value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert default == (str(date.today()) if date.today().year == 2024 else "2024-01-20")
    form = {"csrf_token": token, "amount": "1,234.56", "on_date": default, "payee": "书店",
            "memo": "图书"}
    r = c.post(f"/cycle/indicators/{edu}/pay", data=form, follow_redirects=False)
    assert (r.status_code, r.headers["location"].startswith(f"/cycle/indicators/{edu}?done=")) == (303, True)
    after = c.get(r.headers["location"])
    assert "998,765.44" in after.text and "书店" in after.text
    # beyond the balance: the page again, with the refusal's code, nothing paid
    too_much = c.post(f"/cycle/indicators/{edu}/pay", data={**form, "amount": "2000000"})
    assert (too_much.status_code, 'data-code="cycle.pay.insufficient"' in too_much.text) == (409, True)
    # without the token: refused
    no_token = c.post(f"/cycle/indicators/{edu}/pay", data={k: v for k, v in form.items() if k != "csrf_token"},
                      headers={"Accept": "application/json"})
    assert error(no_token) == (403, "csrf")
    view = data(c.get(f"/api/v1/cycle/indicators/{edu}"))
    assert (view["indicator"]["paid"], [e["payee"] for e in view["journal"]]) == ("1234.56", ["", "书店"])
    # reverse the payment from the page
    entry = view["journal"][-1]["id"]
    r = c.post(f"/cycle/entries/{entry}/reverse", data={"csrf_token": token, "indicator": str(edu),
                                                        "on_date": "2024-02-11"}, follow_redirects=False)
    assert r.status_code == 303
    assert data(c.get(f"/api/v1/cycle/indicators/{edu}"))["indicator"]["paid"] == "0.00"


def test_viewer_sees_no_payment_form_and_cannot_post_it(roles: dict[str, As], budget: dict[str, Any]) -> None:
    edu = budget["ind"]["2050201"]["id"]
    c = roles["viewer"].client
    page = c.get(f"/cycle/indicators/{edu}")
    assert "录入支付" not in page.text
    r = c.post(f"/cycle/indicators/{edu}/pay", data={"csrf_token": csrf_of(page.text), "amount": "1",
                                                     "on_date": "2024-02-10"})
    assert r.status_code == 403


def test_version_page_approve_button_for_reviewer_only(roles: dict[str, As], budget: dict[str, Any]) -> None:
    adj = data(roles["editor"].post("/api/v1/cycle/versions", {
        "kind": "adjustment", "government": GOV, "year": 2024,
        "lines": [{"department": "卫健委", "func_code": "2100101", "amount": "600000.00"}]}), 201)
    vid = adj["version"]["id"]
    assert "审批通过" not in roles["editor"].get(f"/cycle/versions/{vid}").text
    c = roles["reviewer"].client
    page = c.get(f"/cycle/versions/{vid}")
    assert "审批通过" in page.text and "600,000.00" in page.text
    token = csrf_of(page.text)
    no_session = c.post(f"/cycle/versions/{vid}/approve", data={"csrf_token": token, "on_date": "2024-06-30"})
    assert (no_session.status_code, 'data-code="cycle.version.session"' in no_session.text) == (409, True)
    r = c.post(f"/cycle/versions/{vid}/approve", data={"csrf_token": token, "on_date": "2024-06-30",
                                                       "session": "常委会第二十次会议"}, follow_redirects=False)
    assert r.status_code == 303
    assert data(c.get(f"/cycle/versions/{vid}.json"))["version"]["status"] == "approved"
    diff = c.get(f"/cycle/versions/{vid}/diff")
    assert diff.status_code == 200 and "100,000.00" in diff.text
    assert data(c.get(f"/cycle/versions/{vid}/diff.json"))["net_change"] == "100000.00"


def test_debt_page_shows_limit_against_balance(roles: dict[str, As]) -> None:
    ed = roles["editor"]
    data(ed.post("/api/v1/cycle/debt/limits", {"government": GOV, "year": 2024, "kind": "general",
                                               "limit": "40000000"}))
    data(ed.post("/api/v1/cycle/debt/bonds", {"government": GOV, "code": "G-1", "kind": "general",
                                              "amount": "10000000", "term_years": 5, "rate": "2.1",
                                              "issue_date": "2024-03-01"}), 201)
    r = roles["viewer"].get("/cycle/debt", params={"government": GOV, "at": "2024-06-30"})
    assert r.status_code == 200 and "一般债务" in r.text and "40,000,000.00" in r.text
    twin = data(roles["viewer"].get("/cycle/debt.json", params={"government": GOV, "at": "2024-06-30"}))
    assert [(k["kind"], k["usage_pct"]) for k in twin["debt"]["kinds"]] == [("general", "25.00"),
                                                                            ("special", None)]


def test_money_in_responses_is_a_string(roles: dict[str, As], budget: dict[str, Any]) -> None:
    view = data(roles["viewer"].get(f"/api/v1/cycle/indicators/{budget['ind']['2050201']['id']}"))
    assert all(isinstance(view["indicator"][k], str) for k in ("budget", "paid", "available"))
    assert Decimal(view["indicator"]["budget"]) == Decimal("1000000")


# --------------------------------------------------------------------------- concurrency


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_concurrent_payments_never_overspend(kind: str, tmp_path: Path) -> None:
    """Eight editors' requests pay 150,000 each, at once, against 1,000,000 over real HTTP:
    six are paid, two refused with cycle.pay.insufficient, and the journal agrees."""
    import threading

    import httpx

    from tests.test_service_helpers import PASSWORD, LiveServer

    with fresh_database(kind, tmp_path) as url:
        application = make_app(url)
        try:
            with LiveServer(application) as live:
                def session(user: str) -> tuple[httpx.Client, dict[str, str]]:
                    c = httpx.Client(base_url=live.url, timeout=120)
                    r = c.post("/api/v1/session", json={"username": user, "password": PASSWORD})
                    return c, {"X-CSRF-Token": r.json()["data"]["csrf_token"]}

                ed, eh = session("editor")
                rv, rh = session("reviewer")
                v = ed.post("/api/v1/cycle/versions", headers=eh, json={
                    "kind": "draft", "government": GOV, "year": 2024, "lines": DRAFT_LINES[:1]}).json()
                vid = v["data"]["version"]["id"]
                assert rv.post(f"/api/v1/cycle/versions/{vid}/approval", headers=rh, json={
                    "on_date": "2024-01-20", "session": "人代会"}).status_code == 200
                edu = ed.get("/api/v1/cycle/indicators",
                             params={"government": GOV, "year": 2024}).json()["data"][0]["id"]
                results: list[tuple[int, str]] = []
                lock = threading.Lock()

                def pay() -> None:
                    r = ed.post(f"/api/v1/cycle/indicators/{edu}/payments", headers=eh,
                                json={"amount": "150000", "on_date": "2024-03-01"})
                    body = r.json()
                    with lock:
                        results.append((r.status_code, "" if body["ok"] else body["error"]["code"]))

                threads = [threading.Thread(target=pay) for _ in range(8)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                assert sorted(results) == [(201, "")] * 6 + [(409, "cycle.pay.insufficient")] * 2
                view = ed.get(f"/api/v1/cycle/indicators/{edu}").json()["data"]
                assert (view["indicator"]["paid"], view["indicator"]["available"],
                        len(view["journal"])) == ("900000.00", "100000.00", 7)
                assert ed.get("/api/v1/cycle/reconciliation").json()["data"]["ok"] is True
                ed.close()
                rv.close()
        finally:
            _close(application)


# --------------------------------------------------------------------------- schema


def test_cycle_api_conforms_to_its_schema(tmp_path: Path) -> None:
    """schemathesis over /api/v1/cycle as an admin: no server error, every answer as documented."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import positive_data_acceptance

    with fresh_database("sqlite", tmp_path) as url:
        application = make_app(url)
        admin = As(application, "admin")
        headers = {"Cookie": f"yusuan_session={admin.client.cookies.get('yusuan_session')}",
                   "X-CSRF-Token": admin.csrf}
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", application)
        schema = schema.include(path_regex=r"^/api/v1/cycle/")
        failures = []
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 35
        for operation in operations:

            @settings(max_examples=3, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case: Any) -> None:
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

            try:
                given(case=operation.as_strategy())(check)()
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}"[:600])
        _close(application)
    assert failures == []
