"""Migration 0002_cycle creates the cycle's tables as the models declare them, journal triggers included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from yusuan.cycle import ledger
from yusuan.cycle.db import CycleDB, open_db
from yusuan.store.cycle import CYCLE_TABLES
from yusuan.store.db import upgrade


def test_migration_builds_the_cycle_tables(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    upgrade(db.engine, "0002_cycle")
    inspector = inspect(db.engine)
    for table in CYCLE_TABLES:
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.columns.keys())
    ind = ledger.allocate(db, ledger.IndicatorKey("999901", 2024, "general", "甲", "2010301"),
                          D("10"), date(2024, 1, 2))
    assert ledger.pay(CycleDB(db.engine), ind, D("3"), date(2024, 2, 1)).available_after == D("7.00")
    with db.engine.begin() as conn, pytest.raises(DatabaseError):
        conn.execute(text("DELETE FROM cycle_journal"))
    upgrade(db.engine, "head")  # later migrations apply on top
