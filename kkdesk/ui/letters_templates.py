"""Editing the letter templates: the common texts and each administration's own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters import template_store
from kkdesk.core.letters.templates import DEFAULTS, TEMPLATE_KEYS, TemplateKey
from kkdesk.core.models import Administration
from kkdesk.core.users import current_user
from kkdesk.ui import errors

COMMON = -1


def _fields_tip(spec: TemplateKey) -> str:
    lines = [f"{{{name}}} – {meaning}" for name, meaning in spec.fields.items()]
    return "Felter, der kan bruges:\n" + "\n".join(lines)


def ask_logo_file(parent: QWidget | None) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Vælg logo", str(Path.home()), "Billeder (*.png *.jpg *.jpeg)"
    )
    return Path(path) if path else None


class TemplateDialog(QDialog):
    """Left: the common texts and the administrations; right: the texts of the chosen one."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Brevskabeloner")
        self.db = db
        self.current: int = COMMON
        self.logo: bytes | None = None
        self.logo_name = ""
        self.logo_changed = False
        self._baseline: tuple = ()
        self.layers = QListWidget()
        item = QListWidgetItem("Fælles for alle forvaltninger")
        item.setData(Qt.ItemDataRole.UserRole, COMMON)
        self.layers.addItem(item)
        with db.session() as session:
            for admin in session.scalars(select(Administration).order_by(Administration.code)):
                item = QListWidgetItem(f"{admin.code} – {admin.name}")
                item.setToolTip(admin.name)
                item.setData(Qt.ItemDataRole.UserRole, admin.id)
                self.layers.addItem(item)
        self.layers.setMinimumWidth(330)
        self.layers.setMaximumWidth(380)
        self.layers.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.layers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        form.addRow(self.heading)
        for spec in TEMPLATE_KEYS:
            edit: QLineEdit | QPlainTextEdit
            if spec.multiline:
                edit = QPlainTextEdit()
                edit.setFixedHeight(58)
            else:
                edit = QLineEdit()
            edit.setToolTip(_fields_tip(spec))
            self.edits[spec.key] = edit
            label = QLabel(spec.label + ":")
            label.setToolTip(_fields_tip(spec))
            form.addRow(label, edit)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(64, 64)
        self.logo_preview.setScaledContents(True)
        self.logo_label = QLabel()
        choose = QPushButton("Vælg logo…")
        choose.clicked.connect(self.choose_logo)
        self.reset_logo_button = QPushButton("Brug standardlogo")
        self.reset_logo_button.clicked.connect(self.reset_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(self.reset_logo_button)
        form.addRow("Logo:", logo_row)
        fields_help = QLabel(
            "Felter skrives i klammer, fx {navn}, {emne}, {dato}, {forvaltning}, "
            "{forvaltning_genitiv}, {sagsnr}. Hold musen over en tekst for at se alle felter. "
            "Skriv {{ eller }} for at få en klamme."
        )
        fields_help.setWordWrap(True)
        form.addRow(fields_help)
        content = QWidget()
        content.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        # The form follows the window's width instead of scrolling sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.layers)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(1, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Gem", QDialogButtonBox.ButtonRole.ApplyRole)
        close = buttons.addButton("Luk", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.layers.setCurrentRow(0)
        self._load(COMMON)
        self.layers.currentItemChanged.connect(self._layer_changed)
        self.resize(1180, 800)

    # --- state ----------------------------------------------------------------------
    def texts(self) -> dict[str, str]:
        values = {}
        for key, edit in self.edits.items():
            values[key] = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
        return values

    def _state(self) -> tuple:
        return (tuple(self.texts().items()), self.logo, self.logo_changed)

    def is_dirty(self) -> bool:
        return self._state() != self._baseline

    def _load(self, layer: int) -> None:
        self.current = layer
        admin_id = None if layer == COMMON else layer
        with self.db.session() as session:
            stored = template_store.load_layer(session, admin_id)
            common = template_store.load_layer(session, None)
        inherited = {**DEFAULTS, **common.texts}
        for spec in TEMPLATE_KEYS:
            edit = self.edits[spec.key]
            value = stored.texts.get(spec.key, DEFAULTS[spec.key] if layer == COMMON else "")
            if isinstance(edit, QPlainTextEdit):
                edit.setPlainText(value)
            else:
                edit.setText(value)
            placeholder = (
                "(tom)" if layer == COMMON else f"Fælles: {inherited[spec.key] or '(tom)'}"
            )
            edit.setPlaceholderText(placeholder)
            edit.setEnabled(layer == COMMON or not spec.common_only)
        if layer == COMMON:
            self.heading.setText(
                "<b>Fælles tekster.</b> Bruges af alle forvaltninger, medmindre en forvaltning har "
                "sin egen tekst."
            )
        else:
            self.heading.setText(
                f"<b>{self.layers.currentItem().text()}.</b> Tomme felter bruger den fælles tekst."
            )
        self.logo, self.logo_name, self.logo_changed = stored.logo, stored.logo_name, False
        self._show_logo()
        self._baseline = self._state()

    def _show_logo(self) -> None:
        data = self.logo
        if data is None:
            with self.db.session() as session:
                admin_id = None if self.current == COMMON else self.current
                data = template_store.effective_templates(session, admin_id).logo
            source = "fælles logo" if self.current != COMMON else "standardlogo (pladsholder)"
            self.logo_label.setText(f"Bruger {source}")
        else:
            self.logo_label.setText(self.logo_name or "eget logo")
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        self.logo_preview.setPixmap(pixmap)
        self.reset_logo_button.setEnabled(self.logo is not None)

    # --- actions --------------------------------------------------------------------
    def _layer_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        if previous is not None and self.is_dirty() and not self._confirm_leave():
            self.layers.blockSignals(True)
            self.layers.setCurrentItem(previous)
            self.layers.blockSignals(False)
            return
        self._load(current.data(Qt.ItemDataRole.UserRole))

    def _confirm_leave(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Ikke gemte ændringer",
            "Skabelonen har ændringer, der ikke er gemt. Vil du gemme dem?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        return answer == QMessageBox.StandardButton.Discard or self.save()

    def choose_logo(self) -> None:
        path = ask_logo_file(self)
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.show_known_error(
                self, KnownError(f"Filen '{path}' kan ikke læses: {exc.strerror}.")
            )
            return
        problems = template_store.check_logo(data)
        if problems:
            errors.show_known_error(self, KnownError(f"{path.name}: {problems[0].message}"))
            return
        self.logo, self.logo_name, self.logo_changed = data, path.name, True
        self._show_logo()

    def reset_logo(self) -> None:
        self.logo, self.logo_name, self.logo_changed = None, "", True
        self._show_logo()

    def save(self) -> bool:
        admin_id = None if self.current == COMMON else self.current
        texts = self.texts()
        try:
            with self.db.session() as session:
                if self.logo_changed:
                    template_store.save_templates(
                        session,
                        admin_id,
                        texts,
                        current_user(),
                        logo=self.logo,
                        logo_name=self.logo_name,
                    )
                else:
                    template_store.save_templates(session, admin_id, texts, current_user())
        except KnownError as exc:
            errors.show_known_error(self, exc, "Brevskabelonen blev ikke gemt")
            return False
        self.logo_changed = False
        self._baseline = self._state()
        return True

    def reject(self) -> None:
        if self.is_dirty() and not self._confirm_leave():
            return
        super().reject()
