"""The data model: SQLAlchemy 2 declarative classes with typed ``Mapped[...]`` columns.

Diagram and field meanings: docs/datamodel.md. Every change here needs an Alembic
migration in ``db/versions`` (``tests/test_migrations.py`` runs ``alembic check``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String(),
        dt.date: Date(),
        dt.datetime: DateTime(),
        bool: Boolean(),
    }


class Party(Base):
    """A political party, identified by its letter (A, B, C, F, I, M, O, V, Æ, Ø, Å)."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str]


class Administration(Base):
    """A forvaltning. Names and genitives are data: letters never append "s" in code."""

    __tablename__ = "administration"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str]
    genitive: Mapped[str]
    address: Mapped[str] = mapped_column(default="")
    signer_name: Mapped[str] = mapped_column(default="")
    signer_title: Mapped[str] = mapped_column(default="")
    active: Mapped[bool] = mapped_column(default=True)

    units: Mapped[list[Unit]] = relationship(
        back_populates="administration", order_by="Unit.name", cascade="all, delete-orphan"
    )


class Unit(Base):
    """A unit (enhed, center, kontor) inside an administration."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("administration_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"))
    name: Mapped[str]
    active: Mapped[bool] = mapped_column(default=True)

    administration: Mapped[Administration] = relationship(back_populates="units")


class Officer(Base):
    """A case officer (sagsbehandler)."""

    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    initials: Mapped[str] = mapped_column(String(12), default="")
    email: Mapped[str | None]
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)

    administration: Mapped[Administration | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class Asker(Base):
    """Who asked: a council member (BR-medlem), a citizen or someone else."""

    __tablename__ = "asker"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(20), default="br")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    email: Mapped[str | None]

    party: Mapped[Party | None] = relationship()


class InquiryKind(Base):
    """A kind of inquiry (BR-spørgsmål, borgerhenvendelse, aktindsigt, …)."""

    __tablename__ = "inquiry_kind"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str]
    active: Mapped[bool] = mapped_column(default=True)
    # The deadline rule (kkdesk.core.deadlines): answer within ``deadline_days`` working
    # days after receipt (0: no deadline); the unit's draft ``internal_days`` before that.
    deadline_days: Mapped[int] = mapped_column(Integer, default=10)
    internal_days: Mapped[int] = mapped_column(Integer, default=3)


class CaseNumberCounter(Base):
    """The last running number handed out per year; numbers are never reused."""

    __tablename__ = "case_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Case(Base):
    """One inquiry with its questions. ``version`` guards against lost updates."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        # The list filters and sorts on these, newest first; (year, seq) breaks ties.
        Index("ix_case_status_number", "status", "year", "seq"),
        Index("ix_case_administration_number", "administration_id", "year", "seq"),
        Index("ix_case_subject_number", "subject", "year", "seq"),
        Index("ix_case_received_number", "received_on", "year", "seq"),
        Index("ix_case_deadline_number", "deadline", "year", "seq"),
        Index("ix_case_internal_deadline_number", "internal_deadline", "year", "seq"),
        Index("ix_case_answered_on", "answered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "2025-0042": the year of receipt and a running number per year, never reused.
    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    seq: Mapped[int]
    kind_code: Mapped[str] = mapped_column(ForeignKey("inquiry_kind.code"))
    subject: Mapped[str]
    channel: Mapped[str] = mapped_column(String(20), default="email")
    # Earliest of the received dates (kept by the service; sorts and filters the list).
    received_on: Mapped[dt.date]
    asker_id: Mapped[int] = mapped_column(ForeignKey("asker.id"), index=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    status: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The reply letter (see kkdesk.core.drafts.LetterDraft for the meaning of the codes).
    letter_layout: Mapped[str] = mapped_column(String(20), default="per_question")
    letter_opening: Mapped[str] = mapped_column(String(20), default="kaere")
    general_answer: Mapped[str] = mapped_column(Text, default="")
    # None: the administration's default signer.
    signer_name: Mapped[str | None]
    signer_title: Mapped[str | None]
    # Case-folded case number, subject and asker for the list's free-text filter
    # (SQLite's LIKE folds ASCII only; "STØJ" must find "støj"). Indexed by trigrams:
    # an FTS5 table ``case_list_search`` on SQLite, pg_trgm on PostgreSQL (migration 0002).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Deadlines (kkdesk.core.deadlines): derived from the kind's rule, the received date,
    # extensions, pauses and the calendar, and stored so the list sorts and filters by
    # them in the database. Open cases are recomputed when a rule or the calendar
    # changes; answered cases keep theirs. None: no deadline, or the clock is stopped.
    deadline: Mapped[dt.date | None]
    internal_deadline: Mapped[dt.date | None]
    deadline_override: Mapped[dt.date | None]
    deadline_override_reason: Mapped[str] = mapped_column(Text, default="")
    # The workflow (kkdesk.core.workflow).
    answered_on: Mapped[dt.date | None]
    approved_by: Mapped[str | None]
    approved_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    kind: Mapped[InquiryKind] = relationship()
    asker: Mapped[Asker] = relationship()
    administration: Mapped[Administration] = relationship()
    unit: Mapped[Unit | None] = relationship()
    officer: Mapped[Officer | None] = relationship()
    received_dates: Mapped[list[ReceivedDate]] = relationship(
        order_by="ReceivedDate.received", cascade="all, delete-orphan", back_populates="case"
    )
    questions: Mapped[list[Question]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan", back_populates="case"
    )
    appendices: Mapped[list[LetterAppendix]] = relationship(
        order_by="LetterAppendix.position", cascade="all, delete-orphan", back_populates="case"
    )
    # The history is an append-only audit trail: never deleted with the case (the foreign
    # key has no ON DELETE CASCADE, so a case with history cannot be hard-deleted).
    history: Mapped[list[CaseEvent]] = relationship(
        order_by="CaseEvent.id", back_populates="case", passive_deletes="all"
    )
    extensions: Mapped[list[DeadlineExtension]] = relationship(
        order_by="DeadlineExtension.id", cascade="all, delete-orphan", back_populates="case"
    )
    pauses: Mapped[list[CasePause]] = relationship(
        order_by="CasePause.id", cascade="all, delete-orphan", back_populates="case"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        order_by="Contribution.id", cascade="all, delete-orphan", back_populates="case"
    )

    __mapper_args__ = {"version_id_col": version}


class ReceivedDate(Base):
    """A date on which (part of) the inquiry was received; a case has one or more."""

    __tablename__ = "received_date"
    __table_args__ = (UniqueConstraint("case_id", "received"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    received: Mapped[dt.date]

    case: Mapped[Case] = relationship(back_populates="received_dates")


class Question(Base):
    """One numbered question of a case, with its drafted answer."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    # Optimistic lock of its own, for services that change one question (an answer).
    version: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship(back_populates="questions")

    __mapper_args__ = {"version_id_col": version}


class CaseEvent(Base):
    """One line of a case's history: who did what, when, and which values changed.

    Append-only (kkdesk.core.audit): rows are never updated or deleted.
    """

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user: Mapped[str] = mapped_column(default="")
    action: Mapped[str] = mapped_column(String(30))
    field: Mapped[str | None]
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="history")


class AppSetting(Base):
    """Settings shared by everyone on the same database (key → JSON text)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# --- Letters ---


class LetterAppendix(Base):
    """A "Bilag" line of the reply letter (``Bilag 1 – Input fra workshop …``)."""

    __tablename__ = "letter_appendix"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="appendices")


class LetterTemplate(Base):
    """The letter texts the secretariat edits (``kkdesk.core.letters.templates``): one row
    with the common texts (``administration_id`` NULL) and one per administration that
    differs. ``texts`` is a JSON object key → text; ``logo`` a PNG or JPEG (None: the
    common logo, else the one shipped in resources/letterhead)."""

    __tablename__ = "letter_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("administration.id", ondelete="CASCADE"), unique=True
    )
    texts: Mapped[str] = mapped_column(Text, default="{}")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_name: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(default="")


# --- Search and reuse ---


class StandardText(Base):
    """A reusable paragraph (standardtekst) with named fields such as ``{enhed}``."""

    __tablename__ = "standard_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(default="")


# --- Mail ---


class CaseAttachment(Base):
    """A file kept with a case (bilag): a mail's attachment, the original mail, or a file
    the secretariat added. The bytes live in the database so a team on PostgreSQL shares
    them; ``data`` is deferred so lists never load it."""

    __tablename__ = "case_attachment"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(255))
    # The line in the letter's Bilag list; "" means the file name without its extension.
    title: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_by: Mapped[str] = mapped_column(default="")
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    send_with_reply: Mapped[bool] = mapped_column(default=False)
    is_original: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship()


# --- Team ---


class AppUser(Base):
    """A person using kkdesk, known by the operating system login (kkdesk.core.users)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(default="")
    initials: Mapped[str] = mapped_column(String(12), default="")
    # sekretariat | forvaltning | laeser (kkdesk.core.permissions)
    role: Mapped[str] = mapped_column(String(20), default="laeser")
    # The administration whose cases a "forvaltning" user drafts answers for.
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    administration: Mapped[Administration | None] = relationship()


class CaseLease(Base):
    """Presence: someone has a case open. Kept alive by a heartbeat; expires if a PC dies."""

    __tablename__ = "case_lease"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One per open case window (a person may have the same case open on two PCs).
    token: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    login: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(default="")
    host: Mapped[str] = mapped_column(default="")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class AuditLog(Base):
    """Append-only audit of what is not a case: register, users, exports, backups.

    Changes to cases go to ``CaseEvent`` (the case's history).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user: Mapped[str] = mapped_column(default="")
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(default="")
    action: Mapped[str] = mapped_column(String(30))
    field: Mapped[str | None]
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")


# --- Deadlines and workflow ---


class ClosingDay(Base):
    """A day the secretariat is closed besides weekends and public holidays."""

    __tablename__ = "closing_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(default="")


class DeadlineExtension(Base):
    """A fristforlængelse: ``working_days`` more, with the reason."""

    __tablename__ = "deadline_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    working_days: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(default="")

    case: Mapped[Case] = relationship(back_populates="extensions")


class CasePause(Base):
    """A period "sat i bero": days ``paused_on <= d < resumed_on`` do not count."""

    __tablename__ = "case_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    paused_on: Mapped[dt.date]
    resumed_on: Mapped[dt.date | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    # The status the case returns to when it is resumed.
    resume_status: Mapped[str] = mapped_column(String(30), default="under_udarbejdelse")
    created_by: Mapped[str] = mapped_column(default="")

    case: Mapped[Case] = relationship(back_populates="pauses")


class Contribution(Base):
    """A bidrag: input the case asks of another administration or unit."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # The question the input is for; None: the case as a whole (the general answer).
    question_number: Mapped[int | None]
    request: Mapped[str] = mapped_column(Text, default="")
    internal_deadline: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20), default="afventer")
    text: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date | None]
    gathered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(default="")

    case: Mapped[Case] = relationship(back_populates="contributions")
    administration: Mapped[Administration] = relationship()
    unit: Mapped[Unit | None] = relationship()
    officer: Mapped[Officer | None] = relationship()
