"""The read-only share link: signed, expiring, revocable, read-only, and nothing more."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from changeready.engagements.models import Engagement
from changeready.handoff import services
from changeready.handoff.models import ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(northwind, owner):
    return services.create_share_link(northwind, created_by=owner, days=30)


def share_path(link):
    return reverse("share", args=[services.share_token(link)])


def test_share_page_shows_the_playbook_without_an_account(client, link):
    response = client.get(share_path(link))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Warehouse management rollout",
        "Northwind Logistics",
        "Tom Avery",
        "The plan, by phase",
    ):
        assert text in page
    assert '<meta name="robots" content="noindex,nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_share_page_exposes_no_ids_no_emails_and_no_way_into_the_app(client, link, northwind):
    page = client.get(share_path(link)).content.decode()
    ids = {str(northwind.id), str(northwind.workspace_id), str(link.id)}
    ids |= {str(i) for i in northwind.stakeholders.values_list("id", flat=True)}
    ids |= {str(i) for i in northwind.plan_items.values_list("id", flat=True)}
    for record_id in ids:
        assert record_id not in page
    assert "m.webb@northwind.example" not in page
    assert "priya.raman@vendor.example" not in page
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    token = services.share_token(link).split(":")[0]
    for href in hrefs:
        assert href.startswith("/static/") or href.startswith("/p/" + token), href
    assert "<style" not in page and "style=" not in page  # the CSP allows no inline styles
    assert "<script" not in page


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "csv", "xlsx", "ics"])
def test_downloads_go_through_the_same_token(client, link, fmt, django_capture_on_commit_callbacks):
    token = services.share_token(link)
    if fmt in ("pdf", "docx"):  # served from the stored document, prepared first
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("share_documents", args=[token]), {"fmt": fmt})
    path = reverse("share_download", args=[token, fmt])
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="northwind-logistics-')
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_share_page_links_to_its_downloads(client, link):
    page = client.get(share_path(link)).content.decode()
    assert "Prepare PDF" in page and "playbook.ics" in page


def test_get_of_the_share_page_changes_nothing(client, link, northwind):
    before = (
        Engagement.objects.filter(id=northwind.id).values().get(),
        list(ShareLink.objects.values()),
    )
    client.get(share_path(link))
    client.get(reverse("share_download", args=[services.share_token(link), "md"]))
    after = (
        Engagement.objects.filter(id=northwind.id).values().get(),
        list(ShareLink.objects.values()),
    )
    assert after == before


def test_share_page_refuses_other_methods(client, link):
    assert client.post(share_path(link)).status_code == 405


def test_expired_link_is_404(client, link):
    ShareLink.objects.filter(id=link.id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(share_path(link)).status_code == 404
    download = reverse("share_download", args=[services.share_token(link), "pdf"])
    assert client.get(download).status_code == 404


def test_after_hypercare_links_expire_after_the_chosen_number_of_days(northwind, owner):
    northwind.go_live_date = timezone.localdate() - timedelta(weeks=20)
    link = services.create_share_link(northwind, created_by=owner, days=7)
    assert services.share_link_from_token(services.share_token(link)) == link
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert services.share_link_from_token(services.share_token(link), now=later) is None


@pytest.mark.parametrize("weeks_to_go_live", [6, -2])
def test_links_work_at_least_to_the_end_of_hypercare(northwind, owner, weeks_to_go_live):
    northwind.go_live_date = timezone.localdate() + timedelta(weeks=weeks_to_go_live)
    link = services.create_share_link(northwind, created_by=owner, days=7)
    hypercare_end = northwind.go_live_date + timedelta(weeks=12)
    assert timezone.localtime(link.expires_at).date() == hypercare_end
    token = services.share_token(link)
    last_evening = timezone.make_aware(datetime.combine(hypercare_end, time(22)))
    assert services.share_link_from_token(token, now=last_evening) == link
    assert services.share_link_from_token(token, now=last_evening + timedelta(hours=2)) is None


def test_revoked_link_is_404(client, link):
    services.revoke_share_link(link)
    assert client.get(share_path(link)).status_code == 404


def test_tampered_token_is_404(client, link):
    token = services.share_token(link)
    forged = signing.dumps(str(link.id), salt="another.salt")
    for bad in (token[:-2] + "xx", "x" + token, forged, "nonsense"):
        assert client.get(reverse("share", args=[bad])).status_code == 404


def test_signed_value_that_is_not_a_link_id_is_404(client):
    token = signing.dumps("not-a-uuid", salt=services.SHARE_SALT)
    assert client.get(reverse("share", args=[token])).status_code == 404


def test_unknown_format_through_a_share_link_is_404(client, link):
    path = reverse("share_download", args=[services.share_token(link), "json"])
    assert client.get(path).status_code == 404


def test_only_chosen_lifetimes_are_allowed(northwind, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_share_link(northwind, created_by=owner, days=3650)


def test_a_customer_link_names_no_resisting_individual_whatever_the_query(client, northwind, owner):
    link = services.create_share_link(northwind, created_by=owner, days=30, version="customer")
    page = client.get(share_path(link)).content.decode()
    assert "Tom Avery" not in page
    assert "A people manager in Shift leads" in page
    assert "Shift leads" in page and "Open findings" not in page
    assert "Data use" in page  # the pickers' point, by theme
    download = client.get(
        reverse("share_download", args=[services.share_token(link), "md"]),
        {"version": "internal"},
    )
    assert download.status_code == 200
    assert b"Tom Avery" not in download.content
    assert b"Customer version" in download.content


def test_the_sender_chooses_the_version_of_a_new_link(client_as, northwind):
    response = client_as("member").post(
        reverse("handoff_link_create", args=[northwind.id]), {"days": 30, "version": "customer"}
    )
    assert response.status_code == 302
    assert ShareLink.objects.get(engagement=northwind).version == "customer"
