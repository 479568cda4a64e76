"""Every landscape URL, GET and POST, against the six people of the access matrix."""

from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape import views
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

STAKEHOLDER_FORM = {
    "kind": "group",
    "name": "Packers",
    "role": "daily_user",
    "influence": "2",
    "interest": "3",
    "impact": "5",
    "engagement_level": "neutral",
    "desired_engagement": "supportive",
    "involvement": ["uat"],
    "headcount": "120",
    "success_definition": "Packing without paper.",
    "resistance_triggers": "Slow scanners.",
}
POINT_FORM = {
    "source": "habit",
    "severity": "3",
    "description": "Used to paper.",
    "strategy": "support",
    "owner": "Lena Kovacs",
    "due_week": "-2",
    "status": "planned",
}


@pytest.fixture
def data(engagement):
    group = StakeholderFactory(engagement=engagement, name="Pickers", headcount=40)
    person = StakeholderFactory(
        engagement=engagement, name="Tom", kind="person", group=group, role="people_manager"
    )
    point = ResistancePointFactory(stakeholder=person, severity=4)
    return SimpleNamespace(engagement=engagement, group=group, person=person, point=point)


def snapshot(engagement):
    """Everything a landscape write could change."""
    engagement = Engagement.objects.get(pk=engagement.pk)
    return (
        (engagement.opposition_reviewed, engagement.version),
        sorted(Stakeholder.objects.values_list("id", "name", "version")),
        sorted(ResistancePoint.objects.values_list("id", "severity", "version")),
    )


def expected_status(person, *, write):
    if person == "anonymous":
        return 302
    if person == "outsider":
        return 404
    if write and person not in WRITERS:
        return 403
    return 200


def url(data, name, *args):
    resolved = [getattr(data, arg).id if hasattr(data, arg) else arg for arg in args]
    return reverse(name, args=[data.engagement.id, *resolved])


