"""Cache warming: the facts-by-government index gives a page exactly what the
per-page queries gave, and /api/v1/health says when the caches are warm
(after start and again after each ingest)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import seed
from tests.test_service_helpers import TestClient, fresh_database, login, make_app, upload


def _health_warm(c: Any) -> bool:
    r = c.get("/api/v1/health")
    assert r.status_code == 200, r.text
    return bool(r.json()["data"]["warm"])


def _wait_warm(c: Any, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _health_warm(c):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_warm_index_matches_queries_and_health_reports_readiness(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        app = make_app(url)
        service = app.state.service
        try:
            with TestClient(app) as c:
                csrf = login(c, "editor")
                assert upload(c, csrf, seed("002")).status_code == 201
                # no warm-up started: requests build on demand, nothing warms behind them
                assert _health_warm(c) is False
                codes = [g["code"] for g in service.governments() if g["documents"]]
                assert codes
                code = codes[0]
                queried = [f.id for f in service.government_facts(code)]
                page_queried = service.government_page(code, None)
                assert queried

                service.warm()
                assert _health_warm(c) is True
                assert service.peek("facts-by-government") is not None
                assert [f.id for f in service.government_facts(code)] == queried
                # the page the warm-up built is the page a request would build
                assert service.government_page(code, None) == page_queried
                assert service.peek(("government", code, None)) is not None

                # a new document: not warm until the background warm-up has run again
                assert upload(c, csrf, seed("004")).status_code == 201
                assert _wait_warm(c) is True
                after = [g["code"] for g in service.governments() if g["documents"]]
                assert all(service.peek(("government", g, None)) is not None for g in after)
                assert len(service.government_facts(code)) >= len(queried)
                # the ledger-wide index of the older generation is dropped, not kept beside the new
                assert sum(1 for k in service._cache if k[1] == "facts-by-government") == 1
        finally:
            service.close()
