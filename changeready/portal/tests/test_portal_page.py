"""What a contributor sees and does through their link."""

import pytest
from django.core import mail
from django.urls import reverse

from changeready.activity.models import ActivityEvent
from changeready.handoff import documents
from changeready.handoff.models import PlaybookDocument
from changeready.handoff.tests.test_log_confidentiality import readable
from changeready.handoff.views import DOWNLOADS
from changeready.planning.models import PlanItem
from changeready.portal import links, services
from changeready.portal import views as portal_views
from changeready.portal.models import ContributorMessage
from changeready.portal.tests.conftest import RESISTOR, SECRET

pytestmark = pytest.mark.django_db

ACTOR = "Marcus Webb (customer contributor)"


def portal(client, token, **query):
    return client.get(reverse("portal", args=[token]), query)


def act(client, token, item, action, **data):
    return client.post(reverse("portal_action", args=[token, item.id, action]), data)


def test_the_page_lists_only_their_own_steps(client, token, marcus_items, northwind):
    assert len(marcus_items) == 2
    html = portal(client, token).content.decode()
    steps = html.split('id="todo-heading"')[1].split('id="playbook-heading"')[0]
    assert steps.count('class="portal-step"') == 2
    assert marcus_items[1].title in steps
    others = PlanItem.objects.filter(engagement=northwind).exclude(
        id__in=[item.id for item in marcus_items]
    )
    for item in others:
        assert f'id="step-{item.id}"' not in html


def test_the_page_never_shows_internal_notes_nor_who_resists(client, token):
    html = portal(client, token).content.decode()
    assert "Sit down with" in html  # the step naming the resistor is there, anonymised
    assert "The activation playbook" in html
    assert SECRET not in html
    assert RESISTOR not in html
    assert "Critical findings" not in html


def test_no_download_the_portal_offers_holds_internal_notes_or_who_resists(
    client, token, django_capture_on_commit_callbacks
):
    for fmt in documents.STORED_FORMATS:  # made by the worker, never on request
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("portal_documents", args=[token]), {"fmt": fmt})
    html = portal(client, token).content.decode()
    for fmt, table, _label in DOWNLOADS:
        url = reverse("portal_download", args=[token, fmt])
        assert url in html, fmt
        response = client.get(url, {"table": table} if table else {})
        assert response.status_code == 200, fmt
        assert response["Cache-Control"] == "no-store, private"
        text = readable(response.content)
        assert len(text) > 100, fmt  # the text was read, so the absences tell
        assert SECRET not in text, fmt
        assert RESISTOR not in text, fmt


def test_pdf_and_word_are_prepared_by_the_worker_in_the_customer_version_only(
    client, token, northwind, monkeypatch, django_capture_on_commit_callbacks
):
    def no_rendering(*args, **kwargs):
        raise AssertionError("the portal rendered a document on request")

    monkeypatch.setattr(portal_views, "render_export", no_rendering)
    with django_capture_on_commit_callbacks(execute=True):
        documents.request_document(northwind, "pdf")  # the team's internal one, ready
    download = reverse("portal_download", args=[token, "pdf"])
    response = client.get(download)
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    html = portal(client, token).content.decode()
    assert "Prepare PDF" in html and download not in html

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_documents", args=[token]), {"fmt": "pdf"})
    assert response.status_code == 302 and "?ok=prepare" in response["Location"]
    document = PlaybookDocument.objects.get(version="customer")
    assert document.status == "ready" and document.requested_by is None
    monkeypatch.setattr(portal_views, "render_export", no_rendering)
    response = client.get(download)
    assert response.status_code == 200 and response.content == bytes(document.content)
    assert response["Cache-Control"] == "no-store, private"
    assert RESISTOR not in readable(response.content)
    assert download in portal(client, token).content.decode()


def test_a_document_on_its_way_shows_its_progress_and_the_page_reloads(client, token, northwind):
    documents.request_document(northwind, "docx", version="customer")
    html = portal(client, token).content.decode()
    assert "being prepared, 0 %" in html
    assert '<meta http-equiv="refresh" content="5">' in html


def test_preparing_needs_a_post_a_known_format_and_a_working_link(
    client, token, contributor, owner
):
    url = reverse("portal_documents", args=[token])
    assert client.get(url).status_code == 405
    assert client.post(url, {"fmt": "md"}).status_code == 404
    services.revoke_contributor(contributor, revoked_by=owner)
    assert client.post(url, {"fmt": "pdf"}).status_code == 404
    assert not PlaybookDocument.objects.exists()


def test_an_unknown_format_is_not_found(client, token):
    assert client.get(reverse("portal_download", args=[token, "exe"])).status_code == 404


