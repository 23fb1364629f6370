"""Who sent the mail: matching the sender to the register of askers.

By e-mail address (exact, case-insensitive) or by the full name → use that asker; by a
similar name (other spelling, a missing middle name) or an ambiguous name → suggest, the
user decides; otherwise → offer a new asker made from the sender.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kkdesk.core.cases import asker_label
from kkdesk.core.drafts import AskerRef
from kkdesk.core.models import Asker

EXACT = "exact"
SUGGESTED = "suggested"
NEW = "new"
SIMILAR_ENOUGH = 0.84


@dataclass(frozen=True)
class Candidate:
    asker_id: int
    name: str
    label: str
    email: str | None
    score: float  # 1.0 for an e-mail match
    reason: str  # Danish: "samme e-mailadresse", "samme navn", "lignende navn"


@dataclass
class AskerMatch:
    """The outcome: ``status`` is exact, suggested or new; ``ref`` is what the draft uses."""

    status: str
    ref: AskerRef
    candidates: list[Candidate] = field(default_factory=list)

    def describe(self) -> str:
        """A Danish line for the review dialog and the command line."""
        if self.status == EXACT:
            return f"Spørgeren er fundet i registret: {self.candidates[0].label}."
        if self.status == SUGGESTED:
            names = "; ".join(f"{c.label} ({c.reason})" for c in self.candidates[:3])
            return f"Spørgeren er ikke sikkert genkendt. Forslag: {names}."
        return f"Spørgeren findes ikke i registret og oprettes som ny: {self.ref.name}."


def _normal(name: str) -> str:
    """Case-folded, without accents other than æøå, single spaces."""
    folded = " ".join(name.casefold().replace(".", " ").split())
    kept = []
    for ch in unicodedata.normalize("NFD", folded):
        if unicodedata.category(ch) == "Mn":
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).replace("aa", "å")


def _similarity(a: str, b: str) -> float:
    left, right = _normal(a), _normal(b)
    if not left or not right:
        return 0.0
    ratio = difflib.SequenceMatcher(None, left, right).ratio()
    words_l, words_r = left.split(), right.split()
    # "Åse Ørsted" and "Åse Marie Ørsted": same first and last name.
    if (
        len(words_l) >= 2
        and len(words_r) >= 2
        and (words_l[0], words_l[-1])
        == (
            words_r[0],
            words_r[-1],
        )
    ):
        ratio = max(ratio, 0.9)
    return ratio


def _ref(asker: Asker, fallback_email: str | None) -> AskerRef:
    return AskerRef(
        name=asker.name,
        party=asker.party.letter if asker.party else None,
        email=asker.email or fallback_email,
        role=asker.role,
    )


def _candidate(asker: Asker, score: float, reason: str) -> Candidate:
    return Candidate(asker.id, asker.name, asker_label(asker), asker.email, score, reason)


def name_from_address(address: str) -> str:
    """ "aase.oersted@example.dk" → "Aase Oersted" (for a sender without a display name)."""
    local = address.split("@", 1)[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)


def role_for(address: str | None, own_domains: list[str]) -> str:
    """A sender on the municipality's own domain is taken for a council member."""
    if not address or "@" not in address:
        return "borger"
    domain = address.rsplit("@", 1)[1].lower()
    if any(domain == d or domain.endswith("." + d) for d in own_domains):
        return "br"
    return "borger"


def match_asker(
    session: Session, name: str, email: str | None, *, own_domains: list[str]
) -> AskerMatch:
    """Match a mail's sender to the register (see the module docstring)."""
    askers = list(session.scalars(select(Asker).options(selectinload(Asker.party))))
    if email:
        by_mail = [a for a in askers if a.email and a.email.lower() == email.lower()]
        if len(by_mail) == 1:
            asker = by_mail[0]
            return AskerMatch(EXACT, _ref(asker, email), [_candidate(asker, 1.0, "samme e-mail")])
        if by_mail:
            return AskerMatch(
                SUGGESTED,
                _ref(by_mail[0], email),
                [_candidate(a, 1.0, "samme e-mailadresse") for a in by_mail],
            )
    name = name.strip() or (name_from_address(email) if email else "")
    same_name = [a for a in askers if _normal(a.name) == _normal(name)] if name else []
    if len(same_name) == 1 and (not email or not same_name[0].email):
        asker = same_name[0]
        return AskerMatch(EXACT, _ref(asker, email), [_candidate(asker, 1.0, "samme navn")])
    scored = sorted(
        ((score, a) for a in askers if (score := _similarity(a.name, name)) >= SIMILAR_ENOUGH),
        key=lambda pair: (-pair[0], pair[1].name),
    )
    candidates = [
        _candidate(a, s, "samme navn, anden e-mail" if s >= 0.999 else "lignende navn")
        for s, a in scored
    ]
    new_ref = AskerRef(name=name, email=email, role=role_for(email, own_domains))
    if candidates:
        return AskerMatch(SUGGESTED, new_ref, candidates[:5])
    return AskerMatch(NEW, new_ref)


def count_askers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Asker)) or 0
