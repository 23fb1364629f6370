"""``kkdesk reply CASE --out FILE.eml [--cc-council]`` and ``kkdesk reply CASE --sent``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kkdesk.core import privacy, reply_mail
from kkdesk.core.cases import find_case_id
from kkdesk.core.database import open_database
from kkdesk.core.errors import KnownError
from kkdesk.core.users import current_user


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "reply",
        help="dan svar-e-mailen (.eml) til en godkendt sag, eller markér svaret som sendt",
        description="Danner en e-mail til spørgeren med det endelige svarbrev (PDF) og bilag, "
        "som åbnes i mailprogrammet. Med --sent flyttes sagen til Besvaret.",
    )
    parser.add_argument("case_number", metavar="SAGSNR")
    parser.add_argument("--out", type=Path, metavar="STI", help="filen eller mappen til .eml")
    parser.add_argument(
        "--cc-council", action="store_true", help="kopi til alle medlemmer af BR med e-mail"
    )
    parser.add_argument(
        "--privacy-reason",
        metavar="BEGRUNDELSE",
        help="send, selv om svaret muligvis indeholder personoplysninger",
    )
    parser.add_argument(
        "--sent", action="store_true", help="svaret er sendt: flyt sagen til Besvaret"
    )
    parser.set_defaults(handler=_reply)


def _reply(args: argparse.Namespace) -> int:
    if not args.sent and args.out is None:
        raise KnownError("Angiv --out STI for e-mailen, eller --sent når svaret er sendt.")
    db = open_database(args.db)
    try:
        with db.session() as session:
            case_id = find_case_id(session, args.case_number)
            if args.sent:
                reply_mail.mark_sent(session, case_id, user=current_user())
                line = f"{args.case_number}\tbesvaret"
            else:
                privacy.check_case(
                    session,
                    case_id,
                    purpose="Svaret",
                    reason=args.privacy_reason,
                    user=current_user(),
                    done="Svar-e-mail dannet",
                )
                reply = reply_mail.build_reply(
                    session, case_id, user=current_user(), cc_council=args.cc_council
                )
                target: Path = args.out / reply.file_name if args.out.is_dir() else args.out
                reply_mail.write_reply(target, reply)
                line = f"{target}\t{reply.to}\t{len(reply.cc)} cc\t{len(reply.attached)} filer"
    finally:
        db.dispose()
    print(line)
    return 0
