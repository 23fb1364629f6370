"""Opening the database when the program starts, with the user in the loop:

1. a local file is checked (``quick_check``); a damaged one leads to a dialog offering
   the newest backup;
2. the database is opened and migrated (a backup is made first, all or nothing);
   a PostgreSQL server that wants a password gets it asked for (kept in memory only);
   if the database cannot be opened, the user may choose another connection;
3. the OS login is mapped to a user record; on first start a welcome dialog asks for
   name and initials and says which role the user got;
4. warnings from opening (a network drive) are shown once.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QPushButton, QWidget
from sqlalchemy.engine import make_url

from kkdesk.core import backups, connection, sqlite_health, users
from kkdesk.core.database import Database, open_database, resolve_url, sqlite_path
from kkdesk.core.errors import KnownError

log = logging.getLogger("kkdesk")


def damaged_dialog(
    error: sqlite_health.DamagedDatabaseError, parent: QWidget | None
) -> tuple[QMessageBox, QPushButton | None]:
    """The damaged-file message and its "Gendan sikkerhedskopien" button (if a backup exists)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("kkdesk – databasen er beskadiget")
    box.setText(error.message)
    box.setInformativeText(error.detail)
    box.setDetailedText("\n".join(error.problems[:20]))
    restore = None
    if error.backup is not None:
        restore = box.addButton("Gendan sikkerhedskopien", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Afslut", QMessageBox.ButtonRole.RejectRole)
    return box, restore


def offer_restore(error: sqlite_health.DamagedDatabaseError, parent: QWidget | None) -> bool:
    """The damaged-file dialog. True if the newest backup was restored."""
    box, restore = damaged_dialog(error, parent)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    assert error.backup is not None
    try:
        aside = backups.restore(error.backup, error.path)
    except KnownError as exc:
        show_error(parent, exc)
        return False
    QMessageBox.information(
        parent,
        "kkdesk",
        f"Sikkerhedskopien {error.backup.name} er gendannet.",
        QMessageBox.StandardButton.Ok,
    )
    if aside is not None:
        log.warning("Beskadiget database flyttet til %s", aside)
    return True


def show_error(parent: QWidget | None, error: KnownError) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "kkdesk", error.message, parent=parent)
    box.setInformativeText(error.detail or "Programmet lukkes.")
    box.exec()


def _ask_password(url: str, parent: QWidget | None) -> str | None:
    parsed = make_url(url)
    password, ok = QInputDialog.getText(
        parent,
        "Adgangskode til databasen",
        f"Adgangskode for {parsed.username} på {parsed.host}:",
        QLineEdit.EchoMode.Password,
    )
    return password if ok and password else None


def _choose_other(error: KnownError, url: str, parent: QWidget | None) -> bool:
    """The start error with a way out: choose another connection. True if one was saved."""
    from kkdesk.ui.connection_dialog import ConnectionDialog

    box = QMessageBox(QMessageBox.Icon.Critical, "kkdesk", error.message, parent=parent)
    box.setInformativeText(error.detail or "")
    other = box.addButton("Databaseforbindelse…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Afslut", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not other:
        return False
    dialog = ConnectionDialog(url, parent)
    dialog.exec()
    return dialog.saved


def open_interactive(db_url: str | None, parent: QWidget | None = None) -> Database | None:
    """Open the database for the program (see the module docstring); None: quit."""
    url = resolve_url(db_url)
    attempts = 0
    while True:
        attempts += 1
        path = sqlite_path(url)
        try:
            if path is not None:
                sqlite_health.require_sound(path)
            db = open_database(url)
            break
        except sqlite_health.DamagedDatabaseError as exc:
            if not offer_restore(exc, parent):
                return None
        except KnownError as exc:
            cause = exc.__cause__
            if (
                cause is not None
                and connection.needs_password(cause)
                and make_url(url).password is None
                and attempts < 5
            ):
                password = _ask_password(url, parent)
                if password is None:
                    return None
                url = make_url(url).set(password=password).render_as_string(hide_password=False)
                continue
            if db_url is None and attempts < 5 and _choose_other(exc, url, parent):
                url = resolve_url(None)
                continue
            if db_url is not None:
                show_error(parent, exc)
            return None
    register_user(db, parent)
    for warning in db.warnings:
        QMessageBox.warning(parent, "kkdesk", warning)
    return db


def welcome_text(registration: users.Registration) -> str:
    """The first-start dialog's text: who you are to kkdesk and which role you got."""
    if registration.first:
        role = (
            "Du er den første bruger af denne database og har fået rollen "
            "<b>Sekretariat</b>: du kan alt, også give kolleger roller under "
            "Register → Brugere."
        )
    else:
        role = (
            "Du er oprettet som <b>Læser</b>: du kan se alle sager, men ikke ændre dem. "
            "Sekretariatet giver dig den rette rolle under Register → Brugere."
        )
    return (
        f"<b>Velkommen til kkdesk.</b><br>kkdesk kender dig fra dit login "
        f"(<i>{registration.actor.login}</i>) – du skal ikke have en adgangskode.<br><br>"
        f"{role}<br><br>Skriv dit navn og dine initialer, så kolleger kan se, "
        "hvem der har gjort hvad."
    )


def register_user(db: Database, parent: QWidget | None) -> users.Actor:
    """Map the OS login to a user record; a new user gets the welcome dialog."""
    from kkdesk.ui.users_dialog import ProfileDialog

    try:
        with db.session() as session:
            registration = users.ensure_user(session, db.user)
    except KnownError as exc:
        # E.g. a read-only PostgreSQL role: work as a reader without a record.
        log.warning("Brugeren kunne ikke registreres: %s", exc)
        with db.session() as session:
            return users.actor_for(session, db.user)
    if registration.created:
        intro = welcome_text(registration)
        ProfileDialog(db, parent, intro=intro, title="Velkommen til kkdesk").exec()
    return registration.actor
