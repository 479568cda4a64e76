"""What the plan pages show: the week-by-week timeline, rules in words, adoption charts.

Reads only; every query here is fixed in number whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from changeready.core.rules import Rule
from changeready.core.weeks import week_monday
from changeready.landscape.models import Stakeholder
from changeready.planning.charts import adoption_chart
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState

FAMILY_TITLES = {
    "baseline": "Baseline: every plan",
    "role": "By role",
    "quadrant": "By influence and interest (quadrant)",
    "resistance": "By resistance source",
    "barrier": "By ADKAR barrier",
    "lagging": "When adoption lags, by the barrier a pulse survey measured",
}


def plan_state_or_default(engagement) -> PlanState:
    """The stored plan state, or the defaults (unsaved: a GET never writes)."""
    return PlanState.objects.filter(engagement=engagement).first() or PlanState(
        engagement=engagement
    )


@dataclass
class PlanWeek:
    number: int
    monday: date
    items: list[PlanItem] = field(default_factory=list)
    outside_plan: bool = False

    @property
    def is_go_live(self) -> bool:
        return self.number == 0

    @property
    def label(self) -> str:
        return f"Week {self.number:+d}" if self.number else "Week 0"


def filter_items(engagement, *, audience=None, owner: str = "", owner_role: str = ""):
    """The engagement's items, narrowed by the plan page's filters.

    An item reaches a stakeholder when its audience names the stakeholder or
    the group the stakeholder belongs to (DOMAIN.md section 5).
    """
    items = engagement.plan_items.all()
    if audience is not None:
        reach = Q(audience=audience)
        if audience.group_id:
            reach |= Q(audience=audience.group_id)
        items = items.filter(id__in=PlanItem.objects.filter(reach).values("id"))
    if owner == "-":
        items = items.filter(owner="")
    elif owner:
        items = items.filter(owner=owner)
    if owner_role:
        items = items.filter(owner_role=owner_role)
    return items


def plan_weeks(engagement, items) -> list[PlanWeek]:
    """Every week of the window, and each week outside it that holds an item
    (kept where it is, docs/domain.md section 6), with its items."""
    items = list(
        items.select_related("resistance_point__stakeholder")
        .prefetch_related(Prefetch("audience", queryset=Stakeholder.objects.order_by("name")))
        .order_by("week", "created_at", "id")
    )
    by_week = defaultdict(list)
    for item in items:
        by_week[item.week].append(item)
    window = range(engagement.plan_first_week, engagement.plan_last_week + 1)
    return [
        PlanWeek(
            number,
            week_monday(engagement.go_live_date, number),
            by_week.get(number, []),
            outside_plan=number not in window,
        )
        for number in sorted({*window, *by_week})
    ]


def named_owners(engagement) -> list[str]:
    return sorted(
        set(engagement.plan_items.exclude(owner="").values_list("owner", flat=True)),
        key=str.lower,
    )


# --- rules in words ---------------------------------------------------------------


def _words(values) -> str:
    words = [value.replace("_", " ") for value in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def rule_conditions(rule: Rule) -> str:
    """Who the rule makes items for, as a sentence (`Rule`'s documented semantics)."""
    if rule.family == "lagging":
        measured = (
            f" whose latest pulse survey measured the barrier {_words(rule.barriers)}"
            if rule.barriers
            else ""
        )
        return (
            f"One item for each group behind its adoption target{measured}, from the week "
            "the lag is seen."
        )
    parts = []
    if rule.roles:
        parts.append(f"has the role {_words(rule.roles)}")
    if rule.kinds:
        parts.append(f"is a {_words(rule.kinds)}")
    if rule.quadrants:
        parts.append(f"is in the quadrant {_words(rule.quadrants)}")
    if rule.barriers:
        parts.append(f"has the ADKAR barrier {_words(rule.barriers)}")
    if rule.resistors_only:
        parts.append("is a resistor")
    condition = " and ".join(parts)
    if rule.family == "resistance":
        sources = _words(rule.resistance_sources) if rule.resistance_sources else "any source"
        text = f"One item for each open resistance point from {sources}"
        return text + (f" whose stakeholder {condition}" if parts else "") + "."
    if rule.audience == "engagement":
        if not parts:
            return "One item for the whole engagement."
        return f"One item for everyone who {condition} (none if nobody does)."
    return (
        f"One item for each stakeholder who {condition}."
        if parts
        else ("One item for each stakeholder.")
    )


def rules_by_family(entries) -> list[tuple[str, str, list]]:
    grouped = defaultdict(list)
    for entry in entries:
        grouped[entry.rule.family].append(entry)
    return [(family, title, grouped[family]) for family, title in FAMILY_TITLES.items()]


# --- adoption -----------------------------------------------------------------


@dataclass
class AdoptionGroup:
    stakeholder: Stakeholder
    targets: list[AdoptionTarget]
    chart_svg: str


def adoption_groups(engagement) -> list[AdoptionGroup]:
    targets = defaultdict(list)
    for target in engagement.adoption_targets.select_related("stakeholder").order_by("week"):
        targets[target.stakeholder_id].append(target)
    groups = []
    for rows in targets.values():
        stakeholder = rows[0].stakeholder
        groups.append(AdoptionGroup(stakeholder, rows, adoption_chart(stakeholder.name, rows)))
    return sorted(groups, key=lambda group: group.stakeholder.name.lower())
