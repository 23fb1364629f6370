"""E-mail intake: reading .eml/.msg, trimming, splitting questions, matching the asker,
merging mails, and refusing bad input with Danish messages."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kkdesk.core import registry
from kkdesk.core.database import Database
from kkdesk.core.intake import (
    AttachmentProblem,
    IntakeError,
    Limits,
    PendingAttachment,
    build_intake,
    read_mail,
)
from kkdesk.core.intake.askers import EXACT, NEW, SUGGESTED, match_asker
from kkdesk.core.intake.body import clean_subject, split_questions, trim_body
from kkdesk.core.intake.html_text import html_to_text
from kkdesk.core.intake.save import create_case_from_mail
from kkdesk.core.models import Case, CaseAttachment, Party
from tests.mailgen import MsgSpec, write_msg

MAIL = Path(__file__).parent / "fixtures" / "mail"


def _add_asker(db: Database, name: str, email: str | None, party: str | None = "F") -> int:
    with db.session() as session:
        party_id = session.scalar(select(Party.id).where(Party.letter == party)) if party else None
        values = {"name": name, "email": email, "party_id": party_id, "role": "br"}
        return int(registry.save(session, "asker", None, values).id)


# --- reading ------------------------------------------------------------------------------


def test_eml_with_three_numbered_questions() -> None:
    mail = read_mail(MAIL / "three_questions.eml")
    assert mail.subject == "SV: Spørgsmål om cykelparkering ved Nørreport"
    assert (mail.sender_name, mail.sender_email) == ("Signe Holm Bach", "signe.bach@kk.dk")
    # Sent 23:40 UTC on 3 June = 01:40 on 4 June in Danish summer time.
    assert mail.sent is not None and mail.sent.utcoffset() == dt.timedelta(hours=2)
    assert mail.received == dt.date(2025, 6, 4)
    assert [a.name for a in mail.attachments] == ["Billeder af cykelstativer.pdf"]
    assert mail.attachments[0].data.startswith(b"%PDF-")
    assert (
        mail.original is not None
        and mail.original.data == (MAIL / "three_questions.eml").read_bytes()
    )
    split = split_questions(trim_body(mail.body))
    assert split.questions == [
        "Hvor mange cykelparkeringspladser er der i dag inden for 200 meter af stationen, "
        "og hvor mange af dem er overdækkede?",
        "Hvor ofte fjerner kommunen efterladte cykler fra stativerne?",
        "Har forvaltningen planer om at udvide antallet af pladser inden udgangen af 2026?",
    ]
    assert "pendlere" in split.preamble
    assert "Tlf." not in trim_body(mail.body)  # signature trimmed
    assert "Tak for din mail" not in trim_body(mail.body)  # quoted earlier mail trimmed


def test_html_only_latin1_mail_with_bullet_questions() -> None:
    mail = read_mail(MAIL / "html_citizen.eml")
    assert mail.sender_email == "bo.ravn1962@gmail.example"
    body = trim_body(mail.body)
    split = split_questions(body)
    assert split.style == "bullets"
    assert split.questions == [
        "Hvorfor kører natbusserne ad Ågade & ikke ad Åboulevarden?",
        "Kan ruten ændres?",
    ]
    assert "010203-1234" not in body and "tidligere mail" not in body


def test_outlook_msg_fixture_and_generated_msg(tmp_path: Path) -> None:
    mail = read_mail(MAIL / "outlook_question.msg")
    assert mail.subject == "Spørgsmål om legepladser i Valby"
    assert mail.sender_email == "signe.bach@kk.dk"
    assert mail.received == dt.date(2025, 3, 31)  # 22:15 UTC = 00:15 Danish summer time
    assert [a.name for a in mail.attachments] == ["Oversigt.pdf"]
    assert mail.original is not None and mail.original.name == "outlook_question.msg"
    winter = write_msg(
        tmp_path / "vinter.msg",
        MsgSpec("Vinter", "Ærling Ø", "ae@kk.dk", dt.datetime(2025, 1, 10, 23, 30, tzinfo=dt.UTC),
                "1) Hvad?\n2) Hvor?", [("a.txt", b"abc")]),
    )  # fmt: skip
    parsed = read_mail(winter)
    assert parsed.received == dt.date(2025, 1, 11)  # UTC+1 in winter
    assert split_questions(trim_body(parsed.body)).questions == ["Hvad?", "Hvor?"]
    assert parsed.attachments[0].content_type == "text/plain"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Spørgsmål 1\nHvad koster det?\n\nSpørgsmål 2:\nHvornår?\n\nTak",
            ["Hvad koster det?", "Hvornår?"],
        ),
        ("Spm. 1: Hvem?\nSpm. 2: Hvad?", ["Hvem?", "Hvad?"]),
        ("Hej\n\n1) Første\nfortsat\n2) Anden\n\nMvh", ["Første fortsat", "Anden"]),
        (
            "Mødet er flyttet.\n2. juni passer bedre.\nHvad siger I?",
            ["Mødet er flyttet.\n2. juni passer bedre.\nHvad siger I?"],
        ),
        ("- Et\n- To\n\nTak for hjælpen", ["Et", "To"]),
        ("Kan I svare på, hvorfor vejen er lukket?", ["Kan I svare på, hvorfor vejen er lukket?"]),
    ],
)  # fmt: skip
def test_question_styles(text: str, expected: list[str]) -> None:
    assert split_questions(text).questions == expected


def test_trim_quotes_and_signatures() -> None:
    body = (
        "Kære alle\n\n1. Hvorfor?\n\n-- \nSigne\n\n"
        "Den tir. 3. jun. 2025 kl. 10.12 skrev Ole <o@kk.dk>:\n> gammelt"
    )
    assert trim_body(body) == "Kære alle\n\n1. Hvorfor?"
    outlook = "1. Hvad?\n\nVenlig hilsen\nBo\n\n-----Oprindelig meddelelse-----\nFra: x"
    assert trim_body(outlook) == "1. Hvad?"
    assert clean_subject("SV: VS: Re:  Støj  ved skolen") == "Støj ved skolen"


def test_html_to_text_lists_and_entities() -> None:
    html = "<p>Hej&nbsp;der</p><ol><li>Et</li><li>To</li></ol><style>x{}</style><p>a<br>b</p>"
    assert html_to_text(html) == "Hej der\n\n1. Et\n2. To\n\na\nb"


# --- asker and merging ------------------------------------------------------------------


def test_asker_exact_by_email_and_name_suggested_and_new(db: Database) -> None:
    signe = _add_asker(db, "Signe Holm Bach", "signe.bach@kk.dk")
    _add_asker(db, "Bo Ravnsborg", None, party=None)
    with db.session() as session:
        domains = ["kk.dk"]
        by_mail = match_asker(session, "S. Bach", "SIGNE.BACH@kk.dk", own_domains=domains)
        assert by_mail.status == EXACT and by_mail.candidates[0].asker_id == signe
        assert by_mail.ref.party == "F"
        by_name = match_asker(session, "bo  ravnsborg", "bo@example.dk", own_domains=domains)
        assert by_name.status == EXACT and by_name.ref.name == "Bo Ravnsborg"
        fuzzy = match_asker(session, "Signe Bach", "signe@privat.example", own_domains=domains)
        assert fuzzy.status == SUGGESTED
        assert fuzzy.candidates[0].asker_id == signe
        assert fuzzy.ref.email == "signe@privat.example"
        new = match_asker(session, "", "karl.jensen@example.dk", own_domains=domains)
        assert new.status == NEW and new.ref.name == "Karl Jensen" and new.ref.role == "borger"


def test_two_mails_make_one_case_with_two_received_dates(db: Database) -> None:
    _add_asker(db, "Signe Holm Bach", "signe.bach@kk.dk")
    mails = [read_mail(MAIL / "follow_up.eml"), read_mail(MAIL / "three_questions.eml")]
    with db.session() as session:
        intake = build_intake(session, mails, administration="TMF")
        assert intake.asker.status == EXACT
        draft = intake.draft
        assert draft.received == [dt.date(2025, 6, 4), dt.date(2025, 6, 9)]
        assert draft.subject == "Spørgsmål om cykelparkering ved Nørreport"
        assert [q.number for q in draft.questions] == [1, 2, 3, 4]
        assert draft.questions[3].text == "Hvad koster en overdækket plads at etablere?"
        assert [a.name for a in intake.attachments] == [
            "three_questions.eml",
            "Billeder af cykelstativer.pdf",
            "follow_up.eml",
        ]
        case = create_case_from_mail(session, draft, intake.attachments, user="test")
        number = case.case_number
    with db.session() as session:
        stored = session.scalars(select(CaseAttachment).order_by(CaseAttachment.position)).all()
        assert [(a.file_name, a.is_original) for a in stored] == [
            ("three_questions.eml", True),
            ("Billeder af cykelstativer.pdf", False),
            ("follow_up.eml", True),
        ]
        assert number == "2025-0001"


# --- bad input ----------------------------------------------------------------------------


def test_no_date_is_a_known_error_unless_a_date_is_given(db: Database) -> None:
    mail = read_mail(MAIL / "bad" / "no_date.eml")
    assert mail.sent is None
    with db.session() as session, pytest.raises(IntakeError, match="har ingen dato"):
        build_intake(session, [mail])
    with db.session() as session:
        intake = build_intake(session, [mail], received_fallback=dt.date(2025, 5, 1))
        assert intake.draft.received == [dt.date(2025, 5, 1)]
        assert any("ingen dato" in w for w in intake.warnings)


def test_wrong_and_missing_charset_are_repaired_with_a_warning() -> None:
    wrong = read_mail(MAIL / "bad" / "wrong_charset.eml")
    assert "ærter, øl og ål" in wrong.body
    assert wrong.subject == "Forkert tegnsæt"
    assert any("us-ascii" in w and "UTF-8" in w for w in wrong.warnings)
    missing = read_mail(MAIL / "bad" / "missing_charset.eml")
    assert "Hvornår åbner Søbadet?" in missing.body
    assert any("manglede tegnsæt" in w for w in missing.warnings)


def test_broken_base64_and_empty_attachment() -> None:
    with pytest.raises(AttachmentProblem, match="beskadiget"):
        read_mail(MAIL / "bad" / "broken_base64.eml")
    lenient = read_mail(MAIL / "bad" / "broken_base64.eml", strict=False)
    assert lenient.attachments == [] and "ikke taget med" in lenient.warnings[0]
    with pytest.raises(AttachmentProblem, match="tomt"):
        read_mail(MAIL / "bad" / "zero_attachment.eml")


def test_not_a_msg_and_not_a_mail(tmp_path: Path) -> None:
    with pytest.raises(IntakeError, match="ikke en Outlook-besked"):
        read_mail(MAIL / "bad" / "not_a_msg.msg")
    with pytest.raises(IntakeError, match="ikke en e-mail"):
        read_mail(MAIL / "bad" / "not_a_mail.eml")
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()  # a valid OLE file (as a .doc is), but not a message
    writer.addEntry("WordDocument", b"\x00" * 100)
    other = tmp_path / "dokument.msg"
    writer.write(str(other))
    with pytest.raises(IntakeError, match="ikke en Outlook-besked"):
        read_mail(other)
    empty = tmp_path / "tom.eml"
    empty.write_bytes(b"")
    with pytest.raises(IntakeError, match="tom"):
        read_mail(empty)
    with pytest.raises(IntakeError, match="kan ikke læses"):
        read_mail(tmp_path / "findes-ikke.eml")


def test_attachment_over_the_limit() -> None:
    small = Limits(max_attachment=1000)
    with pytest.raises(AttachmentProblem, match="grænsen er 1000 byte"):
        read_mail(MAIL / "three_questions.eml", limits=small)


def test_200_mb_attachment_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "stor.eml"
    chunk = base64.b64encode(b"\x00" * 57 * 1000)  # whole lines of 76 characters
    lines = b"\r\n".join(chunk[i : i + 76] for i in range(0, len(chunk), 76)) + b"\r\n"
    with big.open("wb") as handle:
        handle.write(
            b"From: a@kk.dk\r\nSubject: Stor\r\nDate: Wed, 05 Mar 2025 09:00:00 +0100\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
            b"--B\r\nContent-Type: text/plain\r\n\r\n1. Se bilag\r\n--B\r\n"
            b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            b'Content-Disposition: attachment; filename="stor.pdf"\r\n\r\n'
        )
        for _ in range(200 * 1024 * 1024 // (57 * 1000) + 1):
            handle.write(lines)
        handle.write(b"--B--\r\n")
    assert big.stat().st_size > 260 * 1024 * 1024
    with pytest.raises(IntakeError, match="kkdesk kan højst tage imod e-mails på 60,0 MB"):
        read_mail(big)
    big.unlink()


def test_failed_bilag_leaves_no_half_made_case(db: Database) -> None:
    mail = read_mail(MAIL / "three_questions.eml")
    with db.session() as session:
        intake = build_intake(session, [mail], administration="TMF")
    bad = [*intake.attachments, PendingAttachment("tom.pdf", "application/pdf", b"")]
    with pytest.raises(AttachmentProblem), db.session() as session:
        create_case_from_mail(session, intake.draft, bad, user="test")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(CaseAttachment)) == 0
