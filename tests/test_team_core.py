"""Users and roles, permissions in the services, the append-only audit trail, presence
leases and question versions – without Qt, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update

from kkdesk.core import audit, cases, interchange, presence, registry, users
from kkdesk.core.audit import AuditTamperError
from kkdesk.core.database import Database, open_database
from kkdesk.core.errors import ConflictError, DatabaseError, ValidationError
from kkdesk.core.models import Administration, AppUser, AuditLog, CaseEvent, Question
from kkdesk.core.permissions import Action, PermissionDenied, allowed, require
from kkdesk.core.users import Actor
from tests.conftest import build_draft, postgres_url, reset_postgres


def _admin_id(db: Database, code: str) -> int:
    with db.session() as session:
        return session.scalars(select(Administration.id).where(Administration.code == code)).one()


def _team(db: Database) -> None:
    """anna: sekretariat (first user), bo: forvaltning TMF, cille: læser, dan: inactive."""
    tmf = _admin_id(db, "TMF")
    with db.session() as session:
        first = users.ensure_user(session, "Anna", name="Anna Andersen")
        assert first.created and first.first and first.actor.role == "sekretariat"
        second = users.ensure_user(session, "cille", name="Cille Ravn")
        assert second.created and not second.first and second.actor.role == "laeser"
        users.save_user(
            session,
            "anna",
            None,
            {"login": "bo", "name": "Bo Berg", "role": "forvaltning", "administration_id": tmf},
        )
        users.save_user(
            session, "anna", None, {"login": "dan", "name": "Dan Dam", "role": "sekretariat"}
        )
        dan = session.scalars(select(AppUser).where(AppUser.login == "dan")).one()
        users.save_user(
            session,
            "anna",
            dan.id,
            {"login": "dan", "name": "Dan Dam", "role": "sekretariat", "active": False},
        )


def _create(db: Database, user: str = "anna", **overrides: Any) -> int:
    with db.session() as session:
        return cases.create_case(session, build_draft(**overrides), user).id


def _edit(db: Database, case_id: int, user: str, change: Any) -> None:
    with db.session() as session:
        case = cases.load_case(session, case_id)
        draft = cases.case_to_draft(case)
        change(draft)
        cases.update_case(session, case_id, draft, expected_version=case.version, user=user)


# --- users -------------------------------------------------------------------------------


def test_single_user_mode_until_the_first_user(db: Database) -> None:
    with db.session() as session:
        assert users.actor_for(session, "hvemsomhelst").role == "sekretariat"
        assert not users.has_users(session)
    _create(db, user="hvemsomhelst")  # no user record yet: allowed
    with db.session() as session:
        registration = users.ensure_user(session, "ANNA", name="Anna Andersen")
        again = users.ensure_user(session, "anna")
    assert registration.actor.login == "anna" and registration.actor.initials == "AA"
    assert not again.created
    with db.session() as session:
        assert users.actor_for(session, "hvemsomhelst").role == "laeser"
        assert users.actor_for(session, "Anna").label == "Anna Andersen (AA)"
    with pytest.raises(PermissionDenied) as info:
        _create(db, user="hvemsomhelst")
    assert info.value.message == "Du har kun læseadgang i kkdesk og kan ikke oprette sager."


def test_user_changes_are_audited_and_validated(db: Database) -> None:
    _team(db)
    with db.session() as session:
        anna = session.scalars(select(AppUser).where(AppUser.login == "anna")).one()
        anna_id = anna.id
    # The last active secretary (dan is inactive) cannot lose the role.
    with pytest.raises(ValidationError) as info, db.session() as session:
        users.save_user(session, "anna", anna_id, {"login": "anna", "name": "A", "role": "laeser"})
    assert "mindst én aktiv sekretariatsbruger" in str(info.value)
    with pytest.raises(ValidationError) as info, db.session() as session:
        users.save_user(session, "anna", None, {"login": "x", "name": "X", "role": "forvaltning"})
    assert "skal vælges for en forvaltningsbruger" in str(info.value)
    with pytest.raises(ValidationError) as info, db.session() as session:
        users.save_user(session, "anna", None, {"login": "CILLE", "name": "C", "role": "laeser"})
    assert "'cille' er allerede oprettet" in str(info.value)
    # Only the secretariat manages users.
    with pytest.raises(PermissionDenied), db.session() as session:
        users.save_user(session, "bo", None, {"login": "y", "name": "Y", "role": "laeser"})
    with db.session() as session:
        users.update_profile(session, "cille", "Cille Ravn Holm", "crh")
        entries = audit.audit_entries(session, "bruger", "cille")
    assert [(e.field, e.old_value, e.new_value) for e in entries][-2:] == [
        ("Bruger cille: Navn", "Cille Ravn", "Cille Ravn Holm"),
        ("Bruger cille: Initialer", "CR", "CRH"),
    ]


# --- permissions -------------------------------------------------------------------------


def test_permission_matrix() -> None:
    case = cases._CaseRef(administration_id=7, case_number="2025-0001")
    other = cases._CaseRef(administration_id=8, case_number="2025-0002")
    secretary = Actor("anna", role="sekretariat")
    office = Actor("bo", role="forvaltning", administration_id=7, administration_code="TMF")
    reader = Actor("cille", role="laeser")
    gone = Actor("dan", role="sekretariat", active=False)
    for action in Action:
        assert allowed(secretary, action, case)
        assert not allowed(reader, action, case)
        assert not allowed(gone, action, case)
    assert allowed(office, Action.CASE_ANSWER, case)
    assert allowed(office, Action.CASE_TRANSITION, case)
    assert not allowed(office, Action.CASE_ANSWER, other)
    assert not allowed(office, Action.CASE_EDIT, case)
    assert not allowed(office, Action.REGISTRY_EDIT)
    with pytest.raises(PermissionDenied) as info:
        require(office, Action.CASE_ANSWER, other)
    assert info.value.message == (
        "Sag 2025-0002 hører ikke under din forvaltning (TMF), så du kan ikke skrive svar i den."
    )
    with pytest.raises(PermissionDenied) as info:
        require(gone, Action.CASE_EDIT, case)
    assert "er deaktiveret" in info.value.message


def test_roles_are_enforced_in_the_services(db: Database) -> None:
    _team(db)
    tmf_case = _create(db, administration="TMF", unit="Byens Drift")
    bif_case = _create(db, administration="BIF", unit=None)

    def answer(draft: Any) -> None:
        draft.questions[0].answer = "Svaret."

    # The administration answers its own case …
    _edit(db, tmf_case, "bo", answer)
    # … but not another administration's, and it does not change the facts.
    with pytest.raises(PermissionDenied):
        _edit(db, bif_case, "bo", answer)
    with pytest.raises(PermissionDenied) as info:
        _edit(db, tmf_case, "bo", lambda d: setattr(d, "subject", "Nyt emne"))
    assert info.value.message == (
        "Som forvaltningsbruger kan du ikke rette sagens oplysninger og spørgsmål."
    )

    def move(draft: Any) -> None:
        draft.administration, draft.unit = "BIF", None

    with pytest.raises(PermissionDenied):
        _edit(db, tmf_case, "bo", move)
    _edit(db, tmf_case, "bo", lambda d: setattr(d, "status", "fordelt"))

    # Readers and inactive users change nothing; unchanged saves are no-ops for anyone.
    def other_answer(draft: Any) -> None:
        draft.questions[0].answer = "Et andet svar."

    for login in ("cille", "dan"):
        with pytest.raises(PermissionDenied):
            _edit(db, tmf_case, login, other_answer)
    _edit(db, tmf_case, "cille", lambda d: None)
    with pytest.raises(PermissionDenied):
        _create(db, user="bo")
    with pytest.raises(PermissionDenied), db.session() as session:
        interchange.import_cases(session, [build_draft()], "cille")
    with pytest.raises(PermissionDenied), db.session() as session:
        registry.save(session, "party", None, {"letter": "X", "name": "X"}, user="bo")
    with pytest.raises(PermissionDenied), db.session() as session:
        registry.delete(session, "party", 1, user="cille")
    with db.session() as session:
        case = cases.load_case(session, tmf_case)
        assert case.questions[0].answer == "Svaret."
        assert case.status == "fordelt"
        assert case.subject == build_draft().subject


# --- audit trail -------------------------------------------------------------------------


def test_every_change_is_recorded_with_old_and_new_value(db: Database) -> None:
    case_id = _create(db, user="anna")

    def change(draft: Any) -> None:
        draft.questions[0].text = "Hvornår stopper larmen?"
        draft.questions[0].answer = "Til sommer."

    _edit(db, case_id, "bo", change)
    with db.session() as session:
        rows = audit.case_history(session, case_id)
    created = rows[0]
    assert (created.user, created.action) == ("anna", "Oprettet")
    assert "Emne: Støj fra byggepladsen på Åboulevarden" in created.new_value
    assert "Spørgsmål 1: Hvornår stopper støjen?" in created.new_value
    assert {(r.field, r.old_value, r.new_value) for r in rows[1:]} == {
        ("Spørgsmål 1: tekst", "Hvornår stopper støjen?", "Hvornår stopper larmen?"),
        ("Spørgsmål 1: svar", "", "Til sommer."),
    }


def test_registry_changes_go_to_the_audit_log(db: Database) -> None:
    with db.session() as session:
        party = registry.save(session, "party", None, {"letter": "X", "name": "Xpartiet"})
        party_id = party.id
    with db.session() as session:
        registry.save(session, "party", party_id, {"letter": "X", "name": "X-listen"}, user="bo")
    with db.session() as session:
        registry.delete(session, "party", party_id, user="bo")
        rows = audit.audit_entries(session, "party", party_id)
    assert [r.action for r in rows] == ["Oprettet", "Ændret", "Slettet"]
    assert (rows[1].field, rows[1].old_value, rows[1].new_value) == (
        "Parti " + str(party_id) + ": Navn",
        "Xpartiet",
        "X-listen",
    )


def test_the_audit_trail_cannot_be_changed_through_the_program(db: Database) -> None:
    case_id = _create(db)
    with db.session() as session:
        audit.log(session, "anna", "database", "", "gendannet", comment="prøve")
    with pytest.raises(AuditTamperError), db.session() as session:
        event = session.scalars(select(CaseEvent)).first()
        assert event is not None
        event.comment = "omskrevet"
    with pytest.raises(AuditTamperError), db.session() as session:
        session.delete(session.scalars(select(AuditLog)).one())
    for statement in (
        update(CaseEvent).values(comment="x"),
        delete(CaseEvent),
        delete(AuditLog),
    ):
        with pytest.raises(AuditTamperError), db.session() as session:
            session.execute(statement)
    with db.session() as session:
        assert len(audit.case_history(session, case_id)) == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE case_event SET comment = 'omskrevet'",
        "DELETE FROM case_event",
        "UPDATE audit_log SET comment = 'omskrevet'",
        "DELETE FROM audit_log",
    ],
)
def test_the_database_refuses_to_change_the_audit_trail(db: Database, sql: str) -> None:
    _create(db)
    with db.session() as session:
        audit.log(session, "anna", "database", "", "gendannet")
    with pytest.raises(DatabaseError) as info, db.session() as session:
        session.execute(text(sql))
    assert info.value.message == "Historikken kan kun udvides, ikke ændres eller slettes."
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_event")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


@pytest.mark.postgres
def test_truncate_of_the_audit_trail_is_refused_on_postgres() -> None:
    url = postgres_url()
    reset_postgres(url)
    db = open_database(url)
    try:
        _create(db)
        for table in ("case_event", "audit_log"):
            with pytest.raises(DatabaseError), db.session() as session:
                session.execute(text(f"TRUNCATE {table}"))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_event")).scalar() == 1
    finally:
        db.dispose()


def test_a_case_with_history_cannot_be_deleted(db: Database) -> None:
    case_id = _create(db)
    with pytest.raises(DatabaseError), db.session() as session:
        session.execute(text('DELETE FROM "case" WHERE id = :id'), {"id": case_id})
    with db.session() as session:
        assert cases.load_case(session, case_id).history


# --- optimistic locking ------------------------------------------------------------------


def test_question_versions(db: Database) -> None:
    case_id = _create(db)
    with db.session() as session:
        case = cases.load_case(session, case_id)
        stale = cases.case_to_draft(case)
        version = case.version
        assert stale.questions[0].version == 1
    # Someone changes the question directly (a future "answer only" service).
    with db.session() as session:
        question = session.scalars(select(Question)).one()
        question.answer = "Svar fra forvaltningen"
    with db.session() as session:
        assert session.scalars(select(Question)).one().version == 2
    stale.questions[0].answer = "Mit svar"
    with pytest.raises(ConflictError) as info, db.session() as session:
        cases.update_case(session, case_id, stale, expected_version=version, user="anna")
    assert (
        info.value.message
        == "Spørgsmål 1 i sag 2025-0001 er ændret af en anden, siden du åbnede sagen."
    )


def test_conflict_names_the_colleague(db: Database) -> None:
    _team(db)
    case_id = _create(db)
    with db.session() as session:
        case = cases.load_case(session, case_id)
        mine, version = cases.case_to_draft(case), case.version
    _edit(db, case_id, "anna", lambda d: setattr(d, "notes", "Først"))
    mine.notes = "Anden"
    with pytest.raises(ConflictError) as info, db.session() as session:
        cases.update_case(session, case_id, mine, expected_version=version, user="anna")
    assert (
        info.value.message == "Sag 2025-0001 er ændret af Anna Andersen (AA), siden du åbnede den."
    )


# --- presence ----------------------------------------------------------------------------


def test_presence_leases_expire(db: Database) -> None:
    case_id = _create(db)
    start = dt.datetime(2025, 5, 22, 8, 0, 0)
    with db.session() as session:
        mine = presence.open_lease(
            session, case_id, "anna", "Anna Andersen (AA)", "pc-1", now=start
        )
        theirs = presence.open_lease(session, case_id, "bo", "Bo Berg (BB)", "pc-2", now=start)
        again = presence.open_lease(
            session, case_id, "anna", "Anna Andersen (AA)", "pc-9", now=start
        )
    with db.session() as session:
        seen = presence.others(session, case_id, mine, now=start)
    assert [(p.login, p.host) for p in seen] == [("bo", "pc-2"), ("anna", "pc-9")]
    notice = presence.notice(seen, "anna", local=dt.UTC)
    assert notice == (
        "Bo Berg (BB) redigerer denne sag (på pc-2 siden kl. 08.00). "
        "Du har også sagen åben på pc-9 (siden kl. 08.00). "
        "Gemmer I begge, får den sidste besked og kan flette ændringerne."
    )
    later = start + dt.timedelta(seconds=presence.LEASE_SECONDS - 10)
    with db.session() as session:
        assert presence.heartbeat(session, theirs, now=later)
        presence.close_lease(session, again)
    # Bo's PC dies: no more heartbeats; after the lease time he is gone.
    gone = later + dt.timedelta(seconds=presence.LEASE_SECONDS + 1)
    with db.session() as session:
        assert presence.heartbeat(session, mine, now=gone)  # not purged yet: renewed
        assert presence.others(session, case_id, mine, now=gone) == []
        assert presence.purge_expired(session, now=gone) == 1
        assert presence.heartbeat(session, theirs, now=gone) is False
    assert presence.notice([], "anna") == ""
