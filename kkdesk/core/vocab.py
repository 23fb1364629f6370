"""Fixed vocabularies: case statuses, channels and asker roles, with Danish labels.

Administrations, parties and kinds of inquiry are data in the database; these lists are
part of the program because code depends on them.
"""

from __future__ import annotations

from typing import Final

STATUS_LABELS: Final[dict[str, str]] = {
    "modtaget": "Modtaget",
    "fordelt": "Fordelt",
    "under_udarbejdelse": "Under udarbejdelse",
    "til_godkendelse": "Til godkendelse",
    "godkendt": "Godkendt",
    "besvaret": "Besvaret",
    "offentliggjort": "Offentliggjort",
    "i_bero": "Sat i bero",
    "videresendt": "Videresendt",
    "annulleret": "Annulleret",
}
OPEN_STATUSES: Final = frozenset(
    {"modtaget", "fordelt", "under_udarbejdelse", "til_godkendelse", "godkendt", "i_bero"}
)
# Until the workflow issue adds the approval step, these count as approved for letters.
APPROVED_STATUSES: Final = frozenset({"godkendt", "besvaret", "offentliggjort"})

CHANNEL_LABELS: Final[dict[str, str]] = {
    "email": "E-mail",
    "brev": "Brev",
    "digital_post": "Digital Post",
    "telefon": "Telefon",
    "moede": "Møde",
    "andet": "Andet",
}

ROLE_LABELS: Final[dict[str, str]] = {
    "br": "BR-medlem",
    "borger": "Borger",
    "anden": "Anden",
}


def status_label(code: str) -> str:
    """Danish label of a status code (the code itself if unknown)."""
    return STATUS_LABELS.get(code, code)


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, code)


def role_label(code: str) -> str:
    return ROLE_LABELS.get(code, code)
