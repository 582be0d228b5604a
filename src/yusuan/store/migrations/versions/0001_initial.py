"""initial ledger schema

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governments",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("government", sa.String(length=12), nullable=True),
        sa.Column("government_name", sa.String(length=100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("page_starts", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["government"],
            ["governments.code"],
        ),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_government"), ["government"], unique=False)

    op.create_table(
        "facts",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("value", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=24), nullable=False),
        sa.Column("period_year", sa.Integer(), nullable=False),
        sa.Column("period_start_month", sa.Integer(), nullable=False),
        sa.Column("period_end_month", sa.Integer(), nullable=False),
        sa.Column("period_day", sa.Date(), nullable=True),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("book", sa.String(length=20), nullable=True),
        sa.Column("government", sa.String(length=100), nullable=True),
        sa.Column("division", sa.String(length=12), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.Column("yoy_abs_value", sa.String(length=60), nullable=True),
        sa.Column("yoy_abs_unit", sa.String(length=8), nullable=True),
        sa.Column("yoy_pct", sa.String(length=60), nullable=True),
        sa.Column("pct_of_budget", sa.String(length=60), nullable=True),
        sa.Column("share_pct", sa.String(length=60), nullable=True),
        sa.Column("share_of", sa.Text(), nullable=True),
        sa.Column("table_number", sa.String(length=40), nullable=True),
        sa.Column("column_name", sa.Text(), nullable=True),
        sa.Column("row_index", sa.Integer(), nullable=True),
        sa.Column("source_document", sa.String(length=64), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=False),
        sa.Column("source_end", sa.Integer(), nullable=False),
        sa.Column("source_quote", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("source_page", sa.Integer(), nullable=True),
        sa.Column("source_derived", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facts_code"), ["code"], unique=False)
        batch_op.create_index(
            "ix_facts_context", ["government", "book", "stage", "period"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_facts_division"), ["division"], unique=False)
        batch_op.create_index("ix_facts_document_seq", ["document", "seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_id"), ["id"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_indicator"), ["indicator"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_period_year"), ["period_year"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_scope"), ["scope"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_stage"), ["stage"], unique=False)

    op.create_table(
        "findings",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("printed", sa.Text(), nullable=True),
        sa.Column("gap", sa.Text(), nullable=True),
        sa.Column("tolerance", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_status", sa.String(length=20), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_code"), ["code"], unique=False)
        batch_op.create_index("ix_findings_document_id", ["document", "id"], unique=True)

    op.create_table(
        "paragraphs",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paragraphs_document"), ["document"], unique=False)

    op.create_table(
        "problems",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_problems_document"), ["document"], unique=False)

    op.create_table(
        "relations",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("total", sa.String(length=64), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("stated", sa.String(length=60), nullable=True),
        sa.Column("exhaustive", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_document", sa.String(length=64), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("source_quote", sa.Text(), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_page", sa.Integer(), nullable=True),
        sa.Column("source_derived", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relations_document"), ["document"], unique=False)

    op.create_table(
        "tables",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("empty", sa.Boolean(), nullable=False),
        sa.Column("line_start", sa.Integer(), nullable=False),
        sa.Column("line_end", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("book", sa.String(length=20), nullable=True),
        sa.Column("scope", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document"], ["documents.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tables_document"), ["document"], unique=False)

    op.create_table(
        "finding_sources",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("finding", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("derived", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["finding"], ["findings.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("finding_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_sources_finding"), ["finding"], unique=False)

    op.create_table(
        "table_rows",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("table", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("total", sa.Boolean(), nullable=False),
        sa.Column("code_printed", sa.String(length=40), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["table"], ["tables.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("table_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_table_rows_table"), ["table"], unique=False)

    op.create_table(
        "table_cells",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("unplaced", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.String(length=60), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["row"], ["table_rows.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("table_cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_table_cells_row"), ["row"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("table_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_table_cells_row"))

    op.drop_table("table_cells")
    with op.batch_alter_table("table_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_table_rows_table"))

    op.drop_table("table_rows")
    with op.batch_alter_table("finding_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_sources_finding"))

    op.drop_table("finding_sources")
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tables_document"))

    op.drop_table("tables")
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_document"))

    op.drop_table("relations")
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problems_document"))

    op.drop_table("problems")
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paragraphs_document"))

    op.drop_table("paragraphs")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_document_id")
        batch_op.drop_index(batch_op.f("ix_findings_code"))

    op.drop_table("findings")
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facts_stage"))
        batch_op.drop_index(batch_op.f("ix_facts_scope"))
        batch_op.drop_index(batch_op.f("ix_facts_period_year"))
        batch_op.drop_index(batch_op.f("ix_facts_period"))
        batch_op.drop_index(batch_op.f("ix_facts_indicator"))
        batch_op.drop_index(batch_op.f("ix_facts_id"))
        batch_op.drop_index("ix_facts_document_seq")
        batch_op.drop_index(batch_op.f("ix_facts_division"))
        batch_op.drop_index("ix_facts_context")
        batch_op.drop_index(batch_op.f("ix_facts_code"))

    op.drop_table("facts")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_government"))

    op.drop_table("documents")
    op.drop_table("governments")
