"""schemathesis against the served OpenAPI schema, as an admin with a CSRF token:
no server error, and every answer conforms to the schema it documents.

Bounded (few examples per operation, no shrinking time) to stay fast.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from tests.test_service_helpers import PASSWORD, TestClient, make_app  # noqa: E402

_DB = Path(__import__("tempfile").mkdtemp(prefix="yusuan-st-")) / "ledger.db"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    APP = make_app(f"sqlite:///{_DB}")

_client = TestClient(APP)
_login = _client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD}).json()["data"]
_client.post(
    "/api/v1/documents", params={"wait": "true"}, headers={"X-CSRF-Token": _login["csrf_token"]},
    files={"file": ("t.txt", "乌苏市2024年一般公共预算收入100万元，其中：税收收入60万元。".encode())},
)
HEADERS = {
    "Cookie": f"yusuan_session={_client.cookies.get('yusuan_session')}",
    "X-CSRF-Token": _login["csrf_token"],
}

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
# logging out or removing documents would pull the ground from under the run
schema = schema.exclude(path="/api/v1/session", method="DELETE").exclude(
    path_regex=r"^/api/v1/documents/\{doc_id\}$", method="DELETE")
# the budget-cycle API (cycle_api.py) is another part's, with its own schema test
schema = schema.exclude(path_regex=r"^/api/v1/cycle/")


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any) -> None:
    # Every check runs except "positive data acceptance": a request can fit the
    # schema and still be refused by a rule the schema cannot state (an empty
    # file; an aggregate that fixes neither stage nor year) -- with a 400 in the
    # error envelope, which the other checks validate against the schema.
    case.call_and_validate(headers=HEADERS, excluded_checks=[positive_data_acceptance])
