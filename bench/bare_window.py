"""The baseline for ``kkdesk smoke``: a bare PySide6 window, shown and closed.

Run as a subprocess by ``bench/run.py`` (with ``QT_QPA_PLATFORM=offscreen``): creates the
QApplication, shows an empty QMainWindow, processes events and exits, like the smoke test
does around kkdesk's own work.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 720)
    window.show()
    app.processEvents()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
