"""Bilag: files kept with a case (mail attachments, the original mail), bytes included.

Revision ID: 0008_mail
Revises: 0006_search
Create Date: 2026-11-21 21:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_mail"
down_revision: str | None = "0006_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("send_with_reply", sa.Boolean(), nullable=False),
        sa.Column("is_original", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_case_attachment_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachment")),
        sa.UniqueConstraint("case_id", "sha256", name=op.f("uq_case_attachment_case_id")),
    )
    op.create_index(op.f("ix_case_attachment_case_id"), "case_attachment", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_attachment_case_id"), table_name="case_attachment")
    op.drop_table("case_attachment")
