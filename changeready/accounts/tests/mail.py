"""Reading what sign-in mailed, for tests."""

import re

from django.core import mail


def last_link(path_prefix: str) -> str:
    """The path of the last mailed link that starts with `path_prefix`."""
    links = re.findall(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", mail.outbox[-1].body)
    assert links, mail.outbox[-1].body
    return links[-1]


def last_code() -> str:
    """The sign-in code in the last mail (on a line of its own, like HQLL-CDGQ)."""
    codes = re.findall(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert codes, mail.outbox[-1].body
    return codes[-1]
