"""Exports: CSV for Excel, JSON, Parquet with decimals, a valid Fiscal Data Package."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.test_analyze_indicators import seed000_facts
from yusuan.report.export import (
    NAMES,
    csv_text,
    fact_row,
    json_text,
    write_csv,
    write_datapackage,
    write_parquet,
)


def test_csv_has_bom_and_exact_decimals(tmp_path: Path) -> None:
    facts = seed000_facts()
    path = tmp_path / "f.csv"
    write_csv(facts, path)
    raw = path.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(NAMES)
    first = rows[0]
    assert (first["indicator"], first["value"], first["unit"], first["amount"], first["yoy_abs"]) == (
        "一般公共预算收入", "131.5", "亿元", "13150000000.0", "12.59")
    assert (first["direction"], first["phase"], first["fiscal_year"]) == ("revenue", "executed", "2024")
    assert csv_text([]).strip() == ",".join(NAMES)


def test_json_writes_decimals_as_strings() -> None:
    data = json.loads(json_text(seed000_facts()[:1]))
    assert data[0]["value"] == "131.5" and data[0]["yoy_pct"] == "10.59"


def test_parquet_keeps_decimals(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "f.parquet"
    write_parquet(seed000_facts(), path)
    table = pq.read_table(path)
    assert table.column_names == list(NAMES)
    amounts = table.column("amount").to_pylist()
    assert amounts[0] == Decimal("13150000000.000000")
    assert str(table.schema.field("amount").type) == "decimal128(38, 6)"


def test_fiscal_data_package_validates(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    path = write_datapackage(seed000_facts(), tmp_path / "pkg", title="昌吉州 2024 上半年")
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    model = descriptor["model"]
    assert model["measures"]["amount"]["currency"] == "CNY"
    assert {"direction", "phase", "date", "administrative-classification"} <= set(model["dimensions"])
    types = {f["name"]: f.get("columnType") for f in descriptor["resources"][0]["schema"]["fields"]}
    assert (types["amount"], types["direction"], types["phase"]) == ("value", "direction", "phase")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "note"])
    # and it can fail: a value that is not a number
    bad = (tmp_path / "pkg" / "facts.csv").read_text(encoding="utf-8-sig").replace(",131.5,", ",131.5x,", 1)
    (tmp_path / "pkg" / "facts.csv").write_text(bad, encoding="utf-8-sig")
    report = frictionless.validate(str(path))
    assert not report.valid
    assert [e[0] for e in report.flatten(["type"])] == ["type-error"]


def test_row_of_a_stock_has_no_direction() -> None:
    row = fact_row(seed000_facts()[10])
    assert (row["stage"], row["phase"], row["direction"], row["period"]) == ("balance", None, None, "2024-06-30")
