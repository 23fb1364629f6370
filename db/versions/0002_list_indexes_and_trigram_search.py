"""List indexes and trigram search for the case list's free-text filter.

The list filters and sorts newest first, so its indexes end in (year, seq). The free-text
filter matches substrings of ``case.search_text``: on SQLite an external-content FTS5
table with the trigram tokenizer, kept in sync by triggers; on PostgreSQL a pg_trgm GIN
index, which plain ``LIKE '%…%'`` uses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:07:28
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

OLD_INDEXES = {
    "ix_case_administration_received": ["administration_id", "received_on"],
    "ix_case_received_on": ["received_on"],
    "ix_case_status_received": ["status", "received_on"],
    "ix_case_subject": ["subject"],
}
NEW_INDEXES = {
    "ix_case_administration_number": ["administration_id", "year", "seq"],
    "ix_case_received_number": ["received_on", "year", "seq"],
    "ix_case_status_number": ["status", "year", "seq"],
    "ix_case_subject_number": ["subject", "year", "seq"],
}

SQLITE_UP = [
    """CREATE VIRTUAL TABLE case_list_search USING fts5(
        search_text, content='case', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER case_list_search_ai AFTER INSERT ON "case" BEGIN
        INSERT INTO case_list_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER case_list_search_ad AFTER DELETE ON "case" BEGIN
        INSERT INTO case_list_search(case_list_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER case_list_search_au AFTER UPDATE OF search_text ON "case" BEGIN
        INSERT INTO case_list_search(case_list_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO case_list_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO case_list_search(case_list_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS case_list_search_au",
    "DROP TRIGGER IF EXISTS case_list_search_ad",
    "DROP TRIGGER IF EXISTS case_list_search_ai",
    "DROP TABLE IF EXISTS case_list_search",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE INDEX ix_case_search_text_trgm ON "case" USING gin (search_text gin_trgm_ops)',
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_case_search_text_trgm"]


def upgrade() -> None:
    for name in OLD_INDEXES:
        op.drop_index(name, table_name="case")
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "case", columns)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="case")
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "case", columns)
