"""Who is working: the operating system's login, mapped to a user record with a role.

* ``current_user()`` is the login (``KKDESK_USER`` overrides it, e.g. in tests).
* ``actor_for(session, login)`` turns a login into an ``Actor`` (name, initials, role,
  administration) – what ``kkdesk.core.permissions.require`` checks.
* ``ensure_user(session, login)`` is called at start-up. The very first user of a
  database becomes **sekretariat**; every later unknown login is registered as **læser**
  (read-only) until the secretariat gives it another role (Register → Brugere).
* A database without any user record is in *single-user mode*: whoever uses it acts as the
  secretariat (a new local database, the command line before the program was first
  started, the test suite). The first registered user ends single-user mode.

Logins are compared case-insensitively (Windows logins are) and stored in lower case.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kkdesk.core.errors import FieldError, NotFoundError, ValidationError
from kkdesk.core.models import Administration, AppUser
from kkdesk.core.textcheck import text_problem

SEKRETARIAT = "sekretariat"
FORVALTNING = "forvaltning"
LAESER = "laeser"
ROLE_LABELS = {SEKRETARIAT: "Sekretariat", FORVALTNING: "Forvaltning", LAESER: "Læser"}
ROLE_DESCRIPTIONS = {
    SEKRETARIAT: "alt: registrere, fordele, rette, godkende, eksportere, vedligeholde registre",
    FORVALTNING: "egen forvaltnings sager: skrive svar og sende dem videre",
    LAESER: "kun læse",
}
MAX_LOGIN = 100
MAX_INITIALS = 12


def current_user() -> str:
    """The login name (``KKDESK_USER`` overrides it, e.g. in tests)."""
    override = os.environ.get("KKDESK_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"


def normalise_login(login: str) -> str:
    """Logins are case-insensitive: stored and compared in lower case.

    Characters a database cannot store (NUL; lone surrogates, which an environment with
    invalid UTF-8 gives Python) become "?".
    """
    return _storable(login).strip().lower()


def _storable(value: str) -> str:
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")


def host_name() -> str:
    """This PC's name, shown in presence notices."""
    try:
        return socket.gethostname() or "ukendt pc"
    except OSError:
        return "ukendt pc"


