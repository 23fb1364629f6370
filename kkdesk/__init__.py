"""kkdesk — the secretariat's register of council members' questions and their answers."""

__version__ = "0.1.0"
