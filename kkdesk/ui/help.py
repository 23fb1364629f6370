"""Hjælp ▸ Brugervejledning: the Danish user guide (docs/brugervejledning.md), shown in the
program itself so it works offline and from the bundle."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from kkdesk.core import paths
from kkdesk.core.errors import KnownError

GUIDE_NAME = "brugervejledning.md"
MAX_IMAGE_WIDTH = 820


def guide_path() -> Path:
    """The user guide shipped with the program."""
    try:
        path = paths.bundled_dir("docs") / GUIDE_NAME
    except FileNotFoundError:
        path = Path(GUIDE_NAME)
    if not path.is_file():
        raise KnownError(
            "Brugervejledningen findes ikke i denne installation.",
            detail="Geninstallér kkdesk, eller læs vejledningen i projektets docs-mappe.",
        )
    return path


class HelpDialog(QDialog):
    """The guide in a text browser; pictures are loaded from beside the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        path = guide_path()
        self.setWindowTitle("kkdesk – brugervejledning")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(
            QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
        )
        self._fit_images(MAX_IMAGE_WIDTH)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(900, 760)

    def _fit_images(self, max_width: int) -> None:
        """Scale screenshots wider than ``max_width`` down (Markdown has no image size)."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_format = fmt.toImageFormat()
                    image = document.resource(
                        QTextDocument.ResourceType.ImageResource, QUrl(image_format.name())
                    )
                    width = getattr(image, "width", lambda: 0)()
                    if width > max_width:
                        image_format.setWidth(max_width)
                        image_format.setHeight(image.height() * max_width / width)
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(),
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        cursor.setCharFormat(image_format)
                iterator += 1
            block = block.next()
