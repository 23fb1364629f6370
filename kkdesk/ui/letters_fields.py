"""The "Brev" tab of the case editor: layout, opening, general answer, signer, bilag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core.drafts import LAYOUTS, OPENINGS, LetterDraft

MARKUP_HELP = (
    'Svartekst: en tom linje skiller afsnit. Linjer, der begynder med "- ", bliver punkter, '
    '"1) " nummererede punkter, og "# " giver en mellemrubrik.'
)


class LetterFieldsWidget(QWidget):
    """Edits a ``LetterDraft``. ``preview_requested`` asks the dialog to show the letter."""

    preview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_combo = QComboBox()
        for code, label in LAYOUTS.items():
            self.layout_combo.addItem(label, code)
        self.opening_combo = QComboBox()
        for code, label in OPENINGS.items():
            self.opening_combo.addItem(label, code)
        self.general_edit = QPlainTextEdit()
        self.general_edit.setPlaceholderText(
            "Generelt svar før svarene på de enkelte spørgsmål (kan være tomt)"
        )
        self.signer_edit = QLineEdit()
        self.signer_edit.setPlaceholderText("(forvaltningens underskriver)")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("(forvaltningens titel)")
        self.no_title_check = QCheckBox("Uden titel")
        self.no_title_check.toggled.connect(lambda on: self.title_edit.setEnabled(not on))
        title_row = QHBoxLayout()
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.no_title_check)
        self.bilag_edit = QPlainTextEdit()
        self.bilag_edit.setPlaceholderText("Én titel pr. linje, fx: Input fra workshoppen")
        self.bilag_edit.setMaximumHeight(90)
        self.preview_button = QPushButton("Vis brev…")
        self.preview_button.setToolTip("Gem sagen og vis svarbrevet, som det bliver i PDF")
        self.preview_button.clicked.connect(self.preview_requested.emit)

        form = QFormLayout()
        form.addRow("Layout:", self.layout_combo)
        form.addRow("Indledning:", self.opening_combo)
        form.addRow("Generelt svar:", self.general_edit)
        form.addRow("Underskriver:", self.signer_edit)
        form.addRow("Titel:", title_row)
        form.addRow("Bilag:", self.bilag_edit)
        help_label = QLabel(MARKUP_HELP)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: palette(mid);")
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_label)
        layout.addLayout(buttons)

    def set_letter(self, letter: LetterDraft) -> None:
        for combo, value in (
            (self.layout_combo, letter.layout),
            (self.opening_combo, letter.opening),
        ):
            index = combo.findData(value)
            if index < 0:  # a code this version does not know: keep it
                combo.addItem(value, value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        self.general_edit.setPlainText(letter.general_answer)
        self.signer_edit.setText(letter.signer_name or "")
        self.no_title_check.setChecked(letter.signer_title == "")
        self.title_edit.setText(letter.signer_title or "")
        self.bilag_edit.setPlainText("\n".join(letter.bilag))

    def letter(self) -> LetterDraft:
        """The fields as a ``LetterDraft``: empty signer fields mean the default."""
        if self.no_title_check.isChecked():
            title: str | None = ""
        else:
            title = self.title_edit.text().strip() or None
        return LetterDraft(
            layout=self.layout_combo.currentData(),
            opening=self.opening_combo.currentData(),
            general_answer=self.general_edit.toPlainText(),
            signer_name=self.signer_edit.text().strip() or None,
            signer_title=title,
            bilag=[
                line.strip() for line in self.bilag_edit.toPlainText().splitlines() if line.strip()
            ],
        )

    def state(self) -> tuple:
        letter = self.letter()
        return (
            letter.layout,
            letter.opening,
            letter.general_answer,
            letter.signer_name,
            letter.signer_title,
            tuple(letter.bilag),
        )
