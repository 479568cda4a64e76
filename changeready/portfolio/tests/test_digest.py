import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from changeready.assessment.models import AssessmentSnapshot
from changeready.conftest import PEOPLE
from changeready.engagements.tests.factories import EngagementFactory
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portfolio import digest
from changeready.portfolio.models import DigestPreference
from changeready.workspaces.models import Membership

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.date(2027, 4, 5)  # Monday: week -2 starts 22 March
AS_OF = datetime.date(2027, 3, 24)  # a Wednesday in week -2


def snapshot(engagement, day, score):
    AssessmentSnapshot.objects.create(
        engagement=engagement,
        taken_on=day,
        readiness_score=score,
        readiness_band="at_risk" if score >= 50 else "not_ready",
        assessment={},
    )


@pytest.fixture
def scene(workspace, member):
    member.name = "Mia Member"
    member.save()
    wms = EngagementFactory(workspace=workspace, name="WMS rollout", go_live_date=GO_LIVE)
    crm = EngagementFactory(workspace=workspace, name="CRM rollout", go_live_date=GO_LIVE)
    PlanItemFactory(engagement=wms, week=-2, owner="Mia Member", title="Manager briefing kit")
    PlanItemFactory(engagement=wms, week=-1, owner=" MEMBER@acme.example ", title="Champions")
    PlanItemFactory(engagement=wms, week=0, owner="Mia Member", title="Go-live notice")
    PlanItemFactory(engagement=wms, week=-2, owner="Mia Member", title="Done", status="done")
    PlanItemFactory(engagement=wms, week=-2, owner="Someone Else", title="Not hers")
    PlanItemFactory(engagement=crm, week=-2, owner="", title="Role only")
    snapshot(wms, datetime.date(2027, 3, 10), 70)
    snapshot(wms, datetime.date(2027, 3, 17), 72)
    snapshot(wms, datetime.date(2027, 3, 23), 55)
    snapshot(crm, datetime.date(2027, 3, 16), 40)
    snapshot(crm, datetime.date(2027, 3, 24), 60)
    return {"wms": wms, "crm": crm}


def digests_by_email(workspace):
    return {d.membership.user.email: d for d in digest.workspace_digests(workspace, AS_OF)}


def test_member_gets_their_items_due_this_week_and_next_and_readiness_drops(workspace, scene):
    mine = digests_by_email(workspace)["member@acme.example"]
    assert [d.item.title for d in mine.this_week] == ["Manager briefing kit"]
    assert [d.item.title for d in mine.next_week] == ["Champions"]
    assert [(d.engagement.name, d.earlier_score, d.score) for d in mine.drops] == [
        ("WMS rollout", 72, 55)
    ]


def test_a_lower_band_at_the_same_score_is_a_drop(workspace, scene):
    # The CRM's 60 stays 60, but a new critical finding made it not ready.
    AssessmentSnapshot.objects.filter(engagement=scene["crm"]).update(
        readiness_score=60, readiness_band="at_risk"
    )
    AssessmentSnapshot.objects.filter(engagement=scene["crm"], taken_on=AS_OF).update(
        readiness_band="not_ready"
    )
    drops = digests_by_email(workspace)["member@acme.example"].drops
    assert [(d.engagement.name, d.earlier_band, d.band) for d in drops] == [
        ("WMS rollout", "at_risk", "at_risk"),
        ("CRM rollout", "at_risk", "not_ready"),
    ]


def test_members_without_items_still_hear_of_drops(workspace, scene):
    digests = digests_by_email(workspace)
    viewer = digests["viewer@acme.example"]
    assert viewer.this_week == viewer.next_week == []
    assert len(viewer.drops) == 1


def test_nothing_to_say_sends_nothing(workspace, member):
    EngagementFactory(workspace=workspace, go_live_date=GO_LIVE)
    assert list(digest.workspace_digests(workspace, AS_OF)) == []
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat())
    assert mail.outbox == []


def test_command_sends_one_plain_text_email_per_member(workspace, scene, capsys):
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat())
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Every member of the workspace hears of the drop; the outsider, in another, does not.
    assert recipients == [
        "admin@acme.example",
        "member@acme.example",
        "owner@acme.example",
        "viewer@acme.example",
    ]
    body = next(m for m in mail.outbox if m.to == ["member@acme.example"]).body
    assert "DUE THIS WEEK\n- Manager briefing kit (WMS rollout, plan week -2)" in body
    assert "DUE NEXT WEEK\n- Champions (WMS rollout, plan week -1)" in body
    assert "WMS rollout" in body and "72 at risk on 17 Mar -> 55 at risk on 23 Mar" in body
    assert "Go-live notice" not in body and "Not hers" not in body
    assert "/w/acme/digest/" in body
    assert "<" not in body  # plain text, nothing escaped into entities
    assert "Sent 4 digest(s)" in capsys.readouterr().out


def test_a_second_run_in_the_same_week_sends_nothing_new(workspace, scene):
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat())
    call_command("send_weekly_digest", "--as-of", (AS_OF + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 4


def test_opting_out_is_respected(workspace, scene, member):
    digest.set_weekly_digest(Membership.objects.get(user=member), False)
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@acme.example",
        "owner@acme.example",
        "viewer@acme.example",
    ]


def test_dry_run_sends_and_records_nothing(workspace, scene, capsys):
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat(), "--dry-run")
    assert mail.outbox == []
    assert not DigestPreference.objects.filter(last_sent_week__isnull=False).exists()
    out = capsys.readouterr().out
    assert "would send member@acme.example" in out
    assert "4 digest(s) would be sent, none sent" in out


def test_bad_as_of_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--as-of"):
        call_command("send_weekly_digest", "--as-of", "next monday")


@pytest.mark.parametrize("person", PEOPLE)
def test_digest_settings_access_and_own_switch(client_as, workspace, person, request):
    client = client_as(person)
    url = reverse("digest_settings", args=[workspace.slug])
    response = client.get(url)
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    response = client.post(url, {})  # an unticked box: switch it off
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(person, 302)
    switched_off = DigestPreference.objects.filter(weekly_digest=False)
    if expected == 200:
        # Any member, viewers included, may switch off their own digest, and only theirs.
        assert [p.membership.user for p in switched_off] == [request.getfixturevalue(person)]
    else:
        assert not switched_off.exists()


def test_digest_settings_switch_back_on(client_as, workspace, viewer):
    client = client_as("viewer")
    url = reverse("digest_settings", args=[workspace.slug])
    client.post(url, {})
    client.post(url, {"weekly_digest": "on"})
    assert DigestPreference.objects.get().weekly_digest is True
    assert client.get(url).context["form"].initial == {"weekly_digest": True}
