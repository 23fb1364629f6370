"""Bad input never crashes: hypothesis over every form validator and import path.

Text with emoji, right-to-left script, control characters, NUL and lone surrogates, huge
numbers, wrong types, 1 MB answers: each is either stored and exported unchanged, or
refused with a Danish message (a ``KnownError``). Anything else is a bug.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkdesk.core import cases, interchange, registry, users
from kkdesk.core.database import Database, open_database
from kkdesk.core.dates import parse_date
from kkdesk.core.drafts import AskerRef, CaseDraft, LetterDraft, QuestionDraft, validate_draft
from kkdesk.core.errors import FieldError, KnownError
from kkdesk.core.interchange import ImportError_

# Every kind of character, including NUL, other control characters and lone surrogates.
NASTY_CHARS = st.characters()
SPECIAL = st.sampled_from(
    [
        "\x00",
        "\x1b",
        "\x0b",
        "\u202e",
        "\ufeff",
        "\ud800",
        "\udfff",
        "🚲",
        "👩‍👩‍👧",
        "שלום",
        "مرحبا",
        "\r\n",
        "\t",
    ]
)
TEXT = st.one_of(
    st.text(NASTY_CHARS, max_size=40),
    st.lists(st.one_of(SPECIAL, st.text(max_size=5)), max_size=8).map("".join),
)
SAFE_CHARS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
SAFE_TEXT = st.text(SAFE_CHARS, max_size=40)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Rollback(Exception):
    """Ends an example's database work without keeping it."""


def _in_rollback(db: Database, work: Callable[[Any], None]) -> KnownError | None:
    """Run ``work(session)`` as the program would (errors mapped to KnownError), then undo."""
    try:
        with db.session() as session:
            work(session)
            raise _Rollback
    except _Rollback:
        return None
    except KnownError as exc:
        assert exc.message.strip()
        return exc


def drafts(text: st.SearchStrategy[str]) -> st.SearchStrategy[CaseDraft]:
    """Case drafts that refer to existing records but have arbitrary text and values."""
    question = st.builds(
        QuestionDraft,
        number=st.one_of(st.integers(1, 30), st.integers(-5, 10**20)),
        text=text,
        answer=text,
    )
    return st.builds(
        CaseDraft,
        subject=text,
        asker=st.builds(
            AskerRef,
            name=text,
            party=st.sampled_from([None, "Ø", "A", "X"]),
            email=st.one_of(st.none(), st.just("aase@kk.dk"), text),
            role=st.sampled_from(["br", "borger", "xx"]),
        ),
        received=st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), max_size=3),
        administration=st.sampled_from(["TMF", "tmf", "BIF", "", "NOPE"]),
        kind=st.sampled_from(["br", "borger", "ukendt"]),
        channel=st.sampled_from(["email", "brev", "fax"]),
        unit=st.sampled_from([None, "Byens Drift", "Findes ikke"]),
        officer=st.none(),
        status=st.sampled_from(["modtaget", "besvaret", "lukket"]),
        notes=text,
        questions=st.lists(question, max_size=3),
        case_number=st.one_of(st.none(), st.sampled_from(["2025-0042", "25-1", "2025-99999999"])),
        letter=st.builds(
            LetterDraft,
            layout=st.sampled_from(["per_question", "ad", "x"]),
            general_answer=text,
            signer_name=st.one_of(st.none(), text),
            bilag=st.lists(text, max_size=2),
        ),
    )


@settings(max_examples=400, deadline=None)
@given(drafts(TEXT))
def test_validate_draft_never_raises(draft: CaseDraft) -> None:
    errors = validate_draft(draft)
    assert all(isinstance(e, FieldError) and e.message for e in errors)


@settings(max_examples=300, deadline=None)
@given(st.text(NASTY_CHARS, max_size=30))
def test_parse_date_raises_only_danish_value_errors(value: str) -> None:
    try:
        day = parse_date(value)
    except ValueError as exc:
        assert "dato" in str(exc).lower()
    else:
        assert isinstance(day, dt.date)


