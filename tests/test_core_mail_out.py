"""Bilag with the reply: the Bilag list, PDF bilag appended with bookmarks, the
personal-data guard, and the reply e-mail (.eml) that moves the case to Besvaret."""

from __future__ import annotations

import datetime as dt
import email
import io
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from kkdesk.cli import main
from kkdesk.core import attachments, cases, privacy, registry, reply_mail
from kkdesk.core.database import Database
from kkdesk.core.drafts import AskerRef, LetterDraft, QuestionDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import make_letter
from kkdesk.core.mailsettings import set_own_domains
from kkdesk.core.models import CaseEvent
from kkdesk.core.pdf_bilag import PdfPart, append_pdfs, outline_titles
from tests.conftest import build_draft
from tests.letter_support import pdf_text

DAY = dt.date(2025, 6, 3)


def make_pdf(title: str, pages: int, body: str = "") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for page in range(1, pages + 1):
        pdf.drawString(72, 770, f"{title} side {page}")
        if body:
            pdf.drawString(72, 740, body)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _case(db: Database, status: str = "godkendt", answer: str = "Til sommer.") -> int:
    draft = build_draft(
        status=status,
        asker=AskerRef(name="Åse Ørsted", party="Ø", email="aase@kk.dk"),
        questions=[QuestionDraft(1, "Hvornår stopper støjen?", answer)],
        letter=LetterDraft(bilag=["Kort over området", "Tidsplan"]),
    )
    with db.session() as session:
        return cases.create_case(session, draft, "anna").id


def _add(db: Database, case_id: int, name: str, data: bytes, send: bool = True) -> int:
    with db.session() as session:
        info = attachments.add_attachment(session, case_id, name, data, user="anna")
        if send:
            attachments.set_send_with_reply(session, info.id, True, user="anna")
        return info.id


# --- PDF append ---------------------------------------------------------------------------


def test_append_pdfs_page_count_and_bookmarks() -> None:
    letter = make_pdf("Brev", 2)
    parts = [
        PdfPart("Bilag 1 – Kort", make_pdf("Kort", 3)),
        PdfPart("Bilag 2 – X", make_pdf("X", 1)),
    ]
    result = append_pdfs(letter, parts)
    assert len(PdfReader(io.BytesIO(result)).pages) == 6
    assert outline_titles(result) == [("Svarbrev", 0), ("Bilag 1 – Kort", 2), ("Bilag 2 – X", 5)]
    assert append_pdfs(letter, []) == letter
    with pytest.raises(KnownError, match="ikke en læsbar PDF"):
        append_pdfs(letter, [PdfPart("Bilag 1 – Skidt", b"%PDF-1.4 noget vrovl", "skidt.pdf")])
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("Hemmelig", 1))))
    locked.encrypt("hemmelig")
    buffer = io.BytesIO()
    locked.write(buffer)
    with pytest.raises(KnownError, match="adgangskode"):
        append_pdfs(letter, [PdfPart("Bilag 1", buffer.getvalue(), "låst.pdf")])


def test_letter_lists_file_bilag_and_appends_pdfs(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _case(db)
    # A file whose title matches a title line takes its number; others follow.
    _add(db, case_id, "Tidsplan.pdf", make_pdf("Tidsplan", 2))
    _add(db, case_id, "Notat om trafik.pdf", make_pdf("Notat", 3))
    _add(db, case_id, "Regneark.xlsx", b"PK\x03\x04 regneark")
    _add(db, case_id, "Ikke med.pdf", make_pdf("Ikke med", 1), send=False)
    with db.session() as session:
        entries = attachments.letter_bilag(session, case_id)
        assert [(e.number, e.title, e.attachment_id is not None) for e in entries] == [
            (1, "Kort over området", False),
            (2, "Tidsplan", True),
            (3, "Notat om trafik", True),
            (4, "Regneark", True),
        ]
        letter = make_letter(session, case_id, "pdf", user="bo", letter_date=DAY)
    reader = PdfReader(io.BytesIO(letter.data))
    with monkeypatch.context() as patch, db.session() as session:
        patch.setattr(attachments, "letter_pdf_parts", lambda _session, _case_id: [])
        plain = make_letter(session, case_id, "pdf", user="bo", letter_date=DAY).data
    letter_only = len(PdfReader(io.BytesIO(plain)).pages)
    assert len(reader.pages) == letter_only + 2 + 3
    assert outline_titles(letter.data) == [
        ("Svarbrev", 0),
        ("Bilag 2 – Tidsplan", letter_only),
        ("Bilag 3 – Notat om trafik", letter_only + 2),
    ]
    text = pdf_text(letter.data)
    for line in ("Bilag 1 – Kort over området", "Bilag 3 – Notat om trafik", "Bilag 4 – Regneark"):
        assert line in text
    assert "Ikke med side 1" not in text and "Notat side 3" in text


# --- personal-data guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Borgerens CPR er 010203-1234.", ["cpr"]),
        ("CPR 0102031234 uden bindestreg", ["cpr"]),
        ("Ugyldig dato 320299-1234 og 311399-1234", []),
        ("Ring på tlf. 2512851234", []),  # a phone number with a typo, not a CPR
        ("Skriv til bo@gmail.com eller sekretariat@okf.kk.dk", ["email"]),
        ("Ring 20 30 40 50 eller +45 31323334", ["telefon", "telefon"]),
        ("Sagsnr. 2025-0042, beløb 12345678 kr., dato 22-05-2025", []),
    ],
)
def test_scan_text(text: str, kinds: list[str]) -> None:
    assert [f.kind for f in privacy.scan_text(text, "Svar", own=["kk.dk"])] == kinds


