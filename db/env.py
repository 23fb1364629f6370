"""Alembic environment for kkdesk. Run from code (kkdesk.core.migrations) or the CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kkdesk.core.models import Base

config = context.config
target_metadata = Base.metadata

# Objects made by hand-written SQL in migrations (search indexes), not by the models.
UNMANAGED_PREFIXES = (
    "case_list_search",
    "ix_case_search_text_trgm",
    "case_fts",
    "audit_guard",
    "kkdesk_audit",
)


def include_name(name, type_, parent_names) -> bool:  # type: ignore[no-untyped-def]
    return not (name or "").startswith(UNMANAGED_PREFIXES)


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from kkdesk.core.database import resolve_url

        url = resolve_url(None)
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("kkdesk's migrations run online only.")
run_migrations_online()
