"""What is still open before Customer Success can take over, read from the playbook."""

from __future__ import annotations

from dataclasses import dataclass

from changeready.handoff.playbook import Playbook, label

# The `plan_item_without_owner` window: the current week and the four after it.
OWNER_WEEKS_AHEAD = 4


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    details: tuple[str, ...] = ()
    # Acceptance comes after sending: only the others should be done before.
    before_sending: bool = True
    # Names the item for the pages that link to where it is fixed.
    key: str = ""


def handoff_checklist(playbook: Playbook) -> list[ChecklistItem]:
    cover = playbook.cover
    soon = range(playbook.current_week, playbook.current_week + OWNER_WEEKS_AHEAD + 1)
    ownerless = tuple(
        f"Week {item.week}: {item.title} ({label(item.owner_role).lower()})"
        for item in playbook.plan_items
        if item.week in soon and not item.owner and item.status == "planned"
    )
    critical = tuple(f"{f.title}: {f.message}" for f in playbook.critical_findings)
    accepted = (
        (f"By {cover.accepted_by or 'a former member'} on {cover.accepted_at:%-d %B %Y}.",)
        if cover.accepted_at
        else ()
    )
    return [
        ChecklistItem(
            "A Customer Success owner is named",
            bool(cover.cs_owner_name),
            (f"{cover.cs_owner_name} {cover.cs_owner_email}".strip(),)
            if cover.cs_owner_name
            else (),
            key="cs_owner",
        ),
        ChecklistItem("No open critical findings", not critical, critical, key="critical_findings"),
        ChecklistItem(
            "Every action of the next weeks has a named owner",
            not ownerless,
            ownerless,
            key="owners",
        ),
        ChecklistItem(
            "Every daily-user group has adoption targets",
            not playbook.daily_user_groups_without_targets,
            playbook.daily_user_groups_without_targets,
            key="adoption_targets",
        ),
        ChecklistItem(
            "Customer Success accepted the handoff",
            bool(cover.accepted_at),
            accepted,
            before_sending=False,
            key="accepted",
        ),
    ]


def open_before_sending(checklist: list[ChecklistItem]) -> list[ChecklistItem]:
    return [item for item in checklist if item.before_sending and not item.done]
