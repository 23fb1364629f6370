"""The letter service on both databases: templates in the database, draft and final,
the approval override and the case history, batch export, and ``kkdesk letter``."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kkdesk.cli import main
from kkdesk.core import cases
from kkdesk.core.database import Database
from kkdesk.core.drafts import LetterDraft, QuestionDraft
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.letters import template_store
from kkdesk.core.letters.export import ApprovalRequired, export_batch, make_letter
from kkdesk.core.models import Administration, CaseEvent
from tests.conftest import build_draft
from tests.letter_support import docx_paragraphs, pdf_text

DAY = dt.date(2025, 6, 3)


def _case(db: Database, status: str = "under_udarbejdelse", **overrides: object) -> int:
    draft = build_draft(
        status=status,
        questions=[
            QuestionDraft(1, "Hvornår stopper støjen?", "Til sommer."),
            QuestionDraft(2, "Hvem fører tilsyn?", "Byens Drift."),
        ],
        letter=LetterDraft(layout="ad", signer_name="Bo Berg", signer_title="Direktør"),
        **overrides,
    )
    with db.session() as session:
        return cases.create_case(session, draft, "anna").id


def _letter_events(db: Database, case_id: int) -> list[CaseEvent]:
    with db.session() as session:
        return list(
            session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id, CaseEvent.action == "brev")
                .order_by(CaseEvent.id)
            )
        )


def test_draft_until_approved(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session:
        letter = make_letter(session, case_id, "pdf", user="bo", letter_date=DAY)
    assert letter.draft
    assert "UDKAST" in pdf_text(letter.data)
    assert _letter_events(db, case_id) == []  # drafts are not recorded


def test_final_needs_approval_or_a_recorded_override(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session, pytest.raises(ApprovalRequired) as caught:
        make_letter(session, case_id, "pdf", user="bo", final=True, override_reason="  ")
    assert "ikke godkendt (status: Under udarbejdelse)" in caught.value.message
    assert _letter_events(db, case_id) == []

    with db.session() as session:
        letter = make_letter(
            session,
            case_id,
            "pdf",
            user="bo",
            final=True,
            override_reason="Direktøren godkendte mundtligt",
            letter_date=DAY,
        )
    assert not letter.draft
    assert "UDKAST" not in pdf_text(letter.data)
    (event,) = _letter_events(db, case_id)
    assert event.user == "bo"
    assert event.field == "Godkendelse"
    assert event.old_value == "Under udarbejdelse"
    assert event.new_value == "tilsidesat"
    assert "Begrundelse: Direktøren godkendte mundtligt" in event.comment
    # The override did not change the case: an editor open on it can still save.
    with db.session() as session:
        assert cases.load_case(session, case_id).version == 1


def test_approved_case_gives_a_final_letter_and_records_it(db: Database) -> None:
    case_id = _case(db, status="godkendt")
    with db.session() as session:
        letter = make_letter(session, case_id, "docx", user="bo", letter_date=DAY)
    assert not letter.draft
    assert (
        letter.file_name
        == "03.06.25 - svar til Åse Ørsted (Ø) om Støj fra byggepladsen på Åboulevarden.docx"
    )
    (event,) = _letter_events(db, case_id)
    assert event.comment == f"Endeligt brev (Word) dannet: {letter.file_name}"


def test_final_letter_needs_every_answer(db: Database) -> None:
    draft_questions = [QuestionDraft(1, "Et?", "Ja."), QuestionDraft(2, "To?", "")]
    case_id = _case(db, status="godkendt")
    with db.session() as session:
        case = cases.load_case(session, case_id)
        draft = cases.case_to_draft(case)
        draft.questions = draft_questions
        cases.update_case(session, case_id, draft, expected_version=case.version, user="x")
    with db.session() as session, pytest.raises(KnownError, match="spørgsmål 2 har intet svar"):
        make_letter(session, case_id, "pdf", user="bo")
    # A draft (a case not yet approved) shows the gap instead.
    draft_id = _case(db, status="under_udarbejdelse")
    with db.session() as session:
        case = cases.load_case(session, draft_id)
        draft = cases.case_to_draft(case)
        draft.questions = draft_questions
        cases.update_case(session, draft_id, draft, expected_version=case.version, user="x")
    with db.session() as session:
        letter = make_letter(session, draft_id, "docx", user="bo")
    assert "[Svar mangler]" in "\n".join(docx_paragraphs(letter.data))


def test_unknown_format(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session, pytest.raises(KnownError, match="Formatet 'odt'"):
        make_letter(session, case_id, "odt", user="bo")


def test_templates_are_stored_per_administration(db: Database) -> None:
    case_id = _case(db, status="godkendt")
    with db.session() as session:
        tmf = session.scalar(select(Administration).where(Administration.code == "TMF"))
        assert tmf is not None
        template_store.save_templates(
            session, None, {"hilsen": "Hej {navn}", "afslutning": "Mange hilsner"}, "sekr"
        )
        template_store.save_templates(
            session,
            tmf.id,
            {"afslutning": "Venlig hilsen fra {forvaltning_kode}", "hilsen": ""},
            "sekr",
        )
    with db.session() as session:
        letter = make_letter(session, case_id, "docx", user="bo", record=False)
        texts = template_store.effective_templates(session, None).texts
    paragraphs = docx_paragraphs(letter.data)
    assert "Hej Åse Ørsted" in paragraphs  # common text
    assert "Venlig hilsen fra TMF" in paragraphs  # the administration's own
    assert texts["afslutning"] == "Mange hilsner"


def test_unknown_field_is_refused_when_saving_and_nothing_changes(db: Database) -> None:
    with db.session() as session:
        template_store.save_templates(session, None, {"hilsen": "Hej {navn}"}, "sekr")
    with db.session() as session, pytest.raises(ValidationError) as caught:
        template_store.save_templates(session, None, {"hilsen": "Hej {fornavn}"}, "sekr")
    assert caught.value.context == "Brevskabelonen kan ikke gemmes"
    assert "Starthilsen (Kære …): ukendt felt {fornavn}." in caught.value.message
    with db.session() as session:
        assert template_store.load_layer(session, None).texts == {"hilsen": "Hej {navn}"}


def test_logo_is_checked_and_used(db: Database, tmp_path: Path) -> None:
    with db.session() as session, pytest.raises(ValidationError, match="PNG eller JPEG"):
        template_store.save_templates(session, None, {}, "sekr", logo=b"GIF89a....")
    with db.session() as session, pytest.raises(ValidationError, match="kan ikke læses"):
        template_store.save_templates(session, None, {}, "sekr", logo=b"\x89PNG\r\n\x1a\nbroken")
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, format="PNG")
    with db.session() as session:
        template_store.save_templates(
            session, None, {}, "sekr", logo=out.getvalue(), logo_name="r.png"
        )
        assert template_store.effective_templates(session, None).logo == out.getvalue()
        layer = template_store.load_layer(session, None)
        assert layer.logo_name == "r.png" and layer.updated_by == "sekr"
        template_store.save_templates(session, None, {}, "sekr", logo=None)
        assert (
            template_store.effective_templates(session, None).logo == template_store.default_logo()
        )


def test_batch_export(db: Database, tmp_path: Path) -> None:
    approved = _case(db, status="godkendt")
    draft = _case(db, subject="Cykelstier på Amager")
    # Same name twice: the second file gets " (2)".
    twin = _case(db, status="godkendt")
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, _label: str) -> bool:
        seen.append((done, total))
        return True

    result = export_batch(
        db,
        [approved, draft, twin, 999999],
        "pdf",
        tmp_path,
        user="bo",
        letter_date=DAY,
        progress=progress,
    )
    assert [p.name for p in result.written] == [
        "03.06.25 - svar til Åse Ørsted (Ø) om Støj fra byggepladsen på Åboulevarden.pdf",
        "03.06.25 - svar til Åse Ørsted (Ø) om Cykelstier på Amager.pdf",
        "03.06.25 - svar til Åse Ørsted (Ø) om Støj fra byggepladsen på Åboulevarden (2).pdf",
    ]
    assert result.drafts == 1
    assert result.failed == [
        ("999999", "Sagen findes ikke længere. Den kan være slettet af en kollega.")
    ]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    for path in result.written:
        assert PdfReader(str(path)).pages
    assert len(_letter_events(db, approved)) == 1


def test_batch_export_can_be_cancelled(db: Database, tmp_path: Path) -> None:
    ids = [_case(db, status="godkendt") for _ in range(3)]
    result = export_batch(db, ids, "docx", tmp_path, user="bo", progress=lambda d, _t, _l: d < 1)
    assert result.cancelled
    assert len(result.written) == 1
    with pytest.raises(KnownError, match="findes ikke"):
        export_batch(db, ids, "docx", tmp_path / "mangler", user="bo")


# --- the command line -------------------------------------------------------------------


def test_cli_letter(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {
        "cases": [
            {
                "case_number": "2025-0042",
                "subject": "støj om natten",
                "asker": {"name": "Åse Ørsted", "party": "Ø"},
                "received": ["2025-05-20", "2025-05-22"],
                "administration": "TMF",
                "status": "til_godkendelse",
                "questions": [{"number": 1, "text": "Hvorfor?", "answer": "Derfor."}],
                "letter": {"layout": "svar_paa", "opening": "politikersvar"},
            }
        ]
    }
    source = tmp_path / "sag.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--db", db_url, "case", "import", str(source)]) == 0
    capsys.readouterr()

    out = tmp_path / "brev.pdf"
    code = main(["--db", db_url, "letter", "2025-0042", "--format", "pdf", "--out", str(out)])
    assert code == 0
    assert capsys.readouterr().out == f"{out}\tudkast\n"
    text = pdf_text(out.read_bytes())
    assert "Politikersvar til Åse Ørsted (Ø) vedr. støj om natten" in text
    assert "d. hhv. 20. og 22. maj 2025" in text

    code = main(["--db", db_url, "letter", "2025-0042", "--out", str(out), "--final"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Fejl: Sag 2025-0042 er ikke godkendt (status: Til godkendelse)." in captured.err

    folder = tmp_path / "ud"
    folder.mkdir()
    code = main(
        [
            "--db",
            db_url,
            "letter",
            "2025-0042",
            "--format",
            "docx",
            "--out",
            str(folder),
            "--final",
            "--override",
            "Hastesag",
            "--date",
            "2025-06-03",
        ]
    )
    assert code == 0
    written = folder / "03.06.25 - svar til Åse Ørsted (Ø) om støj om natten.docx"
    assert capsys.readouterr().out == f"{written}\tendeligt\n"
    assert "Svar på spørgsmål 1:" in docx_paragraphs(written.read_bytes())

    code = main(["--db", db_url, "letter", "2099-0001", "--out", str(out)])
    assert code == 2
    assert "Sag 2099-0001 findes ikke." in capsys.readouterr().err
