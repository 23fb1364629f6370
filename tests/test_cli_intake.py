"""``kkdesk intake``: the dry run prints the case; a real run creates it with its bilag;
bad mails give a Danish message and save nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from kkdesk.core.database import open_database
from kkdesk.core.models import Case, CaseAttachment
from tests.test_cli import kkdesk

MAIL = Path(__file__).parent / "fixtures" / "mail"


def test_dry_run_json_prints_the_case_it_would_create(sqlite_url: str) -> None:
    result = kkdesk(
        "--db", sqlite_url, "intake", MAIL / "three_questions.eml", "--dry-run", "--json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "kkdesk-cases"
    (case,) = document["cases"]
    assert case["asker"] == {
        "name": "Signe Holm Bach",
        "party": None,
        "email": "signe.bach@kk.dk",
        "role": "br",
    }
    assert case["received"] == ["2025-06-04"]
    assert case["subject"] == "Spørgsmål om cykelparkering ved Nørreport"
    assert [q["number"] for q in case["questions"]] == [1, 2, 3]
    assert case["questions"][1]["text"] == (
        "Hvor ofte fjerner kommunen efterladte cykler fra stativerne?"
    )
    assert [a["name"] for a in document["attachments"]] == [
        "three_questions.eml",
        "Billeder af cykelstativer.pdf",
    ]
    assert document["asker_match"]["status"] == "new"
    db = open_database(sqlite_url)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Case)) == 0
    finally:
        db.dispose()


def test_intake_creates_case_with_bilag(sqlite_url: str) -> None:
    result = kkdesk(
        "--db", sqlite_url, "intake", MAIL / "outlook_question.msg", "--administration", "BUF"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2025-0001\tSpørgsmål om legepladser i Valby\t2 bilag")
    db = open_database(sqlite_url)
    try:
        with db.session() as session:
            names = session.scalars(select(CaseAttachment.file_name)).all()
            assert sorted(names) == ["Oversigt.pdf", "outlook_question.msg"]
    finally:
        db.dispose()


def test_bad_mails_give_danish_errors_and_save_nothing(sqlite_url: str) -> None:
    cases = {
        "no_date.eml": "har ingen dato",
        "broken_base64.eml": "beskadiget",
        "zero_attachment.eml": "er tomt",
        "not_a_msg.msg": "ikke en Outlook-besked",
    }
    for name, message in cases.items():
        result = kkdesk(
            "--db", sqlite_url, "intake", MAIL / "bad" / name, "--administration", "TMF"
        )
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith("Fejl: ") and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    no_admin = kkdesk("--db", sqlite_url, "intake", MAIL / "follow_up.eml")
    assert no_admin.returncode == 2 and "--administration" in no_admin.stderr
    db = open_database(sqlite_url)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Case)) == 0
    finally:
        db.dispose()
    skipped = kkdesk(
        "--db", sqlite_url, "intake", MAIL / "bad" / "broken_base64.eml",
        "--administration", "TMF", "--skip-bad-attachments",
    )  # fmt: skip
    assert skipped.returncode == 0, skipped.stderr
    assert "Advarsel: Bilaget 'notat.pdf' er beskadiget" in skipped.stderr


def test_dry_run_document_can_be_imported(sqlite_url: str) -> None:
    from kkdesk.core import interchange

    result = kkdesk(
        "--db", sqlite_url, "intake", MAIL / "three_questions.eml",
        "--dry-run", "--json", "--administration", "TMF",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (draft,) = interchange.parse_document(result.stdout)
    assert draft.administration == "TMF" and len(draft.questions) == 3
