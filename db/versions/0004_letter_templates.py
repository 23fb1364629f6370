"""Letter templates: the texts the secretariat edits, common and per administration.

Revision ID: 0004_letters
Revises: 0003
Create Date: 2026-11-21 21:14:32
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_letters"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("texts", sa.Text(), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_name", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["administration.id"],
            name=op.f("fk_letter_template_administration_id_administration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_template")),
        sa.UniqueConstraint("administration_id", name=op.f("uq_letter_template_administration_id")),
    )


def downgrade() -> None:
    op.drop_table("letter_template")
