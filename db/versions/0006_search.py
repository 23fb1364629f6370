"""Full-text search over cases, and standard texts.

One search document per case with the columns subject, questions, answers (including the
letter's general answer), asker ("Navn (Ø)") and notes, kept in sync by triggers on
"case", "question" and "asker" (so bulk inserts and every write path are covered):

* SQLite: an FTS5 table ``case_fts`` with ``unicode61 remove_diacritics 0`` (æ, ø, å stay
  letters of their own and fold case: "STØJ" finds "støj", "år" is not "ar") and prefix
  indexes for search-as-you-type.
* PostgreSQL: a table ``case_fts_doc`` with a generated ``tsvector`` (``danish``
  configuration, weights A–D) and a GIN index. Text is folded by ``case_fts_fold`` so
  Danish capitals fold even where the database's ctype is plain C.

Plain CREATE statements only: "case" is not rebuilt (its triggers from 0002 survive).

Revision ID: 0006_search
Revises: 0004_letters
Create Date: 2026-11-21 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_search"
down_revision: str | None = "0004_letters"
branch_labels = None
depends_on = None

# The document of the cases selected by WHERE_CLAUSE (SQLite). Question texts and answers
# are joined with a blank line in question order; the general answer comes first.
_SQLITE_DOC = """
    INSERT INTO case_fts(rowid, subject, questions, answers, asker, notes)
    SELECT c.id, c.subject,
        coalesce((SELECT group_concat(text, char(10) || char(10)) FROM
            (SELECT q.text FROM question q WHERE q.case_id = c.id ORDER BY q.position)), ''),
        trim(coalesce(c.general_answer, '') || char(10) || char(10) ||
            coalesce((SELECT group_concat(answer, char(10) || char(10)) FROM
            (SELECT q.answer FROM question q WHERE q.case_id = c.id AND q.answer <> ''
             ORDER BY q.position)), '')),
        a.name || coalesce(' (' || p.letter || ')', ''),
        c.notes
    FROM "case" c JOIN asker a ON a.id = c.asker_id LEFT JOIN party p ON p.id = a.party_id
    WHERE WHERE_CLAUSE;"""


def _refresh(where: str, delete: str) -> str:
    return f"DELETE FROM case_fts WHERE {delete};" + _SQLITE_DOC.replace("WHERE_CLAUSE", where)


SQLITE_UP = [
    """CREATE VIRTUAL TABLE case_fts USING fts5(
        subject, questions, answers, asker, notes,
        tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')""",
    # Column weights for bm25: a hit in the subject counts most, in the notes least.
    "INSERT INTO case_fts(case_fts, rank) VALUES ('rank', 'bm25(8.0, 4.0, 2.0, 3.0, 1.0)')",
    "CREATE VIRTUAL TABLE case_fts_vocab USING fts5vocab(case_fts, row)",
    f"""CREATE TRIGGER case_fts_case_ai AFTER INSERT ON "case" BEGIN
        {_refresh("c.id = new.id", "rowid = new.id")}
    END""",
    f"""CREATE TRIGGER case_fts_case_au
        AFTER UPDATE OF subject, notes, asker_id, general_answer ON "case" BEGIN
        {_refresh("c.id = new.id", "rowid = new.id")}
    END""",
    """CREATE TRIGGER case_fts_case_ad AFTER DELETE ON "case" BEGIN
        DELETE FROM case_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER case_fts_question_ai AFTER INSERT ON question BEGIN
        {_refresh("c.id = new.case_id", "rowid = new.case_id")}
    END""",
    f"""CREATE TRIGGER case_fts_question_au
        AFTER UPDATE OF text, answer, position, case_id ON question BEGIN
        {_refresh("c.id IN (old.case_id, new.case_id)", "rowid IN (old.case_id, new.case_id)")}
    END""",
    f"""CREATE TRIGGER case_fts_question_ad AFTER DELETE ON question BEGIN
        {_refresh("c.id = old.case_id", "rowid = old.case_id")}
    END""",
    f"""CREATE TRIGGER case_fts_asker_au AFTER UPDATE OF name, party_id ON asker BEGIN
        {
        _refresh("c.asker_id = new.id", 'rowid IN (SELECT id FROM "case" WHERE asker_id = new.id)')
    }
    END""",
    _SQLITE_DOC.replace("WHERE_CLAUSE", "1"),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS case_fts_asker_au",
    "DROP TRIGGER IF EXISTS case_fts_question_ad",
    "DROP TRIGGER IF EXISTS case_fts_question_au",
    "DROP TRIGGER IF EXISTS case_fts_question_ai",
    "DROP TRIGGER IF EXISTS case_fts_case_ad",
    "DROP TRIGGER IF EXISTS case_fts_case_au",
    "DROP TRIGGER IF EXISTS case_fts_case_ai",
    "DROP TABLE IF EXISTS case_fts_vocab",
    "DROP TABLE IF EXISTS case_fts",
]

