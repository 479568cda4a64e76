"""A person's data: the export holds everything, the erasure leaves no trace of them.

"No trace" is checked over every text of every row of every model the project
installs (`apps.get_models()`), so a model added later is checked too.
"""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from changeready.accounts.models import User
from changeready.activity.models import ActivityEvent
from changeready.conftest import PEOPLE
from changeready.handoff import services as handoff_services
from changeready.handoff.exports import CSV_DOWNLOAD_TABLES, render_export
from changeready.handoff.models import PlaybookDocument
from changeready.handoff.tests.example import AS_OF
from changeready.landscape import services as landscape
from changeready.landscape.models import Stakeholder
from changeready.planning.models import PlanItem
from changeready.planning.tests.factories import PlanItemFactory
from changeready.privacy.services import erase_person, person_export
from changeready.surveys.models import Response
from changeready.surveys.tests.factories import (
    RespondentFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Tom Avery"
EMAIL = "tom.avery@northwind.example"
# Members and viewers may read the person's page, not take or erase their data.
REFUSED = {"member": 403, "viewer": 403, "outsider": 404, "anonymous": 302}
# What must be gone: the full name, the surname alone, the email address.
TRACES = ("tom avery", "avery", EMAIL)


@pytest.fixture
def tom(northwind, owner, admin, member, viewer, outsider):
    # Fixed names for the members: a generated one could share the surname.
    for index, user in enumerate(User.objects.order_by("email")):
        User.objects.filter(pk=user.pk).update(name=f"Member {index}")
    owner.refresh_from_db()
    person = northwind.stakeholders.get(name=NAME)
    landscape.update_stakeholder(
        person,
        expected_version=None,
        actor=owner,
        email=EMAIL,
        notes="Call Tom Avery on Fridays, never before ten.",
    )
    entry = landscape.create_log_entry(
        person, actor=owner, date=date(2027, 2, 12), summary="Tom Avery fears for his bonus."
    )
    landscape.create_commitment(
        person, actor=owner, text="Tom Avery owns slotting rules", owner=NAME, log_entry=entry
    )
    marcus = northwind.stakeholders.get(name="Marcus Webb")
    landscape.create_log_entry(
        marcus,
        actor=owner,
        date=date(2027, 2, 13),
        participants="Marcus Webb, Tom Avery",
        summary="Marcus will talk to Avery about the night shift.",
        internal=False,
    )
    PlanItemFactory(engagement=northwind, week=1, title="Coffee with Tom Avery", owner=NAME)
    survey = SurveyFactory(engagement=northwind, stakeholders=[person.group])
    respondent = RespondentFactory(survey=survey, name=NAME, email=EMAIL)
    ResponseFactory(survey=survey, respondent=respondent, free_text="As Tom Avery I want scans.")
    ResponseFactory(survey=survey, respondent=RespondentFactory(survey=survey))
    PlaybookDocument.objects.create(
        engagement=northwind,
        fmt="pdf",
        as_of=AS_OF,
        status=PlaybookDocument.Status.READY,
        content=b"%PDF Tom Avery",
        expires_at=timezone.now() + timedelta(days=7),
    )
    person.refresh_from_db()
    return person


def rows_with_traces() -> list[str]:
    """Every row of every installed model whose text (or stored file) holds a trace."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.BinaryField
            )
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *(f.attname for f in fields)):
            for field, value in zip(fields, row[1:], strict=True):
                if isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("utf-8", "replace")
                elif isinstance(value, str):
                    text = value
                else:
                    text = json.dumps(value, ensure_ascii=False)
                if any(trace in text.lower() for trace in TRACES):
                    found.append(f"{model._meta.label}.{field.name} ({row[0]})")
    return found


def readable(content: bytes) -> str:
    if content.startswith(b"%PDF"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8")


def erase(client, tom, typed=NAME):
    url = reverse("person_erase", args=[tom.engagement_id, tom.id])
    return client.post(url, {"typed_name": typed})


# --- The export -------------------------------------------------------------------


def test_the_export_holds_everything_about_them(client_as, tom):
    response = client_as("admin").post(reverse("person_export", args=[tom.engagement_id, tom.id]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tom-avery-personal-data.json"'
    data = json.loads(response.content)
    assert data["stakeholder"]["email"] == EMAIL
    assert data["stakeholder"]["notes"].startswith("Call Tom Avery")
    assert data["stakeholder"]["influence"] == 4
    assert [e["summary"] for e in data["log"]] == ["Tom Avery fears for his bonus."]
    assert [c["text"] for c in data["commitments"]] == ["Tom Avery owns slotting rules"]
    assert data["resistance_points"]
    invitation = data["survey_invitations"][0]
    assert (invitation["email"], invitation["answered"]) == (EMAIL, True)
    # Survey answers are never handed out, even here.
    assert "As Tom Avery I want scans." not in response.content.decode()
    mentioned = {m["record"] for m in data["mentioned_in"]}
    assert {"landscape.StakeholderLogEntry", "planning.PlanItem"} <= mentioned
    assert any("Marcus will talk to Avery" in json.dumps(m) for m in data["mentioned_in"])
    assert any("notes" in a["changes"] for a in data["activity"])
    event = ActivityEvent.objects.get(verb="exported")
    assert (event.obj_id, event.actor.email) == (tom.id, "admin@acme.example")


@pytest.mark.parametrize("person", PEOPLE)
def test_only_owners_and_admins_export(client_as, tom, person):
    response = client_as(person).post(reverse("person_export", args=[tom.engagement_id, tom.id]))
    if person in ("owner", "admin"):
        assert response.status_code == 200
    else:
        assert response.status_code == REFUSED[person]
        assert not ActivityEvent.objects.filter(verb="exported").exists()


def test_the_export_is_a_post(client_as, tom):
    url = reverse("person_export", args=[tom.engagement_id, tom.id])
    assert client_as("owner").get(url).status_code == 405
    assert not ActivityEvent.objects.filter(verb="exported").exists()


def test_a_group_has_no_personal_data_page(client_as, tom):
    group = tom.group
    url = reverse("person_erase", args=[tom.engagement_id, group.id])
    assert client_as("owner").get(url).status_code == 404


# --- The erasure -------------------------------------------------------------------


def test_the_name_is_everywhere_before(tom):
    """The check below can fail: before the erasure it finds the person in many places."""
    found = rows_with_traces()
    for where in (
        "landscape.Stakeholder.name",
        "landscape.Stakeholder.email",
        "landscape.StakeholderLogEntry.summary",
        "landscape.Commitment.text",
        "planning.PlanItem.title",
        "surveys.Respondent.email",
        "surveys.Response.free_text",
        "activity.ActivityEvent.summary",
        "handoff.PlaybookDocument.content",
    ):
        assert any(row.startswith(where) for row in found), where


def test_erasure_leaves_no_trace_in_any_row(client_as, tom, northwind):
    group_headcount = tom.group.headcount
    counts = (Stakeholder.objects.count(), PlanItem.objects.count(), Response.objects.count())
    scores = (tom.influence, tom.interest, tom.impact, tom.engagement_level, tom.adkar_desire)

    response = erase(client_as("owner"), tom)
    assert response.status_code == 302

    assert rows_with_traces() == []
    tom.refresh_from_db()
    assert tom.name.startswith("Erased person ")
    assert (tom.email, tom.title, tom.notes) == ("", "", "")
    # What the figures are built from stays.
    assert (tom.influence, tom.interest, tom.impact, tom.engagement_level, tom.adkar_desire) == (
        scores
    )
    assert tom.group.headcount == group_headcount
    assert (
        Stakeholder.objects.count(),
        PlanItem.objects.count(),
        Response.objects.count(),
    ) == counts
    assert not tom.log_entries.exists() and not tom.commitments.exists()
    assert PlanItem.objects.get(title__startswith="Coffee with").owner == tom.name


def test_the_erasure_is_recorded_without_the_name(client_as, tom):
    erase(client_as("admin"), tom)
    event = ActivityEvent.objects.get(verb="erased")
    assert event.obj_id == tom.id
    assert event.actor.email == "admin@acme.example"
    assert "erased" in event.summary
    assert "avery" not in (event.summary + event.label).lower()


def test_after_erasure_no_export_or_page_names_them(client_as, tom, northwind, owner):
    erase(client_as("owner"), tom)
    for version in ("internal", "customer"):
        for fmt in ("md", "docx", "xlsx", "pdf", "ics"):
            text = readable(render_export(northwind, fmt, as_of=AS_OF, version=version).content)
            assert "avery" not in text.lower(), (fmt, version)
        for table in CSV_DOWNLOAD_TABLES:
            content = render_export(northwind, "csv", as_of=AS_OF, table=table, version=version)
            assert "avery" not in readable(content.content).lower(), (table, version)
    link = handoff_services.create_share_link(northwind, created_by=owner, days=30)
    client = client_as("owner")
    pages = [
        reverse("share", args=[handoff_services.share_token(link)]),
        reverse("landscape", args=[northwind.id]),
        reverse("stakeholder", args=[northwind.id, tom.id]),
        reverse("plan", args=[northwind.id]),
        reverse("engagement_activity", args=[northwind.id]),
        reverse("handoff", args=[northwind.id]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "avery" not in response.content.decode().lower(), page


def test_a_wrong_name_erases_nothing(client_as, tom):
    before = rows_with_traces()
    response = erase(client_as("owner"), tom, typed="Tom")
    assert response.status_code == 200
    assert "Type the name exactly as shown" in response.content.decode()
    assert rows_with_traces() == before


def test_the_confirmation_page_changes_nothing(client_as, tom):
    before = rows_with_traces()
    page = client_as("owner").get(reverse("person_erase", args=[tom.engagement_id, tom.id]))
    assert page.status_code == 200
    assert "It cannot be undone." in page.content.decode()
    assert rows_with_traces() == before


@pytest.mark.parametrize("person", PEOPLE)
def test_only_owners_and_admins_erase(client_as, tom, person):
    before = rows_with_traces()
    response = erase(client_as(person), tom)
    if person in ("owner", "admin"):
        assert response.status_code == 302
        assert rows_with_traces() == []
    else:
        assert response.status_code == REFUSED[person]
        assert rows_with_traces() == before


def test_the_service_refuses_a_group(tom, owner):
    with pytest.raises(Exception, match="Only a person"):
        erase_person(tom.group, typed_name=tom.group.name, actor=owner)


def test_an_export_after_erasure_holds_only_the_placeholder(tom, owner):
    erase_person(tom, typed_name=NAME, actor=owner)
    tom.refresh_from_db()
    data = person_export(tom, actor=owner)
    assert "avery" not in json.dumps(data).lower()
    assert data["stakeholder"]["name"] == tom.name


def test_erasure_ends_their_customer_portal_access(client, tom, owner):
    from changeready.portal import services as portal
    from changeready.portal.links import portal_token

    contributor = portal.invite_contributor(tom, invited_by=owner)
    link = reverse("portal", args=[portal_token(contributor)])
    assert client.get(link).status_code == 200

    erase_person(tom, typed_name=tom.name, actor=owner)

    assert client.get(link).status_code == 404
    assert not type(contributor).objects.filter(pk=contributor.pk).exists()
