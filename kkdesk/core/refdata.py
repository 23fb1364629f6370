"""Reference data (administrations, parties, kinds of inquiry) loaded on first start.

The JSON files live in ``db/reference``. They are loaded once per database; afterwards the
secretariat edits the records in the app and kkdesk never overwrites them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kkdesk.core import paths
from kkdesk.core.models import Administration, AppSetting, InquiryKind, Party, Unit

if TYPE_CHECKING:
    from kkdesk.core.database import Database

LOADED_KEY = "reference_data_loaded"


def _read(name: str) -> list[dict[str, Any]]:
    with (paths.reference_dir() / name).open(encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def load_if_missing(db: Database) -> bool:
    """Load the reference data unless this database already has it. True if loaded."""
    with db.session() as session:
        if session.get(AppSetting, LOADED_KEY) is not None:
            return False
        existing_codes = set(session.scalars(select(Administration.code)))
        for item in _read("administrations.json"):
            if item["code"] in existing_codes:
                continue
            units = item.pop("units", [])
            admin = Administration(**item)
            admin.units = [Unit(name=name) for name in units]
            session.add(admin)
        existing_letters = set(session.scalars(select(Party.letter)))
        for item in _read("parties.json"):
            if item["letter"] not in existing_letters:
                session.add(Party(**item))
        existing_kinds = set(session.scalars(select(InquiryKind.code)))
        for item in _read("inquiry_kinds.json"):
            if item["code"] not in existing_kinds:
                session.add(InquiryKind(**item))
        session.add(AppSetting(key=LOADED_KEY, value="1"))
    return True
