"""The workspace playbook: rules as data, edited by owners and admins, used by generation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeready.conftest import MANAGERS, PEOPLE
from changeready.core.rules import BUILTIN_RULES
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import item_edits, regeneration, rules_library
from changeready.planning.models import WorkspaceRule
from changeready.planning.tests.example import create_example_engagement

pytestmark = pytest.mark.django_db
PULSE = "baseline.pulse_survey"


def custom_rule(**changes):
    return {
        "key": "team.weekly_standup",
        "family": "baseline",
        "title": "Weekly adoption stand-up",
        "kind": "checkpoint",
        "owner_role": "customer_success",
        "weeks": [1, 2],
        "audience": "engagement",
        **changes,
    }


def library_state(workspace):
    return sorted(
        WorkspaceRule.objects.for_workspace(workspace).values_list(
            "key", "enabled", "data", "version"
        )
    )


# --- the effective library --------------------------------------------------------


def test_a_new_workspace_uses_the_built_in_library(workspace):
    assert rules_library.effective_rules(workspace) == BUILTIN_RULES


def test_switching_a_rule_off_stops_its_items(workspace):
    example = create_example_engagement(workspace)
    rules_library.set_rule_enabled(workspace, PULSE, False)

    regeneration.regenerate_plan(example)

    assert not example.plan_items.filter(origin=f"generated:{PULSE}").exists()
    assert example.plan_items.exists()
    rules_library.set_rule_enabled(workspace, PULSE, True)
    regeneration.regenerate_plan(example)
    assert example.plan_items.filter(origin=f"generated:{PULSE}").exists()


def test_a_custom_rule_adds_its_items(workspace):
    example = create_example_engagement(workspace)
    rules_library.create_rule(workspace, custom_rule())

    regeneration.regenerate_plan(example)

    items = example.plan_items.filter(origin="generated:team.weekly_standup")
    assert sorted(items.values_list("week", flat=True)) == [1, 2]
    assert items.first().title == "Weekly adoption stand-up"


def test_an_edited_built_in_rule_changes_the_plan_and_untouched_items_follow(workspace):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    builtin = next(rule for rule in BUILTIN_RULES if rule.key == PULSE)

    rules_library.save_rule(workspace, {**builtin.to_dict(), "title": "Five-minute pulse survey"})
    preview = regeneration.preview_regeneration(example)
    assert [refresh.generated.title for refresh in preview.items_to_refresh] == [
        "Five-minute pulse survey"
    ]
    regeneration.regenerate_plan(example)

    item = example.plan_items.get(origin=f"generated:{PULSE}")
    assert item.title == "Five-minute pulse survey"
    assert not item.edited_by_hand


def test_edited_weeks_move_untouched_items_and_keep_edited_ones(workspace):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    edited = example.plan_items.get(origin=f"generated:{PULSE}")
    item_edits.update_item(edited, expected_version=edited.version, owner="Kim")
    builtin = next(rule for rule in BUILTIN_RULES if rule.key == PULSE)

    rules_library.save_rule(workspace, {**builtin.to_dict(), "weeks": [3]})
    regeneration.regenerate_plan(example)

    weeks = sorted(
        example.plan_items.filter(origin=f"generated:{PULSE}").values_list("week", flat=True)
    )
    assert weeks == sorted([edited.week, 3])


def test_reset_goes_back_to_the_built_in(workspace):
    builtin = next(rule for rule in BUILTIN_RULES if rule.key == PULSE)
    rules_library.save_rule(workspace, {**builtin.to_dict(), "title": "Changed"})
    rules_library.set_rule_enabled(workspace, PULSE, False)
    rules_library.reset_rule(workspace, PULSE)
    assert rules_library.effective_rules(workspace) == BUILTIN_RULES


def test_libraries_are_per_workspace(workspace, other_workspace):
    rules_library.set_rule_enabled(workspace, PULSE, False)
    assert rules_library.effective_rules(other_workspace) == BUILTIN_RULES


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weeks": [300]}, "weeks"),
        ({"weeks": []}, "weeks"),
        ({"title": ""}, "title"),
        ({"title": "Call {who}"}, "title"),
        ({"kind": "party"}, "kind"),
        ({"key": "No Spaces"}, "key"),
        ({"family": "resistance", "audience": "engagement"}, "audience"),
        ({"resistance_sources": ["habit"]}, "resistance_sources"),
    ],
)
def test_rule_validation_names_the_field(workspace, changes, field):
    with pytest.raises(ValidationError) as error:
        rules_library.create_rule(workspace, custom_rule(**changes))
    assert field in error.value.message_dict
    assert not WorkspaceRule.objects.exists()


def test_a_custom_rule_cannot_take_a_built_in_key(workspace):
    with pytest.raises(ValidationError) as error:
        rules_library.create_rule(workspace, custom_rule(key=PULSE))
    assert "key" in error.value.message_dict


def test_deleting_a_custom_rule(workspace):
    rules_library.create_rule(workspace, custom_rule())
    rules_library.delete_rule(workspace, "team.weekly_standup")
    assert rules_library.effective_rules(workspace) == BUILTIN_RULES
    with pytest.raises(WorkspaceRule.DoesNotExist):
        rules_library.delete_rule(workspace, PULSE)


# --- the pages --------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_everyone_in_the_workspace_reads_the_playbook(client_as, workspace, person):
    response = client_as(person).get(reverse("playbook", args=[workspace.slug]))
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(person, 200)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Run the ADKAR pulse survey" in body
        toggle = reverse("rule_toggle", args=[workspace.slug, PULSE])
        assert (toggle in body) == (person in MANAGERS)


def manage_status(person, ok):
    return {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 403}.get(person, ok)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["rule_create", "rule_edit"])
def test_rule_forms_are_for_owners_and_admins(client_as, workspace, person, name):
    args = [workspace.slug] if name == "rule_create" else [workspace.slug, PULSE]
    response = client_as(person).get(reverse(name, args=args))
    assert response.status_code == manage_status(person, 200)


def rule_post(name, workspace):
    form = {
        "family": "baseline",
        "title": "Weekly adoption stand-up",
        "kind": "checkpoint",
        "owner_role": "customer_success",
        "weeks": "1, 2",
        "audience": "engagement",
        "enabled": "on",
    }
    return {
        "rule_create": (reverse("rule_create", args=[workspace.slug]), {**form, "key": "team.x"}),
        "rule_edit": (reverse("rule_edit", args=[workspace.slug, PULSE]), form),
        "rule_toggle": (reverse("rule_toggle", args=[workspace.slug, PULSE]), {}),
        "rule_delete": (reverse("rule_delete", args=[workspace.slug, "team.weekly_standup"]), {}),
        "rule_reset": (reverse("rule_reset", args=[workspace.slug, "baseline.daily_triage"]), {}),
    }[name]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    "name", ["rule_create", "rule_edit", "rule_toggle", "rule_delete", "rule_reset"]
)
def test_rule_write_access_matrix(client_as, workspace, person, name):
    rules_library.create_rule(workspace, custom_rule())
    rules_library.set_rule_enabled(workspace, "baseline.daily_triage", False)
    before = library_state(workspace)
    url, data = rule_post(name, workspace)

    response = client_as(person).post(url, data)

    assert response.status_code == manage_status(person, 302)
    assert (library_state(workspace) != before) == (person in MANAGERS)


def test_editing_a_built_in_through_the_form_stores_a_copy(client_as, workspace):
    url, data = rule_post("rule_edit", workspace)
    client_as("admin").post(url, {**data, "key": "ignored.because_locked"})
    row = WorkspaceRule.objects.get(workspace=workspace, key=PULSE)
    assert row.based_on == PULSE
    assert row.data["title"] == "Weekly adoption stand-up"
    assert row.data["weeks"] == [1, 2]
    entry = rules_library.library_entry(workspace, PULSE)
    assert entry.source == "edited"


def test_invalid_rule_shows_the_error_next_to_the_field_and_keeps_input(client_as, workspace):
    url, data = rule_post("rule_create", workspace)
    response = client_as("owner").post(url, {**data, "weeks": "1, 300", "title": "Keep me"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "weeks" in errors and "300" in errors["weeks"][0]
    assert b'value="Keep me"' in response.content
    assert not WorkspaceRule.objects.exists()


def test_unparseable_weeks_are_a_form_error(client_as, workspace):
    url, data = rule_post("rule_create", workspace)
    response = client_as("owner").post(url, {**data, "weeks": "soon"})
    assert "weeks" in response.context["form"].errors


def test_playbook_says_when_a_rule_applies_in_words(client_as, workspace):
    body = client_as("member").get(reverse("playbook", args=[workspace.slug])).content.decode()
    assert "One item for each stakeholder who has the role economic buyer." in body
    assert (
        "One item for each unresolved resistance point (loss of authority) of a resistor."
    ) in body


def test_generation_uses_the_edited_library_through_the_page(client_as, workspace):
    example = create_example_engagement(workspace)
    StakeholderFactory(engagement=example, name="Night shift")
    client_as("owner").post(reverse("rule_toggle", args=[workspace.slug, PULSE]))
    client_as("member").post(reverse("plan_generate", args=[example.id]))
    assert example.plan_items.exists()
    assert not example.plan_items.filter(origin=f"generated:{PULSE}").exists()


def test_a_rule_title_repeating_the_name_is_refused_when_saved(workspace):
    with pytest.raises(ValidationError) as error:
        rules_library.create_rule(
            workspace, custom_rule(audience="each", title="{name} {name} {name}")
        )
    assert "title" in error.value.message_dict
    assert not WorkspaceRule.objects.exists()


def test_a_stored_rule_that_no_longer_validates_does_not_stop_generation(workspace):
    """Stored before the check: generation skips it instead of answering 500."""
    example = create_example_engagement(workspace)
    StakeholderFactory(engagement=example, name="N" * 200)
    WorkspaceRule.objects.create(
        workspace=workspace,
        key="team.name_echo",
        data=custom_rule(key="team.name_echo", audience="each", title="{name} {name} {name}"),
    )

    regeneration.regenerate_plan(example)

    assert example.plan_items.exists()
    assert not example.plan_items.filter(origin="generated:team.name_echo").exists()
