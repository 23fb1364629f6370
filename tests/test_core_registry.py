"""Reference records: saving with Danish validation, refusing to delete what is in use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kkdesk.core import registry
from kkdesk.core.caselist import CaseFilter, CaseSort, case_ids
from kkdesk.core.cases import create_case, load_case
from kkdesk.core.database import Database
from kkdesk.core.drafts import AskerRef, CaseDraft
from kkdesk.core.errors import KnownError, NotFoundError, ValidationError
from kkdesk.core.models import Administration, Asker, InquiryKind, Officer, Party, Unit

MakeDraft = Callable[..., CaseDraft]

NEW_ADMIN = {"code": "XYZ", "name": "Prøveforvaltningen", "genitive": "Prøveforvaltningens"}
IN_USE = "kan ikke slettes, fordi den bruges af sager eller andre poster."
HINT = " Markér den som inaktiv i stedet."


def _save(db: Database, entity: str, record_id: Any, values: dict[str, Any]) -> Any:
    with db.session() as session:
        record = registry.save(session, entity, record_id, values)
        return record.code if entity == "kind" else record.id


def _id_of(db: Database, model: Any, **where: Any) -> Any:
    with db.session() as session:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        record = session.scalars(query).one()
        return record.code if model is InquiryKind else record.id


def _validation(db: Database, entity: str, record_id: Any, values: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        _save(db, entity, record_id, values)
    return str(info.value)


def _search(db: Database, text: str) -> list[int]:
    with db.session() as session:
        return case_ids(session, CaseFilter(text=text), CaseSort())


# --- Saving ---------------------------------------------------------------------------


def test_create_and_update_administration(db: Database) -> None:
    admin_id = _save(db, "administration", None, {**NEW_ADMIN, "address": "  Vej 1  "})
    with db.session() as session:
        admin = session.get(Administration, admin_id)
        assert admin is not None
        assert (admin.code, admin.address, admin.active) == ("XYZ", "Vej 1", True)
    _save(db, "administration", admin_id, {**NEW_ADMIN, "name": "Nyt navn", "active": False})
    with db.session() as session:
        admin = session.get(Administration, admin_id)
        assert admin is not None
        assert (admin.name, admin.active) == ("Nyt navn", False)
        codes = [a.code for a in registry.list_records(session, "administration")]
    assert codes[-1] == "XYZ"
    assert len(codes) == len(set(codes))


def test_administration_validation(db: Database) -> None:
    assert _validation(db, "administration", None, {"code": " ", "name": "", "genitive": ""}) == (
        "Forvaltning: Kode: skal udfyldes.; Navn: skal udfyldes.; Genitiv: skal udfyldes."
    )
    assert _validation(db, "administration", None, {**NEW_ADMIN, "code": "TMF"}) == (
        "Forvaltning: Kode: 'TMF' bruges allerede."
    )
    # Saving a record under its own code is not a clash.
    tmf = _id_of(db, Administration, code="TMF")
    _save(db, "administration", tmf, {"code": "TMF", "name": "T", "genitive": "Ts"})


def test_save_of_vanished_record(db: Database) -> None:
    with pytest.raises(NotFoundError) as info:
        _save(db, "administration", 987654, NEW_ADMIN)
    assert str(info.value) == "Forvaltning findes ikke længere."


def test_units(db: Database, make_draft: MakeDraft) -> None:
    admin_id = _save(db, "administration", None, NEW_ADMIN)
    assert _validation(db, "unit", None, {"name": "Kontoret", "administration_id": 987654}) == (
        "Enhed: Forvaltning: skal vælges."
    )
    assert _validation(db, "unit", None, {"name": "", "administration_id": admin_id}) == (
        "Enhed: Navn: skal udfyldes."
    )
    _save(db, "unit", None, {"name": "Kontoret for Æbler", "administration_id": admin_id})
    with db.session() as session:
        names = [u.name for u in session.get(Administration, admin_id).units]  # type: ignore[union-attr]
        case = create_case(
            session, make_draft(administration="XYZ", unit="Kontoret for Æbler"), "test"
        )
        assert case.unit is not None and case.unit.name == "Kontoret for Æbler"
    assert names == ["Kontoret for Æbler"]


def test_unit_without_administration(db: Database) -> None:
    assert _validation(db, "unit", None, {"name": "Kontoret", "administration_id": ""}) == (
        "Enhed: Forvaltning: skal vælges."
    )


def test_duplicate_unit_name_is_refused_in_danish(db: Database) -> None:
    tmf = _id_of(db, Administration, code="TMF")
    message = _validation(db, "unit", None, {"name": "Byens Drift", "administration_id": tmf})
    assert "Byens Drift" in message


def test_duplicate_kind_code_is_refused_in_danish(db: Database) -> None:
    message = _validation(db, "kind", None, {"code": "br", "name": "Igen"})
    assert message == "Type henvendelse: Kode: 'br' bruges allerede."


def test_officer_and_email(db: Database, make_draft: MakeDraft) -> None:
    assert _validation(db, "officer", None, {"name": "Ib", "email": "ib@"}) == (
        "Sagsbehandler: E-mail: 'ib@' er ikke en gyldig e-mailadresse."
    )
    officer_id = _save(db, "officer", None, {"name": "Ib Ølgaard", "initials": "IØ", "email": ""})
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        assert officer is not None and officer.email is None
        case = create_case(session, make_draft(officer="Ib Ølgaard"), "test")
        assert case.officer is not None and case.officer.id == officer_id


def test_asker_and_party_validation(db: Database) -> None:
    assert _validation(db, "asker", None, {"name": "Bo", "role": "gud"}) == (
        "Spørger: Rolle: 'gud' er ukendt."
    )
    assert _validation(db, "asker", None, {"name": "", "email": "x"}) == (
        "Spørger: Navn: skal udfyldes.; E-mail: 'x' er ikke en gyldig e-mailadresse."
    )
    assert _validation(db, "party", None, {"letter": "Ø", "name": "Kopi"}) == (
        "Parti: Bogstav: 'Ø' bruges allerede."
    )
    assert _validation(db, "kind", None, {"code": "", "name": ""}) == (
        "Type henvendelse: Kode: skal udfyldes.; Navn: skal udfyldes."
    )
    assert _save(db, "kind", None, {"code": "klage", "name": "Klage"}) == "klage"
    with db.session() as session:
        codes = [k.code for k in registry.list_records(session, "kind")]
    assert codes == sorted(codes)
    assert "klage" in codes


# --- Search text follows askers and parties --------------------------------------------


def test_asker_rename_updates_search_text(db: Database, make_draft: MakeDraft) -> None:
    with db.session() as session:
        case = create_case(session, make_draft(asker=AskerRef(name="Åse Ørsted", party="Ø")), "t")
        case_id, asker_id = case.id, case.asker_id
    assert _search(db, "ørsted") == [case_id]
    values = {"name": "Åse Østergård", "party_id": _id_of(db, Party, letter="Ø"), "role": "br"}
    _save(db, "asker", asker_id, values)
    assert _search(db, "ørsted") == []
    assert _search(db, "ØSTERGÅRD") == [case_id]
    with db.session() as session:
        assert load_case(session, case_id).search_text.endswith("åse østergård (ø)")


def test_asker_party_change_updates_search_text(db: Database, make_draft: MakeDraft) -> None:
    with db.session() as session:
        case = create_case(session, make_draft(asker=AskerRef(name="Bo Bøgh", party="Ø")), "t")
        case_id, asker_id = case.id, case.asker_id
    values = {"name": "Bo Bøgh", "party_id": _id_of(db, Party, letter="Å"), "role": "br"}
    _save(db, "asker", asker_id, values)
    assert _search(db, "bøgh (å)") == [case_id]
    assert _search(db, "bøgh (ø)") == []


def test_asker_party_change_in_same_session(db: Database, make_draft: MakeDraft) -> None:
    with db.session() as session:
        case = create_case(session, make_draft(asker=AskerRef(name="Bo Bøgh", party="Ø")), "t")
        case_id = case.id
    with db.session() as session:
        asker = load_case(session, case_id).asker
        assert asker.party is not None  # e.g. shown in the editor
        new_party = session.scalars(select(Party).where(Party.letter == "Å")).one()
        registry.save(session, "asker", asker.id, {"name": "Bo Bøgh", "party_id": new_party.id})
    assert _search(db, "bøgh (å)") == [case_id]


def test_party_letter_change_updates_search_text(db: Database, make_draft: MakeDraft) -> None:
    with db.session() as session:
        case = create_case(session, make_draft(asker=AskerRef(name="Bo Bøgh", party="M")), "t")
        case_id = case.id
    party_id = _id_of(db, Party, letter="M")
    _save(db, "party", party_id, {"letter": "MM", "name": "Moderaterne"})
    assert _search(db, "(mm)") == [case_id]


# --- Deleting -------------------------------------------------------------------------


def test_delete_unused_records(db: Database) -> None:
    admin_id = _save(db, "administration", None, NEW_ADMIN)
    unit_id = _save(db, "unit", None, {"name": "Enheden", "administration_id": admin_id})
    with db.session() as session:
        registry.delete(session, "unit", unit_id)
        registry.delete(session, "administration", admin_id)
        registry.delete(session, "administration", admin_id)  # already gone: no error
    with db.session() as session:
        assert session.get(Administration, admin_id) is None
        assert session.get(Unit, unit_id) is None


@pytest.mark.parametrize(
    ("entity", "title", "hint"),
    [
        ("administration", "Forvaltning", HINT),
        ("unit", "Enhed", HINT),
        ("asker", "Spørger", ""),
        ("party", "Parti", ""),
        ("kind", "Type henvendelse", HINT),
        ("officer", "Sagsbehandler", HINT),
    ],
)
def test_delete_used_record_is_refused(
    db: Database, make_draft: MakeDraft, entity: str, title: str, hint: str
) -> None:
    _save(db, "officer", None, {"name": "Ib Ølgaard"})
    draft = make_draft(
        kind="borger",
        officer="Ib Ølgaard",
        asker=AskerRef(name="Åse Ørsted", party="Ø"),
        administration="TMF",
        unit="Byens Drift",
    )
    with db.session() as session:
        case = create_case(session, draft, "test")
        record_id = {
            "administration": case.administration_id,
            "unit": case.unit_id,
            "asker": case.asker_id,
            "party": case.asker.party_id,
            "kind": case.kind_code,
            "officer": case.officer_id,
        }[entity]
    with db.session() as session:
        # Something saved earlier in the same action must survive the refused delete.
        registry.save(session, "party", None, {"letter": "X", "name": "Xpartiet"})
        with pytest.raises(KnownError) as info:
            registry.delete(session, entity, record_id)
        assert str(info.value) == f"{title} {IN_USE}{hint}"
    with db.session() as session:
        assert session.get(registry.ENTITIES[entity].model, record_id) is not None
        assert session.scalars(select(Party.name).where(Party.letter == "X")).one() == "Xpartiet"
        tmf = session.scalars(select(Administration).where(Administration.code == "TMF")).one()
        assert [u.name for u in tmf.units] == ["Byens Drift", "Byens Udvikling"]
        assert load_case(session, case.id).subject == draft.subject


def test_delete_asker_without_cases(db: Database) -> None:
    asker_id = _save(db, "asker", None, {"name": "Kim", "role": "borger", "email": "k@x.dk"})
    with db.session() as session:
        registry.delete(session, "asker", asker_id)
    with db.session() as session:
        assert session.get(Asker, asker_id) is None
