"""One workspace with one of everything a URL or an API operation can point at.

The access matrix (`test_access_matrix.py`) fills every URL's arguments from
here: `world.engagement_id`, `world.stakeholder_id`… are named like the URL
and path parameters they fill.
"""

from __future__ import annotations

import socket
from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from changeready.api.tokens import issue_token
from changeready.engagement_templates.services import save_as_template
from changeready.handoff.models import PlaybookDocument
from changeready.handoff.services import create_share_link
from changeready.handoff.tests.example import load_example
from changeready.integrations.models import DeliveryStatus, WebhookDelivery
from changeready.integrations.services import create_calendar_feed, create_endpoint
from changeready.landscape import services as landscape
from changeready.planning import rules_library
from changeready.portal.services import invite_contributor
from changeready.sso.models import SsoConnection, SsoDomain
from changeready.surveys import services as surveys
from changeready.usage.tests.factories import KpiFactory, group, rule
from changeready.usage.tokens import issue_ingestion_token
from changeready.workspaces.models import Invitation, Membership

CUSTOM_RULE = {
    "key": "team.weekly_standup",
    "family": "baseline",
    "title": "Weekly adoption stand-up",
    "kind": "checkpoint",
    "owner_role": "customer_success",
    "weeks": [1, 2],
    "audience": "engagement",
}
PUBLIC_ADDRESS = "93.184.215.14"
WEBHOOK_HOST = "hooks.example.com"


def resolve_webhook_host(monkeypatch) -> None:
    """Webhook URLs are checked against the addresses their host resolves to;
    the made-up host resolves to a public address without the network."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == WEBHOOK_HOST:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def build_world(workspace, owner, member) -> SimpleNamespace:
    owner_membership = Membership.objects.get(workspace=workspace, user=owner)
    member_membership = Membership.objects.get(workspace=workspace, user=member)
    engagement = load_example(workspace)
    person = engagement.stakeholders.filter(kind="person").first()
    point = engagement.resistance_points.first()
    entry = landscape.create_log_entry(
        person, kind="meeting", date=date(2027, 3, 1), summary="Walked the floor."
    )
    commitment = landscape.create_commitment(
        person, text="Brief the night shift", owner="Lena Kovacs"
    )
    phrase = landscape.add_workspace_phrase(
        workspace, field="success_definition", text="Orders picked without paper."
    )
    rules_library.create_rule(workspace, CUSTOM_RULE)
    pickers = group(engagement, name="Access matrix pickers")
    survey = surveys.create_survey(
        engagement=engagement,
        created_by=owner,
        stakeholder_ids=[pickers.id],
        respondents=[("Ana Ruiz", "ana@northwind.example")],
    )
    document = PlaybookDocument.objects.create(
        engagement=engagement,
        fmt="pdf",
        status=PlaybookDocument.Status.READY,
        as_of=date(2027, 3, 22),
        expires_at=timezone.now() + timedelta(days=7),
        filename="playbook.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.7 stored",
    )
    endpoint = create_endpoint(
        workspace,
        created_by=owner,
        url=f"https://{WEBHOOK_HOST}/in",
        events=["plan.generated"],
    ).endpoint
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="plan.generated", body="{}", status=DeliveryStatus.FAILED
    )
    target = engagement.adoption_targets.first()
    SsoConnection.objects.create(
        workspace=workspace,
        issuer="https://id.acme.example",
        client_id="changeready",
        client_secret="not-a-real-secret",
    )
    return SimpleNamespace(
        slug=workspace.slug,
        engagement_id=engagement.id,
        stakeholder_id=person.id,
        group_id=pickers.id,
        point_id=point.id,
        resistance_id=point.id,
        entry_id=entry.id,
        commitment_id=commitment.id,
        phrase_id=phrase.id,
        item_id=engagement.plan_items.first().id,
        target_id=target.id,
        target_group_id=target.stakeholder_id,
        target_week=target.week,
        key=CUSTOM_RULE["key"],
        survey_id=survey.id,
        respondent_id=survey.respondents.first().id,
        document_id=document.id,
        link_id=create_share_link(engagement, created_by=owner).id,
        rule_id=rule(pickers).id,
        token_id=issue_ingestion_token(engagement, name="Product", actor=owner).token.id,
        api_token_id=issue_token(membership=owner_membership, name="CI").token.id,
        kpi_id=KpiFactory(engagement=engagement).id,
        endpoint_id=endpoint.id,
        webhook_id=endpoint.id,
        delivery_id=delivery.id,
        feed_id=create_calendar_feed(member_membership).feed.id,
        membership_id=member_membership.id,
        invitation_id=Invitation.objects.create(
            workspace=workspace, email="new@acme.example", role="member", invited_by=owner
        ).id,
        domain_id=SsoDomain.objects.create(
            workspace=workspace, domain="acme.example", proof_address="it@acme.example"
        ).id,
        # A person with an email nobody has invited yet: the invitation's row.
        invitee_id=landscape.create_stakeholder(
            engagement,
            name="Access matrix invitee",
            kind="person",
            role="daily_user",
            email="invitee@northwind.example",
        ).id,
        contributor_id=invite_contributor(
            engagement.stakeholders.get(name="Marcus Webb"), invited_by=owner
        ).id,
        template_id=save_as_template(engagement, name="Warehouse rollout", actor=owner).id,
        file_type="csv",
        fmt="md",
    )
