"""What the plan pages show: the week-by-week timeline, rules in words, adoption charts.

Reads only; every query here is fixed in number whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from changeready.core.model import PLAN_PHASES, WORKSTREAMS
from changeready.core.rules import Rule
from changeready.core.weeks import plan_phase, plan_week, week_monday
from changeready.landscape.models import Commitment, Stakeholder
from changeready.planning.charts import adoption_chart
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState

FAMILY_TITLES = {
    "baseline": "Baseline: every plan, kickoff to renewal",
    "handoff": "Handoff to Customer Success",
    "role": "By role",
    "quadrant": "By influence and interest (quadrant)",
    "resistance": "By resistance source (resistors)",
    "concern": "Concerns of stakeholders who are not resistors",
    "theme": "What people said (themes in their own words)",
    "mandatory": "Mandatory systems",
    "barrier": "By ADKAR barrier",
    "lagging": "When adoption lags, by the barrier a pulse survey measured",
}
PHASE_TITLES = {
    "mobilise": "Mobilise: kickoff to week −9",
    "prepare": "Prepare: weeks −8 to −1",
    "go_live": "Go-live week",
    "hypercare": "Hypercare: weeks 1 to the exit review",
    "reinforce": "Reinforce: to week 12",
    "sustain": "Sustain: to the renewal",
}
WORKSTREAM_TITLES = {value: value.replace("_", " ").capitalize() for value in WORKSTREAMS}
# The plan page's ways of reading the plan (`PlanFilterForm.view`).
VIEWS = ("timeline", "now", "workstream", "owner")


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
    # Commitments due in the week (landscape), shown beside its items.
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def is_go_live(self) -> bool:
        return self.number == 0

    @property
    def label(self) -> str:
        return f"Week {self.number:+d}" if self.number else "Week 0"

    @property
    def phase(self) -> str:
        return plan_phase(self.number)


@dataclass
class PlanSection:
    """A heading of the plan page and what it holds: weeks (timeline) or items (grouped)."""

    key: str
    title: str
    weeks: list[PlanWeek] = field(default_factory=list)
    items: list[PlanItem] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.items) + sum(len(week.items) for week in self.weeks)


def filter_items(
    engagement,
    *,
    audience=None,
    owner: str = "",
    owner_role: str = "",
    workstream: str = "",
    first_week: int | None = None,
    last_week: int | None = None,
):
    """The engagement's items, narrowed by the plan page's filters (and the API's).

    An item reaches a stakeholder when its audience names the stakeholder or
    the group the stakeholder belongs to (DOMAIN.md section 5). `owner` "-"
    means items without a named owner.
    """
    items = engagement.plan_items.all()
    if first_week is not None:
        items = items.filter(week__gte=first_week)
    if last_week is not None:
        items = items.filter(week__lte=last_week)
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
    if workstream:
        items = items.filter(workstream=workstream)
    return items


def plan_commitments(engagement, *, audience=None, owner: str = "") -> list[Commitment]:
    """The commitments with a due date, narrowed like the items: by the named
    owner, and by the stakeholder (or their group) they were made to."""
    if owner == "-":
        return []  # a commitment always names its owner
    rows = Commitment.objects.filter(engagement=engagement, due_date__isnull=False)
    if owner:
        rows = rows.filter(owner=owner)
    if audience is not None:
        rows = rows.filter(stakeholder_id__in=[audience.id, audience.group_id])
    return list(rows.select_related("stakeholder").order_by("due_date", "created_at"))


def plan_weeks(engagement, items, commitments=()) -> list[PlanWeek]:
    """Every week of the window, and each week outside it that holds an item or
    a commitment (kept where it is, docs/domain.md section 6), with its items
    and the commitments due in it."""
    items = list(
        items.select_related("resistance_point__stakeholder")
        .prefetch_related(Prefetch("audience", queryset=Stakeholder.objects.order_by("name")))
        .order_by("week", "created_at", "id")
    )
    by_week = defaultdict(list)
    for item in items:
        by_week[item.week].append(item)
    due_in = defaultdict(list)
    for commitment in commitments:
        due_in[plan_week(engagement.go_live_date, commitment.due_date)].append(commitment)
    window = range(engagement.plan_first_week, engagement.plan_last_week + 1)
    return [
        PlanWeek(
            number,
            week_monday(engagement.go_live_date, number),
            by_week.get(number, []),
            outside_plan=number not in window,
            commitments=due_in.get(number, []),
        )
        for number in sorted({*window, *by_week, *due_in})
    ]


def phase_sections(weeks: list[PlanWeek]) -> list[PlanSection]:
    """The timeline by phase: each phase with its weeks (empty weeks included, so
    a week can be planned; the page shows them as one line)."""
    sections = {phase: PlanSection(phase, PHASE_TITLES[phase]) for phase in PLAN_PHASES}
    for week in weeks:
        sections[week.phase].weeks.append(week)
    return [section for section in sections.values() if section.weeks]


def current_weeks(weeks: list[PlanWeek], this_week: int) -> list[PlanSection]:
    """This week and next: what a member runs now."""
    chosen = {this_week: "This week", this_week + 1: "Next week"}
    by_number = {week.number: week for week in weeks}
    return [
        PlanSection(
            f"week-{number}",
            f"{title}: {by_number[number].label}" if number in by_number else title,
            weeks=[by_number[number]] if number in by_number else [],
        )
        for number, title in chosen.items()
    ]


def grouped_sections(weeks: list[PlanWeek], by: str) -> list[PlanSection]:
    """The items by workstream or by owner, each group in week order."""
    groups: dict[str, list[PlanItem]] = defaultdict(list)
    for week in weeks:
        for item in week.items:
            groups[getattr(item, by) or ""].append(item)
    if by == "workstream":
        order = [*WORKSTREAMS, ""]
        titles = {**WORKSTREAM_TITLES, "": "No workstream (made before workstreams existed)"}
    else:
        order = [*sorted((owner for owner in groups if owner), key=str.lower), ""]
        titles = {owner: owner for owner in order} | {"": "No named owner"}
    return [
        PlanSection(key or "none", titles[key], items=groups[key]) for key in order if groups[key]
    ]


@dataclass
class ChangeCount:
    title: str
    added: int = 0
    removed: int = 0
    updated: int = 0


def change_counts(preview) -> tuple[list[ChangeCount], list[ChangeCount]]:
    """What a regeneration changes, counted by phase and by workstream."""
    by_phase = {phase: ChangeCount(PHASE_TITLES[phase]) for phase in PLAN_PHASES}
    by_workstream = {key: ChangeCount(title) for key, title in WORKSTREAM_TITLES.items()}
    by_workstream[""] = ChangeCount("No workstream")
    changes = [
        *(("added", item.week, item.workstream) for item in preview.items_to_add),
        *(("removed", item.week, item.workstream) for item in preview.items_to_remove),
        *(
            ("updated", refresh.generated.week, refresh.generated.workstream)
            for refresh in preview.items_to_refresh
        ),
    ]
    for change, week, workstream in changes:
        for count in (by_phase[plan_phase(week)], by_workstream[workstream or ""]):
            setattr(count, change, getattr(count, change) + 1)
    return (
        [count for count in by_phase.values() if count.added or count.removed or count.updated],
        [
            count
            for count in by_workstream.values()
            if count.added or count.removed or count.updated
        ],
    )


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
    if rule.themes:
        parts.append(f"said something about {_words(rule.themes)}")
    if rule.min_headcount is not None:
        parts.append(f"counts at least {rule.min_headcount} people")
    if rule.adoption_modes:
        parts.append(f"is in a {_words(rule.adoption_modes)} engagement")
    condition = " and ".join(parts)
    if rule.family in ("resistance", "concern"):
        sources = _words(rule.resistance_sources) if rule.resistance_sources else "any source"
        whose = "a resistor" if rule.family == "resistance" else "someone who is not a resistor"
        text = f"One item for each unresolved resistance point ({sources}) of {whose}"
        return text + (f" who {condition}" if parts else "") + "."
    if rule.audience == "team":
        return "One item for the team, addressed to no stakeholder."
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
