"""Every page has its icon: those of the app, and those behind share and survey links."""

from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

APP = Path(settings.BASE_DIR) / "changeready"


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert reverse("favicon") == "/favicon.ico"


def test_every_html_page_links_its_icon():
    pages = [
        path
        for path in APP.rglob("templates/**/*.html")
        if "<head>" in path.read_text() and "pdf" not in path.relative_to(APP).parts
    ]
    assert {path.name for path in pages} >= {"base.html", "share.html", "respond_base.html"}
    for path in pages:
        assert '{% include "includes/favicon.html" %}' in path.read_text(), path
