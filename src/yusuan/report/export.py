"""Exports of facts: CSV (opens in Excel with Chinese intact), JSON, Parquet,
and a Fiscal Data Package (``datapackage.json`` + CSV) for other tools.

One flat row per fact, the same columns in every format.  Money is written
as exact decimal text (CSV, JSON) or ``decimal128`` (Parquet), never float.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.analyze.ledger import gov_of
from yusuan.model import Fact, Stage
from yusuan.model.serialize import dec, dumps

#: (column, frictionless type, description, FDP columnType or None)
COLUMNS: tuple[tuple[str, str, str, str | None], ...] = (
    ("id", "string", "fact id (stable content hash)", None),
    ("government", "string", "government as printed", "administrative-classification:generic:label"),
    ("division", "string", "GB/T 2260 division code", "administrative-classification:generic:code"),
    ("scope", "string", "whole (全口径) / own (本级) / a subordinate government", None),
    ("book", "string", "general / fund / capital / social / all", None),
    ("code", "string", "classification code (政府收支分类科目)", "functional-classification:generic:code"),
    ("indicator", "string", "item name", "functional-classification:generic:label"),
    ("parent", "string", "the item this is a part of", None),
    ("stage", "string", "budget / adjusted / execution / final / limit / balance / plan", None),
    ("phase", "string", "FDP phase: approved / adjusted / executed", "phase"),
    ("direction", "string", "FDP direction: revenue / expenditure", "direction"),
    ("period", "string", "2024, 2024-01..06 or a date", None),
    ("fiscal_year", "integer", "fiscal year", "date:fiscal-year"),
    ("value", "number", "the figure as printed", None),
    ("unit", "string", "元 / 万元 / 亿元 as printed", None),
    ("amount", "number", "the figure in yuan", "value"),
    ("yoy_abs", "number", "stated change vs prior period, in the printed unit", None),
    ("yoy_pct", "number", "stated growth rate, percent", None),
    ("pct_of_budget", "number", "stated rate of budget, percent", None),
    ("share_pct", "number", "stated share, percent", None),
    ("table", "string", "table number when from a table", None),
    ("column", "string", "table column", None),
    ("document", "string", "source document id (sha256)", None),
    ("file", "string", "source file", None),
    ("line", "integer", "source line", None),
    ("quote", "string", "the source characters", None),
)
NAMES = tuple(c[0] for c in COLUMNS)

_PHASE = {
    Stage.BUDGET: "approved",
    Stage.ADJUSTED: "adjusted",
    Stage.EXECUTION: "executed",
    Stage.FINAL: "executed",
}


def direction_of(fact: Fact) -> str | None:
    name = fact.indicator
    if "支出" in name or (fact.code or "").startswith(("2", "3", "5")):
        return "expenditure"
    if "收入" in name or (fact.code or "").startswith("1"):
        return "revenue"
    return None


def fact_row(fact: Fact) -> dict[str, Any]:
    yoy_abs = None
    if fact.yoy_abs is not None:
        yoy_abs = (fact.yoy_abs.value if fact.yoy_abs.unit == fact.amount.unit
                   else fact.yoy_abs.in_unit(fact.amount.unit).normalize())
    return {
        "id": fact.id,
        "government": gov_of(fact),
        "division": fact.division,
        "scope": str(fact.scope),
        "book": fact.book.value if fact.book else None,
        "code": fact.code,
        "indicator": fact.indicator,
        "parent": fact.parent,
        "stage": fact.stage.value,
        "phase": _PHASE.get(fact.stage),
        "direction": direction_of(fact),
        "period": str(fact.period),
        "fiscal_year": fact.period.year,
        "value": fact.amount.value,
        "unit": fact.amount.unit.value,
        "amount": fact.amount.yuan,
        "yoy_abs": yoy_abs,
        "yoy_pct": fact.yoy_pct,
        "pct_of_budget": fact.pct_of_budget,
        "share_pct": fact.share_pct,
        "table": fact.table,
        "column": fact.column,
        "document": fact.source.document,
        "file": fact.source.file,
        "line": fact.source.line,
        "quote": fact.source.quote,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return dec(value) or ""
    return str(value)


def csv_text(facts: Iterable[Fact]) -> str:
    """CSV text (no BOM); :func:`write_csv` adds the BOM Excel needs."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(NAMES)
    for fact in facts:
        row = fact_row(fact)
        writer.writerow([_text(row[n]) for n in NAMES])
    return buf.getvalue()


