"""Alembic environment: run with the connection the store hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from yusuan.store.db import metadata

config = context.config
target_metadata = metadata()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # run from the alembic command line with sqlalchemy.url set
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///yusuan.db")
        with engine.begin() as conn:
            context.configure(
                connection=conn, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("yusuan migrations run online only (the store applies them on open)")
run()
