"""Transactions for the cycle: one writer at a time per indicator, on SQLite and PostgreSQL.

SQLite: a write transaction starts with ``BEGIN IMMEDIATE``, which takes the
database's write lock before the first read, so two payments can never both
read the same balance and both spend it.  PostgreSQL: an ordinary
transaction, and the payment path locks the indicator row with
``SELECT … FOR UPDATE`` (see :mod:`yusuan.cycle.ledger`); other writers
lock the rows they check (debt limits) the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, event

from yusuan.store.cycle import CYCLE_TABLES
from yusuan.store.db import make_engine
from yusuan.store.schema import Base


def _sqlite_speed(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CycleDB:
    """An engine with the cycle's transaction discipline."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.sqlite = self.dialect == "sqlite"
        # SQLite has one writer at a time anyway: queueing this process's writers on a lock
        # spares them SQLite's sleeping busy handler.  BEGIN IMMEDIATE still guards against
        # writers in other processes.
        self._writer = threading.Lock()
        self._conn: Connection | None = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; committed on success, rolled back on any exception."""
        if self.sqlite:
            with self._writer:
                conn = self._sqlite_writer()
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
        else:
            with self.engine.begin() as conn:
                yield conn

    def _sqlite_writer(self) -> Connection:
        """This process's one SQLite write connection (used under ``self._writer``).

        Kept open between transactions: checking a connection out of the pool
        and resetting it costs more than a small payment transaction.  It runs
        in the driver's autocommit mode so that the transaction is exactly the
        ``BEGIN IMMEDIATE … COMMIT`` that :meth:`write` issues.  (An in-memory
        database, one per connection, is therefore for single-threaded use.)
        """
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    def close(self) -> None:
        """Close the write connection and dispose of the engine's pool."""
        with self._writer:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def create_tables(self) -> None:
        """Create the cycle's tables (tests, demo).  Real databases use the migrations."""
        Base.metadata.create_all(self.engine, tables=CYCLE_TABLES)


def open_db(url: str | Path | None, *, create: bool = False) -> CycleDB:
    """Open a ledger for the cycle; SQLite gets WAL mode and a long busy timeout."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_speed)
    db = CycleDB(engine)
    if create:
        db.create_tables()
    return db
