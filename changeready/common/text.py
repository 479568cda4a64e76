"""What user text may contain, checked at input and made safe at output.

Control characters (C0, and DEL) and lone surrogates are not text anyone
types: they arrive by paste or by a hostile client, and they break what the
text is rendered into (XML in XLSX and DOCX, email headers, calendar lines,
PostgreSQL refuses NUL). Input refuses them with a message naming the field
(`text_problem`); every renderer still passes text through `printable`, so a
value stored before this rule, or by a path that forgot it, cannot fail an
export.

Multi-line text (notes, descriptions) may hold tab and line breaks; a
single-line value (a name, a title) may not.
"""

from __future__ import annotations

import re

_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


# The same rules as JSON Schema patterns, for the API's schema (lone surrogates
# cannot be written in a JSON Schema pattern; JSON text does not produce them).
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f]*$"
MULTI_LINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why `value` cannot be stored as user text, in words; None when it can."""
    forbidden = _MULTI_LINE_FORBIDDEN if multiline else _SINGLE_LINE_FORBIDDEN
    found = forbidden.search(value)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return "Contains an invalid character (a lone surrogate); retype the text."
    if char in "\t\n\r":
        return "Must be on one line: remove the line breaks and tabs."
    if char == "\x00":
        return "Contains a NUL character; retype the text."
    return f"Contains a control character (U+{ord(char):04X}); retype the text."


def printable(value: str, *, multiline: bool = True) -> str:
    """`value` without what `text_problem` refuses; single-line text joins its lines."""
    if not multiline:
        value = re.sub(r"[\t\r\n]+", " ", value)
    return _MULTI_LINE_FORBIDDEN.sub("", value)