@SETTINGS
@given(draft=drafts(TEXT))
def test_create_case_stores_or_refuses(db: Database, draft: CaseDraft) -> None:
    def work(session: Any) -> None:
        case = cases.create_case(session, draft, "test")
        (exported,) = interchange.export_cases(session, [case.case_number])["cases"]
        assert exported["subject"] == draft.subject.strip()
        assert exported["notes"] == draft.notes
        assert [(q["text"], q["answer"]) for q in exported["questions"]] == [
            (q.text, q.answer) for q in draft.questions
        ]
        assert exported["letter"]["general_answer"] == draft.letter.general_answer
        # The export is valid JSON and reads back to the same text.
        again = json.loads(json.dumps(exported, ensure_ascii=False))
        assert again == exported

    _in_rollback(db, work)


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)
CASE_KEYS = [*sorted(interchange.CASE_KEYS), "extra"]


def _case_dicts() -> st.SearchStrategy[dict[str, Any]]:
    plausible = st.fixed_dictionaries(
        {
            "subject": TEXT,
            "asker": st.one_of(
                st.fixed_dictionaries({"name": TEXT}, optional={"party": JSON, "email": JSON}),
                JSON,
            ),
            "received": st.one_of(st.just(["2025-05-22"]), JSON),
            "administration": st.one_of(st.just("TMF"), JSON),
            "questions": st.one_of(
                st.lists(
                    st.fixed_dictionaries(
                        {"text": TEXT}, optional={"number": JSON, "answer": JSON}
                    ),
                    max_size=3,
                ),
                JSON,
            ),
        },
        optional={
            key: JSON
            for key in CASE_KEYS
            if key not in ("subject", "asker", "received", "administration", "questions")
        },
    )
    return plausible


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, st.fixed_dictionaries({"cases": st.lists(_case_dicts(), max_size=3)})))
def test_parse_document_returns_drafts_or_a_danish_error(document: Any) -> None:
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False)):
        try:
            drafts_ = interchange.parse_document(text)
        except ImportError_ as exc:
            assert exc.message.startswith(("Importen er afbrudt", "Filen"))
        else:
            assert all(validate_draft(d) == [] for d in drafts_)


@settings(max_examples=200, deadline=None)
@given(st.text(NASTY_CHARS, max_size=200))
def test_parse_document_of_any_text(text: str) -> None:
    with contextlib.suppress(ImportError_):
        interchange.parse_document(text)


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(ImportError_) as info:
        interchange.parse_document("[" * 100_000 + "]" * 100_000)
    assert "indlejret" in info.value.message


@SETTINGS
@given(document=st.fixed_dictionaries({"cases": st.lists(_case_dicts(), min_size=1, max_size=2)}))
def test_import_stores_or_refuses(db: Database, document: dict[str, Any]) -> None:
    try:
        parsed = interchange.parse_document(json.dumps(document))
    except ImportError_:
        return

    def work(session: Any) -> None:
        created = interchange.import_cases(session, parsed, "test")
        assert len(created) == len(parsed)

    _in_rollback(db, work)


def _registry_values(entity: str) -> st.SearchStrategy[dict[str, Any]]:
    from kkdesk.ui.registry_dialog import FIELDS

    _title, fields = FIELDS[entity]
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for field in fields:
        if field.kind == "bool":
            parts[field.key] = st.one_of(st.booleans(), TEXT)
        elif field.kind == "choice":
            parts[field.key] = st.one_of(
                st.none(),
                st.integers(-3, 10),
                st.integers(),
                TEXT,
                st.sampled_from(["br", "anden"]),
            )
        else:
            parts[field.key] = st.one_of(TEXT, st.text(string.ascii_uppercase, max_size=12))
    return st.fixed_dictionaries(parts)


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("entity", sorted(registry.ENTITIES))
def test_registry_save_stores_or_refuses(db: Database, entity: str, data: st.DataObject) -> None:
    values = data.draw(_registry_values(entity))
    record_id = data.draw(
        st.sampled_from([None, 1, 999]) if entity != "kind" else st.sampled_from([None, "br"])
    )

    def work(session: Any) -> None:
        record = registry.save(session, entity, record_id, values)
        for key, value in values.items():
            stored = getattr(record, key)
            if isinstance(value, str) and key not in ("email",):
                assert stored == value.strip()

    _in_rollback(db, work)