READ_PAGES = [
    ("landscape",),
    ("stakeholder_map",),
    ("resistors",),
    ("stakeholder", "person"),
    ("landscape_import_template", "csv"),
    ("landscape_import_template", "xlsx"),
]
FORM_PAGES = [
    ("stakeholder_create",),
    ("stakeholder_edit", "person"),
    ("stakeholder_delete", "person"),
    ("resistance_point_create",),
    ("resistance_point_edit", "point"),
    ("resistance_point_delete", "point"),
    ("landscape_import",),
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", READ_PAGES, ids=lambda page: "-".join(page))
def test_read_pages(client_as, data, person, page):
    before = snapshot(data.engagement)
    response = client_as(person).get(url(data, *page))
    assert response.status_code == expected_status(person, write=False)
    assert snapshot(data.engagement) == before


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", READ_PAGES, ids=lambda page: "-".join(page))
def test_read_pages_refuse_posts(client_as, data, person, page):
    before = snapshot(data.engagement)
    response = client_as(person).post(url(data, *page))
    assert response.status_code == (302 if person == "anonymous" else 405)
    assert snapshot(data.engagement) == before


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", FORM_PAGES, ids=lambda page: "-".join(page))
def test_form_pages_are_for_writers(client_as, data, person, page):
    before = snapshot(data.engagement)
    response = client_as(person).get(url(data, *page))
    assert response.status_code == expected_status(person, write=True)
    assert snapshot(data.engagement) == before


def _write_cases():
    """(name, url args, form data, check that the write happened)."""
    return {
        "create_stakeholder": (
            ("stakeholder_create",),
            lambda d: STAKEHOLDER_FORM,
            lambda d: d.engagement.stakeholders.filter(name="Packers").exists(),
        ),
        "edit_stakeholder": (
            ("stakeholder_edit", "group"),
            lambda d: {**STAKEHOLDER_FORM, "name": "Pickers renamed", "version": 1},
            lambda d: d.engagement.stakeholders.filter(name="Pickers renamed").exists(),
        ),
        "delete_stakeholder": (
            ("stakeholder_delete", "person"),
            lambda d: {},
            lambda d: not d.engagement.stakeholders.filter(name="Tom").exists(),
        ),
        "create_point": (
            ("resistance_point_create",),
            lambda d: {**POINT_FORM, "stakeholder": str(d.group.id)},
            lambda d: d.group.resistance_points.exists(),
        ),
        "edit_point": (
            ("resistance_point_edit", "point"),
            lambda d: {**POINT_FORM, "stakeholder": str(d.person.id), "version": 1},
            lambda d: ResistancePoint.objects.get(pk=d.point.pk).owner == "Lena Kovacs",
        ),
        "delete_point": (
            ("resistance_point_delete", "point"),
            lambda d: {},
            lambda d: not ResistancePoint.objects.filter(pk=d.point.pk).exists(),
        ),
        "opposition_reviewed": (
            ("opposition_reviewed",),
            lambda d: {"reviewed": "yes"},
            lambda d: Engagement.objects.get(pk=d.engagement.pk).opposition_reviewed,
        ),
        "import_confirm": (
            ("landscape_import_confirm",),
            lambda d: {
                "token": signing.dumps(
                    {
                        "engagement": str(d.engagement.id),
                        "rows": [{"row": 2, "name": "Loaders", "kind": "group"}],
                    },
                    salt=views.IMPORT_SALT,
                    compress=True,
                )
            },
            lambda d: d.engagement.stakeholders.filter(name="Loaders").exists(),
        ),
    }


WRITE_CASES = _write_cases()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", WRITE_CASES)
def test_writes(client_as, data, person, case):
    page, make_form, written = WRITE_CASES[case]
    before = snapshot(data.engagement)
    response = client_as(person).post(url(data, *page), make_form(data))
    if person in WRITERS:
        assert response.status_code == 302, getattr(response, "context", None) and response.context
        assert written(data)
    else:
        assert response.status_code == expected_status(person, write=True)
        assert snapshot(data.engagement) == before


@pytest.mark.parametrize("person", PEOPLE)
def test_import_upload_previews_for_writers_and_writes_nothing(client_as, data, person):
    before = snapshot(data.engagement)
    upload = SimpleUploadedFile("s.csv", b"name,kind\nLoaders,group\n", "text/csv")
    response = client_as(person).post(url(data, "landscape_import"), {"file": upload})
    assert response.status_code == expected_status(person, write=True)
    if response.status_code == 200:
        assert [s.name for s in response.context["preview"]] == ["Loaders"]
    assert snapshot(data.engagement) == before


def test_objects_of_another_engagement_are_not_found(client_as, data, workspace):
    """A stakeholder id is only ever looked up inside the engagement of the URL."""
    sibling = EngagementFactory(workspace=workspace)
    client = client_as("owner")
    before = snapshot(data.engagement)
    for name, obj in [
        ("stakeholder", data.person),
        ("stakeholder_edit", data.person),
        ("stakeholder_delete", data.person),
        ("resistance_point_edit", data.point),
        ("resistance_point_delete", data.point),
    ]:
        target = reverse(name, args=[sibling.id, obj.id])
        assert client.get(target).status_code == 404
        if name != "stakeholder":
            assert client.post(target, {}).status_code == 404
    assert snapshot(data.engagement) == before


def test_outsider_cannot_reach_objects_through_their_own_engagement(client_as, data, outsider):
    theirs = EngagementFactory(workspace=outsider.memberships.get().workspace)
    client = client_as("outsider")
    target = reverse("stakeholder_delete", args=[theirs.id, data.person.id])
    assert client.post(target).status_code == 404
    assert Stakeholder.objects.filter(pk=data.person.pk).exists()


def test_import_token_of_another_engagement_is_refused(client_as, data, workspace):
    sibling = EngagementFactory(workspace=workspace)
    token = signing.dumps(
        {"engagement": str(sibling.id), "rows": [{"row": 2, "name": "Loaders"}]},
        salt=views.IMPORT_SALT,
        compress=True,
    )
    response = client_as("member").post(url(data, "landscape_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(name="Loaders").exists()


def test_tampered_import_token_is_refused(client_as, data):
    response = client_as("member").post(
        url(data, "landscape_import_confirm"), {"token": "eyJyb3dzIjpbXX0:forged:sig"}
    )
    assert response.status_code == 302
    assert response.url == url(data, "landscape_import")


def test_unknown_template_type_is_not_found(client_as, data):
    assert client_as("member").get(url(data, "landscape_import_template", "pdf")).status_code == 404
