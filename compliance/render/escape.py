"""Text from inputs (file names, report lines, waiver reasons) made safe for the output it lands in.

A file name may carry ESC or BEL (a terminal would obey them; XML 1.0 forbids them) and a cell may
start with `=`: spreadsheets run it as a formula (OWASP "CSV injection")."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL and C1: never text a reader meant to see
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_CONTROL = re.compile(r"(?<!\\)((?:\\\\)*)\\u00(?:0[0-8bBcCdDeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def printable(text: str) -> str:
    """`text` without control characters (tab and newline stay)."""
    return CONTROL.sub("", text)


def printable_model(obj):
    """A pydantic model (a report, an error) with control characters removed from every string;
    the same object when it has none (the usual case costs one JSON dump)."""
    data = obj.model_dump_json()
    if not _JSON_CONTROL.search(data):
        return obj
    return type(obj).model_validate_json(_JSON_CONTROL.sub(r"\1", data))


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting with = + - @ tab or CR gets a leading
    apostrophe (OWASP), unless it is a plain number such as -1.5."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
