"""Presence: who has a case open right now ("Mette Hansen (MH) redigerer denne sag").

Each open case window holds a *lease* (a row in ``case_lease``) that it renews with a
heartbeat every ``HEARTBEAT_SECONDS``. A lease that is not renewed expires after
``LEASE_SECONDS`` – a PC that crashed, lost the network or went to sleep stops showing up
by itself. Presence is a notice, not a lock: two people may still edit the same case, and
optimistic locking (``Case.version``) stops the second save from overwriting the first.

Times are the PCs' clocks in UTC; a lease lasts three heartbeats, so clocks that differ
by less than a minute do not matter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kkdesk.core.models import CaseLease, utcnow

HEARTBEAT_SECONDS = 30
LEASE_SECONDS = 90


@dataclass(frozen=True)
class Presence:
    """Someone else (or the same person on another PC) who has the case open."""

    login: str
    name: str
    host: str
    since: dt.datetime  # UTC

    @property
    def label(self) -> str:
        return self.name or self.login


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=LEASE_SECONDS)


def open_lease(
    session: Session,
    case_id: int,
    login: str,
    name: str,
    host: str,
    *,
    now: dt.datetime | None = None,
) -> str:
    """Announce that ``login`` has the case open; returns the lease's token."""
    now = now or utcnow()
    purge_expired(session, now=now)
    token = uuid.uuid4().hex
    session.add(
        CaseLease(
            token=token,
            case_id=case_id,
            login=login,
            name=name,
            host=host,
            started_at=now,
            heartbeat_at=now,
            expires_at=_expiry(now),
        )
    )
    session.flush()
    return token


def heartbeat(session: Session, token: str, *, now: dt.datetime | None = None) -> bool:
    """Renew a lease. False if it is gone (expired and purged): open a new one."""
    now = now or utcnow()
    result = session.execute(
        update(CaseLease)
        .where(CaseLease.token == token)
        .values(heartbeat_at=now, expires_at=_expiry(now))
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def close_lease(session: Session, token: str) -> None:
    """The case window was closed."""
    session.execute(
        delete(CaseLease)
        .where(CaseLease.token == token)
        .execution_options(synchronize_session=False)
    )


def purge_expired(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete leases nobody renewed (crashed PCs); returns how many."""
    result = session.execute(
        delete(CaseLease)
        .where(CaseLease.expires_at < (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def others(
    session: Session, case_id: int, token: str | None, *, now: dt.datetime | None = None
) -> list[Presence]:
    """Everyone else who has the case open (live leases other than ``token``), oldest first."""
    now = now or utcnow()
    query = (
        select(CaseLease)
        .where(CaseLease.case_id == case_id, CaseLease.expires_at >= now)
        .order_by(CaseLease.started_at, CaseLease.id)
    )
    if token is not None:
        query = query.where(CaseLease.token != token)
    return [
        Presence(lease.login, lease.name, lease.host, lease.started_at)
        for lease in session.scalars(query)
    ]


def notice(presences: list[Presence], me: str, *, local: dt.tzinfo | None = None) -> str:
    """The Danish notice for the case window, or "" when nobody else has it open."""
    if not presences:
        return ""
    parts = []
    for p in presences:
        since = p.since.replace(tzinfo=dt.UTC).astimezone(local).strftime("%H.%M")
        where = f"på {p.host} " if p.host else ""
        if p.login == me:
            parts.append(f"Du har også sagen åben {where}(siden kl. {since})")
        else:
            parts.append(f"{p.label} redigerer denne sag ({where}siden kl. {since})")
    text = ". ".join(parts) + "."
    if any(p.login != me for p in presences):
        text += " Gemmer I begge, får den sidste besked og kan flette ændringerne."
    return text