def os_full_name(login: str) -> str:
    """The person's full name as the operating system knows it, or ""."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import ctypes

            size = ctypes.c_ulong(0)
            secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
            secur32.GetUserNameExW(3, None, ctypes.byref(size))  # 3 = NameDisplay
            buffer = ctypes.create_unicode_buffer(size.value)
            if secur32.GetUserNameExW(3, buffer, ctypes.byref(size)):
                return str(buffer.value).strip()
            return ""
        import pwd

        return pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (KeyError, OSError, AttributeError, ImportError, ValueError):
        return ""


def suggest_initials(name: str) -> str:
    """ "Mette Ørum Hansen" → "MØH" (at most four letters)."""
    letters = [part[0] for part in name.replace("-", " ").split() if part[:1].isalpha()]
    return "".join(letters[:4]).upper()


@dataclass(frozen=True)
class Actor:
    """The person acting, as the permission checks see it (detached from any session)."""

    login: str
    name: str = ""
    initials: str = ""
    role: str = LAESER
    administration_id: int | None = None
    administration_code: str | None = None
    registered: bool = False
    active: bool = True

    @property
    def label(self) -> str:
        """``Mette Hansen (MH)``, or the login when no name is known."""
        if not self.name:
            return self.login
        return f"{self.name} ({self.initials})" if self.initials else self.name

    @property
    def role_label(self) -> str:
        label = ROLE_LABELS.get(self.role, self.role)
        if self.role == FORVALTNING and self.administration_code:
            return f"{label} ({self.administration_code})"
        return label


def _find(session: Session, login: str) -> AppUser | None:
    return session.scalar(select(AppUser).where(AppUser.login == normalise_login(login)))


def _to_actor(user: AppUser) -> Actor:
    return Actor(
        login=user.login,
        name=user.name,
        initials=user.initials,
        role=user.role,
        administration_id=user.administration_id,
        administration_code=user.administration.code if user.administration else None,
        registered=True,
        active=user.active,
    )


def has_users(session: Session) -> bool:
    """False in single-user mode (no user record yet)."""
    return session.scalar(select(AppUser.id).limit(1)) is not None


def actor_for(session: Session, login: str) -> Actor:
    """The acting person for ``login``: its record, else single-user mode or læser."""
    user = _find(session, login)
    if user is not None:
        return _to_actor(user)
    role = LAESER if has_users(session) else SEKRETARIAT
    return Actor(login=normalise_login(login), name="", role=role)


@dataclass(frozen=True)
class Registration:
    """The result of ``ensure_user``: the actor, and whether the record was just made."""

    actor: Actor
    created: bool
    first: bool


def ensure_user(session: Session, login: str, *, name: str | None = None) -> Registration:
    """Map the login to a user record, creating it on first start (see module docstring)."""
    from kkdesk.core import audit

    user = _find(session, login)
    if user is not None:
        return Registration(_to_actor(user), created=False, first=False)
    first = not has_users(session)
    full_name = _storable(name or os_full_name(login) or normalise_login(login)).strip()[:200]
    user = AppUser(
        login=normalise_login(login)[:MAX_LOGIN],
        name=full_name,
        initials=suggest_initials(full_name)[:MAX_INITIALS],
        role=SEKRETARIAT if first else LAESER,
        active=True,
    )
    session.add(user)
    session.flush()
    audit.log(
        session,
        user.login,
        "bruger",
        user.login,
        "oprettet",
        field="Rolle",
        new_value=ROLE_LABELS[user.role],
        comment="Første bruger af databasen" if first else "Ny bruger ved første start",
    )
    return Registration(_to_actor(user), created=True, first=first)


def display_names(session: Session, logins: set[str]) -> dict[str, str]:
    """login → "Navn (INIT)" for the logins that have a record (others are left out)."""
    wanted = {normalise_login(login) for login in logins if login}
    if not wanted:
        return {}
    rows = session.execute(
        select(AppUser.login, AppUser.name, AppUser.initials).where(AppUser.login.in_(wanted))
    )
    found: dict[str, str] = {}
    for login, name, initials in rows:
        if name:
            found[login] = f"{name} ({initials})" if initials else name
    return {
        login: found[normalise_login(login)] for login in logins if normalise_login(login) in found
    }


def display_name(session: Session, login: str) -> str:
    """ "Navn (INIT)" for a login, or the login itself."""
    return display_names(session, {login}).get(login, login)


def list_users(session: Session) -> list[AppUser]:
    """Every user record, by name."""
    return list(session.scalars(select(AppUser).order_by(func.lower(AppUser.name), AppUser.login)))


def _check_profile(name: str, initials: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("Navn", "skal udfyldes."))
    elif len(name) > 200:
        errors.append(FieldError("Navn", "må højst være 200 tegn."))
    if len(initials) > MAX_INITIALS:
        errors.append(FieldError("Initialer", f"må højst være {MAX_INITIALS} tegn."))
    for label, value in (("Navn", name), ("Initialer", initials)):
        problem = text_problem(value)
        if problem:
            errors.append(FieldError(label, problem))
    return errors


def update_profile(session: Session, login: str, name: str, initials: str) -> Actor:
    """A person sets their own name and initials (any role may)."""
    from kkdesk.core import audit

    user = _find(session, login)
    if user is None:
        raise NotFoundError("Du er ikke oprettet som bruger i denne database.")
    name, initials = name.strip(), initials.strip().upper()
    errors = _check_profile(name, initials)
    if errors:
        raise ValidationError(errors, context="Bruger")
    for label, attr, value in (("Navn", "name", name), ("Initialer", "initials", initials)):
        old = getattr(user, attr)
        if old != value:
            audit.log(session, user.login, "bruger", user.login, "ændret", label, old, value)
            setattr(user, attr, value)
    session.flush()
    return _to_actor(user)


def _active_secretaries(session: Session) -> set[int]:
    return set(
        session.scalars(select(AppUser.id).where(AppUser.role == SEKRETARIAT, AppUser.active))
    )


def save_user(
    session: Session, acting_login: str, user_id: int | None, values: dict[str, Any]
) -> AppUser:
    """Create or change a user (secretariat only). ``values``: login, name, initials, role,
    administration_id, active. Every changed field goes to the audit log."""
    from kkdesk.core import audit, permissions

    actor = actor_for(session, acting_login)
    permissions.require(actor, permissions.Action.USERS_MANAGE)
    raw_login = str(values.get("login") or "")
    for label, raw in (("Login", raw_login), ("Navn", str(values.get("name") or ""))):
        if problem := text_problem(raw):
            raise ValidationError([FieldError(label, problem)], context="Bruger")
    login = normalise_login(raw_login)
    name = str(values.get("name") or "").strip()
    initials = str(values.get("initials") or "").strip().upper()
    role = str(values.get("role") or "")
    admin_id = values.get("administration_id") or None
    if admin_id is not None and (not isinstance(admin_id, int) or isinstance(admin_id, bool)):
        raise ValidationError(
            [FieldError("Forvaltning", "skal vælges fra listen.")], context="Bruger"
        )
    active = bool(values.get("active", True))
    errors = _check_profile(name, initials)
    if not login:
        errors.append(FieldError("Login", "skal udfyldes."))
    elif len(login) > MAX_LOGIN or text_problem(login):
        errors.append(FieldError("Login", "er ikke et gyldigt login."))
    if role not in ROLE_LABELS:
        errors.append(FieldError("Rolle", f"'{role}' er ukendt."))
    if role == FORVALTNING and admin_id is None:
        errors.append(FieldError("Forvaltning", "skal vælges for en forvaltningsbruger."))
    if admin_id is not None and session.get(Administration, admin_id) is None:
        errors.append(FieldError("Forvaltning", "findes ikke."))
    user = session.get(AppUser, user_id) if user_id is not None else None
    if user_id is not None and user is None:
        raise NotFoundError("Brugeren findes ikke længere.")
    other = _find(session, login) if login else None
    if other is not None and other is not user:
        errors.append(FieldError("Login", f"'{login}' er allerede oprettet."))
    secretaries = _active_secretaries(session)
    demoted = user is not None and user.id in secretaries and (role != SEKRETARIAT or not active)
    if demoted and len(secretaries) == 1:
        errors.append(
            FieldError("Rolle", "der skal altid være mindst én aktiv sekretariatsbruger.")
        )
    if errors:
        raise ValidationError(errors, context="Bruger")
    if role != FORVALTNING:
        admin_id = None
    new = {
        "login": login,
        "name": name,
        "initials": initials,
        "role": role,
        "administration_id": admin_id,
        "active": active,
    }
    labels = {
        "login": "Login",
        "name": "Navn",
        "initials": "Initialer",
        "role": "Rolle",
        "administration_id": "Forvaltning",
        "active": "Aktiv",
    }

    def shown(key: str, value: Any) -> str:
        if key == "role":
            return ROLE_LABELS.get(str(value), str(value))
        if key == "active":
            return "Ja" if value else "Nej"
        if key == "administration_id":
            admin = session.get(Administration, value) if value else None
            return admin.code if admin else ""
        return "" if value is None else str(value)

    if user is None:
        user = AppUser(**new)
        session.add(user)
        session.flush()
        audit.log(
            session, actor.login, "bruger", login, "oprettet", "Rolle", None, shown("role", role)
        )
        return user
    for key, value in new.items():
        old = getattr(user, key)
        if old != value:
            audit.log(
                session,
                actor.login,
                "bruger",
                login,
                "ændret",
                labels[key],
                shown(key, old),
                shown(key, value),
            )
            setattr(user, key, value)
    session.flush()
    return user
