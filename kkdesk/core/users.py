"""Who is working: the operating system's login name."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    """The login name (``KKDESK_USER`` overrides it, e.g. in tests)."""
    override = os.environ.get("KKDESK_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"
