"""The weekly digest reaches customer contributors for their own steps, with an opt-out."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from changeready.portal import links, services
from changeready.portal.tests.conftest import RESISTOR, SECRET
from changeready.portfolio import digest

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2027, 3, 24)  # a Wednesday in week -2 of the example (go-live 5 April)


@pytest.fixture
def due(marcus_items):
    """Marcus's first step is due this week, his second next week."""
    for item, week in zip(marcus_items, (-2, -1), strict=True):
        item.week = week
        item.save()
    return marcus_items


def contributor_mail():
    return [email for email in mail.outbox if email.to == ["m.webb@northwind.example"]]


def test_a_contributor_gets_their_own_steps_in_the_customers_wording(client, due, contributor):
    run = digest.send_weekly_digests(AS_OF)
    [email] = contributor_mail()
    assert run.sent >= 1
    assert email.subject.startswith("Your steps in Northwind Logistics")
    body = email.body
    this_week = body.split("DUE THIS WEEK")[1].split("DUE NEXT WEEK")[0]
    assert "Sit down with" in this_week
    assert due[1].title in body.split("DUE NEXT WEEK")[1]
    assert RESISTOR not in body
    assert SECRET not in body
    assert "readiness" not in body.lower()
    portal_link = re.search(r"http://testserver(/c/\S+/)", body).group(1)
    assert client.get(portal_link).status_code == 200
    opt_out = re.search(r"Stop these emails: http://testserver(/emails/stop/\S+/)", body).group(1)
    assert client.get(opt_out).status_code == 200


def test_a_second_run_in_the_same_week_sends_nothing_again(due, contributor):
    digest.send_weekly_digests(AS_OF)
    run = digest.send_weekly_digests(AS_OF)
    assert len(contributor_mail()) == 1
    assert run.already_sent >= 1
    digest.send_weekly_digests(AS_OF + datetime.timedelta(weeks=1))
    assert len(contributor_mail()) == 2  # next week, the step still open is due again


def test_opting_out_through_the_emails_link_stops_the_digest(client, due, contributor):
    digest.send_weekly_digests(AS_OF)
    opt_out = re.search(r"(/emails/stop/\S+/)", contributor_mail()[0].body).group(1)
    client.post(opt_out)
    mail.outbox.clear()
    digest.send_weekly_digests(AS_OF + datetime.timedelta(weeks=1))
    assert contributor_mail() == []


def test_a_revoked_contributor_or_one_with_nothing_due_gets_nothing(due, contributor, owner):
    assert not list(
        digest.contributor_digests(contributor.engagement.workspace, AS_OF.replace(month=1))
    )
    services.revoke_contributor(contributor, revoked_by=owner)
    digest.send_weekly_digests(AS_OF)
    assert contributor_mail() == []


def test_done_steps_are_not_due(client, due, contributor):
    token_url = reverse("portal_action", args=[links.portal_token(contributor), due[0].id, "done"])
    client.post(token_url)
    [found] = digest.contributor_digests(contributor.engagement.workspace, AS_OF)
    assert found.this_week == []
    assert [row.title for row in found.next_week] == [due[1].title]


def test_the_command_lists_contributors_in_a_dry_run(due, contributor, capsys):
    call_command("send_weekly_digest", "--as-of", AS_OF.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "would send m.webb@northwind.example (acme): Your steps in Northwind" in out
    assert contributor_mail() == []