def write_csv(facts: Iterable[Fact], target: str | Path) -> None:
    """UTF-8 with BOM and CRLF, so Excel opens Chinese text correctly."""
    Path(target).write_bytes(csv_text(facts).encode("utf-8-sig"))


def json_text(facts: Iterable[Fact]) -> str:
    return dumps([fact_row(f) for f in facts])


def write_json(facts: Iterable[Fact], target: str | Path) -> None:
    Path(target).write_text(json_text(facts) + "\n", encoding="utf-8")


def write_parquet(facts: Iterable[Fact], target: str | Path) -> None:
    """Parquet with money as ``decimal128(38, 6)``; needs the ``export`` extra (pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet 导出需要 pyarrow：pip install 'yusuan[export]' "
                           "(Parquet export needs pyarrow)") from exc
    rows = [fact_row(f) for f in facts]
    q = Decimal("0.000001")
    fields = []
    arrays = []
    for name, kind, _, _ in COLUMNS:
        values = [r[name] for r in rows]
        if kind == "number":
            typ = pa.decimal128(38, 6)
            values = [None if v is None else Decimal(v).quantize(q) for v in values]
        elif kind == "integer":
            typ = pa.int64()
        else:
            typ = pa.string()
        fields.append(pa.field(name, typ))
        arrays.append(pa.array(values, type=typ))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), str(target))


def datapackage(facts: Sequence[Fact], name: str = "yusuan-facts", title: str = "",
                csv_path: str = "facts.csv") -> dict[str, Any]:
    """A Fiscal Data Package descriptor for the facts written to ``csv_path``.

    The schema annotates each column with its FDP ``columnType``; the
    ``model`` names the measure (``amount``, CNY, factor 1) and the
    dimensions, including ``direction`` and ``phase``.
    """
    years = sorted({f.period.year for f in facts})
    fields = []
    for col, kind, desc, column_type in COLUMNS:
        spec: dict[str, Any] = {"name": col, "type": kind, "description": desc}
        if column_type:
            spec["columnType"] = column_type
        fields.append(spec)
    return {
        # Validated offline as a tabular data package (the FDP profile URL is
        # remote); the FDP parts are the columnType annotations and ``model``.
        "profile": "tabular-data-package",
        "fiscalDataPackage": {"version": "1.0", "model": "model", "columnTypes": "schema.fields"},
        "name": name,
        "title": title or "yusuan budget facts",
        "fiscalPeriod": {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"} if years else {},
        "countryCode": "CN",
        "resources": [{
            "name": "facts",
            "path": csv_path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "schema": {"fields": fields, "primaryKey": ["id"]},
        }],
        "model": {
            "measures": {
                "amount": {"source": "amount", "currency": "CNY", "factor": 1,
                           "title": "金额（元） Amount in yuan"},
            },
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "entity",
                    "attributes": {"division": {"source": "division"},
                                   "government": {"source": "government"},
                                   "scope": {"source": "scope"}},
                    "primaryKey": ["division", "government", "scope"],
                },
                "functional-classification": {
                    "dimensionType": "classification",
                    "attributes": {"code": {"source": "code"}, "indicator": {"source": "indicator"},
                                   "book": {"source": "book"}},
                    "primaryKey": ["book", "code", "indicator"],
                },
                "date": {"dimensionType": "datetime",
                         "attributes": {"fiscal_year": {"source": "fiscal_year"},
                                        "period": {"source": "period"}},
                         "primaryKey": ["fiscal_year", "period"]},
                "direction": {"dimensionType": "classification",
                              "attributes": {"direction": {"source": "direction"}},
                              "primaryKey": ["direction"]},
                "phase": {"dimensionType": "classification",
                          "attributes": {"phase": {"source": "phase"}, "stage": {"source": "stage"}},
                          "primaryKey": ["phase", "stage"]},
            },
        },
    }


def write_datapackage(facts: Iterable[Fact], directory: str | Path, name: str = "yusuan-facts",
                      title: str = "") -> Path:
    """Write ``facts.csv`` and ``datapackage.json`` into ``directory``."""
    items = list(facts)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(items, out / "facts.csv")
    path = out / "datapackage.json"
    path.write_text(json.dumps(datapackage(items, name, title), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path
