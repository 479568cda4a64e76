"""Review the plan, then send the handoff: one page from owners to sending."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagement_templates import services as template_services
from changeready.engagement_templates.content import built_in_templates
from changeready.handoff import services
from changeready.handoff.models import ShareLink
from changeready.planning.models import PlanItem
from changeready.planning.regeneration import regenerate_plan

WMS = next(t for t in built_in_templates() if t.slug == "warehouse-management")


@pytest.fixture
def planned(workspace, owner):
    """A warehouse go-live six weeks out, from the template, with its plan generated."""
    engagement = template_services.create_engagement_from_template(
        workspace,
        WMS,
        name="",
        customer="Northwind Traders",
        go_live_date=date.today() + timedelta(weeks=6),
        sponsor_name="Marta Kowalski",
        delivery_lead_name="Lee Chan",
        delivery_lead_email="lee@vendor.example",
        actor=owner,
    )
    regenerate_plan(engagement, actor=owner)
    return engagement


def _review(engagement):
    return reverse("handoff_review", args=[engagement.id])


def _ownerless(engagement):
    return list(engagement.plan_items.filter(owner="", status="planned"))


def test_from_review_to_sent_in_four_posts(
    client_as, planned, member, django_capture_on_commit_callbacks
):
    client = client_as("owner")
    page = client.get(_review(planned))
    assert page.status_code == 200
    html = page.content.decode()
    # What is missing links to where it is fixed, on this page.
    assert 'href="#cs-owner"' in html and 'href="#owners"' in html
    assert "Name the Customer Success owner first" in html
    assert _ownerless(planned)

    # 1. The CS owner, a member of the workspace: back to the review.
    response = client.post(
        reverse("handoff_cs_owner", args=[planned.id]),
        {"member": member.memberships.get().id, "version": planned.version, "next": "review"},
    )
    assert response.status_code == 302
    assert response["Location"] == _review(planned) + "#owners"

    # 2. The owners: each role's suggestion is filled in, every item ticked.
    page = client.get(_review(planned))
    groups = {group.owner_role: (group, owner) for group, owner in page.context["owner_groups"]}
    assert groups["customer_success"][1] == member.display_name
    data = {"items": [str(item.id) for item in _ownerless(planned)]}
    data |= {f"owner_{role}": owner or "Lee Chan" for role, (_, owner) in groups.items()}
    response = client.post(reverse("handoff_review_owners", args=[planned.id]), data)
    assert response.status_code == 302
    assert _ownerless(planned) == []
    assert set(
        planned.plan_items.filter(owner_role="customer_success").values_list("owner", flat=True)
    ) == {member.display_name}

    # 3. The checklist allows sending: one button.
    page = client.get(_review(planned))
    assert page.context["may_send"], page.context["still_open"]
    assert "Send handoff to member@acme.example" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("handoff_send", args=[planned.id]), {"days": "30"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["member@acme.example"]
    assert ShareLink.objects.get().sent_to == "member@acme.example"


def test_an_owner_left_empty_keeps_what_was_typed(client_as, planned):
    groups = services.ownerless_groups(planned)
    items = [str(item.id) for group in groups for item in group.items]
    data = {"items": items} | {f"owner_{group.owner_role}": "" for group in groups}
    data["owner_delivery"] = "Typed Name"
    response = client_as("member").post(reverse("handoff_review_owners", args=[planned.id]), data)
    assert response.status_code == 422
    assert "Name an owner for the ticked items of" in response.content.decode()
    assert len(_ownerless(planned)) == len(items)


def test_another_engagements_items_are_refused(client_as, planned, workspace, owner):
    other = template_services.create_engagement_from_template(
        workspace, WMS, name="Other", customer="Contoso", go_live_date=date(2027, 5, 3)
    )
    regenerate_plan(other, actor=owner)
    foreign = other.plan_items.filter(owner="").first()
    response = client_as("owner").post(
        reverse("handoff_review_owners", args=[planned.id]),
        {"items": [str(foreign.id)], f"owner_{foreign.owner_role}": "Someone"},
    )
    assert response.status_code == 422
    assert PlanItem.objects.get(id=foreign.id).owner == ""


def test_critical_findings_link_to_the_assessment(client_as, planned):
    planned.resistance_points.update(status="open")
    html = client_as("owner").get(_review(planned)).content.decode()
    assert reverse("assessment", args=[planned.id]) in html
    assert "A resistor has no mitigation plan" in html


def test_without_a_plan_the_review_asks_to_generate_it(client_as, workspace):
    engagement = template_services.create_engagement_from_template(
        workspace, WMS, name="", customer="Contoso", go_live_date=date(2027, 5, 3)
    )
    html = client_as("owner").get(_review(engagement)).content.decode()
    assert reverse("plan_generate", args=[engagement.id]) in html
    assert "Send handoff" not in html


@pytest.mark.parametrize("person", PEOPLE)
def test_review_access(client_as, planned, person):
    client = client_as(person)
    groups = services.ownerless_groups(planned)
    data = {"items": [str(item.id) for group in groups for item in group.items]}
    data |= {f"owner_{group.owner_role}": "Pat" for group in groups}
    get_status = client.get(_review(planned)).status_code
    response = client.post(reverse("handoff_review_owners", args=[planned.id]), data)
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(person)
    if person in WRITERS:
        assert get_status == 200 and response.status_code == 302
        assert _ownerless(planned) == []
    else:
        assert get_status == expected and response.status_code == expected
        assert _ownerless(planned)
