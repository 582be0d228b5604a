"""The ledger store: round trips, de-duplication, transactions, filters, findings."""

from __future__ import annotations

import hashlib
import os
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from yusuan.model import (
    Amount,
    Book,
    Cell,
    Column,
    ColumnKind,
    DocKind,
    Document,
    Extraction,
    Fact,
    Finding,
    Government,
    Level,
    Line,
    MappedText,
    Paragraph,
    Period,
    Problem,
    Relation,
    RelationKind,
    Row,
    Scope,
    Severity,
    Source,
    Span,
    Stage,
    Table,
    Unit,
)
from yusuan.read.base import split_lines
from yusuan.store import Store, normalize_url
from yusuan.store.db import current_revision, metadata
from yusuan.store.schema import Base, DocumentRow, FactRow, TableCellRow

TEXT = (
    "1-6月，全县一般公共预算收入完成3.52亿元，比上年同期增收0.21亿元，增长6.34%。\n"
    "其中：税收收入完成2.10亿元。\n"
    "表 1\n"
    "单位：万元\n"
    "科目编码\t项目\t2024年预算数\n"
    "101\t税收收入\t21000\n"
    "合计\t\t21000.50"
)


def make_extraction(text: str = TEXT, name: str = "示例县.txt") -> Extraction:
    """A small extraction built by hand: every kind of record the store keeps."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(sha, f"/data/{name}", name, "txt", text, split_lines(text), title="示例", pages=2,
                   page_starts=(0, 60))

    def src(quote: str, **kw: object) -> Source:
        start = text.index(quote)
        return Source(sha, text.count("\n", 0, start) + 1, start, start + len(quote), quote,
                      file=name, **kw)  # type: ignore[arg-type]

    revenue = Fact(
        indicator="一般公共预算收入",
        amount=Amount(Decimal("3.52"), Unit.YI),
        stage=Stage.EXECUTION,
        period=Period.months(2024, 1, 6),
        source=src("一般公共预算收入完成3.52亿元"),
        scope=Scope.WHOLE,
        book=Book.GENERAL,
        government="示例县",
        division="999901",
        yoy_abs=Amount(Decimal("0.21"), Unit.YI),
        yoy_pct=Decimal("6.34"),
        pct_of_budget=Decimal("50.10"),
    )
    tax = Fact(
        indicator="税收收入",
        amount=Amount(Decimal("2.10"), Unit.YI),
        stage=Stage.EXECUTION,
        period=Period.months(2024, 1, 6),
        source=src("税收收入完成2.10亿元", page=1),
        scope=Scope.OWN,
        book=Book.GENERAL,
        government="示例县",
        parent="一般公共预算收入",
        share_pct=Decimal("59.7"),
        share_of="一般公共预算收入",
    )
    table_fact = Fact(
        indicator="税收收入",
        amount=Amount(Decimal("21000"), Unit.WAN),
        stage=Stage.BUDGET,
        period=Period(2024),
        source=src("21000"),
        scope="甲镇",
        book=Book.GENERAL,
        government="示例县",
        code="101",
        table="表1",
        column="2024年预算数",
        row=0,
    )
    balance = Fact(
        indicator="债务余额",
        amount=Amount(Decimal("1E+2"), Unit.WAN),
        stage=Stage.BALANCE,
        period=Period.at(date(2024, 6, 30)),
        source=src("合计", derived="sum of rows 1-1"),
        book=Book.FUND,
    )
    total_line = doc.lines[6]
    table = Table(
        number="表1",
        title="示例县一般公共预算收入表",
        unit="万元",
        columns=(
            Column("科目编码", ColumnKind.CODE),
            Column("项目", ColumnKind.NAME),
            Column("2024年预算数", ColumnKind.AMOUNT, 2024, Stage.BUDGET, Period(2024), "甲镇", "收入"),
        ),
        rows=(
            Row("101", "税收收入", (Cell("21000", Decimal("21000"), text.index("21000"),
                                        text.index("21000") + 5),), 6, doc.lines[5].start,
                doc.lines[5].end, code_printed="1 01", level=1),
            Row(None, "合计", (Cell("21000.50", Decimal("21000.50"), total_line.start + 4,
                                    total_line.end),), 7, total_line.start, total_line.end,
                total=True, unplaced=(Cell("21000.50", Decimal("21000.50"), total_line.start + 4,
                                           total_line.end),)),
        ),
        empty=False,
        line_start=3,
        line_end=7,
        start=doc.lines[2].start,
        end=len(text),
        book=Book.GENERAL,
        scope=Scope.WHOLE,
        notes=("注：示例",),
    )
    empty_table = Table(None, "空表", None, (), (), True, 8, 8, 0, 0)
    first = doc.lines[0]
    paragraph = Paragraph(
        0, 1, first.start, first.end,
        MappedText.of(text, first.start, first.end).drop({3}).replace_char(0, "一"),
    )
    return Extraction(
        document=doc,
        facts=(revenue, tax, table_fact, balance),
        tables=(table, empty_table),
        relations=(
            Relation(RelationKind.SUM, revenue.id, (tax.id,), exhaustive=False,
                     source=src("其中：税收收入"), note="其中"),
            Relation(RelationKind.GROWTH, revenue.id, (), stated=Decimal("6.34")),
        ),
        paragraphs=(paragraph,),
        problems=(Problem(name, "第3行：表头不完整", "line 3: header incomplete", 3, "extract.header"),),
        government=Government("999901", "示例县", Level.COUNTY, "999900"),
        kind=DocKind.EXECUTION_REPORT,
        year=2024,
        date=date(2024, 7, 25),
    )


# Every field of the records the store keeps.  When a model record gains a
# field, this test fails: store the field (schema, migration, ledger) and add it here.
STORED_FIELDS: dict[type, set[str]] = {
    Document: {"id", "path", "name", "format", "text", "lines", "title", "pages", "page_starts"},
    Line: {"number", "start", "end", "text", "cells"},
    Span: {"text", "start", "end"},
    Paragraph: {"index", "line", "start", "end", "text", "heading"},
    Source: {"document", "line", "start", "end", "quote", "file", "page", "derived"},
    Amount: {"value", "unit"},
    Period: {"year", "start_month", "end_month", "day"},
    Fact: {"indicator", "amount", "stage", "period", "source", "scope", "book", "government",
           "division", "code", "parent", "yoy_abs", "yoy_pct", "pct_of_budget", "share_pct",
           "share_of", "table", "column", "row", "id", "pct_base"},
    Column: {"name", "kind", "year", "stage", "period", "scope", "side"},
    Cell: {"text", "value", "start", "end"},
    Row: {"code", "name", "cells", "line", "start", "end", "total", "code_printed", "level",
          "unplaced"},
    Table: {"number", "title", "unit", "columns", "rows", "empty", "line_start", "line_end",
            "start", "end", "book", "scope", "notes"},
    Relation: {"kind", "total", "parts", "stated", "exhaustive", "source", "note"},
    Problem: {"file", "message", "message_en", "line", "code"},
    Government: {"code", "name", "level", "parent"},
    Extraction: {"document", "facts", "tables", "relations", "paragraphs", "problems",
                 "government", "kind", "year", "date"},
    Finding: {"code", "severity", "message", "facts", "sources", "expected", "printed", "gap",
              "tolerance", "message_en", "document", "id"},
}


@pytest.mark.parametrize("record", list(STORED_FIELDS), ids=lambda r: r.__name__)
def test_store_knows_every_model_field(record: type) -> None:
    assert {f.name for f in fields(record)} == STORED_FIELDS[record]


def _urls() -> list[object]:
    pg = os.environ.get("YUSUAN_TEST_PG")
    return [
        "sqlite",
        pytest.param(
            pg or "postgresql://",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not pg, reason="YUSUAN_TEST_PG not set"),
            ],
        ),
    ]


@pytest.fixture(params=_urls())
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        opened = Store.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    else:
        opened = Store.open(request.param)
        # a clean database for each test: drop everything, migrate afresh
        with opened.engine.begin() as conn:
            metadata().drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        opened.close()
        opened = Store.open(request.param)
    yield opened
    opened.close()


def _count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_round_trip_is_exact(store: Store) -> None:
    ex = make_extraction()
    result = store.ingest(ex)
    assert (result.new, result.facts, result.tables, result.relations, result.problems) == (
        True, 4, 2, 2, 1,
    )
    back = store.extraction(ex.document.id)
    assert back == ex
    # printed precision survives: 2.10 stays 2.10, 1E+2 stays 1E+2
    facts = store.facts(document=ex.document.id)
    assert [(str(f.amount.value), f.amount.unit) for f in facts] == [
        ("3.52", Unit.YI), ("2.10", Unit.YI), ("21000", Unit.WAN), ("1E+2", Unit.WAN),
    ]
    assert [f.id for f in facts] == [f.id for f in ex.facts]
    assert facts[0].source == ex.facts[0].source
    assert facts[3].period == Period.at(date(2024, 6, 30))
    assert store.tables(ex.document.id) == list(ex.tables)
    assert store.document(ex.document.id) == ex.document


def test_ingest_twice_adds_nothing(store: Store) -> None:
    ex = make_extraction()
    first = store.ingest(ex)
    second = store.ingest(ex)
    assert (first.new, second.new) == (True, False)
    assert (second.document, second.facts, second.tables, second.government) == (
        ex.document.id, 4, 2, "示例县",
    )
    assert (_count(store, DocumentRow), _count(store, FactRow), _count(store, TableCellRow)) == (
        1, 4, 3,
    )


def test_failure_mid_transaction_leaves_database_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.ingest(make_extraction())
    before = (_count(store, DocumentRow), _count(store, FactRow), _count(store, TableCellRow))
    other = make_extraction(TEXT + "\n备注", name="第二份.txt")

    calls = []

    def failing(fact: Fact, document: str, seq: int) -> dict[str, object]:
        calls.append(seq)
        if seq == 2:
            raise RuntimeError("disk full")
        from yusuan.store.ledger import _fact_cols

        return _fact_cols(fact, document, seq)

    monkeypatch.setattr(store, "_fact_cols", failing)
    with pytest.raises(RuntimeError):
        store.ingest(other)
    assert calls == [0, 1, 2]
    after = (_count(store, DocumentRow), _count(store, FactRow), _count(store, TableCellRow))
    assert after == before
    assert not store.has(other.document.id)
    monkeypatch.undo()
    assert store.ingest(other).new is True  # and it can be stored afterwards


def test_failure_in_a_table_rolls_back_the_document(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_args: object) -> None:
        raise ValueError("bad table")

    monkeypatch.setattr(store, "_write_table", failing)
    ex = make_extraction()
    with pytest.raises(ValueError):
        store.ingest(ex)
    assert (_count(store, DocumentRow), _count(store, FactRow)) == (0, 0)


def test_fact_filters(store: Store) -> None:
    ex = make_extraction()
    store.ingest(ex)
    other = make_extraction(TEXT + "\n另", name="b.txt")
    other = replace(other, facts=tuple(replace(f, government="样本市", division=None, id="") for f in other.facts))
    store.ingest(other)

    def ids(**kw: object) -> list[tuple[str, str]]:
        return [(f.government or "", f.indicator) for f in store.facts(**kw)]  # type: ignore[arg-type]

    assert len(store.facts()) == 8
    assert ids(government="示例县", stage="execution") == [
        ("示例县", "一般公共预算收入"), ("示例县", "税收收入"),
    ]
    assert ids(government="999901") == [("示例县", "一般公共预算收入")]
    assert ids(book=Book.FUND) == [("", "债务余额"), ("样本市", "债务余额")]
    assert ids(indicator="税收*", government="样本市") == [("样本市", "税收收入"), ("样本市", "税收收入")]
    assert ids(code="10*", document=ex.document.id) == [("示例县", "税收收入")]
    assert ids(period="2024-01..06", scope="own") == [("示例县", "税收收入"), ("样本市", "税收收入")]
    assert ids(period=Period.at(date(2024, 6, 30)), government="示例县") == []
    assert len(store.facts(year=2024)) == 8
    assert ids(scope="甲镇", stage=Stage.BUDGET) == [("示例县", "税收收入"), ("样本市", "税收收入")]
    assert ids(indicator="%") == []  # a literal % is not a wildcard


def test_documents_listing_and_resolve(store: Store) -> None:
    ex = make_extraction()
    store.ingest(ex)
    docs = store.documents()
    assert [(d.id, d.name, d.government, d.division, d.kind, d.year, d.date, d.facts, d.tables)
            for d in docs] == [
        (ex.document.id, "示例县.txt", "示例县", "999901", "execution_report", 2024,
         date(2024, 7, 25), 4, 2)
    ]
    assert docs[0].ingested_at.tzinfo is not None
    assert store.resolve(ex.document.id[:8]) == ex.document.id
    assert store.resolve("示例县.txt") == ex.document.id
    assert store.resolve("nothing") is None
    with pytest.raises(KeyError):
        store.extraction("0" * 64)


def test_remove_deletes_everything_of_a_document(store: Store) -> None:
    ex = make_extraction()
    store.ingest(ex)
    store.save_findings(ex.document.id, [_finding(ex)])
    assert store.remove(ex.document.id) is True
    assert (_count(store, DocumentRow), _count(store, FactRow), _count(store, TableCellRow)) == (
        0, 0, 0,
    )
    assert store.findings() == []
    assert store.remove(ex.document.id) is False


def _finding(ex: Extraction, code: str = "YS101", printed: str = "3.52") -> Finding:
    return Finding(
        code=code,
        severity=Severity.ERROR,
        message="合计与分项之和不符",
        facts=(ex.facts[0].id, ex.facts[1].id),
        sources=(ex.facts[0].source, ex.facts[1].source),
        expected="[2.095, 2.105]",
        printed=printed,
        gap="1.415",
        tolerance="0.005",
        message_en="total differs from the sum of its parts",
        document=ex.document.id,
    )


def test_findings_round_trip_and_keep_reviews(store: Store) -> None:
    ex = make_extraction()
    store.ingest(ex)
    a, b = _finding(ex), _finding(ex, code="YS201", printed="9")
    assert store.save_findings(ex.document.id, [a, b, a]) == 2
    assert store.findings() == [a, b]
    assert store.review(a.id, "confirmed", comment="属实", who="审查员") == 1
    with pytest.raises(ValueError):
        store.review(a.id, "maybe")
    # the checker runs again: a is raised again, b is gone, c is new
    c = _finding(ex, code="YS301", printed="7")
    store.save_findings(ex.document.id, [a, c])
    reviewed = store.reviewed_findings()
    assert [(r.finding.code, r.status, r.comment, r.reviewed_by) for r in reviewed] == [
        ("YS101", "confirmed", "属实", "审查员"), ("YS301", None, None, None),
    ]
    assert reviewed[0].reviewed_at is not None
    assert [f.code for f in store.findings(status="open")] == ["YS301"]
    assert [f.code for f in store.findings(code="YS1*")] == ["YS101"]
    assert [f.code for f in store.findings(severity="warning")] == []
    store.review(a.id, None)
    assert [f.code for f in store.findings(status="open")] == ["YS101", "YS301"]
    with pytest.raises(KeyError):
        store.save_findings("f" * 64, [a])


def test_migrations_match_the_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert current_revision(store.engine) is not None
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata())
    assert diff == []
    assert set(Base.metadata.tables) <= set(inspect(store.engine).get_table_names())


def test_reopen_keeps_data_and_migrates_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'l.db'}"  # the folder is created
    with Store.open(url) as store:
        store.ingest(make_extraction())
    with Store.open(url) as store:
        assert [d.name for d in store.documents()] == ["示例县.txt"]
        assert current_revision(store.engine) == _head()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from yusuan.store.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


@pytest.mark.parametrize(
    ("given", "url"),
    [
        (None, "sqlite:///yusuan.db"),
        ("a/b.db", "sqlite:///a/b.db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgres://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_normalize_url(given: str | None, url: str) -> None:
    assert normalize_url(given) == url


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_real_documents_round_trip(prefix: str, tmp_path: Path) -> None:
    from tests.conftest import seed
    from yusuan.extract import extract
    from yusuan.read import read

    document, _ = read(seed(prefix))
    assert document is not None
    ex = extract(document)
    with Store.open(tmp_path / "seed.db") as store:
        assert store.ingest(ex).new is True
        assert store.extraction(document.id) == ex
        assert store.facts(document=document.id) == list(ex.facts)
