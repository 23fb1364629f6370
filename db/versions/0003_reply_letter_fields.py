"""Reply letter fields: layout, opening, general answer, signer, bilag titles.

Plain ADD COLUMN with server defaults (no batch table rebuild: on SQLite a rebuild of
"case" would drop the search triggers of migration 0002).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 21:18:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_appendix",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_letter_appendix_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_appendix")),
    )
    op.create_index(op.f("ix_letter_appendix_case_id"), "letter_appendix", ["case_id"])
    op.add_column(
        "case",
        sa.Column(
            "letter_layout", sa.String(length=20), nullable=False, server_default="per_question"
        ),
    )
    op.add_column(
        "case",
        sa.Column("letter_opening", sa.String(length=20), nullable=False, server_default="kaere"),
    )
    op.add_column("case", sa.Column("general_answer", sa.Text(), nullable=False, server_default=""))
    op.add_column("case", sa.Column("signer_name", sa.String(), nullable=True))
    op.add_column("case", sa.Column("signer_title", sa.String(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop 0002's triggers.
    for column in ("signer_title", "signer_name", "general_answer", "letter_opening"):
        op.drop_column("case", column)
    op.drop_column("case", "letter_layout")
    op.drop_index(op.f("ix_letter_appendix_case_id"), table_name="letter_appendix")
    op.drop_table("letter_appendix")
