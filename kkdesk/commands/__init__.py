"""Sub-commands of ``kkdesk``. Each module has ``register(subparsers)``, which adds its
parser and sets ``handler`` (a function taking the parsed args and returning an exit
code). Add a module's name to ``MODULES`` to make it available.
"""

from __future__ import annotations

MODULES = [
    "kkdesk.commands.app",
    "kkdesk.commands.case",
    "kkdesk.commands.demo",
    "kkdesk.commands.letter",
    "kkdesk.commands.intake",
    "kkdesk.commands.reply",
    "kkdesk.commands.archive",
    "kkdesk.commands.maintenance",
    "kkdesk.commands.team",
    "kkdesk.commands.deadline",
    "kkdesk.commands.stats",
]
