"""Migration 0005 backfills the derived deadlines, answered dates and pauses of cases
registered before deadlines existed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alembic import command
from sqlalchemy import Engine, text

from kkdesk.core import migrations
from kkdesk.core.database import create_db_engine
from kkdesk.core.migrations import alembic_config

BEFORE = "0003"


def _insert(conn: Any, table: str, values: dict[str, Any]) -> None:
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f":{c}" for c in values)
    conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({params})'), values)


def _case(conn: Any, case_id: int, kind: str, received: dt.date, status: str) -> None:
    stamp = dt.datetime(2025, 6, 12, 9, 0)
    _insert(conn, "case", {
        "id": case_id, "case_number": f"2025-{case_id:04d}", "year": 2025, "seq": case_id,
        "kind_code": kind, "subject": "Støj", "channel": "email", "received_on": received,
        "asker_id": 1, "administration_id": 1, "status": status, "notes": "",
        "search_text": "", "created_at": stamp, "created_by": "anna", "updated_at": stamp,
        "updated_by": "bo", "version": 1,
    })  # fmt: skip


def _fill(engine: Engine) -> None:
    with engine.begin() as conn:
        _insert(conn, "administration", {"id": 1, "code": "TMF", "name": "Teknik",
                                         "genitive": "Teknik", "address": "", "signer_name": "",
                                         "signer_title": "", "active": True})  # fmt: skip
        for code in ("br", "aktindsigt", "egen"):
            _insert(conn, "inquiry_kind", {"code": code, "name": code, "active": True})
        _insert(conn, "asker", {"id": 1, "name": "Åse", "role": "br"})
        june_3 = dt.date(2025, 6, 3)
        _case(conn, 1, "br", june_3, "under_udarbejdelse")
        _case(conn, 2, "aktindsigt", june_3, "modtaget")
        _case(conn, 3, "br", june_3, "besvaret")
        _case(conn, 4, "br", june_3, "i_bero")
        _case(conn, 5, "egen", june_3, "offentliggjort")  # a kind of the secretariat's own
        _insert(conn, "case_event", {
            "case_id": 3, "at": dt.datetime(2025, 6, 18, 14, 5), "user": "bo",
            "action": "status", "field": "Status", "old_value": "Godkendt",
            "new_value": "Besvaret", "comment": "",
        })  # fmt: skip


def test_backfill(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), BEFORE)
        _fill(engine)
        migrations.upgrade_to_head(engine, db_url)
        with engine.connect() as conn:
            rows = conn.execute(
                text('SELECT id, deadline, internal_deadline, answered_on FROM "case" ORDER BY id')
            ).all()
            kinds = dict(conn.execute(text("SELECT code, deadline_days FROM inquiry_kind")).all())
            pauses = conn.execute(
                text("SELECT case_id, paused_on, resumed_on, resume_status FROM case_pause")
            ).all()
    finally:
        engine.dispose()

    def day(value: Any) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(str(value)[:10])

    found = [(r[0], day(r[1]), day(r[2]), day(r[3])) for r in rows]
    assert found == [
        (1, dt.date(2025, 6, 19), dt.date(2025, 6, 16), None),
        (2, dt.date(2025, 6, 16), dt.date(2025, 6, 12), None),  # aktindsigt: 7, 2 before
        (3, dt.date(2025, 6, 19), dt.date(2025, 6, 16), dt.date(2025, 6, 18)),
        (4, None, None, None),  # sat i bero: the clock is stopped
        (5, dt.date(2025, 6, 19), dt.date(2025, 6, 16), None),  # no history: no date
    ]
    assert kinds == {"br": 10, "aktindsigt": 7, "egen": 10}
    assert [(p[0], day(p[1]), p[2], p[3]) for p in pauses] == [
        (4, dt.date(2025, 6, 12), None, "under_udarbejdelse")
    ]
