"""Characters that cannot be stored: NUL and lone UTF-16 surrogates.

PostgreSQL text cannot hold NUL (0x00), and a lone surrogate (``"\\ud800"``, which JSON
``"\\ud800"`` escapes produce) cannot be encoded as UTF-8 by either database. Everything
else – emoji, right-to-left text, tabs, other control characters – is stored as given.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """A Danish description of why ``value`` cannot be stored, or None if it can."""
    if "\x00" in value:
        return "indeholder et ugyldigt tegn (NUL)."
    if _SURROGATE.search(value):
        return "indeholder et ugyldigt tegn (et halvt UTF-16-tegnpar)."
    return None
