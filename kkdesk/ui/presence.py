"""Presence in the case window: a lease kept alive by a heartbeat, and the notice
"<navn> redigerer denne sag" (``kkdesk.core.presence``).

Presence is best effort: if the database cannot be reached for a heartbeat, the window
keeps working and the notice is simply not updated (the save path reports real errors).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kkdesk.core import presence, users
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError

log = logging.getLogger("kkdesk")


class Banner(QFrame):
    """A coloured line at the top of a window; hidden while it has no text."""

    STYLES = {
        "presence": "background: #fff4ce; border: 1px solid #e0c060; color: #3d3000;",
        "info": "background: #e8f0fb; border: 1px solid #9db8e0; color: #14305a;",
    }

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"banner_{kind}")
        self.setStyleSheet(f"#banner_{kind} {{ {self.STYLES[kind]} border-radius: 3px; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label)
        self.setVisible(False)

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        """The notice shown ("" while hidden)."""
        return self.label.text() if not self.isHidden() else ""


class PresenceTracker(QObject):
    """Holds the lease for one open case and reports who else has it open."""

    changed = Signal(str)  # the Danish notice ("" when nobody else)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.case_id: int | None = None
        self.token: str | None = None
        self.notice = ""
        self.timer = QTimer(self)
        self.timer.setInterval(presence.HEARTBEAT_SECONDS * 1000)
        self.timer.timeout.connect(self.tick)

    def start(self, case_id: int) -> None:
        """Open the lease and start the heartbeat (again, for another case)."""
        self.stop()
        self.case_id = case_id
        self._open()
        self.tick()
        self.timer.start()

    def _open(self) -> None:
        assert self.case_id is not None
        try:
            with self.db.session() as session:
                name = users.display_name(session, self.db.user)
                login = users.normalise_login(self.db.user)
                self.token = presence.open_lease(
                    session, self.case_id, login, name, users.host_name()
                )
        except KnownError as exc:
            log.warning("Tilstedeværelse kunne ikke meldes: %s", exc)
            self.token = None

    def tick(self) -> None:
        """Heartbeat, then look who else has the case open."""
        if self.case_id is None:
            return
        try:
            with self.db.session() as session:
                alive = self.token is not None and presence.heartbeat(session, self.token)
            if not alive:
                self._open()  # expired while this PC slept, or never opened: announce again
            with self.db.session() as session:
                others = presence.others(session, self.case_id, self.token)
        except KnownError as exc:
            log.warning("Tilstedeværelse kunne ikke opdateres: %s", exc)
            return
        notice = presence.notice(others, users.normalise_login(self.db.user))
        if notice != self.notice:
            self.notice = notice
            self.changed.emit(notice)

    def stop(self) -> None:
        """Close the lease (the window closed)."""
        self.timer.stop()
        if self.token is not None:
            try:
                with self.db.session() as session:
                    presence.close_lease(session, self.token)
            except KnownError as exc:
                log.warning("Tilstedeværelse kunne ikke afmeldes: %s", exc)
        self.token = None
        self.case_id = None
