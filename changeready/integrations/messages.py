"""What a delivery's body is, per endpoint kind.

A `webhook` endpoint gets the event itself as JSON. Slack and Microsoft Teams
incoming webhooks get the same event as a message people read: one line that
says what happened, a few facts, and a link back to the engagement (Slack
blocks; a Teams Adaptive Card).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from changeready.integrations.models import TEST_EVENT, EndpointKind, EventType


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    facts: tuple[tuple[str, str], ...]
    link: str


def _band(value: str) -> str:
    return value.replace("_", " ").capitalize()


def describe(event: dict) -> Message:
    """The event in words, for people reading a channel."""
    event_type, data = event["type"], event["data"]
    if event_type == TEST_EVENT:
        return Message(
            "Test event from changeready",
            "This endpoint is connected: events of its workspace will arrive here.",
            (),
            data["workspace"]["url"],
        )
    engagement = data["engagement"]
    where = f"{engagement['customer']} · {engagement['name']}"
    facts: list[tuple[str, str]] = [("Go-live", engagement["go_live_date"])]
    if event_type == EventType.READINESS_CHANGED:
        now, before = data["readiness"], data["previous"]
        title = f"Readiness of {where}: {_band(now['band'])}"
        text = (
            f"Readiness moved from {_band(before['band'])} ({before['score']}) "
            f"to {_band(now['band'])} ({now['score']})."
        )
    elif event_type in (EventType.FINDING_RAISED, EventType.ADOPTION_BEHIND_TARGET):
        finding = data["finding"]
        label = (
            "Adoption behind target"
            if event_type == EventType.ADOPTION_BEHIND_TARGET
            else ("New critical finding")
        )
        title = f"{label} in {where}"
        text = finding["message"]
        if finding.get("action"):
            facts.append(("What to do", finding["action"]))
    elif event_type == EventType.PLAN_GENERATED:
        plan = data["plan"]
        title = f"Activation plan generated for {where}"
        text = (
            f"{plan['added']} items added, {plan['removed']} removed, "
            f"{plan['refreshed']} updated, {plan['kept']} kept."
        )
    elif event_type == EventType.HANDOFF_SENT:
        title = f"Handoff of {where} sent"
        text = f"The activation playbook went to {data['sent_to']}."
    elif event_type == EventType.HANDOFF_ACCEPTED:
        title = f"Handoff of {where} accepted"
        text = f"{data['accepted_by'] or 'Customer Success'} accepted the activation playbook."
    else:
        raise ValueError(f"No message for event type {event_type!r}.")
    return Message(title, text, tuple(facts), engagement["url"])


# Slack refuses a message whose header, section text or fields exceed these.
SLACK_HEADER_CHARS, SLACK_TEXT_CHARS, SLACK_FIELD_CHARS = 150, 3000, 2000


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_body(message: Message) -> dict:
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{name}*\n{value}", SLACK_FIELD_CHARS)}
        for name, value in message.facts
    ]
    section = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _cut(message.text, SLACK_TEXT_CHARS)},
    }
    if fields:
        section["fields"] = fields
    return {
        "text": f"{message.title}: {message.text}",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": _cut(message.title, SLACK_HEADER_CHARS)},
            },
            section,
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in changeready"},
                        "url": message.link,
                    }
                ],
            },
        ],
    }


def teams_body(message: Message) -> dict:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": message.title,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "TextBlock", "text": message.text, "wrap": True},
        ],
        "actions": [
            {"type": "Action.OpenUrl", "title": "Open in changeready", "url": message.link}
        ],
    }
    if message.facts:
        card["body"].append(
            {"type": "FactSet", "facts": [{"title": n, "value": v} for n, v in message.facts]}
        )
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


def render_body(kind: str, event: dict) -> str:
    if kind == EndpointKind.SLACK:
        body = slack_body(describe(event))
    elif kind == EndpointKind.TEAMS:
        body = teams_body(describe(event))
    else:
        body = event
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)
