"""Make the stored databases of earlier schema versions in tests/fixtures/dbs/.

For every migration revision before the newest one, a small SQLite file is made with the
real migrations up to that revision and filled with data as that version of kkdesk knew
it (plain SQL against that schema: the reference data, askers, officers, cases with
questions, received dates, history, counters, settings; Danish letters, emoji, CRLF).
``tests/test_upgrades.py`` and ``bench/faults.py`` upgrade copies of them to the newest
revision and check that no row is lost.

Run after adding a migration (the file of the new *previous* head appears):
``PYTHONPATH=. python scripts/make_fixture_dbs.py`` (existing files are kept as they are;
``--force`` remakes them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, text

from kkdesk.core import migrations, paths

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "fixtures" / "dbs"
NOW = dt.datetime(2025, 3, 14, 9, 30)

SUBJECTS = [
    "Støj fra byggepladsen på Åboulevarden",
    "Cykelparkering ved Nørreport – ønske om flere stativer",
    'Økonomien i "Kulturhuset Ø" 🎭',
    "Skolevej i Valby: trafiksikkerhed",
    "Ældreplejen på Østerbro\r\nopfølgning",
    "Vinterbadning ved Islands Brygge",
    "Kantinen på Rådhuset – økologi",
    "Gadebelysning på Amager",
    "Træer langs Ågade",
    "Ventetider i borgerservice",
    "Legepladser i Sydhavnen",
    "Affaldssortering i etageboliger",
]
ASKERS = [
    ("Åse Ørsted", "Ø", "aase@kk.dk", "br"),
    ("Søren Ærø", "A", None, "br"),
    ("Mette Fjord", "V", "mette@kk.dk", "br"),
    ("Kim Borger", None, "kim@example.dk", "borger"),
    ("Fatima El-Sayed", "F", None, "br"),
]


def _insert(conn: Connection, table: str, values: dict[str, Any]) -> int:
    columns = set(c["name"] for c in inspect(conn).get_columns(table))
    values = {k: v for k, v in values.items() if k in columns}
    names = ", ".join(f'"{k}"' for k in values)
    params = ", ".join(f":{k}" for k in values)
    result = conn.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({params})'), values)
    return int(result.lastrowid or 0)


def _reference(conn: Connection) -> dict[str, dict[str, int]]:
    ids: dict[str, dict[str, int]] = {"admin": {}, "unit": {}, "party": {}}
    reference = paths.reference_dir()
    for item in json.loads((reference / "administrations.json").read_text(encoding="utf-8")):
        units = item.pop("units", [])
        admin_id = _insert(conn, "administration", item | {"active": True})
        ids["admin"][item["code"]] = admin_id
        for name in units:
            ids["unit"][name] = _insert(
                conn, "unit", {"administration_id": admin_id, "name": name, "active": True}
            )
    for item in json.loads((reference / "parties.json").read_text(encoding="utf-8")):
        ids["party"][item["letter"]] = _insert(conn, "party", item)
    for item in json.loads((reference / "inquiry_kinds.json").read_text(encoding="utf-8")):
        _insert(conn, "inquiry_kind", item | {"active": item.get("active", True)})
    _insert(conn, "app_setting", {"key": "reference_data_loaded", "value": "1"})
    _insert(conn, "app_setting", {"key": "brevfod", "value": '{"hilsen": "Med venlig hilsen"}'})
    return ids


def fill(conn: Connection) -> None:
    """Data as kkdesk at the connection's revision would have stored it."""
    ids = _reference(conn)
    has_appendices = inspect(conn).has_table("letter_appendix")
    askers = [
        _insert(
            conn,
            "asker",
            {"name": n, "party_id": ids["party"].get(p) if p else None, "email": e, "role": r},
        )
        for n, p, e, r in ASKERS
    ]
    admin_codes = sorted(ids["admin"])
    tmf = ids["admin"]["TMF"]
    officers = [
        _insert(conn, "officer", {"name": name, "initials": ini, "email": None,
                                  "administration_id": tmf, "unit_id": None, "active": True})
        for name, ini in (("Ib Ølgaard", "IØ"), ("Lone Å. Berg", "LÅB"), ("Per Holm", "PH"))
    ]  # fmt: skip
    statuses = ["modtaget", "fordelt", "under_udarbejdelse", "besvaret", "i_bero"]
    for index, subject in enumerate(SUBJECTS):
        year = 2024 + index % 2
        seq = index + 1
        received = dt.date(year, 1 + index % 12, 1 + index)
        asker_index = index % len(askers)
        name, party, _email, _role = ASKERS[asker_index]
        admin_code = admin_codes[index % len(admin_codes)]
        values: dict[str, Any] = {
            "case_number": f"{year}-{seq:04d}",
            "year": year,
            "seq": seq,
            "kind_code": "br" if ASKERS[asker_index][3] == "br" else "borger",
            "subject": subject,
            "channel": "email",
            "received_on": received,
            "asker_id": askers[asker_index],
            "administration_id": ids["admin"][admin_code],
            "unit_id": None,
            "officer_id": officers[index % 3] if admin_code == "TMF" else None,
            "status": statuses[index % len(statuses)],
            "notes": "Intern note\nmed to linjer" if index % 3 == 0 else "",
            "search_text": " ".join(
                [f"{year}-{seq:04d}", subject, f"{name} ({party})" if party else name]
            ).casefold(),
            "created_at": NOW + dt.timedelta(days=index),
            "created_by": "anna",
            "updated_at": NOW + dt.timedelta(days=index, hours=2),
            "updated_by": "bo" if index % 2 else "anna",
            "version": 1 + index % 4,
        }
        # Columns a revision does not have yet are left out by _insert.
        values["general_answer"] = "Generelt svar 😊" if index % 4 == 0 else ""
        values["signer_name"] = "Åse Direktør" if index % 5 == 0 else None
        case_id = _insert(conn, "case", values)
        _insert(conn, "received_date", {"case_id": case_id, "received": received})
        if index % 4 == 1:
            later = received + dt.timedelta(days=3)
            _insert(conn, "received_date", {"case_id": case_id, "received": later})
        for number in range(1, 2 + index % 3):
            _insert(
                conn,
                "question",
                {
                    "case_id": case_id,
                    "position": number,
                    "number": number,
                    "text": f"Spørgsmål {number} om {subject.lower()}?",
                    "answer": f"Svar {number}\r\nmed afsnit – æøå" if index % 2 else "",
                },
            )
        _insert(
            conn,
            "case_event",
            {"case_id": case_id, "at": values["created_at"], "user": "anna",
             "action": "oprettet", "field": None, "old_value": None, "new_value": None,
             "comment": f"Sag {values['case_number']} oprettet"},
        )  # fmt: skip
        if index % 2:
            _insert(
                conn,
                "case_event",
                {"case_id": case_id, "at": values["updated_at"], "user": "bo",
                 "action": "status", "field": "Status", "old_value": "Modtaget",
                 "new_value": "Fordelt", "comment": ""},
            )  # fmt: skip
        if has_appendices and index % 3 == 0:
            appendix = {"case_id": case_id, "position": 1, "title": "Bilag 1 – Notat om støj"}
            _insert(conn, "letter_appendix", appendix)
    for year, last in ((2024, 11), (2025, 12)):
        _insert(conn, "case_number_counter", {"year": year, "last_number": last})


def revisions_before_head() -> list[str]:
    """Every revision except the newest, oldest first."""
    script = ScriptDirectory.from_config(migrations.alembic_config())
    ordered = [r.revision for r in reversed(list(script.walk_revisions()))]
    return ordered[:-1]


def make(revision: str, target: Path) -> Path:
    path = target / f"kkdesk-{revision}.sqlite3"
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(migrations.alembic_config(conn), revision)
        with engine.begin() as conn:
            fill(conn)
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.execute("VACUUM")
    raw.close()
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=TARGET)
    parser.add_argument("--force", action="store_true", help="remake existing files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for revision in revisions_before_head():
        path = args.out / f"kkdesk-{revision}.sqlite3"
        if path.exists() and not args.force:
            print(f"{path.name}: findes")
            continue
        made = make(revision, args.out)
        print(f"{made.name}: {made.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