def test_marking_a_step_done_shows_on_the_plan_with_who_did_it(
    client, client_as, token, marcus_items, northwind, contributor
):
    item = marcus_items[0]
    response = act(client, token, item, "done")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?ok=done#step-{item.id}")
    item.refresh_from_db()
    assert (item.status, item.done_by) == ("done", ACTOR)
    assert item.done_at is not None
    contributor.refresh_from_db()
    assert contributor.last_active_at is not None
    event = ActivityEvent.objects.get(engagement=northwind, obj_id=item.id, verb="updated")
    assert event.actor is None
    assert event.actor_label == ACTOR
    assert "status Planned → Done" in event.summary
    plan = client_as("viewer").get(reverse("plan", args=[northwind.id])).content.decode()
    assert f"done by {ACTOR}" in plan
    history = client_as("viewer").get(reverse("engagement_activity", args=[northwind.id]))
    assert ACTOR in history.content.decode()
    page = portal(client, token, ok="done").content.decode()
    assert "Marked done" in page
    assert page.split('id="done-heading"')[1].count("<li") >= 1


def test_marking_a_step_done_twice_records_it_once(client, token, marcus_items, northwind):
    act(client, token, marcus_items[0], "done")
    act(client, token, marcus_items[0], "done")
    assert (
        ActivityEvent.objects.filter(engagement=northwind, obj_id=marcus_items[0].id).count() == 1
    )


def test_a_comment_is_kept_and_recorded(client, token, marcus_items, northwind):
    item = marcus_items[1]
    response = act(client, token, item, "comment", text="Booked the room for Thursday.")
    assert response.status_code == 302
    message = ContributorMessage.objects.get()
    assert (message.kind, message.plan_item, message.text) == (
        "comment",
        item,
        "Booked the room for Thursday.",
    )
    event = ActivityEvent.objects.get(engagement=northwind, verb="commented")
    assert event.actor_label == ACTOR
    assert "Booked the room" in event.summary
    assert "Booked the room for Thursday." in portal(client, token).content.decode()


def test_an_empty_or_long_comment_is_refused_keeping_what_was_typed(client, token, marcus_items):
    item = marcus_items[1]
    response = act(client, token, item, "comment", text="  ")
    assert response.status_code == 422
    assert "Write your comment first." in response.content.decode()
    long = "x" * 2001
    response = act(client, token, item, "comment", text=long)
    assert response.status_code == 422
    html = response.content.decode()
    assert long in html
    assert 'aria-invalid="true"' in html
    assert not ContributorMessage.objects.exists()


def test_asking_for_help_emails_the_delivery_lead_and_is_recorded(
    client, token, marcus_items, northwind, django_capture_on_commit_callbacks
):
    item = marcus_items[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, token, item, "help", text="Who books the training room?")
    assert response.status_code == 302
    assert ContributorMessage.objects.get().kind == "help"
    [email] = mail.outbox
    assert email.to == ["priya.raman@vendor.example"]
    assert "Marcus Webb asks for help" in email.subject
    assert "Who books the training room?" in email.body
    assert reverse("plan", args=[northwind.id]) in email.body
    event = ActivityEvent.objects.get(engagement=northwind, verb="asked")
    assert event.actor_label == ACTOR
    assert event.summary.startswith("asked for help with plan item")


def test_help_without_a_delivery_lead_reaches_the_workspace_owners_and_admins(
    client, token, marcus_items, northwind, owner, admin, member, django_capture_on_commit_callbacks
):
    northwind.delivery_lead_email = ""
    northwind.save()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, token, marcus_items[1], "help")
    assert sorted(email.to[0] for email in mail.outbox) == [admin.email, owner.email]


def test_requests_through_one_link_are_rate_limited(client, token, settings):
    settings.PORTAL_REQUESTS_PER_LINK = 3
    for _ in range(3):
        assert portal(client, token).status_code == 200
    response = portal(client, token)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many attempts" in response.content.decode()


def test_bad_links_from_one_address_are_rate_limited(client, token, contributor, settings):
    settings.PORTAL_FAILURES_PER_ADDRESS = 2
    assert portal(client, "bad-token").status_code == 404
    assert client.get(reverse("portal_opt_out", args=["bad-token"])).status_code == 404
    # Beyond the limit even a good link from that address waits, opt-out links too.
    assert portal(client, token).status_code == 429
    opt_out = reverse("portal_opt_out", args=[links.opt_out_token(contributor)])
    assert client.get(opt_out).status_code == 429


def test_the_team_preview_shows_the_page_without_its_buttons(client_as, northwind, contributor):
    url = reverse("contributor_preview", args=[northwind.id, contributor.id])
    response = client_as("viewer").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview of what Marcus Webb sees" in html
    assert "<form" not in html
    assert SECRET not in html
    assert RESISTOR not in html


def test_the_page_reads_a_fixed_number_of_queries(client, token, django_assert_max_num_queries):
    # 14: one of them reads the stored PDF and Word files of the customer version.
    with django_assert_max_num_queries(14):
        assert portal(client, token).status_code == 200
