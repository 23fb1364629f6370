"""The register dialogs: create, edit and (refuse to) delete reference records."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox
from sqlalchemy import select

from kkdesk.core import cases
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration, Unit
from kkdesk.ui import errors, registry_dialog
from kkdesk.ui.app import create_application
from kkdesk.ui.registry_dialog import RegistryDialog
from tests.conftest import build_draft


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


def _line(dialog: RegistryDialog, key: str) -> QLineEdit:
    widget = dialog.editors[key]
    assert isinstance(widget, QLineEdit)
    return widget


def test_add_unit_and_rename_administration(
    qtbot: Any, db: Database, shown_errors: list[KnownError]
) -> None:
    create_application()
    dialog = RegistryDialog(db, "unit")
    qtbot.addWidget(dialog)
    dialog.new_record()
    combo = dialog.editors["administration_id"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText("SOF", registry_dialog.Qt.MatchFlag.MatchStartsWith))
    _line(dialog, "name").setText("Center for Hjemløse")
    dialog.save()
    assert shown_errors == []
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.name == "Center for Hjemløse"))
        assert unit is not None and unit.administration.code == "SOF"

    admins = RegistryDialog(db, "administration")
    qtbot.addWidget(admins)
    row = next(i for i, r in enumerate(admins.model.rows) if r["code"] == "KFF")
    admins.view.selectRow(row)
    _line(admins, "signer_name").setText("Birgitte Ødegaard")
    admins.save()
    _line(admins, "genitive").clear()
    admins.save()
    assert "Genitiv: skal udfyldes." in str(shown_errors[-1])
    with db.session() as session:
        kff = session.scalar(select(Administration).where(Administration.code == "KFF"))
        assert kff is not None
        assert kff.signer_name == "Birgitte Ødegaard"
        assert kff.genitive == "Kultur- og Fritidsforvaltningens"


def test_deleting_a_used_administration_is_refused(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, shown_errors: list[KnownError]
) -> None:
    create_application()
    with db.session() as session:
        cases.create_case(session, build_draft(administration="TMF", unit=None), "test")
    monkeypatch.setattr(
        registry_dialog.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    dialog = RegistryDialog(db, "administration")
    qtbot.addWidget(dialog)
    row = next(i for i, r in enumerate(dialog.model.rows) if r["code"] == "TMF")
    dialog.view.selectRow(row)
    dialog.delete()
    assert "kan ikke slettes" in str(shown_errors[-1])
    assert "inaktiv" in str(shown_errors[-1])
    with db.session() as session:
        assert session.scalar(select(Administration).where(Administration.code == "TMF"))
