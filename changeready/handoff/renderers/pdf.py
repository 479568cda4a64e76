"""The playbook as a print-quality PDF, rendered by WeasyPrint from HTML and print CSS.

The template uses only fonts installed on the server (Liberation Sans, with
DejaVu Sans for the glyphs it lacks) and fetches nothing: charts are inline
SVG, and the print stylesheet (playbook.css beside this module) is handed to
WeasyPrint directly, so the HTML carries no inline style for the app's
content security policy to object to.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.template.loader import render_to_string

from changeready.common.allocation import gc_paused
from changeready.handoff.playbook import Playbook

PRINT_STYLESHEET = Path(__file__).with_name("playbook.css")

# WeasyPrint reports each layout step at INFO; a server log needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def playbook_html(playbook: Playbook) -> str:
    return render_to_string("handoff/pdf/playbook.html", {"playbook": playbook})


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The playbook PDF fetches nothing ({url!r}).")


def render_document(playbook: Playbook):
    """The laid-out WeasyPrint document (its `pages` tell how long the PDF is)."""
    from weasyprint import CSS, HTML

    return HTML(string=playbook_html(playbook), url_fetcher=_no_fetch).render(
        stylesheets=[CSS(filename=str(PRINT_STYLESHEET))]
    )


def render_pdf(playbook: Playbook) -> bytes:
    with gc_paused():
        return render_document(playbook).write_pdf()
