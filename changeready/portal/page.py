"""What a contributor's portal page shows, read in a fixed number of queries.

Everything shown comes from the customer-facing playbook
(`handoff.playbook.build_playbook(..., version="customer")`): the steps are
its rows for the contributor's own items, so a step whose title or audience
names a person who resists reads as the customer's version does ("A people
manager in Shift leads"), and nothing internal (findings, notes, the log)
reaches the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from changeready.handoff.playbook import PlanItemRow, Playbook, build_playbook
from changeready.portal.models import Contributor, ContributorMessage
from changeready.portal.services import owned_items


@dataclass(frozen=True)
class PortalStep:
    row: PlanItemRow
    messages: tuple[ContributorMessage, ...]

    @property
    def id(self) -> str:
        return self.row.key


@dataclass(frozen=True)
class PortalPage:
    contributor: Contributor
    playbook: Playbook
    to_do: tuple[PortalStep, ...]
    finished: tuple[PortalStep, ...]


def customer_rows(contributor: Contributor, item_ids, playbook: Playbook) -> list[PlanItemRow]:
    """The customer playbook's rows of these items, in plan order."""
    wanted = {str(item_id) for item_id in item_ids}
    return [row for row in playbook.plan_items if row.key in wanted]


def portal_page(contributor: Contributor, *, as_of: date) -> PortalPage:
    item_ids = list(owned_items(contributor).values_list("id", flat=True))
    playbook = build_playbook(contributor.engagement, as_of=as_of, version="customer")
    by_item = defaultdict(list)
    for message in ContributorMessage.objects.filter(
        contributor=contributor, plan_item_id__in=item_ids
    ).order_by("created_at"):
        by_item[str(message.plan_item_id)].append(message)
    steps = [
        PortalStep(row, tuple(by_item[row.key]))
        for row in customer_rows(contributor, item_ids, playbook)
    ]
    return PortalPage(
        contributor=contributor,
        playbook=playbook,
        to_do=tuple(step for step in steps if step.row.status == "planned"),
        finished=tuple(step for step in steps if step.row.status != "planned"),
    )
