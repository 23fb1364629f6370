"""Test mails made in code: MIME messages (.eml) and Outlook messages (.msg).

A .msg is an OLE compound file holding MAPI properties ([MS-OXMSG]). It is written here
with extract-msg's own ``OleWriter``: string properties as UTF-16 streams, fixed-size
ones (times, flags) in the ``__properties_version1.0`` stream.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field
from pathlib import Path

PT_LONG = 0x0003
PT_SYSTIME = 0x0040
PT_UNICODE = 0x001F
PT_BINARY = 0x0102


def _filetime(value: dt.datetime) -> int:
    epoch = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
    return int((value - epoch).total_seconds() * 10_000_000)


@dataclass
class MsgSpec:
    subject: str
    sender_name: str
    sender_email: str
    sent: dt.datetime
    body: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def _properties(
    header: bytes, fixed: list[tuple[int, int, bytes]], variable: list[tuple[int, int, int]]
) -> bytes:
    out = bytearray(header)
    for prop_id, prop_type, value in fixed:
        out += struct.pack("<II", (prop_id << 16) | prop_type, 0x6) + value.ljust(8, b"\0")
    for prop_id, prop_type, size in variable:
        out += struct.pack("<IIII", (prop_id << 16) | prop_type, 0x6, size, 0)
    return bytes(out)


def write_msg(path: Path, spec: MsgSpec) -> Path:
    """Write an Outlook .msg with the given sender, time, body and attachments."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    strings = {
        0x001A: "IPM.Note",
        0x0037: spec.subject,
        0x0C1A: spec.sender_name,
        0x5D01: spec.sender_email,
        0x0C1F: spec.sender_email,
        0x1000: spec.body,
    }
    variable = []
    for prop_id, value in strings.items():
        data = value.encode("utf-16-le")
        writer.addEntry(f"__substg1.0_{prop_id:04X}{PT_UNICODE:04X}", data)
        variable.append((prop_id, PT_UNICODE, len(data) + 2))
    when = struct.pack("<Q", _filetime(spec.sent))
    fixed = [
        (0x0039, PT_SYSTIME, when),  # PR_CLIENT_SUBMIT_TIME
        (0x0E06, PT_SYSTIME, when),  # PR_MESSAGE_DELIVERY_TIME
        (0x0E07, PT_LONG, struct.pack("<I", 1)),  # PR_MESSAGE_FLAGS: read, not unsent
    ]
    count = len(spec.attachments)
    header = struct.pack("<8xIIII8x", 0, count, 0, count)
    writer.addEntry("__properties_version1.0", _properties(header, fixed, variable))
    writer.addEntry("__nameid_version1.0", storage=True)
    for name_stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(["__nameid_version1.0", name_stream], b"")
    for index, (name, data) in enumerate(spec.attachments):
        storage = f"__attach_version1.0_#{index:08X}"
        writer.addEntry(storage, storage=True)
        encoded_name = name.encode("utf-16-le")
        writer.addEntry([storage, "__substg1.0_3707001F"], encoded_name)
        writer.addEntry([storage, "__substg1.0_3704001F"], encoded_name)
        writer.addEntry([storage, "__substg1.0_37010102"], data)
        props = _properties(
            b"\0" * 8,
            [(0x3705, PT_LONG, struct.pack("<I", 1)), (0x0E21, PT_LONG, struct.pack("<I", index))],
            [
                (0x3707, PT_UNICODE, len(encoded_name) + 2),
                (0x3704, PT_UNICODE, len(encoded_name) + 2),
                (0x3701, PT_BINARY, len(data)),
            ],
        )
        writer.addEntry([storage, "__properties_version1.0"], props)
    writer.write(str(path))
    return path
