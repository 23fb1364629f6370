"""Deadlines, workflow and contributions.

Rules on ``inquiry_kind`` (working days, internal deadline N days before); the derived
deadlines stored on ``case`` (so the list sorts and filters by them with an index);
override, answered date and approver on ``case``; tables for own closing days,
extensions, pauses ("sat i bero") and contributions (bidrag).

Plain ADD COLUMN with server defaults (a batch rebuild of "case" on SQLite would drop
the search triggers of migration 0002). Existing cases get their derived deadlines in
one set-based UPDATE: the deadline depends only on (received date, kind) before any
extension or pause exists, so it is computed once per distinct pair (≈ 10,000 pairs
for 100,000 cases) and joined in from a temporary table.

Revision ID: 0005_deadlines
Revises: 0007_team
Create Date: 2026-11-21 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_deadlines"
down_revision: str | None = "0007_team"
branch_labels = None
depends_on = None

# Defaults of the reference data (db/reference/inquiry_kinds.json) for existing kinds.
RULES = {"udvalg": (20, 5), "aktindsigt": (7, 2), "presse": (2, 1)}
CASE_INDEXES = {
    "ix_case_deadline_number": ["deadline", "year", "seq"],
    "ix_case_internal_deadline_number": ["internal_deadline", "year", "seq"],
    "ix_case_answered_on": ["answered_on"],
}


def upgrade() -> None:
    op.add_column(
        "inquiry_kind",
        sa.Column("deadline_days", sa.Integer(), nullable=False, server_default="10"),
    )
    op.add_column(
        "inquiry_kind", sa.Column("internal_days", sa.Integer(), nullable=False, server_default="3")
    )
    for column in ("deadline", "internal_deadline", "deadline_override", "answered_on"):
        op.add_column("case", sa.Column(column, sa.Date(), nullable=True))
    op.add_column(
        "case",
        sa.Column("deadline_override_reason", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column("case", sa.Column("approved_by", sa.String(), nullable=True))
    op.add_column("case", sa.Column("approved_at", sa.DateTime(), nullable=True))
    op.create_table(
        "closing_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing_day")),
        sa.UniqueConstraint("day", name=op.f("uq_closing_day_day")),
    )
    op.create_table(
        "deadline_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_deadline_extension_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_extension")),
    )
    op.create_index(op.f("ix_deadline_extension_case_id"), "deadline_extension", ["case_id"])
    op.create_table(
        "case_pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resume_status", sa.String(length=30), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_pause_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_pause")),
    )
    op.create_index(op.f("ix_case_pause_case_id"), "case_pause", ["case_id"])
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("question_number", sa.Integer(), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("internal_deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("gathered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["administration.id"],
            name=op.f("fk_contribution_administration_id_administration"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_contribution_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_contribution_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_contribution_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
    )
    op.create_index(op.f("ix_contribution_case_id"), "contribution", ["case_id"])
    _backfill()
    # After the backfill, so its UPDATE does not maintain them row by row.
    for name, columns in CASE_INDEXES.items():
        op.create_index(name, "case", columns)


KIND = sa.table(
    "inquiry_kind",
    sa.column("code", sa.String),
    sa.column("deadline_days", sa.Integer),
    sa.column("internal_days", sa.Integer),
)
CASE = sa.table(
    "case",
    sa.column("id", sa.Integer),
    sa.column("received_on", sa.Date),
    sa.column("kind_code", sa.String),
    sa.column("status", sa.String),
    sa.column("updated_at", sa.DateTime),
    sa.column("updated_by", sa.String),
    sa.column("deadline", sa.Date),
    sa.column("internal_deadline", sa.Date),
    sa.column("answered_on", sa.Date),
)
EVENT = sa.table(
    "case_event",
    sa.column("case_id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("field", sa.String),
    sa.column("new_value", sa.Text),
)
PAUSE = sa.table(
    "case_pause",
    sa.column("case_id", sa.Integer),
    sa.column("paused_on", sa.Date),
    sa.column("resumed_on", sa.Date),
    sa.column("reason", sa.Text),
    sa.column("resume_status", sa.String),
    sa.column("created_by", sa.String),
)
PAIRS = "tmp_deadline_pairs"


def _backfill() -> None:
    bind = op.get_bind()
    for code, (days, internal) in RULES.items():
        bind.execute(
            KIND.update()
            .where(KIND.c.code == code)
            .values(deadline_days=days, internal_days=internal)
        )
    sqlite = bind.dialect.name == "sqlite"
    tmp = _pairs_table(bind)
    open_ended = CASE.c.status == "i_bero"  # the clock is stopped: no deadline

    def pick(column: str) -> sa.ColumnElement[object]:
        found = (
            sa.select(tmp.c[column])
            .where(tmp.c.received_on == CASE.c.received_on, tmp.c.kind_code == CASE.c.kind_code)
            .scalar_subquery()
        )
        return sa.case((open_ended, sa.null()), else_=found)

    # The answered date, where the history shows when the status became "Besvaret".
    last = sa.func.max(EVENT.c.at)
    answered = (
        sa.select(sa.func.date(last) if sqlite else sa.cast(last, sa.Date))
        .where(
            EVENT.c.case_id == CASE.c.id,
            EVENT.c.field == "Status",
            EVENT.c.new_value == "Besvaret",
        )
        .scalar_subquery()
    )
    # One pass over "case" (each UPDATE rewrites every row: ≈ 1 s per pass at 100,000).
    bind.execute(
        CASE.update().values(
            deadline=pick("deadline"),
            internal_deadline=pick("internal_deadline"),
            answered_on=sa.case(
                (CASE.c.status.in_(["besvaret", "offentliggjort"]), answered), else_=sa.null()
            ),
        )
    )
    bind.exec_driver_sql(f"DROP TABLE {PAIRS}")
    # Cases already "sat i bero": the clock stopped when they were last changed.
    paused_day = sa.func.date(CASE.c.updated_at) if sqlite else sa.cast(CASE.c.updated_at, sa.Date)
    bind.execute(
        PAUSE.insert().from_select(
            ["case_id", "paused_on", "resumed_on", "reason", "resume_status", "created_by"],
            sa.select(
                CASE.c.id,
                paused_day,
                sa.null(),
                sa.literal("Sat i bero før fristberegningen blev indført"),
                sa.literal("under_udarbejdelse"),
                CASE.c.updated_by,
            ).where(open_ended),
        )
    )


def _pairs_table(bind: sa.Connection) -> sa.TableClause:
    """A temporary table of the deadline of every (received date, kind) in use."""
    from kkdesk.core.calendar import WorkCalendar

    rules = {code: (d, i) for code, d, i in bind.execute(sa.select(KIND))}
    pairs = bind.execute(sa.select(CASE.c.received_on, CASE.c.kind_code).distinct()).all()
    # The calendar's defaults: no closing days of the secretariat's own exist yet.
    calendar = WorkCalendar()
    rows = []
    for received, kind in pairs:
        days, internal = rules.get(kind, (10, 3))
        if days <= 0:
            continue
        deadline = calendar.add_working_days(received, days)
        inner = max(calendar.subtract_working_days(deadline, internal), received)
        rows.append({"r": received, "k": kind, "d": deadline, "i": inner})
    prefix = "TEMPORARY" if bind.dialect.name == "postgresql" else "TEMP"
    bind.exec_driver_sql(
        f"CREATE {prefix} TABLE {PAIRS} (received_on DATE NOT NULL, "
        "kind_code VARCHAR(20) NOT NULL, deadline DATE NOT NULL, "
        "internal_deadline DATE NOT NULL, PRIMARY KEY (received_on, kind_code))"
    )
    tmp = sa.table(
        PAIRS,
        sa.column("received_on", sa.Date),
        sa.column("kind_code", sa.String),
        sa.column("deadline", sa.Date),
        sa.column("internal_deadline", sa.Date),
    )
    if rows:
        bind.execute(
            tmp.insert().values(
                received_on=sa.bindparam("r"),
                kind_code=sa.bindparam("k"),
                deadline=sa.bindparam("d"),
                internal_deadline=sa.bindparam("i"),
            ),
            rows,
        )
    return tmp


def downgrade() -> None:
    for table in ("contribution", "case_pause", "deadline_extension"):
        op.drop_index(op.f(f"ix_{table}_case_id"), table_name=table)
        op.drop_table(table)
    op.drop_table("closing_day")
    for name in CASE_INDEXES:
        op.drop_index(name, table_name="case")
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop 0002's triggers.
    for column in (
        "approved_at",
        "approved_by",
        "deadline_override_reason",
        "answered_on",
        "deadline_override",
        "internal_deadline",
        "deadline",
    ):
        op.drop_column("case", column)
    op.drop_column("inquiry_kind", "internal_days")
    op.drop_column("inquiry_kind", "deadline_days")
