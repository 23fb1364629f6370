"""E-mail intake: saved .eml and Outlook .msg files → a case draft for review.

``read_mail`` (one file → ``ParsedMail``), ``build_intake`` (mails → ``Intake`` with a
``CaseDraft``, the asker matched to the register and the attachments pending), and
``create_from_intake`` (saves the case and its bilag in one transaction).
"""

from kkdesk.core.intake.build import Intake, PendingAttachment, build_intake
from kkdesk.core.intake.mail import (
    DEFAULT_LIMITS,
    AttachmentProblem,
    IntakeError,
    Limits,
    MailAttachment,
    ParsedMail,
    read_mail,
)

__all__ = [
    "DEFAULT_LIMITS",
    "AttachmentProblem",
    "Intake",
    "IntakeError",
    "Limits",
    "MailAttachment",
    "ParsedMail",
    "PendingAttachment",
    "build_intake",
    "read_mail",
]
