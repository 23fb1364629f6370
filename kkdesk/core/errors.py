"""Known errors: problems of input or environment that the user can act on.

Every message is Danish and says what happened and what to do. Anything that is not a
``KnownError`` is a bug and is shown as such by the UI's error handler.
"""

from __future__ import annotations

from dataclasses import dataclass


class KnownError(Exception):
    """An error with a message meant for the user (Danish)."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of a form or an imported record."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(KnownError):
    """Input that cannot be saved; carries one message per field."""

    def __init__(self, errors: list[FieldError], *, context: str = "") -> None:
        self.errors = errors
        self.context = context
        lines = [str(e) for e in errors]
        head = f"{context}: " if context else ""
        super().__init__(head + "; ".join(lines))


class DatabaseError(KnownError):
    """The database cannot be opened, is locked, full or damaged."""


class ConflictError(KnownError):
    """Someone else saved the same record since it was read."""


class NotFoundError(KnownError):
    """A record the user referred to does not exist."""
