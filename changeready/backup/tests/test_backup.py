"""Workspace backups: export, restore into a database without the workspace, export again — the
same document."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from changeready.accounts.models import User
from changeready.activity.models import ActivityEvent
from changeready.api.models import ApiToken
from changeready.api.tokens import issue_token
from changeready.assessment.models import AssessmentSnapshot
from changeready.assessment.services import assess_engagement, record_snapshot
from changeready.backup.services import (
    SCHEMA_PATH,
    BackupInvalid,
    dumps,
    export_workspace,
    import_workspace,
)
from changeready.engagement_file.importing import import_engagement, parse
from changeready.engagement_templates.models import EngagementTemplate
from changeready.engagement_templates.services import save_as_template
from changeready.engagements.models import Engagement
from changeready.engagements.services import update_engagement
from changeready.landscape.models import (
    COMMITMENT_STATUSES,
    LOG_KINDS,
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
)
from changeready.landscape.services import (
    create_commitment,
    create_log_entry,
    create_resistance_point,
    update_commitment,
    update_log_entry,
)
from changeready.planning import adoption, item_edits, plan_state, regeneration, rules_library
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState, WorkspaceRule
from changeready.portfolio.models import DigestPreference
from changeready.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "engagement_file" / "examples"
AS_OF = date(2027, 3, 15)
PULSE = "baseline.pulse_survey"
CUSTOM_RULE = {
    "key": "team.weekly_standup",
    "family": "baseline",
    "title": "Weekly adoption stand-up",
    "kind": "checkpoint",
    "owner_role": "customer_success",
    "weeks": [1, 2],
    "audience": "engagement",
}
# Every table a workspace's data lives in.
TABLES = (
    Workspace,
    User,
    Membership,
    DigestPreference,
    WorkspaceRule,
    EngagementTemplate,
    Engagement,
    Stakeholder,
    ResistancePoint,
    StakeholderLogEntry,
    Commitment,
    PlanItem,
    AdoptionTarget,
    PlanState,
    AssessmentSnapshot,
    ActivityEvent,
    ApiToken,
)


# What the database holds besides the workspace under test: the outsider and
# their workspace (changeready/conftest.py). A restore never touches them.
THE_OUTSIDER_ONLY = {Workspace: 1, User: 1, Membership: 1}


def rows() -> dict:
    """How many rows each table holds, tables without any left out."""
    counts = {model: model.objects.count() for model in TABLES}
    return {model: count for model, count in counts.items() if count}


def record_log(northwind, harbor, *, owner, member, outsider) -> None:
    """Log entries and commitments of every kind, by a member, by someone who has
    left the workspace since (and keeps an account elsewhere) and by nobody."""
    tom = northwind.stakeholders.get(name="Tom Avery")
    marcus = northwind.stakeholders.get(name="Marcus Webb")
    meeting = create_log_entry(
        tom,
        actor=member,
        kind="meeting",
        date=date(2027, 2, 12),
        participants="Tom Avery, Max Member",
        summary="Slotting rules.\nHe will own them, with Lena as back-up.",
    )
    # Edited since: its version is 2.
    update_log_entry(meeting, actor=member, participants="Tom Avery, Max Member, Lena Kovacs")
    leaving = Membership.objects.create(workspace=northwind.workspace, user=outsider, role="member")
    create_log_entry(
        tom,
        actor=outsider,
        kind="call",
        date=date(2027, 2, 20),
        summary="Confirmed the slotting workshop.",
        internal=False,
    )
    leaving.delete()
    create_log_entry(
        marcus, kind="note", date=date(2027, 2, 20), summary="Prefers email to meetings."
    )
    promise = create_commitment(
        tom,
        actor=member,
        text="Tom Avery will own the slotting rules",
        owner="Tom Avery",
        due_date=date(2027, 3, 1),
        log_entry=meeting,
    )
    update_commitment(promise, actor=member, status="done")
    create_commitment(
        tom, text="Check the night rota before the floor walk", owner="Lena Kovacs", internal=True
    )
    create_commitment(
        marcus, text="Announce go-live to all sites", owner="Marcus Webb", due_date=date(2027, 3, 8)
    )
    cfo = harbor.stakeholders.get(name="Rebecca Osei")
    create_log_entry(
        cfo,
        actor=owner,
        kind="email",
        date=date(2027, 1, 28),
        summary="Sent the close calendar.",
        internal=False,
    )


@pytest.fixture
def acme(workspace, owner, admin, member, viewer, outsider):
    """The shared workspace and its people, named, and a bit of everything a backup carries."""
    names = {owner: "Olive Owner", admin: "Ada Admin", member: "Max Member", viewer: ""}
    for user, name in names.items():
        user.name = name
        user.save(update_fields=["name"])
    owner = Membership.objects.get(workspace=workspace, user=owner)
    member = Membership.objects.get(workspace=workspace, user=member)
    viewer = Membership.objects.get(workspace=workspace, user=viewer)
    DigestPreference.objects.create(membership=viewer, weekly_digest=False)
    issue_token(membership=owner, name="CI")

    rules_library.create_rule(workspace, CUSTOM_RULE)
    rules_library.set_rule_enabled(workspace, PULSE, False)

    engagements = [
        import_engagement(workspace, parse(path.read_bytes()))
        for path in sorted(EXAMPLES.glob("*.json"))
    ]
    northwind = Engagement.objects.get(workspace=workspace, customer="Northwind Logistics")
    pickers = northwind.stakeholders.get(name="Pickers and packers")
    create_resistance_point(
        northwind,
        stakeholder=pickers,
        source="lack_of_awareness",
        severity=4,
        description="Night shift never used handhelds.",
        strategy="educate",
        owner="Lena Kovacs",
        due_week=-1,
        status="in_progress",
        notes="Two sessions booked.",
    )
    plan_state.update_plan_settings(
        northwind,
        expected_version=None,
        adoption_target_pct=70,
        adoption_target_week=6,
    )
    regeneration.regenerate_plan(northwind, actor=owner.user)
    edited, dismissed, done = northwind.plan_items.filter(origin__startswith="generated")[:3]
    item_edits.update_item(edited, expected_version=None, title="Kick-off, with the night shift")
    item_edits.delete_item(dismissed)
    item_edits.set_item_status(done, "done", expected_version=None)
    item_edits.create_item(
        northwind, week=2, title="Floor walk", kind="training", owner_role="delivery"
    )
    first, second = northwind.adoption_targets.order_by("week")[:2]
    adoption.set_actual(first, 42.5, expected_version=None)
    adoption.set_target(second, 55, expected_version=None)
    # A pulse survey's means are not whole levels.
    Stakeholder.objects.filter(pk=pickers.pk).update(
        adkar_desire=2.5, adkar_ability=3.25, adkar_measured_on=date(2027, 3, 1), adkar_responses=7
    )

    save_as_template(northwind, name="Warehouse, Northwind style", industry="warehousing")

    harbor = Engagement.objects.get(workspace=workspace, name__icontains="close")
    update_engagement(
        harbor,
        expected_version=None,
        handoff_accepted_at=datetime(2027, 2, 1, 9, 30, tzinfo=UTC),
        handoff_accepted_by=member.user,
    )
    record_log(northwind, harbor, owner=owner.user, member=member.user, outsider=outsider)
    for engagement in engagements:
        record_snapshot(engagement.id, on=date(2027, 2, 1))
        record_snapshot(engagement.id, on=date(2027, 3, 1))
    return workspace


def text(document) -> str:
    return dumps({**document, "exported_at": "(ignored)"})


def readiness(workspace) -> dict:
    result = {}
    for engagement in Engagement.objects.for_workspace(workspace):
        assessment = assess_engagement(engagement, AS_OF)
        findings = sorted((f.code, f.severity, f.message) for f in assessment.findings)
        result[engagement.name] = (assessment.readiness.to_dict(), findings)
    return result


def wipe(workspace) -> None:
    """Delete the workspace and its people: the database is as a new one, but for the outsider."""
    users = list(User.objects.filter(memberships__workspace=workspace))
    workspace.delete()
    for user in users:
        user.delete()
    assert rows() == THE_OUTSIDER_ONLY


def test_two_exports_of_the_same_data_are_the_same(acme):
    assert text(export_workspace(acme)) == text(export_workspace(acme))


def test_the_backup_holds_members_rules_and_every_engagement(acme):
    document = export_workspace(acme)

    assert document["format"] == "changeready.workspace-backup/v1"
    assert document["workspace"] == {"slug": "acme", "name": "Acme Delivery"}
    assert [(m["email"], m["role"], m["weekly_digest"]) for m in document["members"]] == [
        ("admin@acme.example", "admin", True),
        ("member@acme.example", "member", True),
        ("owner@acme.example", "owner", True),
        ("viewer@acme.example", "viewer", False),
    ]
    assert {(r["key"], r["enabled"]) for r in document["rules"]} == {
        (PULSE, False),
        ("team.weekly_standup", True),
    }
    assert [(t["name"], t["industry"]) for t in document["templates"]] == [
        ("Warehouse, Northwind style", "warehousing")
    ]
    assert "Northwind" not in json.dumps(document["templates"][0]["content"])
    assert len(document["engagements"]) == 3
    northwind = next(e["extra"] for e in document["engagements"] if e["extra"]["plan_state"])
    # Generation keys name stakeholders by the file's keys, not by ids a restore changes.
    keys = [item["generation_key"] for item in northwind["plan_items"]]
    assert any("|1:@stakeholder:" in key for key in keys)
    assert any("@audience:" in key for key in keys) and northwind["audiences"]
    assert northwind["measured_adkar"]["pickers-and-packers"]["adkar"]["desire"] == 2.5
    raw = dumps(document)
    assert "password" not in raw and "pbkdf2" not in raw
    assert ApiToken.objects.get().prefix not in raw


def test_the_backup_holds_every_stakeholder_log_entry_and_commitment(acme):
    extras = [entry["extra"] for entry in export_workspace(acme)["engagements"]]

    northwind = next(extra for extra in extras if extra["plan_state"])
    assert sorted(northwind["stakeholder_log"]) == ["marcus-webb", "tom-avery"]
    tom = northwind["stakeholder_log"]["tom-avery"]
    assert [
        (e["kind"], e["date"], e["internal"], e["recorded_by"], e["participants"])
        for e in tom["log_entries"]
    ] == [
        (
            "meeting",
            "2027-02-12",
            True,
            "member@acme.example",
            "Tom Avery, Max Member, Lena Kovacs",
        ),
        ("call", "2027-02-20", False, "outsider@rival.example", ""),
    ]
    assert [
        (c["text"], c["owner"], c["due_date"], c["status"], c["internal"], c["agreed_in"])
        for c in tom["commitments"]
    ] == [
        ("Tom Avery will own the slotting rules", "Tom Avery", "2027-03-01", "done", False, 0),
        ("Check the night rota before the floor walk", "Lena Kovacs", None, "open", True, None),
    ]
    marcus = northwind["stakeholder_log"]["marcus-webb"]
    assert [(e["kind"], e["recorded_by"]) for e in marcus["log_entries"]] == [("note", None)]
    assert [(c["status"], c["due_date"]) for c in marcus["commitments"]] == [("open", "2027-03-08")]
    assert [list(extra["stakeholder_log"]) for extra in extras].count(["rebecca-osei"]) == 1
    # A restore starts every record's version afresh (see the module's comment).
    assert "version" not in json.dumps(northwind["stakeholder_log"])


def test_the_schema_offers_the_models_choices():
    definitions = json.loads(SCHEMA_PATH.read_text())["$defs"]
    assert definitions["log_entry"]["properties"]["kind"]["enum"] == list(LOG_KINDS)
    assert definitions["commitment"]["properties"]["status"]["enum"] == list(COMMITMENT_STATUSES)


def test_restoring_into_a_database_without_it_reproduces_the_workspace(acme):
    original = export_workspace(acme)
    before = readiness(acme)
    wipe(acme)

    summary = import_workspace(json.loads(dumps(original)))

    restored = summary.workspace
    assert (summary.engagements, summary.members, summary.existing_accounts) == (3, 4, ())
    assert text(export_workspace(restored)) == text(original)
    assert readiness(restored) == before
    owner = User.objects.get(email="owner@acme.example")
    assert owner.name == "Olive Owner"
    assert not owner.has_usable_password()
    assert not ApiToken.objects.exists()
    northwind = Engagement.objects.get(customer="Northwind Logistics")
    assert northwind.plan_items.filter(edited_by_hand=True).count() == 1
    assert len(northwind.plan_state.dismissed_keys) == 1
    assert northwind.plan_state.generated_by == owner
    # Regenerating the restored plan adds and removes nothing: generated items kept
    # their identity, hand work and dismissals survived. The generator lists an
    # audience's names in id order and the ids are new, so at most the order of
    # names in an untouched item's reason changes.
    preview = regeneration.preview_regeneration(northwind)
    assert (preview.items_to_add, preview.items_to_remove) == ((), ())
    for refresh in preview.items_to_refresh:
        assert refresh.item.title == refresh.generated.title
        assert sorted(refresh.item.reason) == sorted(refresh.generated.reason)
    harbor = Engagement.objects.get(name__icontains="close")
    assert harbor.handoff_accepted_by.email == "member@acme.example"
    snapshot = harbor.snapshots.get(taken_on=date(2027, 3, 1))
    assert snapshot.assessment["engagement_id"] == str(harbor.id)
    # The log and the commitments, linked as they were, by the restored accounts.
    tom = northwind.stakeholders.get(name="Tom Avery")
    meeting = tom.log_entries.get(kind="meeting")
    assert meeting.recorded_by == User.objects.get(email="member@acme.example")
    assert tom.log_entries.get(kind="call").recorded_by.email == "outsider@rival.example"
    promise = tom.commitments.get(status="done")
    assert (promise.log_entry, promise.engagement) == (meeting, northwind)
    assert {(c.internal, c.status) for c in tom.commitments.all()} == {
        (False, "done"),
        (True, "open"),
    }
    # New rows, which no one has an older copy of: every version starts at 1.
    assert set(StakeholderLogEntry.objects.values_list("version", flat=True)) == {1}
    assert set(Commitment.objects.values_list("version", flat=True)) == {1}


def test_restoring_under_a_new_slug_reuses_existing_accounts(acme):
    original = export_workspace(acme)
    users = User.objects.count()

    summary = import_workspace(original, slug="acme-copy")

    assert User.objects.count() == users
    assert sorted(summary.existing_accounts) == sorted(m["email"] for m in original["members"])
    owner = User.objects.get(email="owner@acme.example")
    assert owner.check_password("correct-horse-battery-staple")
    copy = export_workspace(summary.workspace)
    assert copy["workspace"]["slug"] == "acme-copy"
    copy["workspace"]["slug"] = "acme"
    assert text(copy) == text(original)


def test_a_taken_slug_is_refused_and_nothing_is_written(acme):
    document = export_workspace(acme)
    before = rows()

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert raised.value.lines() == ["workspace.slug: The workspace slug 'acme' is already taken."]
    assert rows() == before


def test_a_wrong_format_is_refused(acme):
    document = {**export_workspace(acme), "format": "changeready.engagement/v1"}
    wipe(acme)

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert [error["path"] for error in raised.value.errors] == [["format"]]
    assert rows() == THE_OUTSIDER_ONLY


def test_every_broken_engagement_file_is_reported_with_its_path(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    document["engagements"][0]["file"]["stakeholders"][0]["influence"] = 9
    document["engagements"][2]["file"]["resistance"][0]["stakeholder"] = "nobody"
    document["members"][0]["role"] = "boss"

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    paths = [line.split(":")[0] for line in raised.value.lines()]
    assert paths == [
        "engagements[0].file.stakeholders[0].influence",
        "engagements[2].file.resistance[0].stakeholder",
        "members[0].role",
    ]
    assert rows() == THE_OUTSIDER_ONLY


def test_a_broken_template_is_reported_with_its_path(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    document["templates"][0]["content"]["stakeholders"][0]["influence"] = 9
    document["templates"].append(document["templates"][0])

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert [line.split(":")[0] for line in raised.value.lines()] == [
        "templates[0].content.stakeholders[0].influence",
        "templates[1].content.stakeholders[0].influence",
    ]
    assert rows() == THE_OUTSIDER_ONLY


def test_two_templates_of_one_name_are_refused(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    document["templates"].append(document["templates"][0])

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert raised.value.lines() == ["templates[1].name: Duplicate name: templates[0] has it."]
    assert rows() == THE_OUTSIDER_ONLY


def test_a_backup_from_before_templates_restores(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    del document["templates"]

    summary = import_workspace(document)

    assert summary.engagements == 3
    assert not EngagementTemplate.objects.exists()


def test_an_engagement_the_models_refuse_rolls_the_whole_restore_back(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    # Valid for the schema; only the model's own check (kickoff before go-live) sees it.
    document["engagements"][1]["file"]["engagement"]["kickoff_date"] = "2030-01-01"

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert [error["path"] for error in raised.value.errors] == [
        ["engagements", 1, "file", "engagement", "kickoff_date"]
    ]
    assert rows() == THE_OUTSIDER_ONLY


def test_extras_that_do_not_match_their_file_are_refused(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    northwind = next(
        index for index, entry in enumerate(document["engagements"]) if entry["extra"]["plan_items"]
    )
    document["engagements"][northwind]["extra"]["plan_items"].pop()
    document["rules"][0]["data"] = {"key": "team.weekly_standup"}
    document["members"] = [m for m in document["members"] if m["role"] != "owner"]

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    assert [format_line.split(":")[0] for format_line in raised.value.lines()] == [
        f"engagements[{northwind}].extra.plan_items",
        "members",
        "rules[0].data",
    ]
    assert rows() == THE_OUTSIDER_ONLY


def northwind_log(document) -> tuple[int, dict]:
    """The Northwind engagement's position in `document` and its stakeholder log."""
    index = next(i for i, e in enumerate(document["engagements"]) if e["extra"]["plan_state"])
    return index, document["engagements"][index]["extra"]["stakeholder_log"]


