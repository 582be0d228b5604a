"""The web pages: server-rendered HTML in Chinese (English on request), each
with a JSON twin that carries the same data in the API's envelope."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import seed
from tests.test_service_helpers import TestClient, fresh_database, login, make_app, upload


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    with fresh_database("sqlite", tmp_path_factory.mktemp("web")) as url:
        app = make_app(url)
        with TestClient(app) as c:
            csrf = login(c, "editor")
            doc = upload(c, csrf, seed("002")).json()["data"]["document"]
        yield app, doc
        app.state.service.close()


@pytest.fixture
def browser(site: tuple[Any, str]) -> Iterator[TestClient]:
    with TestClient(site[0]) as c:
        login(c, "reviewer")
        yield c


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


PAGES = ["/", "/governments", "/governments/654202", "/findings", "/codes", "/codes?code=201",
         "/search?q=乡村振兴", "/findings?status=open&severity="]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(browser: TestClient, path: str) -> None:
    html = browser.get(path)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    base, _, query = path.partition("?")
    twin = browser.get((base.rstrip("/") or "/index") + ".json" + ("?" + query if query else ""))
    body = twin.json()
    assert (twin.status_code, body["ok"], set(body)) == (200, True, {"ok", "data", "meta"})
    accept = browser.get(path, headers={"Accept": "application/json"})
    assert accept.json()["data"] == body["data"]


def test_document_page_marks_figures_and_places_findings(browser: TestClient, site: tuple[Any, str]) -> None:
    doc = site[1]
    r = browser.get(f"/documents/{doc}")
    assert r.status_code == 200
    html = r.text
    assert html.count('class="fig"') > 100
    data = browser.get(f"/documents/{doc}.json").json()["data"]
    ids = [f["id"] for b in data["blocks"] for f in b["findings"]]
    assert ids and all(f'id="f-{i}"' in html for i in ids)
    # each placed finding's quote is anchored in the text it concerns
    assert all(f'id="q-{i}"' in html for i in ids)
    assert "一般公共预算" in html and "<table" in html


def test_reviewer_dismisses_a_finding_with_a_comment_through_the_form(browser: TestClient,
                                                                      site: tuple[Any, str]) -> None:
    doc = site[1]
    page = browser.get(f"/documents/{doc}").text
    fid = re.search(r'action="/findings/([0-9a-f]+)/judge"', page).group(1)  # type: ignore[union-attr]
    r = browser.post(f"/findings/{fid}/judge", data={"csrf_token": csrf_of(page), "status": "dismissed",
                                                      "comment": "口径不同，不是错误", "document": doc},
                     follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/documents/{doc}#f-{fid}")
    after = browser.get(f"/api/v1/findings/{fid}").json()["data"]
    assert (after["status"], after["comment"], after["reviewed_by"]) == ("dismissed", "口径不同，不是错误", "reviewer")
    assert "口径不同，不是错误" in browser.get(f"/documents/{doc}").text


def test_government_page_ships_chart_data_and_local_echarts(browser: TestClient) -> None:
    html = browser.get("/governments/654202").text
    assert '<script src="/static/echarts/echarts.min.js"></script>' in html
    assert "https://" not in html.split("<footer>")[0]  # no CDN, no remote asset
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert data and '"debt"' in data.group(1)
    js = browser.get("/static/echarts/echarts.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000
    assert browser.get("/static/echarts/LICENSE.txt").status_code == 200


def test_english_by_query_and_cookie(browser: TestClient) -> None:
    zh = browser.get("/governments").text
    assert "政府" in zh and 'lang="zh-CN"' in zh
    en = browser.get("/governments?lang=en")
    assert 'lang="en"' in en.text and "Governments" in en.text
    assert 'lang="en"' in browser.get("/findings").text  # remembered in a cookie


def test_upload_form_redirects_to_the_job_page(site: tuple[Any, str]) -> None:
    with TestClient(site[0]) as c:
        login(c, "editor")
        page = c.get("/").text
        r = c.post("/upload", data={"csrf_token": csrf_of(page)},
                   files={"file": ("s000.txt", seed("000").read_bytes(), "text/plain")},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
        job_id = r.headers["location"].rsplit("/", 1)[1]
        site[0].state.service.jobs.wait(job_id, 60)
        job = c.get(r.headers["location"] + ".json").json()["data"]["job"]
        assert (job["state"], job["result"]["government"]) == ("done", "昌吉回族自治州")
        assert 'id="open-document"' in c.get(r.headers["location"]).text


def test_first_start_login_page_explains_how_to_create_the_admin(tmp_path: Any) -> None:
    from yusuan.service.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(app) as c:
        assert "yusuan user add admin --role admin" in c.get("/login").text
    app.state.service.close()


def test_errors_render_as_pages_and_as_envelopes(browser: TestClient) -> None:
    r = browser.get("/governments/999999")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and 'data-code="not_found"' in r.text
    j = browser.get("/governments/999999.json")
    assert (j.status_code, j.json()["error"]["code"]) == (404, "not_found")
    assert browser.get("/no/such/page").status_code == 404


def test_admin_pages(site: tuple[Any, str]) -> None:
    with TestClient(site[0]) as c:
        login(c, "admin")
        page = c.get("/admin/users").text
        r = c.post("/admin/users", data={"csrf_token": csrf_of(page), "username": "auditor",
                                         "password": "long-enough-1", "role": "viewer"},
                   follow_redirects=False)
        assert r.status_code == 303
        assert "auditor" in c.get("/admin/users").text
        audit = c.get("/admin/audit.json").json()["data"]["entries"]
        assert ("admin", "user.add", "auditor") in [(e["username"], e["action"], e["target"]) for e in audit]
