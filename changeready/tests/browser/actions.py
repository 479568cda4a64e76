"""Counting a journey's user actions: what a person does, not what the test checks.

Every click, every field filled (typed, chosen from a list, a file picked),
every key that submits something and every paste is one action; moving the
focus with Tab is free, as is everything the test only reads or asserts.
A journey does all its user actions through one `Actions`, so the count is
the test's own, and the test fails when it grows past the goal.
"""

from __future__ import annotations

import re
from pathlib import Path


def _named(locator) -> str:
    """A locator as its selector, short enough for the report."""
    found = re.search(r"selector='(.*)'>$", repr(locator))
    return found.group(1) if found else repr(locator)


class Actions:
    def __init__(self, page):
        self.page = page
        self.log: list[str] = []

    def __len__(self) -> int:
        return len(self.log)

    def _count(self, what: str) -> None:
        self.log.append(what)

    def click(self, locator) -> None:
        self._count(f"click {_named(locator)}")
        locator.click()

    def check(self, locator) -> None:
        self._count(f"tick {_named(locator)}")
        locator.check()

    def fill(self, locator, text: str) -> None:
        self._count(f"fill {_named(locator)}")
        locator.fill(text)

    def type(self, text: str) -> None:
        """Type into the focused field (one field filled)."""
        self._count(f"type {text!r}")
        self.page.keyboard.type(text)

    def choose(self, locator, **option) -> None:
        """Choose an option of a select (`value=` or `label=`)."""
        self._count(f"choose {option} in {_named(locator)}")
        locator.select_option(**option)

    def upload(self, locator, path) -> None:
        self._count(f"pick the file {Path(path).name}")
        locator.set_input_files(path)

    def submit_key(self, locator, key: str = "Enter") -> None:
        """A key that saves or sends something."""
        self._count(f"press {key} in {_named(locator)}")
        locator.press(key)

    def paste(self, text: str) -> None:
        """Ctrl+V of `text` into the focused field, as the clipboard delivers it.

        Two actions: copying the rows in the spreadsheet counts too, though it
        happens outside the app.
        """
        self._count(f"copy {len(text.splitlines())} rows in the spreadsheet")
        self._count(f"paste {len(text.splitlines())} rows")
        self.page.evaluate(
            """text => {
                const data = new DataTransfer();
                data.setData("text/plain", text);
                document.activeElement.dispatchEvent(new ClipboardEvent(
                    "paste", {clipboardData: data, bubbles: true, cancelable: true}
                ));
            }""",
            text,
        )

    def open_link(self, page, path: str) -> None:
        """Follow a link from outside the app (an email): one click."""
        self._count(f"open the emailed link {path.split('/')[1]}…")
        page.goto(path)

    def report(self) -> str:
        return "\n".join(f"{number:3d}. {what}" for number, what in enumerate(self.log, start=1))
