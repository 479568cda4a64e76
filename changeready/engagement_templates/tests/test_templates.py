"""Engagement templates: the built-in ones, saving one, starting an engagement from one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from changeready.activity.models import ActivityEvent
from changeready.assessment.services import assess_engagement
from changeready.engagement_templates import services
from changeready.engagement_templates.content import (
    built_in_templates,
    content_errors,
    strip_customer,
)
from changeready.engagement_templates.models import EngagementTemplate
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.plan_state import plan_state
from changeready.planning.regeneration import regenerate_plan

GO_LIVE = date(2027, 3, 1)


def _start(workspace, template, **fields):
    values = {"name": "", "customer": "Riverside Health", "go_live_date": GO_LIVE, **fields}
    return services.create_engagement_from_template(workspace, template, **values)


def test_three_built_in_templates_with_their_industries():
    names = {t.name: t.industry for t in built_in_templates()}
    assert names == {
        "EHR go-live": "healthcare",
        "Warehouse management": "warehousing",
        "Finance close": "finance",
    }
    # Their ids never change: links and API clients keep them.
    assert len({t.id for t in built_in_templates()}) == 3
    assert [t.id for t in built_in_templates()] == [t.id for t in built_in_templates()]


@pytest.mark.parametrize("template", built_in_templates(), ids=lambda t: t.slug)
def test_every_built_in_template_is_valid_and_holds_no_people(template):
    assert content_errors(template.content) == []
    stakeholders = template.content["stakeholders"]
    assert any(s["kind"] == "group" and s["role"] == "daily_user" for s in stakeholders)
    assert sum(s["role"] == "executive_sponsor" for s in stakeholders) == 1
    assert all("email" not in s for s in stakeholders)
    # Every typical resistance point comes with a way to address it, owned by a role.
    names = {s["name"] for s in stakeholders}
    for point in template.content["resistance"]:
        assert point["mitigation"]["strategy"]
        assert point["mitigation"]["owner"] in names


@pytest.mark.parametrize("template", built_in_templates(), ids=lambda t: t.slug)
def test_an_engagement_from_each_built_in_template_has_an_assessment_and_a_plan(
    workspace, owner, template
):
    engagement = _start(workspace, template, sponsor_name="Dana Whitfield", actor=owner)

    assert engagement.name == template.name
    assert engagement.customer == "Riverside Health"
    assert engagement.adoption_mode == template.content["engagement"]["adoption_mode"]
    assert engagement.stakeholders.count() == len(template.content["stakeholders"])
    assert engagement.resistance_points.count() == len(template.content["resistance"])
    sponsor = engagement.stakeholders.get(role="executive_sponsor")
    assert sponsor.name == "Dana Whitfield"
    assert sponsor.title  # the placeholder's role stays as the title
    settings = template.content["plan_settings"]
    state = plan_state(engagement)
    assert state.adoption_target_pct == settings["adoption_target_pct"]
    assert state.adoption_target_week == settings["adoption_target_week"]

    assessment = assess_engagement(engagement, date(2027, 1, 4))
    assert 0 <= assessment.readiness.score <= 100
    assert assessment.stakeholders  # every stakeholder scored

    summary = regenerate_plan(engagement, actor=owner, as_of=date(2027, 1, 4))
    assert summary.added > 0
    items = engagement.plan_items.all()
    assert items.filter(kind="resistance").exists()
    # Mitigations owned by the sponsor's role now name the sponsor.
    owners = set(engagement.resistance_points.values_list("owner", flat=True))
    assert "" not in owners
    event = ActivityEvent.objects.filter(engagement_id=engagement.id, obj_type="engagement").get()
    assert event.verb == "created"


def test_the_sponsor_takes_over_the_placeholder_mitigations(workspace):
    ehr = next(t for t in built_in_templates() if t.slug == "ehr-go-live")
    engagement = _start(
        workspace, ehr, sponsor_name="Dana Whitfield", sponsor_email="dana@rh.example"
    )
    sponsor = engagement.stakeholders.get(name="Dana Whitfield")
    assert sponsor.email == "dana@rh.example"
    assert sponsor.title == "Chief Operating Officer"
    assert ResistancePoint.objects.filter(engagement=engagement, owner="Dana Whitfield").exists()
    assert not ResistancePoint.objects.filter(
        engagement=engagement, owner="Chief Operating Officer"
    ).exists()


def test_without_a_sponsor_the_placeholder_stays(workspace):
    ehr = next(t for t in built_in_templates() if t.slug == "ehr-go-live")
    engagement = _start(workspace, ehr, name="Wave 1", kickoff_date=date(2026, 10, 5))
    assert engagement.name == "Wave 1"
    assert engagement.kickoff_date == date(2026, 10, 5)
    assert engagement.stakeholders.filter(name="Chief Operating Officer").exists()


def test_a_sponsor_named_like_a_group_is_refused_on_the_sponsor_field(workspace):
    ehr = next(t for t in built_in_templates() if t.slug == "ehr-go-live")
    with pytest.raises(ValidationError) as refused:
        _start(workspace, ehr, sponsor_name="Pharmacists")
    assert "sponsor_name" in refused.value.message_dict
    assert not Stakeholder.objects.exists()


def test_a_kickoff_after_go_live_is_refused_on_its_field(workspace):
    ehr = next(t for t in built_in_templates() if t.slug == "ehr-go-live")
    with pytest.raises(ValidationError) as refused:
        _start(workspace, ehr, kickoff_date=date(2027, 6, 1))
    assert "kickoff_date" in refused.value.message_dict


def test_save_as_template_takes_out_the_customer_and_round_trips(workspace, owner):
    wms = next(t for t in built_in_templates() if t.slug == "warehouse-management")
    engagement = _start(
        workspace,
        wms,
        customer="Northwind Traders",
        sponsor_name="Marta Kowalski",
        sponsor_email="marta@northwind.example",
        delivery_lead_name="Lee Chan",
        delivery_lead_email="lee@vendor.example",
    )
    pickers = engagement.stakeholders.get(name="Pickers and packers")
    pickers.headcount = 140
    pickers.notes = "Night shift at Northwind is mostly agency staff."
    pickers.success_definition = "Marta Kowalski wants paper gone at Northwind Traders."
    pickers.save()
    point = engagement.resistance_points.filter(owner="DC manager").first()
    point.status = "in_progress"
    point.save()

    template = services.save_as_template(
        engagement, name="Northwind-style WMS", industry="warehousing", actor=owner
    )

    text = str(template.content)
    for specific in ("Marta", "Kowalski", "marta@", "Northwind", "Lee Chan", "140", "agency staff"):
        assert specific not in text
    stakeholders = {s["name"]: s for s in template.content["stakeholders"]}
    # The sponsor is their title again, as in the template they came from.
    sponsor = stakeholders["Vice President, Operations"]
    assert sponsor["role"] == "executive_sponsor"
    assert stakeholders["Pickers and packers"]["success_definition"] == (
        "Vice President, Operations wants paper gone at the customer."
    )
    statuses = {p["mitigation"].get("status") for p in template.content["resistance"]}
    assert statuses == {"planned"}  # the one in progress at Northwind too
    assert template.content["plan_settings"] == wms.content["plan_settings"]
    assert template.content["engagement"]["adoption_mode"] == "mandatory"

    again = _start(workspace, template, customer="Contoso", sponsor_name="Ravi Patel")
    assert again.name == "Northwind-style WMS"
    assert again.stakeholders.count() == engagement.stakeholders.count()
    assert again.resistance_points.count() == engagement.resistance_points.count()
    assert again.stakeholders.get(role="executive_sponsor").name == "Ravi Patel"
    assert ActivityEvent.objects.filter(
        obj_type="engagement_template", verb="created", label="Northwind-style WMS"
    ).exists()


def test_names_are_replaced_as_whole_words_only():
    document = {
        "engagement": {"name": "X", "customer": "Acme", "go_live_date": "2027-01-04"},
        "stakeholders": [
            {"key": "a", "kind": "person", "name": "Al", "role": "product_admin",
             "success_definition": "Al tunes the alerts for Acme's Alabama site."},
        ],
    }  # fmt: skip
    content = strip_customer(document)
    assert content["stakeholders"][0]["success_definition"] == (
        "Product administrator tunes the alerts for the customer's Alabama site."
    )


def test_two_people_with_one_title_get_distinct_placeholders():
    document = {
        "engagement": {"name": "X", "customer": "Acme", "go_live_date": "2027-01-04"},
        "stakeholders": [
            {
                "key": "a",
                "kind": "person",
                "name": "Ann Lee",
                "title": "Ward manager",
                "role": "people_manager",
            },
            {
                "key": "b",
                "kind": "person",
                "name": "Bob Ray",
                "title": "Ward manager",
                "role": "people_manager",
            },
            {
                "key": "c",
                "kind": "person",
                "name": "Cy Dee",
                "role": "it_security",
                "email": "cy@acme.example",
            },
        ],
        "resistance": [
            {
                "key": "r1",
                "stakeholder": "b",
                "source": "habit",
                "severity": 2,
                "mitigation": {"owner": "Bob Ray", "strategy": "coach", "status": "planned"},
            },
            {
                "key": "r2",
                "stakeholder": "a",
                "source": "habit",
                "severity": 2,
                "mitigation": {"owner": "Someone Else"},
            },
        ],
    }
    content = strip_customer(document)
    assert [s["name"] for s in content["stakeholders"]] == [
        "Ward manager",
        "Ward manager 2",
        "IT or security lead",
    ]
    assert [s["key"] for s in content["stakeholders"]] == ["s1", "s2", "s3"]
    assert content["resistance"][0]["mitigation"] == {
        "strategy": "coach",
        "owner": "Ward manager 2",
        "status": "planned",
    }
    # An owner who is nobody in the landscape is the customer's specific: left out.
    assert "mitigation" not in content["resistance"][1]
    assert content_errors(content) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda c: c["stakeholders"][0].update(email="x@y.example"), ["stakeholders", 0]),
        (lambda c: c["stakeholders"][0].update(influence=9), ["stakeholders", 0, "influence"]),
        (lambda c: c["engagement"].update(customer="Acme"), ["engagement"]),
        (
            lambda c: c["plan_settings"].update(adoption_target_pct=0),
            ["plan_settings", "adoption_target_pct"],
        ),
        (
            lambda c: c["resistance"][0].update(stakeholder="nobody"),
            ["resistance", 0, "stakeholder"],
        ),
    ],
)
def test_content_errors_name_the_path(change, path):
    content = {
        "engagement": {"adoption_mode": "voluntary"},
        "plan_settings": {"adoption_target_pct": 80},
        "stakeholders": [{"key": "a", "kind": "group", "name": "Agents", "role": "daily_user"}],
        "resistance": [{"key": "r1", "stakeholder": "a", "source": "habit", "severity": 3}],
    }
    assert content_errors(content) == []
    change(content)
    assert [e["path"] for e in content_errors(content)] == [path]


def test_an_invalid_content_is_not_saved(workspace):
    with pytest.raises(ValidationError) as refused:
        services.create_template(workspace, name="Broken", content={"stakeholders": "no"})
    assert "content" in refused.value.message_dict
    assert not EngagementTemplate.objects.exists()


def test_templates_are_scoped_to_their_workspace(workspace, other_workspace):
    theirs = services.create_template(
        other_workspace,
        name="Theirs",
        content={
            "stakeholders": [{"key": "a", "kind": "group", "name": "A", "role": "daily_user"}]
        },
    )
    assert services.get_template(workspace, theirs.id) is None
    assert services.get_template(other_workspace, theirs.id) == theirs
    assert services.get_template(workspace, "not-a-uuid") is None
    assert [t.name for t in services.list_templates(workspace)] == [
        t.name for t in built_in_templates()
    ]
    built_in = built_in_templates()[0]
    assert services.get_template(workspace, built_in.id) is built_in
    with pytest.raises(ValidationError):
        services.delete_template(built_in)
