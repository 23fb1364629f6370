"""Render the app icon (resources/icons/kkdesk.svg) to kkdesk.png and kkdesk.ico.

Run after changing the SVG: ``QT_QPA_PLATFORM=offscreen python scripts/make_icons.py``.
The .ico (used by PyInstaller and the Windows installer) holds PNG images of the usual
Windows sizes, which Windows Vista and later read.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "kkdesk.svg"))
    images = {size: render(renderer, size) for size in ICO_SIZES}
    (ICONS / "kkdesk.png").write_bytes(images[256])
    (ICONS / "kkdesk.ico").write_bytes(ico(images))
    print(f"Skrev {ICONS / 'kkdesk.png'} og {ICONS / 'kkdesk.ico'}")


if __name__ == "__main__":
    main()
