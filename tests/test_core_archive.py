"""Archive import: own letters in the forms of the archive parse to their structure, as
.txt (with PDF artefacts), .docx and .pdf; garbage gets a clear reason; saving is all or
nothing per letter."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kkdesk.cli import main
from kkdesk.core.archive import importer
from kkdesk.core.archive.letterparse import (
    AdminInfo,
    Directory,
    NotALetter,
    ParsedLetter,
    parse_letter,
)
from kkdesk.core.archive.readers import UnreadableFile, read_file
from kkdesk.core.database import Database
from kkdesk.core.models import Case, CaseEvent, Question
from tests.letter_samples import (
    ADMINS,
    LetterSpec,
    date_phrase,
    render_text,
    samples,
    write_docx,
    write_pdf,
)

DIRECTORY = Directory(
    administrations=tuple(AdminInfo(code, name, gen) for code, (name, gen) in ADMINS.items()),
    units=(("ØKF", "Ligestillingsenheden"), ("TMF", "Byens Drift")),
    parties=frozenset(["A", "B", "C", "F", "I", "M", "O", "V", "Æ", "Ø", "Å"]),
    # A known asker: "Kære <navn>" letters do not name the party, the register does.
    asker_parties={"Ida Bønnelykke": "F"},
)
SAMPLES = samples()


def _flat(text: str) -> str:
    return " ".join(text.replace("- ", " ").split())


def assert_matches(letter: ParsedLetter, spec: LetterSpec) -> None:
    assert letter.opening == spec.opening
    assert letter.layout == spec.layout
    assert letter.asker_name == spec.asker
    assert letter.asker_party == spec.party
    assert letter.received == sorted(spec.dates)
    assert letter.administration == spec.admin
    assert letter.subject == spec.subject
    assert [q.number for q in letter.questions] == list(range(1, len(spec.questions) + 1))
    assert [_flat(q.text) for q in letter.questions] == [_flat(t) for t in spec.expected_questions]
    assert [_flat(q.answer) for q in letter.questions] == [_flat(a) for a in spec.answers]
    assert _flat(letter.general_answer) == _flat(spec.general)
    assert letter.signer_name == spec.signer_name
    if spec.signer_name:
        assert letter.signer_title == (spec.signer_title or "")
    else:
        assert letter.signer_title is None
    assert letter.bilag == spec.bilag
    assert letter.problems == []


@pytest.mark.parametrize("index", range(len(SAMPLES)))
@pytest.mark.parametrize("double_space", [False, True])
def test_pdf_text_with_artefacts_parses(index: int, double_space: bool) -> None:
    spec = SAMPLES[index]
    text = render_text(spec, double_space=double_space, seed=index)
    assert_matches(parse_letter(text, DIRECTORY, source="x.txt"), spec)


def test_samples_have_hyphenation_artefacts() -> None:
    texts = [render_text(spec, seed=index) for index, spec in enumerate(SAMPLES)]
    broken = [
        line
        for t in texts
        for line in t.split("\n")
        if line.rstrip()[-2:]
        in ("r-", "e-", "s-", "l-", "t-", "n-", "g-", "m-", "d-", "k-", "o-", "a-", "i-")
    ]
    assert len(broken) >= 5


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_docx_and_pdf_parse(index: int, tmp_path: Path) -> None:
    spec = SAMPLES[index]
    write_docx(spec, tmp_path / "brev.docx")
    write_pdf(spec, tmp_path / "brev.pdf", seed=index)
    for name in ("brev.docx", "brev.pdf"):
        content = read_file(tmp_path / name)
        letter = parse_letter(content.text, DIRECTORY, source=name, paragraphs=content.paragraphs)
        assert_matches(letter, spec)


def test_paragraphs_and_lists_survive() -> None:
    spec = SAMPLES[1]
    letter = parse_letter(render_text(spec, seed=3), DIRECTORY)
    assert letter.questions[0].answer == spec.answers[0]
    assert letter.questions[1].answer.endswith(
        "ansøgning:\n\n- begrundelse for natarbejdet\n- plan for varsling af naboerne\n"
        "- tidsrum for arbejdet"
    )
    unit_letter = parse_letter(render_text(SAMPLES[2], seed=1), DIRECTORY)
    assert unit_letter.unit == "Ligestillingsenheden"
    assert "\n\nLedelse og ansvar\n\n" in unit_letter.questions[0].answer


def test_date_phrases() -> None:
    from kkdesk.core.archive.dates import find_dates

    days = find_dates("dine henvendelser af d. hhv. 12. og 15. januar 2021, hvor")
    assert [d.isoformat() for d in days] == ["2021-01-12", "2021-01-15"]
    assert date_phrase(days) == "d. hhv. 12. og 15. januar 2021"
    assert [d.isoformat() for d in find_dates("30. november og 2. december 2023")] == [
        "2023-11-30",
        "2023-12-02",
    ]
    assert find_dates("31. februar 2020") == []


def test_not_a_letter_has_a_reason() -> None:
    with pytest.raises(NotALetter, match="ligner ikke et svarbrev"):
        parse_letter("Årsrapport\n\nIndledning\nKønsligestilling i kommunen 2025.", DIRECTORY)
    with pytest.raises(NotALetter, match="ingen tekst"):
        parse_letter(" \n\n", DIRECTORY)
    with pytest.raises(NotALetter, match="Ingen spørgsmål"):
        parse_letter("Kære Anna\n\nTak for brevet.", DIRECTORY)


def test_unknown_administration_is_a_problem() -> None:
    text = render_text(SAMPLES[0], seed=0).replace("Beskæftigelses- og Integrations", "Rumfarts")
    text = text.replace("Beskæftigelses- og Integra", "Rumfarts")
    letter = parse_letter(
        text.replace("Integrationsforvaltningen", "Rumfartsforvaltningen"), DIRECTORY
    )
    assert "Forvaltningen blev ikke genkendt." in letter.problems


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_garbage_never_crashes(text: str) -> None:
    try:
        letter = parse_letter(text, DIRECTORY)
    except NotALetter as exc:
        assert exc.message
    else:
        assert letter.questions


_LINES = st.lists(st.sampled_from(["drop", "dup", "swap", "garbage", "cut", "join"]), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SAMPLES) - 1), _LINES, st.randoms(use_true_random=False))
def test_mangled_letters_never_crash(index: int, edits: list[str], rng: random.Random) -> None:
    lines = render_text(SAMPLES[index], seed=index, double_space=rng.random() < 0.3).split("\n")
    for edit in edits:
        if not lines:
            break
        at = rng.randrange(len(lines))
        if edit == "drop":
            del lines[at]
        elif edit == "dup":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "garbage":
            lines.insert(at, "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(30)))
        elif edit == "cut":
            lines = lines[:at]
        else:
            lines[at] = lines[at] + " Spørgsmål 7 Ad 9: Svar på spørgsmål 3:"
    try:
        letter = parse_letter("\n".join(lines), DIRECTORY)
    except NotALetter as exc:
        assert exc.message
    else:
        letter.check(DIRECTORY)
        letter.to_draft()


def test_unreadable_files_get_reasons(tmp_path: Path) -> None:
    (tmp_path / "tom.txt").write_text("")
    (tmp_path / "gammel.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "itu.docx").write_bytes(b"ikke en zip")
    (tmp_path / "itu.pdf").write_bytes(b"%PDF-1.4 noget vroevl")
    from reportlab.pdfgen import canvas

    scan = canvas.Canvas(str(tmp_path / "scannet.pdf"))
    scan.rect(50, 50, 200, 200, fill=1)
    scan.save()
    reasons = {}
    for path in sorted(tmp_path.iterdir()):
        with pytest.raises(UnreadableFile) as info:
            read_file(path)
        reasons[path.name] = info.value.message
    assert reasons["tom.txt"] == "Filen er tom."
    assert "understøttes ikke" in reasons["gammel.doc"]
    assert "Word-dokument" in reasons["itu.docx"]
    assert "PDF" in reasons["itu.pdf"]
    assert "intet tekstlag" in reasons["scannet.pdf"]


def _write_folder(folder: Path) -> None:
    folder.mkdir()
    for index, spec in enumerate(SAMPLES):
        kind = ("txt", "docx", "pdf")[index % 3]
        path = folder / f"brev{index}.{kind}"
        if kind == "txt":
            path.write_text(render_text(spec, seed=index), encoding="utf-8")
        elif kind == "docx":
            write_docx(spec, path)
        else:
            write_pdf(spec, path, seed=index)
    (folder / "rapport.txt").write_text("Årsrapport om alt muligt andet.\n", encoding="utf-8")


def test_cli_dry_run_json_and_import(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "arkiv"
    _write_folder(folder)
    assert main(["--db", db_url, "archive", "import", str(folder), "--dry-run", "--json"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["format"] == "kkdesk-cases"
    cases = document["cases"]
    assert len(cases) == len(SAMPLES)
    assert "rapport.txt" in err and "ligner ikke et svarbrev" in err
    by_subject = {c["subject"]: c for c in cases}
    for spec in SAMPLES:
        case = by_subject[spec.subject]
        assert case["asker"]["name"] == spec.asker
        assert case["asker"]["party"] == (spec.party if spec.opening == "politikersvar" else None)
        assert case["received"] == [d.isoformat() for d in sorted(spec.dates)]
        assert case["administration"] == spec.admin
        assert case["status"] == "besvaret"
        assert len(case["questions"]) == len(spec.questions)
        assert case["letter"]["layout"] == spec.layout
        assert case["letter"]["signer_name"] == spec.signer_name
    # Nothing was saved by the dry run; now import for real, twice.
    assert main(["--db", db_url, "archive", "import", str(folder)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "archive", "import", str(folder)]) == 1
    _out, err = capsys.readouterr()
    assert "findes allerede som sag" in err
    assert main(["--db", db_url, "case", "export"]) == 0
    exported = json.loads(capsys.readouterr().out)["cases"]
    assert sorted(c["subject"] for c in exported) == sorted(s.subject for s in SAMPLES)
    assert all(c["status"] == "besvaret" for c in exported)


def test_import_is_whole_letters_only(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as session:
        directory = importer.load_directory(session)
    letters = [
        parse_letter(render_text(s, seed=i), directory, source=f"b{i}.txt")
        for i, s in enumerate(SAMPLES[:3])
    ]
    original = importer.create_case
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        case = original(*args, **kwargs)
        if calls["n"] == 2:
            raise RuntimeError("strømmen gik")  # after the case and questions were flushed
        return case

    monkeypatch.setattr(importer, "create_case", crash_on_second)
    with pytest.raises(RuntimeError):
        importer.import_letters(db, letters, "test")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        (case,) = session.scalars(select(Case)).all()
        assert case.subject == SAMPLES[0].subject
        questions = session.scalar(select(func.count()).select_from(Question))
        assert questions == len(SAMPLES[0].questions)
        events = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)).all()
        assert list(events) == ["oprettet", "importeret"]
    monkeypatch.setattr(importer, "create_case", original)
    stop = iter([False, True])
    report = importer.import_letters(db, letters[1:], "test", cancelled=lambda: next(stop))
    assert report.cancelled and len(report.created) == 1
