"""index facts.government: a government's page reads its facts by name

Revision ID: 0005_facts_government_index
Revises: 0004_pct_base
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005_facts_government_index"
down_revision = "0004_pct_base"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_facts_government", "facts", ["government"])


def downgrade() -> None:
    op.drop_index("ix_facts_government", table_name="facts")