@SETTINGS
@given(values=st.fixed_dictionaries(
    {"login": TEXT, "name": TEXT, "initials": TEXT,
     "role": st.sampled_from(["sekretariat", "forvaltning", "laeser", "gud"]),
     "administration_id": st.one_of(st.none(), st.integers(-1, 9), TEXT),
     "active": st.booleans()}
))  # fmt: skip
def test_user_save_stores_or_refuses(db: Database, values: dict[str, Any]) -> None:
    _in_rollback(db, lambda session: users.save_user(session, "test", None, values))
    _in_rollback(db, lambda session: users.ensure_user(session, values["login"] or "x"))


@pytest.fixture
def second_db(tmp_path: Any) -> Any:
    other = open_database(f"sqlite:///{tmp_path / 'andet.sqlite3'}")
    yield other
    other.dispose()


def test_one_megabyte_answer_is_stored_exported_and_imported(
    db: Database, second_db: Database
) -> None:
    paragraph = (
        "Svar med æøå, emoji 🚲👩‍👩‍👧, højre-til-venstre שלום مرحبا og \x1b\x0b styretegn.\n"
    )
    answer = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    draft = CaseDraft(
        subject="Et meget langt svar",
        asker=AskerRef(name="Åse Ørsted", party="Ø"),
        received=[dt.date(2025, 5, 22)],
        administration="TMF",
        questions=[QuestionDraft(1, "Hvad siger rapporten?", answer)],
        letter=LetterDraft(general_answer=answer[:500_000]),
    )
    with db.session() as session:
        number = cases.create_case(session, draft, "test").case_number
    with db.session() as session:
        document = interchange.export_cases(session, [number])
    text = json.dumps(document, ensure_ascii=False)
    assert len(text) > 1_400_000
    with second_db.session() as session:
        interchange.import_cases(session, interchange.parse_document(text), "test")
    with second_db.session() as session:
        (case,) = interchange.export_cases(session)["cases"]
    assert case["questions"][0]["answer"] == answer
    assert case["letter"]["general_answer"] == answer[:500_000]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("med\x00nul", "indeholder et ugyldigt tegn (NUL)."),
        ("halvt \ud83d tegn", "indeholder et ugyldigt tegn (et halvt UTF-16-tegnpar)."),
    ],
)
def test_characters_that_cannot_be_stored_are_refused_everywhere(
    db: Database, value: str, message: str
) -> None:
    draft = CaseDraft(
        subject="Emne",
        asker=AskerRef(name="Navn", email=None),
        received=[dt.date(2025, 5, 22)],
        administration="TMF",
        unit=value,
        questions=[QuestionDraft(1, "Spørgsmål", value)],
        letter=LetterDraft(bilag=[value]),
    )
    found = {str(e) for e in validate_draft(draft)}
    assert f"Enhed: {message}" in found
    assert f"Svar på spørgsmål 1: {message}" in found
    assert f"Bilag 1: {message}" in found
    with pytest.raises(KnownError), db.session() as session:
        registry.save(session, "party", None, {"letter": "Q", "name": value})
    document = json.dumps({"cases": [{"subject": "x", "asker": {"name": value},
                                      "received": ["2025-05-22"], "administration": "TMF",
                                      "questions": [{"text": "x"}]}]})  # fmt: skip
    with pytest.raises(ImportError_):
        interchange.parse_document(document)
