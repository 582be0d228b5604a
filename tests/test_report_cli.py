"""``yusuan indicators | compare | report | export`` on files and on the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import seed
from yusuan.cli.analysis_cmd import compare_cmd, export_cmd, indicators_cmd, report_cmd


@click.group()
def cli() -> None:
    pass


for _cmd in (indicators_cmd, compare_cmd, report_cmd, export_cmd):
    cli.add_command(_cmd)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_indicators_json_from_file() -> None:
    out = json.loads(run("indicators", str(seed("000")), "--format", "json", "--select", "财政自给率"))
    if not out:
        pytest.skip("no narrative facts from seed 000 yet")
    whole = [r for r in out if r["scope"] == "whole"]
    assert [(r["indicator"], r["value"][:7], r["rating"]) for r in whole] == [
        ("fiscal_self_sufficiency", "68.7977", "较强")]
    assert [i["term"] for i in whole[0]["inputs"]] == ["一般公共预算收入", "一般公共预算支出"]


def test_indicators_from_ledger(tmp_path: Path) -> None:
    from yusuan.extract import extract
    from yusuan.read import read
    from yusuan.store import Store

    db = f"sqlite:///{tmp_path / 'l.db'}"
    document, _ = read(seed("000"))
    assert document is not None
    with Store.open(db) as store:
        store.ingest(extract(document))
    out = json.loads(run("indicators", "--db", db, "--scope", "whole", "--format", "json",
                         "--select", "tax_share"))
    if not out:
        pytest.skip("no narrative facts from seed 000 yet")
    assert [(r["scope"], r["value"][:7]) for r in out] == [("whole", "58.9201")]


def test_compare_outturn_table_and_csv() -> None:
    out = run("compare", str(seed("004")), "--by", "outturn", "--format", "csv", "--indicator", "一般公共预算收入")
    assert out.startswith("\ufeff政府,范围,预算本,项目,年度")
    assert "一般公共预算收入" in out


def test_report_text_and_html(tmp_path: Path) -> None:
    text = run("report", str(seed("000")), "--format", "text")
    assert text.startswith("关于2024年上半年昌吉回族自治州预算执行情况的报告")
    target = tmp_path / "r.html"
    run("report", str(seed("000")), "--format", "html", "-o", str(target))
    assert '<section id="indicators">' in target.read_text(encoding="utf-8")


def test_export_formats(tmp_path: Path) -> None:
    run("export", str(seed("000")), "--format", "fdp", "-o", str(tmp_path / "pkg"))
    assert (tmp_path / "pkg" / "datapackage.json").exists()
    out = run("export", str(seed("000")), "--format", "json", "--scope", "own")
    assert {r["scope"] for r in json.loads(out)} <= {"own"}