def test_cpr_century_and_masking() -> None:
    assert privacy.cpr_date(1, 2, 3, 4) == dt.date(2003, 2, 1)
    assert privacy.cpr_date(1, 2, 60, 4) == dt.date(1960, 2, 1)
    assert privacy.cpr_date(1, 2, 60, 5) == dt.date(1860, 2, 1)
    assert privacy.cpr_date(29, 2, 1, 0) is None
    (finding,) = privacy.scan_text("CPR 010203-1234", "Emne", own=[])
    assert finding.value == "010203-••••" and "1234" not in finding.describe()


def test_scan_case_finds_texts_and_pdf_pages_and_records_reason(db: Database) -> None:
    case_id = _case(db, answer="Kontakt borgeren på bo@privat.example.")
    _add(db, case_id, "Notat.pdf", make_pdf("Notat", 2, body="CPR 010203-1234"))
    with db.session() as session:
        set_own_domains(session, ["kk.dk", "bif.kk.dk"])
    with db.session() as session:
        found = privacy.scan_case(session, case_id)
        assert [(f.kind, f.where) for f in found] == [
            ("email", "Svar på spørgsmål 1"),
            ("cpr", "Bilag 'Notat.pdf', side 1"),
            ("cpr", "Bilag 'Notat.pdf', side 2"),
        ]
        with pytest.raises(privacy.PersonalDataFound) as info:
            privacy.check_case(session, case_id, purpose="Svaret", reason="", user="bo")
        assert "Svaret indeholder muligvis personoplysninger (3 fund)" in info.value.message
        assert "Bilag 'Notat.pdf', side 2" in info.value.detail
    with db.session() as session:
        privacy.check_case(
            session, case_id, purpose="Svaret", reason="Borgeren har givet samtykke",
            user="bo", done="Svar-e-mail dannet",
        )  # fmt: skip
    with db.session() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.action == "persondata")).one()
        assert event.comment.startswith("Svar-e-mail dannet trods advarsel")
        assert event.comment.endswith("Begrundelse: Borgeren har givet samtykke")
        assert "1234" not in event.comment


# --- reply e-mail --------------------------------------------------------------------------


def test_reply_mail_with_letter_bilag_and_council_copy(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        for name, email_address, role in (
            ("Bo Berg", "bo.berg@kk.dk", "br"),
            ("Carl Dam", None, "br"),
            ("Dorthe Borger", "dorthe@example.dk", "borger"),
        ):
            registry.save(
                session, "asker", None, {"name": name, "email": email_address, "role": role}
            )
    case_id = _case(db)
    _add(db, case_id, "Tidsplan.pdf", make_pdf("Tidsplan", 1))
    _add(db, case_id, "Data.csv", b"a;b\n1;2\n")
    with db.session() as session:
        reply = reply_mail.build_reply(
            session, case_id, user="bo", cc_council=True, letter_date=DAY
        )
    path = reply_mail.write_reply(tmp_path / reply.file_name, reply)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "Åse Ørsted <aase@kk.dk>"
    assert message["Cc"] == "Bo Berg <bo.berg@kk.dk>"
    assert message["X-Unsent"] == "1"
    assert message["Subject"].startswith("Svar på din henvendelse om Støj fra byggepladsen")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Kære Åse Ørsted" in body and "22. maj 2025" in body and "1 bilag" in body
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert list(files) == [reply.letter.file_name, "Data.csv"]
    assert len(PdfReader(io.BytesIO(files[reply.letter.file_name])).pages) >= 2
    assert path.name.endswith(".eml") and path.name.startswith(reply.letter.file_name[:8])
    with db.session() as session:
        assert reply_mail.mark_sent(session, case_id, user="bo") == "besvaret"
    with db.session() as session:
        case = cases.load_case(session, case_id)
        assert case.status == "besvaret"
        actions = [(e.action, e.field) for e in case.history]
        assert ("status", "Status") in actions and ("svarmail", None) in actions


def test_reply_needs_approval_and_an_address(db: Database) -> None:
    case_id = _case(db, status="under_udarbejdelse")
    with db.session() as session, pytest.raises(KnownError, match="ikke godkendt"):
        reply_mail.build_reply(session, case_id, user="bo")
    draft = build_draft(status="godkendt", asker=AskerRef(name="Uden Mail"),
                        questions=[QuestionDraft(1, "Hvad?", "Svar.")])  # fmt: skip
    with db.session() as session:
        other = cases.create_case(session, draft, "anna").id
    with db.session() as session, pytest.raises(KnownError, match="ingen e-mailadresse"):
        reply_mail.build_reply(session, other, user="bo")


def test_cli_reply_and_letter_guard(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkdesk.core.database import open_database

    db = open_database(db_url)
    try:
        case_id = _case(db, answer="Ring til borgeren på 20 30 40 50.")
        with db.session() as session:
            number = cases.load_case(session, case_id).case_number
    finally:
        db.dispose()
    out = tmp_path / "svar.eml"
    assert main(["--db", db_url, "reply", number, "--out", str(out)]) == 2
    assert "Svaret indeholder muligvis personoplysninger" in capsys.readouterr().err
    assert (
        main(["--db", db_url, "letter", number, "--out", str(tmp_path / "b.pdf"), "--final"]) == 2
    )
    assert not (tmp_path / "b.pdf").exists()
    assert (
        main(
            [
                "--db",
                db_url,
                "reply",
                number,
                "--out",
                str(out),
                "--privacy-reason",
                "Kommunens nummer",
            ]
        )
        == 0
    )
    assert "aase@kk.dk" in capsys.readouterr().out and out.exists()
    assert main(["--db", db_url, "reply", number, "--sent"]) == 0
    assert capsys.readouterr().out.strip() == f"{number}\tbesvaret"
