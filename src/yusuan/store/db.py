"""Engine, sessions and migrations.

A database URL names the ledger: ``sqlite:///yusuan.db`` (the default), a
plain file path (taken as SQLite), or ``postgresql://user@host/db`` (run
through psycopg 3).  Opening a database brings its schema up to date with
the migrations shipped in this package, so nobody runs alembic by hand.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///yusuan.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x79757375616E  # "yusuan": the advisory lock held while migrating PostgreSQL


def metadata() -> MetaData:
    """Every table of the store: each module of this package that declares tables
    on :class:`yusuan.store.schema.Base` is imported first."""
    import yusuan.store as package
    from yusuan.store.schema import Base

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if not info.ispkg:
            importlib.import_module(info.name)
    return Base.metadata


def normalize_url(url: str | Path | None) -> str:
    """The SQLAlchemy URL for what a user typed.

    >>> normalize_url("ledger.db")
    'sqlite:///ledger.db'
    >>> normalize_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    if url is None or str(url) == "":
        return DEFAULT_URL
    text = str(url)
    if "://" not in text:
        return f"sqlite:///{text}"
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | Path | None) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and foreign keys on."""
    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        # wait for a competing writer (an upload beside a payment) instead of failing at once
        engine = create_engine(sa_url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(sa_url, pool_pre_ping=True)


def alembic_config() -> Config:
    """An alembic Config built in code, pointing at the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` (idempotent)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # several processes opening one database migrate it one at a time
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
