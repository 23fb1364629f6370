"""Import of the archive of reply letters: a wizard.

1. Choose files or a folder (drop it on the window, or use the buttons).
2. The letters are read off the UI thread with a progress bar.
3. Review what was recognised: a table of letters with editable fields, the questions
   and answers of the selected letter, and the files that were skipped (with reasons).
4. Import: each letter becomes an answered case in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kkdesk.core.archive import importer
from kkdesk.core.archive.letterparse import Directory, ParsedLetter
from kkdesk.core.archive.readers import SUFFIXES, collect_files
from kkdesk.core.database import Database
from kkdesk.core.dates import parse_date, short_date
from kkdesk.core.drafts import LAYOUTS
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.background import run_with_progress

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Importér", "Fil", "Spørger", "Parti", "Modtaget", "Forv.", "Emne", "Spm.", "Genkendt")
EDITABLE = {2: "asker", 3: "party", 4: "received", 5: "administration", 6: "subject"}


class LetterReviewModel(QAbstractTableModel):
    """The recognised letters; the user ticks, corrects and sees what is missing."""

    def __init__(self, directory: Directory, parent: Any = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self._letters: list[ParsedLetter] = []
        self._checked: list[bool] = []
        self._existing: dict[int, str] = {}

    def set_letters(
        self, letters: list[ParsedLetter], existing: dict[int, str] | None = None
    ) -> None:
        """``existing``: row → case number of letters already imported (unticked)."""
        self.beginResetModel()
        self._letters = list(letters)
        self._existing = dict(existing or {})
        self._checked = [
            not letter.problems and row not in self._existing for row, letter in enumerate(letters)
        ]
        self.endResetModel()

    def letter(self, row: int) -> ParsedLetter | None:
        return self._letters[row] if 0 <= row < len(self._letters) else None

    def chosen(self) -> list[ParsedLetter]:
        return [
            letter
            for letter, checked in zip(self._letters, self._checked, strict=True)
            if checked and not letter.problems
        ]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._letters)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        letter = self.letter(index.row()) if index.isValid() else None
        if letter is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            checked = self._checked[index.row()] and not letter.problems
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (
                "",
                letter.source,
                letter.asker_name,
                letter.asker_party or "",
                ", ".join(short_date(d) for d in letter.received),
                letter.administration,
                letter.subject,
                str(len(letter.questions)),
                "; ".join(letter.problems)
                if letter.problems
                else f"Findes allerede som sag {self._existing[index.row()]}"
                if index.row() in self._existing
                else "OK",
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 6):
            return letter.source if column == 1 else letter.subject
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return "\n".join(letter.problems + letter.warnings) or "Alt er genkendt."
        if role == Qt.ItemDataRole.ForegroundRole and column == 8:
            if letter.problems:
                return Qt.GlobalColor.darkRed
            if index.row() in self._existing:
                return Qt.GlobalColor.darkYellow
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        letter = self.letter(index.row()) if index.isValid() else None
        if letter is None:
            return False
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            self._checked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index, [role])
            return True
        if role != Qt.ItemDataRole.EditRole or column not in EDITABLE:
            return False
        text = str(value).strip()
        field = EDITABLE[column]
        if field == "asker":
            letter.asker_name = text
        elif field == "party":
            letter.asker_party = text.upper() or None
        elif field == "received":
            days: list[dt.date] = []
            for part in text.replace(";", ",").split(","):
                if part.strip():
                    try:
                        days.append(parse_date(part))
                    except ValueError:
                        return False
            letter.received = sorted(set(days))
        elif field == "administration":
            letter.administration = text.upper()
        else:
            letter.subject = text
        had_problems = bool(letter.problems)
        letter.check(self.directory)
        if had_problems and not letter.problems:
            self._checked[index.row()] = True
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        return True


def _paragraphs(text: str, indent: int = 0) -> str:
    style = f" style='margin-left:{indent}px'" if indent else ""
    return "".join(
        f"<p{style}>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n")
    )


def letter_html(letter: ParsedLetter) -> str:
    """What was recognised in one letter, for the review page."""
    esc = html.escape
    parts = [
        f"<p><b>{esc(letter.subject)}</b><br>{esc(letter.source)} · "
        f"{esc(LAYOUTS.get(letter.layout, letter.layout))} · "
        f"{'Politikersvar' if letter.opening == 'politikersvar' else 'Kære …'}"
        f"{' · enhed: ' + esc(letter.unit) if letter.unit else ''}</p>"
    ]
    for problem in letter.problems:
        parts.append(f"<p style='color:#a00000'>Mangler: {esc(problem)}</p>")
    for warning in letter.warnings:
        parts.append(f"<p style='color:#805000'>Bemærk: {esc(warning)}</p>")
    if letter.general_answer:
        parts.append("<p><b>Generelt svar:</b></p>" + _paragraphs(letter.general_answer, 16))
    for question in letter.questions:
        parts.append(f"<p><b>Spørgsmål {question.number}:</b></p>" + _paragraphs(question.text))
        answer = _paragraphs(question.answer, 16) if question.answer else ""
        parts.append(
            "<p style='margin-left:16px'><b>Svar:</b></p>"
            + (answer or "<p style='margin-left:16px'><i>intet svar fundet</i></p>")
        )
    signer = letter.signer_name or "(ingen underskriver fundet)"
    title = f", {letter.signer_title}" if letter.signer_title else ""
    parts.append(f"<p>Underskrevet: {esc(signer + title)}</p>")
    if letter.bilag:
        parts.append("<p>Bilag: " + esc("; ".join(letter.bilag)) + "</p>")
    return "".join(parts)


class SourcePage(QWizardPage):
    """Step 1: which files or folder."""

    def __init__(self, wizard: ArchiveWizard) -> None:
        super().__init__(wizard)
        self.archive = wizard
        self.setTitle("Vælg svarbreve")
        self.setSubTitle(
            "Træk en mappe eller filer (.docx, .pdf, .txt) hertil, eller vælg dem med knapperne."
        )
        self.setAcceptDrops(True)
        self.drop_label = QLabel("Slip en mappe eller filer her")
        self.drop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_label.setMinimumHeight(120)
        self.drop_label.setStyleSheet("border: 2px dashed #8a8a8a; border-radius: 8px;")
        folder = QPushButton("Vælg mappe…")
        files = QPushButton("Vælg filer…")
        folder.clicked.connect(self._choose_folder)
        files.clicked.connect(self._choose_files)
        self.paths_list = QListWidget()
        self.summary = QLabel("")
        buttons = QHBoxLayout()
        buttons.addWidget(folder)
        buttons.addWidget(files)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.drop_label)
        layout.addLayout(buttons)
        layout.addWidget(self.paths_list)
        layout.addWidget(self.summary)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.archive.set_paths(paths)
            event.acceptProposedAction()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Vælg mappe med svarbreve")
        if folder:
            self.archive.set_paths([Path(folder)])

    def _choose_files(self) -> None:
        pattern = "Svarbreve (" + " ".join(f"*{s}" for s in SUFFIXES) + ")"
        names, _ = QFileDialog.getOpenFileNames(self, "Vælg svarbreve", "", pattern)
        if names:
            self.archive.set_paths([Path(n) for n in names])

    def show_paths(self, paths: list[Path], count: int) -> None:
        self.paths_list.clear()
        self.paths_list.addItems([str(p) for p in paths])
        self.summary.setText(f"{count} filer fundet.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.archive.files)

    def validatePage(self) -> bool:
        return self.archive.parse_now()


class ReviewPage(QWizardPage):
    """Step 2: what was recognised; correct it before importing."""

    def __init__(self, wizard: ArchiveWizard) -> None:
        super().__init__(wizard)
        self.archive = wizard
        self.setTitle("Gennemse det genkendte")
        self.setSubTitle(
            "Ret felterne direkte i tabellen (dobbeltklik). Breve med mangler importeres ikke, "
            "før de er rettet."
        )
        self.view = QTableView()
        self.view.setModel(wizard.review_model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column, width in enumerate((70, 150, 150, 45, 150, 55, 260, 45)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        self.detail = QTextBrowser()
        self.skipped = QListWidget()
        self.skipped.setWordWrap(True)
        self.skipped_label = QLabel("")
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 3)
        skipped_box = QVBoxLayout()
        skipped_box.addWidget(self.skipped_label)
        skipped_box.addWidget(self.skipped)
        lower_layout.addLayout(skipped_box, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.counts = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.counts)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        wizard.review_model.dataChanged.connect(lambda *_a: self._update())

    def initializePage(self) -> None:
        skipped = self.archive.skipped
        self.skipped_label.setText(f"Sprunget over ({len(skipped)}):")
        self.skipped.clear()
        self.skipped.addItems([f"{s.source}: {s.reason}" for s in skipped])
        if self.archive.review_model.rowCount():
            self.view.selectRow(0)
        self._update()

    def _show(self, row: int) -> None:
        letter = self.archive.review_model.letter(row)
        self.detail.setHtml(letter_html(letter) if letter else "")

    def _update(self) -> None:
        model = self.archive.review_model
        ready = len(model.chosen())
        self.counts.setText(f"{model.rowCount()} breve genkendt; {ready} markeret til import.")
        self._show(self.view.currentIndex().row())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.archive.review_model.chosen())

    def validatePage(self) -> bool:
        return self.archive.import_now()


class ArchiveWizard(QWizard):
    """Import earlier reply letters as answered cases."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Importér svarbreve fra arkivet")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Næste >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Tilbage")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Importér")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annullér")
        with db.session() as session:
            self.directory = importer.load_directory(session)
        self.files: list[Path] = []
        self.skipped: list[importer.Skipped] = []
        self.report: importer.ImportReport | None = None
        self.review_model = LetterReviewModel(self.directory, self)
        self.source_page = SourcePage(self)
        self.review_page = ReviewPage(self)
        self.addPage(self.source_page)
        self.addPage(self.review_page)
        self.resize(1250, 780)

    def set_paths(self, paths: list[Path]) -> None:
        self.files = [p for p in collect_files(paths) if p.is_file()]
        self.source_page.show_paths(paths, len(self.files))

    def parse_now(self) -> bool:
        """Read and recognise the chosen files (off the UI thread)."""
        directory = self.directory
        files = list(self.files)
        try:
            report = run_with_progress(
                self,
                "Læser svarbreve",
                lambda progress, cancelled: importer.parse_files(
                    files, directory, progress=progress, cancelled=cancelled
                ),
            )
        except Exception as exc:
            errors.handle(self, exc)
            return False
        self.skipped = report.skipped
        with self.db.session() as session:
            existing = importer.existing_cases(session, report.letters)
        self.review_model.set_letters(report.letters, existing)
        return True

    def import_now(self) -> bool:
        """Save the ticked letters without problems, one transaction per letter."""
        letters = self.review_model.chosen()
        try:
            self.report = run_with_progress(
                self,
                "Gemmer sager",
                lambda progress, cancelled: importer.import_letters(
                    self.db, letters, current_user(), progress=progress, cancelled=cancelled
                ),
            )
        except Exception as exc:
            errors.handle(self, exc)
            return False
        report = self.report
        lines = [f"{len(report.created)} sager er oprettet som besvarede."]
        if report.cancelled:
            lines.append("Importen blev afbrudt; de resterende breve er ikke gemt.")
        if report.skipped:
            lines.append(f"{len(report.skipped)} breve blev ikke gemt:")
            lines += [f"• {s.source}: {s.reason}" for s in report.skipped[:15]]
        QMessageBox.information(self, "Import færdig", "\n".join(lines))
        return True
