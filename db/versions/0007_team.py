"""A team on one database: users and roles, presence leases, an append-only audit trail,
and a version (optimistic lock) on questions.

The audit tables (``case_event``, ``audit_log``) are append-only: a trigger refuses
UPDATE and DELETE on both backends (on PostgreSQL also TRUNCATE), and on PostgreSQL the
privileges to change them are revoked from PUBLIC (per-person roles: kkdesk.core.pg_roles
grants only SELECT and INSERT on them). ``case_event`` loses its ON DELETE CASCADE, so a
case with history can no longer be hard-deleted (cases are set to "annulleret" instead).

Changing the foreign key rebuilds ``case_event`` on SQLite (a batch operation; no
triggers live on it before this revision). Any later batch rebuild of ``case_event`` or
``audit_log`` must recreate the ``audit_guard_*`` triggers. The "case" table is not rebuilt.

Revision ID: 0007_team
Revises: 0008_mail
Create Date: 2026-11-22 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_team"
down_revision: str | None = "0008_mail"
branch_labels = None
depends_on = None

AUDIT_TABLES = ("case_event", "audit_log")
GUARD_MESSAGE = "kkdesk: historikken kan kun udvides, ikke ændres eller slettes"


def _sqlite_guards() -> list[str]:
    statements = []
    for table in AUDIT_TABLES:
        for event in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER audit_guard_{table}_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END"
            )
    return statements


def _postgres_guards() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION kkdesk_audit_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{GUARD_MESSAGE} (%)', TG_TABLE_NAME "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    ]
    for table in AUDIT_TABLES:
        statements += [
            f"CREATE TRIGGER audit_guard_{table} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kkdesk_audit_append_only()",
            f"CREATE TRIGGER audit_guard_{table}_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kkdesk_audit_append_only()",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC",
        ]
    return statements


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("initials", sa.String(length=12), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["administration.id"],
            name=op.f("fk_app_user_administration_id_administration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("login", name=op.f("uq_app_user_login")),
    )
    op.create_table(
        "case_lease",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_lease_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_lease")),
        sa.UniqueConstraint("token", name=op.f("uq_case_lease_token")),
    )
    op.create_index(op.f("ix_case_lease_case_id"), "case_lease", ["case_id"])
    op.create_index(op.f("ix_case_lease_expires_at"), "case_lease", ["expires_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("field", sa.String(), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])
    op.add_column(
        "question", sa.Column("version", sa.Integer(), nullable=False, server_default="1")
    )
    # No ON DELETE CASCADE: deleting a case must never delete its history.
    with op.batch_alter_table("case_event") as batch_op:
        batch_op.drop_constraint("fk_case_event_case_id_case", type_="foreignkey")
        batch_op.create_foreign_key("fk_case_event_case_id_case", "case", ["case_id"], ["id"])
    dialect = op.get_bind().dialect.name
    for statement in _sqlite_guards() if dialect == "sqlite" else _postgres_guards():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in AUDIT_TABLES:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS audit_guard_{table}_{event}")
    else:
        for table in AUDIT_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS audit_guard_{table} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS audit_guard_{table}_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kkdesk_audit_append_only()")
    with op.batch_alter_table("case_event") as batch_op:
        batch_op.drop_constraint("fk_case_event_case_id_case", type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_case_event_case_id_case", "case", ["case_id"], ["id"], ondelete="CASCADE"
        )
    # Plain DROP COLUMN: a batch rebuild of "question" would trip the search triggers.
    op.drop_column("question", "version")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_case_lease_expires_at"), table_name="case_lease")
    op.drop_index(op.f("ix_case_lease_case_id"), table_name="case_lease")
    op.drop_table("case_lease")
    op.drop_table("app_user")
