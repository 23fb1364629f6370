"""Export the case list as it is shown (filtered and sorted) to an Excel workbook.

openpyxl's write-only mode streams rows to the file, so 100,000 cases need little
memory; rows are read from the database in blocks. Dates are real Excel dates
(dd-mm-åååå), so the secretariat can sort and filter them in Excel.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from kkdesk.core.calendar import WorkCalendar, load_calendar
from kkdesk.core.caselist import case_rows
from kkdesk.core.deadlines import on_time, urgency
from kkdesk.core.errors import KnownError
from kkdesk.core.vocab import OPEN_STATUSES, status_label

HEADERS = (
    "Sagsnr.",
    "Emne",
    "Spørger (parti)",
    "Forvaltning",
    "Modtaget",
    "Status",
    "Frist",
    "Intern frist",
    "Arbejdsdage tilbage",
    "Fristtilstand",
    "Besvaret",
    "Til tiden",
)
WIDTHS = (11, 60, 30, 12, 12, 18, 12, 12, 12, 14, 12, 10)
BLOCK = 1000
DATE_FORMAT = "dd-mm-yyyy"
RED = PatternFill("solid", fgColor="FFDEDE")
AMBER = PatternFill("solid", fgColor="FFECC4")
STATE_LABELS = {"overdue": "Overskredet", "soon": "Snart", "ok": ""}


def _state(
    status: str, deadline: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> tuple[str, int | None]:
    if status == "i_bero":
        return "Sat i bero", None
    if status not in OPEN_STATUSES or deadline is None:
        return "", None
    found = urgency(deadline, today, calendar)
    assert found is not None
    return STATE_LABELS[found[0]], found[1]


def _date_cell(sheet: Worksheet, day: dt.date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=day)
    if day is not None:
        cell.number_format = DATE_FORMAT
    return cell


def export_list(
    session: Session,
    ids: Sequence[int],
    target: Path,
    *,
    title: str = "Sager",
    today: dt.date | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Write the cases ``ids`` in that order to ``target`` (.xlsx); returns the count.

    ``progress(done, total)`` is called per block; returning False cancels (nothing is
    left behind).
    """
    today = today or dt.date.today()
    calendar = load_calendar(session)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Sager")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    written = 0
    for start in range(0, len(ids), BLOCK):
        block = list(ids[start : start + BLOCK])
        rows = case_rows(session, block)
        for case_id in block:
            row = rows.get(case_id)
            if row is None:  # deleted meanwhile
                continue
            state, left = _state(row.status, row.deadline, today, calendar)
            verdict = on_time(row.answered_on, row.deadline)
            state_cell = WriteOnlyCell(sheet, value=state)
            if state == "Overskredet":
                state_cell.fill = RED
            elif state == "Snart":
                state_cell.fill = AMBER
            sheet.append(
                [
                    row.case_number,
                    row.subject,
                    row.asker,
                    row.administration,
                    _date_cell(sheet, row.received_on),
                    status_label(row.status),
                    _date_cell(sheet, row.deadline),
                    _date_cell(sheet, row.internal_deadline),
                    left,
                    state_cell,
                    _date_cell(sheet, row.answered_on),
                    "" if verdict is None else ("ja" if verdict else "nej"),
                ]
            )
            written += 1
        session.expunge_all()
        if progress is not None and not progress(min(start + BLOCK, len(ids)), len(ids)):
            written = -1
            break
    # Written aside and moved into place: a cancelled or failed export leaves no half file,
    # and an existing file is only replaced by a complete one.
    partial = target.with_name(f".{target.name}.delvis")
    try:
        workbook.save(partial)
        if written < 0:
            partial.unlink()
        else:
            os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KnownError(
            f"Filen '{target}' kan ikke gemmes: {exc.strerror or exc}.",
            detail="Er filen åben i Excel? Luk den, eller vælg et andet navn.",
        ) from exc
    return written
