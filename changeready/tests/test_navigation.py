"""The main navigation: every workspace page links to the workspace's sections."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = {
    "Engagements": "workspace",
    "Calendar": "portfolio_calendar",
    "Insights": "portfolio_insights",
    "Playbook": "playbook",
    "Members": "members",
}


def main_nav(body: str) -> str:
    start = body.index('aria-label="Main"')
    return body[start : body.index("</nav>", start)]


@pytest.mark.parametrize("page", ["workspace", "portfolio_calendar", "playbook"])
def test_every_section_is_linked_and_the_current_one_marked(client_as, workspace, page):
    body = client_as("viewer").get(reverse(page, args=[workspace.slug])).content.decode()
    nav = main_nav(body)
    for label, name in SECTIONS.items():
        url = reverse(name, args=[workspace.slug])
        current = ' aria-current="page"' if name == page else ""
        assert f'<a href="{url}"{current}>{label}</a>' in nav, label


def test_an_engagement_page_links_the_sections_of_its_workspace(client_as, engagement):
    body = client_as("member").get(reverse("plan", args=[engagement.id])).content.decode()
    nav = main_nav(body)
    assert f'href="{reverse("playbook", args=[engagement.workspace.slug])}"' in nav
    assert nav.count("Playbook") == 1
    assert 'aria-current="page"' not in nav


def test_signed_out_visitors_get_no_workspace_links(client):
    nav = main_nav(client.get(reverse("login")).content.decode())
    assert "Calendar" not in nav and "Playbook" not in nav