_PG_DOC_SELECT = """
    SELECT c.id, c.subject,
        coalesce((SELECT string_agg(q.text, E'\\n\\n' ORDER BY q.position)
                  FROM question q WHERE q.case_id = c.id), ''),
        btrim(coalesce(c.general_answer, '') || E'\\n\\n' ||
              coalesce((SELECT string_agg(q.answer, E'\\n\\n' ORDER BY q.position)
                        FROM question q WHERE q.case_id = c.id AND q.answer <> ''), '')),
        a.name || coalesce(' (' || p.letter || ')', ''),
        c.notes
    FROM "case" c JOIN asker a ON a.id = c.asker_id LEFT JOIN party p ON p.id = a.party_id"""
_PG_COLUMNS = "case_id, subject, questions, answers, asker, notes"
_PG_UPSERT = f"""
    INSERT INTO case_fts_doc ({_PG_COLUMNS}) {_PG_DOC_SELECT} WHERE c.id = ANY(ids)
    ON CONFLICT (case_id) DO UPDATE SET subject = EXCLUDED.subject,
        questions = EXCLUDED.questions, answers = EXCLUDED.answers,
        asker = EXCLUDED.asker, notes = EXCLUDED.notes"""

POSTGRES_UP = [
    # Fold Danish (and other Latin-1) capitals explicitly: lower() and the text search
    # parser fold only ASCII when the database's ctype is C.
    """CREATE FUNCTION case_fts_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
        lower(translate(coalesce(value, ''), 'ÆØÅÄÖÜÉÈÁÀÍÓÚÑ', 'æøåäöüéèáàíóúñ'))""",
    """CREATE TABLE case_fts_doc (
        case_id integer PRIMARY KEY REFERENCES "case"(id) ON DELETE CASCADE,
        subject text NOT NULL DEFAULT '',
        questions text NOT NULL DEFAULT '',
        answers text NOT NULL DEFAULT '',
        asker text NOT NULL DEFAULT '',
        notes text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('danish'::regconfig, case_fts_fold(subject)), 'A') ||
            setweight(to_tsvector('danish'::regconfig, case_fts_fold(questions)), 'B') ||
            setweight(to_tsvector('danish'::regconfig, case_fts_fold(asker)), 'B') ||
            setweight(to_tsvector('danish'::regconfig, case_fts_fold(answers)), 'C') ||
            setweight(to_tsvector('danish'::regconfig, case_fts_fold(notes)), 'D')
        ) STORED)""",
    "CREATE INDEX case_fts_doc_document ON case_fts_doc USING gin (document)",
    f"""CREATE FUNCTION case_fts_refresh(ids integer[]) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_UPSERT};
        END $$""",
    """CREATE FUNCTION case_fts_case_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM case_fts_refresh(ARRAY[NEW.id]);
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION case_fts_question_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM case_fts_refresh(ARRAY[OLD.case_id]);
            ELSIF TG_OP = 'UPDATE' THEN
                PERFORM case_fts_refresh(ARRAY[OLD.case_id, NEW.case_id]);
            ELSE
                PERFORM case_fts_refresh(ARRAY[NEW.case_id]);
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION case_fts_asker_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM case_fts_refresh(ARRAY(SELECT id FROM "case" WHERE asker_id = NEW.id));
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER case_fts_case_aiu
        AFTER INSERT OR UPDATE OF subject, notes, asker_id, general_answer ON "case"
        FOR EACH ROW EXECUTE FUNCTION case_fts_case_trigger()""",
    """CREATE TRIGGER case_fts_question_aiud
        AFTER INSERT OR DELETE OR UPDATE OF text, answer, position, case_id ON question
        FOR EACH ROW EXECUTE FUNCTION case_fts_question_trigger()""",
    """CREATE TRIGGER case_fts_asker_au AFTER UPDATE OF name, party_id ON asker
        FOR EACH ROW EXECUTE FUNCTION case_fts_asker_trigger()""",
    f"INSERT INTO case_fts_doc ({_PG_COLUMNS}) {_PG_DOC_SELECT}",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS case_fts_asker_au ON asker",
    "DROP TRIGGER IF EXISTS case_fts_question_aiud ON question",
    'DROP TRIGGER IF EXISTS case_fts_case_aiu ON "case"',
    "DROP FUNCTION IF EXISTS case_fts_asker_trigger()",
    "DROP FUNCTION IF EXISTS case_fts_question_trigger()",
    "DROP FUNCTION IF EXISTS case_fts_case_trigger()",
    "DROP FUNCTION IF EXISTS case_fts_refresh(integer[])",
    "DROP TABLE IF EXISTS case_fts_doc",
    "DROP FUNCTION IF EXISTS case_fts_fold(text)",
]


def upgrade() -> None:
    op.create_table(
        "standard_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_text")),
        sa.UniqueConstraint("name", name=op.f("uq_standard_text_name")),
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_table("standard_text")
