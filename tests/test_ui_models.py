"""Every table model passes Qt's model tester (pytest-qt's ``qtmodeltester``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kkdesk.core import cases
from kkdesk.core.caselist import CaseFilter
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.ui.case_table_model import CASE_ID_ROLE, CaseTableModel
from kkdesk.ui.question_table_model import QuestionTableModel
from kkdesk.ui.registry_dialog import FIELDS, RegistryTableModel
from tests.conftest import build_draft

WORDS = ("støj", "cykler", "skoler", "ældre", "biblioteker")


def _fill(db: Database, count: int) -> None:
    with db.session() as session:
        for i in range(count):
            subject = f"Emne {i:03d} om {WORDS[i % len(WORDS)]}"
            cases.create_case(session, build_draft(subject=subject), "test")


def test_case_table_model(qtmodeltester: Any, db: Database) -> None:
    _fill(db, 5)
    model = CaseTableModel(db)
    model.set_filter(CaseFilter())
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)
    model.sort(1)
    assert model.index(0, 1).data() == "Emne 000 om støj"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 1).data() == "Emne 004 om biblioteker"
    assert model.index(0, 0).data(CASE_ID_ROLE) is not None
    model.set_filter(CaseFilter(text="OM ÆLDRE"))
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_case_table_model_fetches_rows_lazily(db: Database) -> None:
    _fill(db, 450)
    model = CaseTableModel(db)
    model.set_filter(CaseFilter())
    assert model.rowCount() == 450
    assert len(model._rows) == 200  # only the first block is read up front
    assert model.index(449, 0).data().startswith("2025-")
    assert len(model._rows) > 200


def test_question_table_model(qtmodeltester: Any) -> None:
    model = QuestionTableModel()
    model.set_items([QuestionDraft(1, "Første"), QuestionDraft(2, "Anden", "Svar")])
    qtmodeltester.check(model, force_py=True)
    row = model.add()
    model.update_item(row, text="Tredje")
    assert model.move(row, -1) == 1
    assert [q.text for q in model.items()] == ["Første", "Tredje", "Anden"]
    assert [q.number for q in model.items()] == [1, 2, 3]
    model.remove(0)
    assert [(q.number, q.text) for q in model.items()] == [(1, "Tredje"), (2, "Anden")]
    qtmodeltester.check(model, force_py=True)


def test_registry_table_model(qtmodeltester: Any) -> None:
    fields = FIELDS["administration"][1]
    model = RegistryTableModel(fields)
    model.set_rows(
        [{"code": "TMF", "name": "Teknik", "genitive": "Tekniks", "active": True, "_id": 1}],
        {},
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, len(fields) - 1).data() == "Ja"
