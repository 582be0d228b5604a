"""Two editors uploading at once while a reviewer judges findings: nothing is lost.

Real HTTP against uvicorn on loopback, one thread per user, on SQLite and on
PostgreSQL (when YUSUAN_TEST_PG is set).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import seed
from tests.test_service_helpers import PASSWORD, LiveServer, fresh_database, make_app


def _session(base: str, user: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, timeout=120)
    r = c.post("/api/v1/session", json={"username": user, "password": PASSWORD})
    r.raise_for_status()
    return c, r.json()["data"]["csrf_token"]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_editors_upload_while_a_reviewer_judges(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        app = make_app(url)
        try:
            _run(app, tmp_path)
        finally:
            app.state.service.close()


def _run(app: Any, tmp_path: Path) -> None:
    with LiveServer(app) as live:
        # a first document gives the reviewer findings to judge
        c0, csrf0 = _session(live.url, "editor")
        first = c0.post("/api/v1/documents", params={"wait": "true"}, headers={"X-CSRF-Token": csrf0},
                        files={"file": ("002.txt", seed("002").read_bytes())})
        assert first.status_code == 201, first.text
        doc0 = first.json()["data"]["document"]
        findings = c0.get("/api/v1/findings", params={"document": doc0, "pagesize": 1000}).json()["data"]
        assert len(findings) >= 5

        # each editor uploads two documents; one of them is uploaded by both at once
        plans = {"editor": ["000", "004", "003"], "editor2": ["001", "003"]}
        results: dict[str, list[Any]] = {"editor": [], "editor2": [], "reviewer": []}
        errors: list[BaseException] = []
        start = threading.Barrier(3)

        def editor(user: str) -> None:
            try:
                c, csrf = _session(live.url, user)
                start.wait()
                for prefix in plans[user]:
                    path = seed(prefix)
                    r = c.post("/api/v1/documents", params={"wait": "true"},
                               headers={"X-CSRF-Token": csrf}, files={"file": (path.name, path.read_bytes())})
                    body = r.json()
                    assert body.get("ok"), f"{user} {prefix}: {r.status_code} {r.text[:500]}"
                    results[user].append((prefix, r.status_code, body["data"]["result"]["document"]))
            except BaseException as exc:
                errors.append(exc)

        def reviewer() -> None:
            try:
                c, csrf = _session(live.url, "reviewer")
                start.wait()
                for i, f in enumerate(findings):
                    status = "confirmed" if i % 2 else "dismissed"
                    r = c.post(f"/api/v1/findings/{f['id']}/judgement",
                               json={"status": status, "comment": f"意见{i}", "document": doc0},
                               headers={"X-CSRF-Token": csrf})
                    results["reviewer"].append((f["id"], r.status_code, status))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=editor, args=("editor",)),
                   threading.Thread(target=editor, args=("editor2",)),
                   threading.Thread(target=reviewer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert errors == []

        # every upload succeeded and every document is stored exactly once
        statuses = [s for user in ("editor", "editor2") for _, s, _ in results[user]]
        assert statuses == [201] * 5
        docs = c0.get("/api/v1/documents").json()["data"]
        stored = sorted(d["id"] for d in docs)
        expected = sorted({doc0} | {d for user in ("editor", "editor2") for _, _, d in results[user]})
        assert stored == expected and len(stored) == 5
        for d in docs:
            assert d["facts"] > 0
        # every judgement was kept, with its comment and its reviewer
        assert [s for _, s, _ in results["reviewer"]] == [200] * len(findings)
        after = {f["id"]: f for f in c0.get("/api/v1/findings", params={"document": doc0,
                                                                          "pagesize": 1000}).json()["data"]}
        for i, (fid, _, status) in enumerate(results["reviewer"]):
            assert (after[fid]["status"], after[fid]["comment"], after[fid]["reviewed_by"]) == (
                status, f"意见{i}", "reviewer")
        # and the audit log has one upload per request and one judgement per decision
        log = app.state.service.accounts.audit_log(limit=1000)
        assert sum(1 for e in log if e.action == "document.upload") == 6
        assert sum(1 for e in log if e.action == "finding.judge") == len(findings)
