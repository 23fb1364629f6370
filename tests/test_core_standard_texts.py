"""Standard texts: fields, validation with Danish messages, storage on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from kkdesk.core import standard_texts as st
from kkdesk.core.database import Database
from kkdesk.core.errors import ValidationError


def test_fill_known_fields_and_leave_the_rest() -> None:
    values = st.case_values(
        unit="Byens Drift",
        administration=("Teknik- og Miljøforvaltningen", "Teknik- og Miljøforvaltningens", "X"),
        asker="Åse",
        received=[dt.date(2025, 5, 22), dt.date(2025, 5, 20)],
    )
    body = "Kontakt {enhed} i {forvaltning} på {telefon}. Modtaget {modtaget}."
    filled = st.fill(body, values)
    assert filled == (
        "Kontakt Byens Drift i Teknik- og Miljøforvaltningen på {telefon}. Modtaget 20. maj 2025."
    )
    assert st.unfilled_fields(filled) == ["telefon"]
    assert st.fill("{enhed}", st.case_values()) == "{enhed}"  # no unit: left for the user


def test_unknown_fields_are_refused() -> None:
    errors = st.validate_text("Klagevejledning", "Ring til {telefonnummer} eller {enhed}.")
    assert len(errors) == 1
    assert "ukendt felt {telefonnummer}" in errors[0].message
    assert st.validate_text("X", "Brug { alene") != []
    assert st.validate_text("", "") and st.validate_text("Navn", "Tekst {enhed}") == []


def test_save_list_delete(db: Database) -> None:
    with db.session() as session:
        first = st.save_text(session, None, "Klagevejledning", "Klag til {enhed}.", "test")
        st.save_text(session, None, "Aktindsigt", "Du kan søge aktindsigt.", "test")
    with db.session() as session, pytest.raises(ValidationError, match="findes allerede"):
        st.save_text(session, None, "klagevejledning", "Noget andet.", "test")
    with db.session() as session, pytest.raises(ValidationError, match="ukendt felt"):
        st.save_text(session, first, "Klagevejledning", "Klag til {kontor}.", "test")
    with db.session() as session:
        assert [t.name for t in st.list_texts(session)] == ["Aktindsigt", "Klagevejledning"]
        st.save_text(session, first, "Klagevejledning", "Ring {telefon}.", "test", active=False)
        assert [t.name for t in st.list_texts(session, active_only=True)] == ["Aktindsigt"]
        st.delete_text(session, first)
    with db.session() as session:
        assert [t.name for t in st.list_texts(session)] == ["Aktindsigt"]
