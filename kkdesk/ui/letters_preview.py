"""The letter preview: the PDF's pages drawn as images (pypdfium2), with export buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import LetterFile, make_letter
from kkdesk.core.users import current_user
from kkdesk.core.vocab import status_label
from kkdesk.ui import errors

ZOOMS = (0.75, 1.0, 1.25, 1.5, 2.0)


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    """Each page of a PDF as an image; ``scale`` 1.0 is 72 dpi."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    images: list[QImage] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_ARGB32,
            )
            images.append(image.copy())  # detach from pdfium's buffer
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


class LetterPreviewDialog(QDialog):
    """Shows the letter as the PDF will look; saves it as PDF or Word."""

    def __init__(self, db: Database, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.case_id = case_id
        self.zoom_index = 2
        self.letter = self._render()
        self.setWindowTitle(f"Svarbrev – sag {self.letter.case_number}")
        self.status_label = QLabel(self._describe())
        self.status_label.setWordWrap(True)
        self.zoom_out = QPushButton("−")
        self.zoom_in = QPushButton("+")
        for button, step, tip in ((self.zoom_out, -1, "Formindsk"), (self.zoom_in, 1, "Forstør")):
            button.setFixedWidth(34)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, s=step: self.set_zoom(self.zoom_index + s))
        self.zoom_label = QLabel()
        self.pdf_button = QPushButton("Gem som PDF…")
        self.word_button = QPushButton("Gem som Word…")
        close_button = QPushButton("Luk")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.word_button.clicked.connect(lambda: self.export("docx"))
        close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.zoom_out)
        top.addWidget(self.zoom_label)
        top.addWidget(self.zoom_in)
        self.pages = QWidget()
        self.pages.setObjectName("pages")
        self.pages.setStyleSheet("#pages { background: #8a8f96; }")
        self.page_layout = QVBoxLayout(self.pages)
        self.page_layout.setSpacing(16)
        self.page_layout.setContentsMargins(16, 16, 16, 16)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setWidgetResizable(True)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.word_button)
        bottom.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)
        self.page_labels: list[QLabel] = []
        self.set_zoom(self.zoom_index)
        self.resize(980, 900)

    def _render(self) -> LetterFile:
        with self.db.session() as session:
            return make_letter(session, self.case_id, "pdf", user=current_user(), record=False)

    def _describe(self) -> str:
        if self.letter.draft:
            status = status_label(self.letter.status)
            return (
                f"<b>Udkast</b> – sagen er ikke godkendt (status: {status}), "
                "så brevet mærkes UDKAST."
            )
        return "<b>Endeligt brev</b> – sagen er godkendt."

    def page_count(self) -> int:
        return len(self.page_labels)

    def set_zoom(self, index: int) -> None:
        self.zoom_index = max(0, min(len(ZOOMS) - 1, index))
        zoom = ZOOMS[self.zoom_index]
        ratio = self.devicePixelRatioF()
        images = render_pages(self.letter.data, zoom * ratio)
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        for number, image in enumerate(images, start=1):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setToolTip(f"Side {number} af {len(images)}")
            label.setStyleSheet("background: white;")
            self.page_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.zoom_label.setText(f"{round(zoom * 100)} %")
        self.zoom_out.setEnabled(self.zoom_index > 0)
        self.zoom_in.setEnabled(self.zoom_index < len(ZOOMS) - 1)

    def export(self, fmt: str) -> None:
        from kkdesk.ui.letters_export import export_letter

        export_letter(self, self.db, self.case_id, fmt)


def show_preview(parent: QWidget | None, db: Database, case_id: int) -> None:
    """Open the preview of a case's letter; errors are shown, not raised."""
    try:
        dialog = LetterPreviewDialog(db, case_id, parent)
    except KnownError as exc:
        errors.show_known_error(parent, exc, "Brevet kan ikke vises")
        return
    dialog.exec()