def test_log_entries_and_commitments_the_models_refuse_are_reported_with_their_paths(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    index, log = northwind_log(document)
    log["tom-avery"]["log_entries"][1]["participants"] = "Tom\nLena"
    log["tom-avery"]["log_entries"][1]["date"] = "1900-01-01"
    log["tom-avery"]["commitments"][0]["agreed_in"] = 2
    log["marcus-webb"]["commitments"][0]["owner"] = "Marcus\x07Webb"
    log["nobody"] = {"log_entries": [], "commitments": []}

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    prefix = f"engagements[{index}].extra.stakeholder_log"
    assert raised.value.lines() == [
        f"{prefix}.marcus-webb.commitments[0].owner: "
        "Contains a control character (U+0007); retype the text.",
        f"{prefix}.nobody: Unknown stakeholder 'nobody'.",
        f"{prefix}.tom-avery.commitments[0].agreed_in: No log entry 2: the stakeholder has 2.",
        f"{prefix}.tom-avery.log_entries[1].date: Must be between 1970-01-01 and 2199-12-31.",
        f"{prefix}.tom-avery.log_entries[1].participants: "
        "Must be on one line: remove the line breaks and tabs.",
    ]
    assert rows() == THE_OUTSIDER_ONLY


def test_log_entries_and_commitments_outside_the_schema_are_refused(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    index, log = northwind_log(document)
    log["tom-avery"]["log_entries"][0]["summary"] = "x" * 5001
    log["tom-avery"]["log_entries"][0]["version"] = 3
    log["tom-avery"]["commitments"][1]["status"] = "maybe"
    log["marcus-webb"]["commitments"][0]["due_date"] = "8 March"

    with pytest.raises(BackupInvalid) as raised:
        import_workspace(document)

    prefix = ["engagements", index, "extra", "stakeholder_log"]
    assert [error["path"] for error in raised.value.errors] == [
        [*prefix, "marcus-webb", "commitments", 0, "due_date"],
        [*prefix, "tom-avery", "commitments", 1, "status"],
        [*prefix, "tom-avery", "log_entries", 0],
        [*prefix, "tom-avery", "log_entries", 0, "summary"],
    ]
    assert rows() == THE_OUTSIDER_ONLY


def test_an_author_without_an_account_here_is_restored_as_nobody(acme, outsider):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    outsider.delete()

    import_workspace(document)

    # No account is made for someone who is not a member; the entry stays, unsigned.
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(
        member["email"] for member in document["members"]
    )
    call = StakeholderLogEntry.objects.get(kind="call")
    assert (call.recorded_by, call.summary) == (None, "Confirmed the slotting workshop.")


def test_the_log_costs_no_query_per_entry_to_export_or_restore(acme, member, outsider):
    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)

    exporting = queries(lambda: export_workspace(acme))
    few = export_workspace(acme)
    # More entries and commitments, by a member and by someone who has left.
    tom = Stakeholder.objects.get(engagement__workspace=acme, name="Tom Avery")
    for author in (member, outsider, member, outsider):
        entry = create_log_entry(tom, actor=author, date=date(2027, 3, 2), summary="Catch-up.")
        create_commitment(tom, text="Send the notes", owner="Max Member", log_entry=entry)

    assert queries(lambda: export_workspace(acme)) == exporting
    many = export_workspace(acme)
    assert queries(lambda: import_workspace(many, slug="many")) == queries(
        lambda: import_workspace(few, slug="few")
    )


def test_a_backup_from_before_the_stakeholder_log_restores(acme):
    document = json.loads(dumps(export_workspace(acme)))
    wipe(acme)
    for entry in document["engagements"]:
        del entry["extra"]["stakeholder_log"]

    summary = import_workspace(document)

    assert summary.engagements == 3
    assert not StakeholderLogEntry.objects.exists() and not Commitment.objects.exists()


# --- the commands ------------------------------------------------------------------------


def test_the_commands_round_trip_through_a_file(
    acme, tmp_path, capsys, django_capture_on_commit_callbacks
):
    backup = tmp_path / "acme.json"
    call_command("export_workspace", workspace="acme", output=str(backup))
    original = json.loads(backup.read_text())
    wipe(acme)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_workspace", input=str(backup))

    assert "Imported workspace acme: 3 engagements, 4 members" in capsys.readouterr().out
    # Like every change to an engagement, the restore records today's snapshot.
    today = timezone.localdate().isoformat()
    again = export_workspace(Workspace.objects.get(slug="acme"))
    for entry in again["engagements"]:
        snapshots = entry["extra"]["snapshots"]
        assert [s["taken_on"] for s in snapshots].count(today) == 1
        entry["extra"]["snapshots"] = [s for s in snapshots if s["taken_on"] != today]
    assert text(again) == text(original)


def test_export_writes_to_standard_output_without_a_file(acme, capsys):
    call_command("export_workspace", workspace="acme")
    assert json.loads(capsys.readouterr().out)["workspace"]["slug"] == "acme"


def test_export_of_an_unknown_workspace_fails():
    with pytest.raises(CommandError, match="no workspace with the slug 'nope'"):
        call_command("export_workspace", workspace="nope")


def test_import_lists_every_problem_and_fails(acme, tmp_path, capsys):
    backup = tmp_path / "acme.json"
    call_command("export_workspace", workspace="acme", output=str(backup))

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_workspace", input=str(backup))

    assert "workspace.slug: The workspace slug 'acme' is already taken." in capsys.readouterr().err


def test_import_of_a_file_that_is_not_json_fails(db, tmp_path):
    backup = tmp_path / "broken.json"
    backup.write_text("{not json")
    with pytest.raises(CommandError, match="The backup is not JSON"):
        call_command("import_workspace", input=str(backup))
