"""Activation-plan generation (domain reference, section 6, v2).

`generate_plan` turns the landscape and a rule library into plan items and
adoption targets, from the kickoff week to the renewal. It is deterministic
(the same engagement gives the same plan whatever order its rows arrive in,
except that ties between equally influential owners go to the first in the
landscape) and explainable: every item carries the rule that made it
(`origin`) and why it applies here (`reason`).

The ten guarantees of section 6 are kept here, in this order:

1. The rules produce items for the weeks of the plan window (anchored at
   go-live, the kickoff week or the value review; repeating ones repeat until
   the value review). Each item's audience decides its format: `one_to_one`
   needs exactly one person; a rule of kind `resistance` only ever addresses
   resistors, and the points of stakeholders who are not resistors go to the
   `concern` rules.
2. Placement: an item for a week already over goes to the current week (late);
   an announcement, a training or a go-live preparation step in a blackout week
   moves to the nearest earlier free week (later only where earlier is
   impossible), except the handoff milestones (readiness review, go/no-go,
   hypercare exit), which are the team's decisions and keep their weeks, and
   a step linked to a resistance point never moves past the point's due week; a
   generated item repeating a hand-made one (same kind, same audience, same
   week) is dropped.
3. Safety nets, which no rule switch can remove: a linked item for every
   unresolved resistance point by its due week, and a step in week 1 or later
   for every group and every resistor of medium or high risk nobody reaches.
4. Sizing: at most 3 items after go-live (weeks 1 to 12) with each economic
   buyer or executive sponsor in the audience, at most one `one_to_one` per
   person every two weeks (a second meeting becomes a task to raise it in the
   first), at most 12 generated items a week (same-rule items of a crowded
   week merge into one session; what still does not fit moves to the nearest
   week with room on the same side of go-live, and where no week has room the
   least important step is left out). Items linked to a resistance point,
   safety-net items and the handoff milestones are never merged, moved or
   dropped for size: they take
   priority; an item answering a theme is never left out. A repeating rule's
   occurrences after week 12 become one recurring item.
5. Owners: every item names the person the engagement knows for its role.

Decisions where the domain reference leaves room:

- A week is a blackout week when a blackout period covers any of its working
  days (Monday to Friday); a period that only touches a weekend blocks nothing.
- Moves for blackouts and size stay within their band (up to go-live, weeks 1
  to 12, the sustain phase), so a preparation step never lands after go-live
  and the executive limit cannot be dodged by sliding an item out of it.
- Adoption targets: a `voluntary` engagement ramps each `daily_user` group
  linearly from half the target in week 1 to the target in
  `adoption_target_week`, then holds; a `mandatory` one expects compliance
  (`compliance_target_pct`, 95 % by week 2) with week 1 halfway there. Targets
  run to the end of the plan, the renewal included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from changeready.core.adoption import lagging_groups
from changeready.core.model import (
    BlackoutPeriod,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.rules import (
    BUILTIN_RULES,
    PLAN_ITEM_DESCRIPTION_LENGTH,
    PLAN_ITEM_TITLE_LENGTH,
    POINT_FAMILIES,
    Rule,
    check_unique_keys,
)
from changeready.core.scoring import (
    adkar_barrier,
    is_open_resistance,
    is_resistor,
    people_of,
    quadrant,
    resistor_reasons,
    stakeholder_risk,
)
from changeready.core.themes import ThemeMatch, themes_of
from changeready.core.weeks import (
    REINFORCE_LAST_WEEK,
    plan_week,
    plan_window,
    value_review_week,
    week_monday,
)

DEFAULT_DUE_WEEK = -1
DEFAULT_ADOPTION_TARGET_PCT = 80.0
DEFAULT_ADOPTION_TARGET_WEEK = 8
DEFAULT_COMPLIANCE_TARGET_PCT = 95.0
DEFAULT_COMPLIANCE_TARGET_WEEK = 2
RAMP_START_SHARE = 0.5
RESISTANCE_SAFETY_NET_KEY = "safety_net.resistance_due"
GROUP_REACH_SAFETY_NET_KEY = "safety_net.group_reach"
RESISTOR_REACH_SAFETY_NET_KEY = "safety_net.resistor_reach"
# Section 6, guarantee 8.
MAX_GENERATED_ITEMS_PER_WEEK = 12
MAX_EXECUTIVE_ITEMS_AFTER_GO_LIVE = 3
# A repeating rule's occurrences after this week (the end of reinforce) become
# one recurring item.
RECURRING_AFTER_WEEK = REINFORCE_LAST_WEEK
ONE_TO_ONE_SPACING_WEEKS = 2
EXECUTIVE_ROLES = frozenset({"economic_buyer", "executive_sponsor"})
# Blackouts hold back what asks people to absorb change: announcements,
# training, and anything in the last eight weeks before go-live or go-live week.
BLACKOUT_SENSITIVE_KINDS = frozenset({"communication", "training"})
PREPARATION_FIRST_WEEK = -8
HANDOFF_FAMILY = "handoff"
# How many names a reason lists before it says "and N more": a reason is read
# in a tooltip, not scrolled through.
_NAMES_IN_REASON = 5
_REASON_EXCERPT = 120
# Risk bands whose resistors must be reached after go-live (guarantee 10).
_REACHED_RISK_BANDS = frozenset({"medium", "high"})
# Without an as-of date, the risk floor (which depends on the days to
# go-live) does not apply.
_FAR_FROM_GO_LIVE_DAYS = 10**6

_FAMILY_LABELS = {
    "baseline": "Baseline",
    "role": "Role rule",
    "quadrant": "Quadrant rule",
    "barrier": "ADKAR barrier rule",
    "theme": "What they said",
    "mandatory": "Mandatory system",
    "handoff": "Handoff",
    "lagging": "Adoption lags",
}
_SOURCE_LABELS = {
    "lack_of_awareness": "lack of awareness of why we change",
    "no_personal_benefit": "no personal benefit seen",
    "loss_of_authority": "loss of authority at go-live",
    "job_security": "fear for job security",
    "workload_increase": "more work at go-live",
    "skills_gap": "skills gap for the new way of working",
    "habit": "attachment to the old way of working",
    "not_involved": "not involved in shaping the change",
    "opposed_purchase": "opposed the purchase",
    "past_failed_change": "a past change that failed",
    "lack_of_sponsorship": "no visible sponsorship",
    "competing_priorities": "competing priorities",
    "other": "other resistance concern",
}


@dataclass(frozen=True)
class GeneratedItem:
    """One plan item as the generator would create it.

    `generation_key` is its identity across regenerations: the rule key, the
    week the rule asked for (before any move), the audience and the linked
    resistance point. A large audience enters as a digest so the key stays
    short enough for an indexed column.
    """

    generation_key: str
    week: int
    title: str
    description: str
    kind: str
    workstream: str
    format: str
    owner_role: str
    owner: str
    audience_ids: tuple[str, ...]
    adkar_target: str | None
    resistance_point_id: str | None
    origin: str
    reason: str


@dataclass(frozen=True)
class GeneratedTarget:
    stakeholder_id: str
    week: int
    target_pct: float


@dataclass(frozen=True)
class GeneratedPlan:
    items: tuple[GeneratedItem, ...]
    targets: tuple[GeneratedTarget, ...]
    first_week: int
    last_week: int


@dataclass(frozen=True)
class _Facts:
    """What the rule conditions look at, derived once per stakeholder."""

    stakeholder: Stakeholder
    position: int
    quadrant: str
    barrier: str | None
    resistor: bool
    resistor_signals: tuple[str, ...]
    risk_band: str
    people: int
    themes: dict[str, ThemeMatch]
    # What they said: their texts and unsettled points, quoted by theme items.
    own_words: tuple[str, ...]


@dataclass
class _Draft:
    """An item on its way through placement; turned into a GeneratedItem at the end."""

    rule_key: str
    # The rule's family; empty for the core's own safety nets.
    family: str
    rank: int
    intended_week: int
    week: int
    title: str
    description: str
    name: str
    kind: str
    workstream: str
    format: str
    owner_role: str
    audience: tuple[str, ...]
    adkar_target: str | None
    point: ResistancePoint | None
    reason: str
    notes: list[str] = field(default_factory=list)
    # Safety-net items, like linked ones, are never merged, moved or dropped for size.
    guarantee: bool = False
    # A recurring item: the weeks of the cadence it stands for (guarantee 8).
    cadence: tuple[int, ...] = ()
    repeat_every: int | None = None

    @property
    def protected(self) -> bool:
        # The handoff milestones are guarantee 4 (CS accepts by week -2, go/no-go in
        # week -1, the hypercare exit review): a crowded week cannot push them out.
        return self.guarantee or self.point is not None or self.family == HANDOFF_FAMILY


@dataclass(frozen=True)
class _Context:
    data: EngagementData
    facts: dict[str, _Facts]
    first_week: int
    last_week: int
    earliest_week: int
    value_review_week: int | None
    blackout_weeks: dict[int, str]
    # Owner role -> the eligible persons, most influential first (guarantee 1).
    eligible_owners: dict[str, tuple[_Facts, ...]]
    # Groups behind their adoption target as of today -> their measured barrier.
    lagging: Mapping[str, str | None] = field(default_factory=dict)


# --- generation ---------------------------------------------------------------


def generate_plan(
    data: EngagementData,
    rules: Sequence[Rule] = BUILTIN_RULES,
    *,
    as_of: date | None = None,
    adoption_target_pct: float = DEFAULT_ADOPTION_TARGET_PCT,
    adoption_target_week: int = DEFAULT_ADOPTION_TARGET_WEEK,
    compliance_target_pct: float = DEFAULT_COMPLIANCE_TARGET_PCT,
    compliance_target_week: int = DEFAULT_COMPLIANCE_TARGET_WEEK,
) -> GeneratedPlan:
    """The activation plan the rules produce for this engagement.

    `as_of` (today, for a real engagement) makes weeks already over unusable:
    what the plan still asks for there goes to the current week, marked late.
    `data.plan_items` are the hand-made items the generated plan must not repeat.
    """
    _check_targets(adoption_target_pct, adoption_target_week)
    _check_targets(compliance_target_pct, compliance_target_week)
    check_unique_keys(rules)
    context = _context(data, as_of)
    points = sorted(data.resistance_points, key=lambda point: point.id)
    for point in points:
        if point.stakeholder_id not in context.facts:
            raise ValueError(
                f"resistance point {point.id!r} refers to unknown stakeholder "
                f"{point.stakeholder_id!r}"
            )
    open_points = [point for point in points if is_open_resistance(point)]

    drafts: list[_Draft] = []
    for rank, rule in enumerate(rules):
        if rule.enabled:
            drafts.extend(_apply_rule(rule, rank, context, open_points))
    guarantee_rank = len(rules)
    for draft in drafts:
        _place_late(draft, context)
        _avoid_blackout(draft, context)
    drafts = _one_per_week(drafts)
    drafts = _without_hand_made_repeats(drafts, data.plan_items)
    resistance_net = _resistance_safety_net(drafts, open_points, context, guarantee_rank)
    for draft in resistance_net:
        _avoid_blackout(draft, context)
    drafts.extend(resistance_net)
    drafts.extend(_reach_safety_net(drafts, context, guarantee_rank + 1))
    drafts = _limit_executive_items(drafts, context)
    _space_one_to_ones(drafts, context)
    drafts = _limit_items_per_week(drafts, context)

    finished = [(draft.rank, _finish(draft, context)) for draft in drafts]
    finished.sort(
        key=lambda entry: (
            entry[1].week,
            entry[0],
            entry[1].audience_ids,
            entry[1].resistance_point_id or "",
        )
    )
    return GeneratedPlan(
        items=tuple(item for _, item in finished),
        targets=_adoption_targets(
            context,
            *(
                (compliance_target_pct, compliance_target_week)
                if data.engagement.adoption_mode == "mandatory"
                else (adoption_target_pct, adoption_target_week)
            ),
        ),
        first_week=context.first_week,
        last_week=context.last_week,
    )


def effective_due_week(point: ResistancePoint, earliest_week: int, last_week: int) -> int:
    """The week by which a plan item must act on an unresolved point.

    Its `due_week`, or week -1 when none is set (resistance not handled by
    go-live shows up as non-adoption); never before the first week the plan can
    still use, never after its last.
    """
    due_week = DEFAULT_DUE_WEEK if point.due_week is None else point.due_week
    return min(max(due_week, earliest_week), last_week)


def adoption_ramp(
    target_pct: float, target_week: int, last_week: int
) -> tuple[tuple[int, float], ...]:
    """(week, target %) for weeks 1..last_week: linear from half the target, then holding.

    Values are rounded to one decimal and never exceed the target, so the ramp
    is non-decreasing and reads cleanly in a table.
    """
    start_pct = target_pct * RAMP_START_SHARE
    ramp = []
    for week in range(1, last_week + 1):
        if week >= target_week:
            pct = target_pct
        else:
            progress = (week - 1) / (target_week - 1)
            pct = min(round(start_pct + (target_pct - start_pct) * progress, 1), target_pct)
        ramp.append((week, pct))
    return tuple(ramp)


def blackout_weeks(
    go_live_date: date, periods: Sequence[BlackoutPeriod], first_week: int, last_week: int
) -> dict[int, str]:
    """Plan week -> label of the blackout period covering one of its working days."""
    weeks: dict[int, str] = {}
    for period in sorted(periods, key=lambda period: (period.start, period.end, period.label)):
        start = max(plan_week(go_live_date, period.start), first_week)
        end = min(plan_week(go_live_date, period.end), last_week)
        for week in range(start, end + 1):
            monday = week_monday(go_live_date, week)
            friday = monday.toordinal() + 4
            if period.start.toordinal() <= friday and period.end >= monday:
                weeks.setdefault(week, period.label or "blackout period")
    return weeks


def _check_targets(target_pct: float, target_week: int) -> None:
    if not 0 < target_pct <= 100:
        raise ValueError(f"target_pct must be above 0 and at most 100, not {target_pct}")
    # A target week after the window is allowed: the ramp is then cut off at
    # the last week, which shows honestly that the window ends before the target.
    if not 1 <= target_week <= 260:
        raise ValueError(f"target_week must be between 1 and 260, not {target_week}")


def _context(data: EngagementData, as_of: date | None) -> _Context:
    engagement = data.engagement
    first_week, last_week = plan_window(
        engagement.go_live_date, engagement.kickoff_date, engagement.renewal_date
    )
    earliest_week = first_week
    days_to_go_live = _FAR_FROM_GO_LIVE_DAYS
    if as_of is not None:
        earliest_week = min(max(first_week, plan_week(engagement.go_live_date, as_of)), last_week)
        days_to_go_live = (engagement.go_live_date - as_of).days
    facts = _facts_by_id(data, days_to_go_live)
    return _Context(
        data=data,
        facts=facts,
        first_week=first_week,
        last_week=last_week,
        earliest_week=earliest_week,
        value_review_week=value_review_week(engagement.go_live_date, engagement.renewal_date),
        blackout_weeks=blackout_weeks(
            engagement.go_live_date, engagement.blackout_periods, first_week, last_week
        ),
        eligible_owners=_eligible_owners(facts),
        lagging=lagging_groups(data, as_of) if as_of is not None else {},
    )


def _eligible_owners(facts: dict[str, _Facts]) -> dict[str, tuple[_Facts, ...]]:
    """Who may own an item of each customer role: persons, by influence then landscape order."""
    people = sorted(
        (subject for subject in facts.values() if subject.stakeholder.kind == "person"),
        key=lambda subject: (-subject.stakeholder.influence, subject.position),
    )
    won_over = [p for p in people if p.stakeholder.engagement in ("supportive", "leading")]
    return {
        "sponsor": tuple(
            [p for p in won_over if p.stakeholder.role == "executive_sponsor"]
            or [p for p in won_over if p.stakeholder.role == "economic_buyer"]
        ),
        "customer_admin": tuple(p for p in people if p.stakeholder.role == "product_admin"),
        "customer_manager": tuple(p for p in people if p.stakeholder.role == "people_manager"),
        "champion": tuple(p for p in people if p.stakeholder.is_champion),
    }


def _facts_by_id(data: EngagementData, days_to_go_live: int) -> dict[str, _Facts]:
    """Facts for every stakeholder, keyed and ordered by id (input order must not matter)."""
    points_by_stakeholder: dict[str, list[ResistancePoint]] = {}
    for point in data.resistance_points:
        points_by_stakeholder.setdefault(point.stakeholder_id, []).append(point)
    positions: dict[str, int] = {}
    for position, stakeholder in enumerate(data.stakeholders):
        if stakeholder.id in positions:
            raise ValueError(f"stakeholder id {stakeholder.id!r} appears twice")
        positions[stakeholder.id] = position
    facts: dict[str, _Facts] = {}
    by_id = {stakeholder.id: stakeholder for stakeholder in data.stakeholders}
    for stakeholder in sorted(data.stakeholders, key=lambda stakeholder: stakeholder.id):
        own_points = points_by_stakeholder.get(stakeholder.id, ())
        resistor = is_resistor(stakeholder, own_points)
        unsettled = sorted(
            (point for point in own_points if is_open_resistance(point)), key=lambda p: p.id
        )
        facts[stakeholder.id] = _Facts(
            stakeholder=stakeholder,
            position=positions[stakeholder.id],
            quadrant=quadrant(stakeholder),
            barrier=adkar_barrier(stakeholder.adkar),
            resistor=resistor,
            resistor_signals=resistor_reasons(stakeholder, own_points) if resistor else (),
            risk_band=stakeholder_risk(stakeholder, own_points, days_to_go_live).band,
            people=people_of(stakeholder, by_id),
            themes={match.code: match for match in themes_of(stakeholder, own_points)},
            own_words=(
                stakeholder.success_definition,
                stakeholder.resistance_triggers,
                *(point.description for point in unsettled),
            ),
        )
    return facts


def _matches(rule: Rule, facts: _Facts, adoption_mode: str) -> bool:
    """The stakeholder conditions; a point rule's sources are checked per point."""
    stakeholder = facts.stakeholder
    return (
        (not rule.roles or stakeholder.role in rule.roles)
        and (not rule.quadrants or facts.quadrant in rule.quadrants)
        and (not rule.kinds or stakeholder.kind in rule.kinds)
        and (not rule.barriers or facts.barrier in rule.barriers)
        and (not rule.adoption_modes or adoption_mode in rule.adoption_modes)
        and (not rule.themes or any(code in facts.themes for code in rule.themes))
        and (
            rule.min_headcount is None
            or (stakeholder.kind == "group" and facts.people >= rule.min_headcount)
        )
        # Guarantee 2: resistance handling is for resistors only, whatever the rule says.
        and (not (rule.resistors_only or rule.kind == "resistance") or facts.resistor)
    )


def _rule_weeks(rule: Rule, context: _Context) -> list[int]:
    """The plan weeks a rule asks for, inside the window."""
    if rule.family == "lagging":
        base = context.earliest_week
    elif rule.anchor == "kickoff":
        base = context.first_week
    elif rule.anchor == "value_review":
        if context.value_review_week is None:
            return []
        base = context.value_review_week
    else:
        base = 0
    weeks = [base + week for week in rule.weeks]
    if rule.repeat_every:
        stop = context.last_week + 1
        if context.value_review_week is not None and weeks[-1] < context.value_review_week:
            stop = context.value_review_week
        weeks.extend(range(weeks[-1] + rule.repeat_every, stop, rule.repeat_every))
    if rule.family == "theme":
        # What people said is answered even in a short plan (guarantee 5): a
        # week outside the window moves to its nearest edge.
        weeks = [min(max(week, context.first_week), context.last_week) for week in weeks]
    return sorted(week for week in set(weeks) if context.first_week <= week <= context.last_week)


def _apply_rule(
    rule: Rule, rank: int, context: _Context, open_points: Sequence[ResistancePoint]
) -> list[_Draft]:
    weeks = _rule_weeks(rule, context)
    if not weeks:
        return []
    mode = context.data.engagement.adoption_mode
    facts = context.facts
    if rule.family in POINT_FAMILIES:
        drafts = []
        for point in open_points:
            subject = facts[point.stakeholder_id]
            # Resistance rules act on resistors' points, concern rules on everyone else's.
            if subject.resistor != (rule.family == "resistance"):
                continue
            if (
                not rule.resistance_sources or point.source in rule.resistance_sources
            ) and _matches(rule, subject, mode):
                reason = f"{_resistance_fact(subject, point)}."
                drafts.extend(_drafts(rule, rank, weeks, (subject,), reason, point))
        return drafts
    if rule.family == "lagging":
        return [
            draft
            for subject in facts.values()
            if subject.stakeholder.id in context.lagging
            and (not rule.barriers or context.lagging[subject.stakeholder.id] in rule.barriers)
            and _matches(rule, subject, mode)
            for draft in _drafts(
                rule, rank, weeks, (subject,), _lagging_reason(subject, context), None
            )
        ]
    if rule.audience == "each":
        return [
            draft
            for subject in facts.values()
            if _matches(rule, subject, mode)
            for draft in _drafts(rule, rank, weeks, (subject,), _each_reason(rule, subject), None)
        ]
    if rule.audience == "team":
        return _drafts(rule, rank, weeks, (), _engagement_reason(rule, ()), None)
    audience = tuple(subject for subject in facts.values() if _matches(rule, subject, mode))
    if rule.has_conditions and not audience:
        return []
    return _drafts(rule, rank, weeks, audience, _engagement_reason(rule, audience), None)


def _drafts(
    rule: Rule,
    rank: int,
    weeks: Sequence[int],
    audience: Sequence[_Facts],
    reason: str,
    point: ResistancePoint | None,
) -> list[_Draft]:
    def draft(week: int, cadence: tuple[int, ...] = ()) -> _Draft:
        return _Draft(
            rule_key=rule.key,
            family=rule.family,
            rank=rank,
            intended_week=week,
            week=week,
            title=rule.title,
            description=rule.description,
            name=audience[0].stakeholder.name if rule.audience == "each" else "",
            kind=rule.kind,
            workstream=rule.workstream,
            format=rule.format,
            owner_role=rule.owner_role,
            audience=tuple(subject.stakeholder.id for subject in audience),
            adkar_target=rule.adkar_target,
            point=point,
            reason=reason,
            cadence=cadence,
            repeat_every=rule.repeat_every if cadence else None,
        )

    if not rule.repeat_every:
        return [draft(week) for week in weeks]
    # Guarantee 8: through hypercare and reinforce each occurrence is a step of
    # its own; after that a cadence runs for months, and one recurring item
    # stands for it instead of one per occurrence.
    each = [week for week in weeks if week <= RECURRING_AFTER_WEEK]
    later = tuple(week for week in weeks if week > RECURRING_AFTER_WEEK)
    drafts = [draft(week) for week in each]
    if len(later) == 1:
        drafts.append(draft(later[0]))
    elif later:
        drafts.append(draft(later[0], later))
    return drafts


def generation_key(
    rule_key: str, week: int, audience_ids: Sequence[str], resistance_point_id: str | None
) -> str:
    """Stable identity of a generated item.

    A single audience id stays readable; a larger audience becomes a digest of
    its sorted ids (prefixed by the count, so it cannot pass for a single id),
    because a go-live notice to 500 groups would otherwise make a key of 18 kB.
    """
    if len(audience_ids) == 1:
        audience = f"1:{audience_ids[0]}"
    else:
        digest = hashlib.sha256("\n".join(sorted(audience_ids)).encode()).hexdigest()[:20]
        audience = f"{len(audience_ids)}:{digest}"
    return f"{rule_key}|{week}|{audience}|{resistance_point_id or ''}"


def _key(draft: _Draft) -> str:
    return generation_key(
        draft.rule_key,
        draft.intended_week,
        draft.audience,
        draft.point.id if draft.point else None,
    )


# --- placement ----------------------------------------------------------------


def _band(week: int) -> tuple[int, int]:
    """The weeks an item may move within: up to go-live, hypercare and reinforce, sustain."""
    if week <= 0:
        return (-(10**6), 0)
    if week <= REINFORCE_LAST_WEEK:
        return (1, REINFORCE_LAST_WEEK)
    return (REINFORCE_LAST_WEEK + 1, 10**6)


def _place_late(draft: _Draft, context: _Context) -> None:
    if draft.week < context.earliest_week:
        draft.notes.append(
            f"Late: planned for week {draft.week}, which is over; placed in week "
            f"{context.earliest_week}, the first week the plan can still use."
        )
        draft.week = context.earliest_week


def _one_per_week(drafts: Sequence[_Draft]) -> list[_Draft]:
    """One item per rule, audience and point in a week, the latest intended one.

    Only a late plan brings several weeks of a rule into one week: repeating
    the why four times in the current week helps nobody.
    """
    latest: dict[tuple[object, ...], _Draft] = {}
    for draft in drafts:
        slot = (draft.week, draft.rule_key, draft.audience, draft.point.id if draft.point else "")
        if slot not in latest or draft.intended_week > latest[slot].intended_week:
            latest[slot] = draft
    kept = {id(draft) for draft in latest.values()}
    return [draft for draft in drafts if id(draft) in kept]


def _blackout_sensitive(draft: _Draft) -> bool:
    # A handoff milestone is a decision the team takes, not a change the customer's
    # people must absorb, and moving it would break guarantee 4: it stays put.
    if draft.family == HANDOFF_FAMILY:
        return False
    return draft.kind in BLACKOUT_SENSITIVE_KINDS or PREPARATION_FIRST_WEEK <= draft.week <= 0


def _avoid_blackout(draft: _Draft, context: _Context) -> None:
    label = context.blackout_weeks.get(draft.week)
    if label is None or not _blackout_sensitive(draft):
        return
    # A step linked to a resistance point never slides past the point's due week
    # (guarantee 10 outranks the blackout): with no free week before, it stays.
    latest = (
        context.last_week
        if draft.point is None
        else max(
            draft.week, effective_due_week(draft.point, context.earliest_week, context.last_week)
        )
    )
    week = _nearest_week(
        draft.week,
        context,
        lambda week: week not in context.blackout_weeks and week <= latest,
    )
    if week is None:
        draft.notes.append(f"Week {draft.week} falls in {label}, and no nearby week is free.")
        return
    draft.notes.append(f"Moved from week {draft.week}, which falls in {label}, to week {week}.")
    draft.week = week


def _nearest_week(week: int, context: _Context, fits: Callable[..., bool]) -> int | None:
    """The nearest earlier week that fits, else the nearest later one, within the band."""
    low, high = _band(week)
    low = max(low, context.earliest_week)
    high = min(high, context.last_week)
    for candidate in range(week - 1, low - 1, -1):
        if fits(candidate):
            return candidate
    for candidate in range(week + 1, high + 1):
        if fits(candidate):
            return candidate
    return None


def _without_hand_made_repeats(
    drafts: Sequence[_Draft], hand_made: Sequence[PlanItem]
) -> list[_Draft]:
    """Drop what repeats a hand-made item: same kind, same audience, same week."""
    made = {
        (item.week, item.kind, frozenset(item.audience_ids))
        for item in hand_made
        if item.origin == "manual" and item.status != "skipped"
    }
    return [
        draft for draft in drafts if (draft.week, draft.kind, frozenset(draft.audience)) not in made
    ]


# --- guarantees ---------------------------------------------------------------


def _resistance_safety_net(
    drafts: Sequence[_Draft],
    open_points: Sequence[ResistancePoint],
    context: _Context,
    rank: int,
) -> list[_Draft]:
    """A linked item for every unresolved point that nothing acts on by its due week."""
    earliest: dict[str, int] = {}
    linked_weeks = [(draft.point.id, draft.week) for draft in drafts if draft.point is not None]
    linked_weeks += [
        (item.resistance_point_id, item.week)
        for item in context.data.plan_items
        if item.resistance_point_id is not None and item.status != "skipped"
    ]
    for point_id, week in linked_weeks:
        earliest[point_id] = min(earliest.get(point_id, week), week)
    safety_net = []
    for point in open_points:
        due_week = effective_due_week(point, context.earliest_week, context.last_week)
        if earliest.get(point.id, due_week + 1) <= due_week:
            continue
        subject = context.facts[point.stakeholder_id]
        name = subject.stakeholder.name
        who = point.owner or "The mitigation owner"
        response = f" ({point.strategy.replace('_', ' ')})" if point.strategy else ""
        resistor = subject.resistor
        safety_net.append(
            _Draft(
                rule_key=RESISTANCE_SAFETY_NET_KEY,
                family="",
                rank=rank,
                intended_week=due_week,
                week=due_week,
                title=(
                    "Start the mitigation for {name}"
                    if resistor
                    else "Answer the concern of {name}"
                ),
                description=(
                    "Nothing else in the plan acts on this point by its due week. "
                    f"{who} agrees the response{response} with {{name}} and starts it this week."
                ),
                name=name,
                kind="resistance" if resistor else "coaching",
                workstream="resistance" if resistor else "enablement",
                format="task",
                owner_role="delivery",
                audience=(point.stakeholder_id,),
                adkar_target=None,
                point=point,
                reason=(
                    f"Every unresolved resistance point is acted on by its due week: "
                    f"{_resistance_fact(subject, point)}. "
                    f"{_due_week_note(point, due_week, context)}"
                ),
                guarantee=True,
            )
        )
    return safety_net


def _due_week_note(point: ResistancePoint, due_week: int, context: _Context) -> str:
    if point.due_week is None and due_week == DEFAULT_DUE_WEEK:
        return f"No due week set: placed in week {due_week} so it is handled before go-live."
    asked = DEFAULT_DUE_WEEK if point.due_week is None else point.due_week
    if asked < due_week:
        return (
            f"Late: due in week {asked}, before the first week the plan can still use; "
            f"placed in week {due_week}."
        )
    if asked > context.last_week:
        return f"Due in week {asked}, after the plan ends: placed in week {due_week}."
    return f"No rule acts on it by week {due_week}."


def _reached_after_go_live(drafts: Sequence[_Draft], context: _Context) -> set[str]:
    """Stakeholders an item of week 1 or later names, directly or through their group."""
    audiences = [draft.audience for draft in drafts if draft.week >= 1]
    audiences += [
        item.audience_ids
        for item in context.data.plan_items
        if item.week >= 1 and item.status != "skipped"
    ]
    named = {stakeholder_id for audience in audiences for stakeholder_id in audience}
    return named | {
        stakeholder_id
        for stakeholder_id, facts in context.facts.items()
        if facts.stakeholder.group_id in named
    }


def _reach_safety_net(drafts: Sequence[_Draft], context: _Context, rank: int) -> list[_Draft]:
    """A step in week 1 or later for every group, and resistor of medium or high risk,
    that nothing reaches after go-live."""
    reached = _reached_after_go_live(drafts, context)
    week = max(1, context.earliest_week)
    safety_net = []
    # Groups first: a visit to a group reaches the people placed in it.
    by_kind = sorted(context.facts.items(), key=lambda entry: entry[1].stakeholder.kind != "group")
    for stakeholder_id, subject in by_kind:
        stakeholder = subject.stakeholder
        if stakeholder_id in reached or stakeholder.group_id in reached:
            continue
        if stakeholder.kind == "group":
            key, title, format_ = (
                GROUP_REACH_SAFETY_NET_KEY,
                "Week-one visit to {name}",
                "group_session",
            )
            description = (
                "Nothing else in the plan reaches this group after go-live. Visit them at "
                "work in the first live week: what works, what blocks them, who to call."
            )
            why = "is a group"
        elif subject.resistor and subject.risk_band in _REACHED_RISK_BANDS:
            key, title, format_ = (
                RESISTOR_REACH_SAFETY_NET_KEY,
                "Week-one check-in with {name}",
                "one_to_one",
            )
            description = (
                "Nothing else in the plan reaches {name} after go-live. Ask what the first "
                "live days were like and what would make the new way work for them."
            )
            why = (
                f"is a resistor ({', '.join(subject.resistor_signals)}) of {subject.risk_band} risk"
            )
        else:
            continue
        reached.add(stakeholder_id)
        safety_net.append(
            _Draft(
                rule_key=key,
                family="",
                rank=rank,
                intended_week=week,
                week=week,
                title=title,
                description=description,
                name=stakeholder.name,
                kind="checkpoint",
                workstream="support",
                format=format_,
                owner_role="customer_manager",
                audience=(stakeholder_id,),
                adkar_target="ability",
                point=None,
                reason=(
                    f"Every group and every resistor of medium or high risk is reached after "
                    f"go-live: {stakeholder.name} {why} and no other plan step reaches them "
                    "in week 1 or later."
                ),
                guarantee=True,
            )
        )
    return safety_net


# --- sizing -------------------------------------------------------------------


def _priority(draft: _Draft) -> tuple[bool, int, int, tuple[str, ...]]:
    """Lower sorts first: protected items, then library order, then week."""
    return (not draft.protected, draft.rank, draft.week, draft.audience)


def _limit_executive_items(drafts: list[_Draft], context: _Context) -> list[_Draft]:
    """At most 3 items with each executive in the audience in weeks 1 to 12."""
    executives = {
        stakeholder_id
        for stakeholder_id, facts in context.facts.items()
        if facts.stakeholder.role in EXECUTIVE_ROLES
    }
    theirs: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if 1 <= draft.week <= REINFORCE_LAST_WEEK:
            for member in executives.intersection(draft.audience):
                theirs.setdefault(member, []).append(draft)
    dropped: set[int] = set()
    # Executives to take out of a wider audience, applied once per item.
    removed: dict[int, set[str]] = {}
    for executive in sorted(theirs):
        kept = 0
        answered: set[str] = set()
        for draft in sorted(theirs[executive], key=_priority):
            if id(draft) in dropped:
                continue
            # What they said keeps one answer per theme rule (guarantee 5).
            answers_theme = draft.family == "theme" and draft.rule_key not in answered
            if draft.family == "theme":
                answered.add(draft.rule_key)
            if draft.protected or answers_theme or kept < MAX_EXECUTIVE_ITEMS_AFTER_GO_LIVE:
                kept += 1
            elif len(draft.audience) > len(removed.get(id(draft), ())) + 1:
                removed.setdefault(id(draft), set()).add(executive)
            else:
                dropped.add(id(draft))
    for draft in drafts:
        if id(draft) in removed:
            leaving = removed[id(draft)]
            draft.audience = tuple(member for member in draft.audience if member not in leaving)
    return [draft for draft in drafts if id(draft) not in dropped]


def _one_to_one_person(draft: _Draft, context: _Context) -> str | None:
    """The person an item meets one to one, if its format is `one_to_one`."""
    if draft.format != "one_to_one" or len(draft.audience) != 1:
        return None
    person = draft.audience[0]
    return person if context.facts[person].stakeholder.kind == "person" else None


def _space_one_to_ones(drafts: list[_Draft], context: _Context) -> None:
    """A second one-to-one with a person within two weeks becomes a task for the first."""
    _fit_formats(drafts, context)
    meetings: dict[str, list[int]] = {}
    for draft in sorted(drafts, key=lambda draft: (draft.week, _priority(draft))):
        person = _one_to_one_person(draft, context)
        if person is None:
            continue
        weeks = meetings.setdefault(person, [])
        clash = next(
            (week for week in weeks if abs(week - draft.week) < ONE_TO_ONE_SPACING_WEEKS), None
        )
        if clash is None:
            weeks.append(draft.week)
            continue
        draft.format = "task"
        draft.notes.append(
            f"Raise it in the one-to-one of week {clash}: at most one one-to-one per person "
            "every two weeks."
        )


def _fit_formats(drafts: Sequence[_Draft], context: _Context) -> None:
    """`one_to_one` only for exactly one person; anything else meets as a group."""
    for draft in drafts:
        if draft.format != "one_to_one":
            continue
        if not draft.audience:
            draft.format = "review"
        elif (
            len(draft.audience) > 1 or context.facts[draft.audience[0]].stakeholder.kind != "person"
        ):
            draft.format = "group_session"


def _limit_items_per_week(drafts: list[_Draft], context: _Context) -> list[_Draft]:
    """At most 12 generated items a week, protected items aside (see module doc)."""
    by_week: dict[int, list[_Draft]] = {}
    for draft in drafts:
        by_week.setdefault(draft.week, []).append(draft)
    for week in sorted(by_week):
        if len(by_week[week]) > MAX_GENERATED_ITEMS_PER_WEEK:
            by_week[week] = _merge_same_rule(by_week[week], context)
    for week in sorted(by_week):
        crowded = by_week[week]
        movable = sorted((draft for draft in crowded if not draft.protected), key=_priority)
        while len(crowded) > MAX_GENERATED_ITEMS_PER_WEEK and movable:
            draft = movable.pop()
            target = _nearest_week(
                week,
                context,
                lambda candidate, draft=draft: (
                    _has_room(by_week, candidate)
                    and not (_blackout_sensitive(draft) and candidate in context.blackout_weeks)
                ),
            )
            crowded.remove(draft)
            if target is None:
                # No week of its band has room: the least important step gives way,
                # unless it answers what people said (guarantee 5).
                if draft.family == "theme":
                    crowded.append(draft)
                continue
            draft.notes.append(
                f"Moved from week {week} to week {target}: week {week} already holds "
                f"{MAX_GENERATED_ITEMS_PER_WEEK} steps."
            )
            draft.week = target
            if draft.format == "one_to_one":
                draft.format = "task"
                draft.notes.append("Raise it at the next meeting with them.")
            by_week.setdefault(target, []).append(draft)
    return [draft for week in sorted(by_week) for draft in by_week[week]]


def _has_room(by_week: dict[int, list[_Draft]], week: int) -> bool:
    return len(by_week.get(week, ())) < MAX_GENERATED_ITEMS_PER_WEEK


def _merge_same_rule(drafts: list[_Draft], context: _Context) -> list[_Draft]:
    """One session per rule for a crowded week: the rule's per-stakeholder items merge."""
    groups: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if not draft.protected and draft.name:
            groups.setdefault(draft.rule_key, []).append(draft)
    merged = [draft for draft in drafts if draft.protected or not draft.name]
    count = len(drafts)
    for rule_key in sorted(groups, key=lambda key: (-len(groups[key]), key)):
        members = groups[rule_key]
        if count <= MAX_GENERATED_ITEMS_PER_WEEK or len(members) == 1:
            merged.extend(members)
            continue
        count -= len(members) - 1
        merged.append(_merged(members, context))
    return merged


def _merged(members: Sequence[_Draft], context: _Context) -> _Draft:
    first = min(members, key=_priority)
    audience = tuple(sorted({stakeholder for draft in members for stakeholder in draft.audience}))
    names = [context.facts[stakeholder].stakeholder.name for stakeholder in audience]
    return replace(
        first,
        audience=audience,
        name=_names(names),
        format="group_session" if first.format == "one_to_one" else first.format,
        reason=f"{_FAMILY_LABELS[first.family]}: {_names(names)}.",
        # What each member's placement said (a blackout it could not leave) still holds.
        notes=[
            *dict.fromkeys(note for member in members for note in member.notes),
            f"One session for {len(audience)} stakeholders: the week holds more than "
            f"{MAX_GENERATED_ITEMS_PER_WEEK} steps otherwise.",
        ],
    )


# --- owners and the finished item ---------------------------------------------


def _finish(draft: _Draft, context: _Context) -> GeneratedItem:
    _fit_formats([draft], context)
    when = week_monday(context.data.engagement.go_live_date, draft.week)
    values = {"name": draft.name, "date": f"{when.day} {when:%B %Y}"}
    reason = " ".join([draft.reason, *draft.notes])
    title = draft.title.format(**values)
    description = draft.description.format(**values)
    if draft.cadence:
        title, description = _recurring(title, description, draft, context)
    return GeneratedItem(
        generation_key=_key(draft),
        week=draft.week,
        title=title,
        description=description,
        kind=draft.kind,
        workstream=draft.workstream,
        format=draft.format,
        owner_role=draft.owner_role,
        owner=owner_for(draft.owner_role, draft.audience, draft.point, context),
        audience_ids=tuple(sorted(draft.audience)),
        adkar_target=draft.adkar_target,
        resistance_point_id=draft.point.id if draft.point else None,
        origin=f"generated:{draft.rule_key}",
        reason=reason,
    )


def _recurring(title: str, description: str, draft: _Draft, context: _Context) -> tuple[str, str]:
    """The title and description of a recurring item: what it repeats, and until when."""
    first, last = draft.cadence[0], draft.cadence[-1]
    every = f"every {draft.repeat_every} weeks" if draft.repeat_every != 1 else "every week"
    until = week_monday(context.data.engagement.go_live_date, last)
    suffix = f" ({every} to week {last})"
    title = title[: PLAN_ITEM_TITLE_LENGTH - len(suffix)] + suffix
    cadence = (
        f"A recurring step: {every} from week {first} to week {last}, "
        f"{len(draft.cadence)} times, the last in the week of {until.day} {until:%B %Y}. "
        "Book the series once; mark it done when the last one has run."
    )
    description = f"{description}\n\n{cadence}" if description else cadence
    return title, description[:PLAN_ITEM_DESCRIPTION_LENGTH]


def owner_for(
    owner_role: str,
    audience: Sequence[str],
    point: ResistancePoint | None,
    context: _Context,
) -> str:
    """The named owner of an item (section 6, guarantee 1); empty when nobody is eligible."""
    if point is not None and point.owner.strip():
        return point.owner.strip()
    engagement = context.data.engagement
    if owner_role == "delivery":
        return engagement.delivery_lead_name
    if owner_role == "customer_success":
        return engagement.cs_owner_name
    eligible: Sequence[_Facts] = context.eligible_owners[owner_role]
    if owner_role in ("customer_manager", "champion"):
        group = _group_of(audience, context)
        eligible = [f for f in eligible if group and f.stakeholder.group_id == group] or eligible
    return eligible[0].stakeholder.name if eligible else ""


def _group_of(audience: Sequence[str], context: _Context) -> str | None:
    """The item's (first) group: a group in the audience, else the group of a person in it."""
    members = [context.facts[stakeholder].stakeholder for stakeholder in sorted(audience)]
    for member in members:
        if member.kind == "group":
            return member.id
    return next((member.group_id for member in members if member.group_id), None)


# --- reasons ------------------------------------------------------------------


def _words(value: str) -> str:
    return value.replace("_", " ")


def _one_of(values: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    words = [_words(value) for value in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _names(names: Sequence[str]) -> str:
    shown = list(names[:_NAMES_IN_REASON])
    if len(names) > _NAMES_IN_REASON:
        shown.append(f"{len(names) - _NAMES_IN_REASON} more")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _conditions(rule: Rule, subject: _Facts | None) -> list[str]:
    """The facts (for one stakeholder) or conditions (for a rule) that made an item."""
    stakeholder = subject.stakeholder if subject else None
    facts = []
    if rule.roles:
        facts.append(f"role {_words(stakeholder.role) if stakeholder else _one_of(rule.roles)}")
    if rule.kinds:
        facts.append(f"a {stakeholder.kind}" if stakeholder else f"kind {_one_of(rule.kinds)}")
    if rule.min_headcount is not None:
        count = f"{subject.people} people" if subject else "people"
        facts.append(f"{count} (at least {rule.min_headcount})")
    if rule.quadrants:
        facts.append(
            f"{_words(subject.quadrant)} (influence {stakeholder.influence}, "
            f"interest {stakeholder.interest})"
            if subject and stakeholder
            else f"quadrant {_one_of(rule.quadrants)}"
        )
    if rule.barriers:
        facts.append(
            f"ADKAR barrier {subject.barrier}"
            if subject
            else f"ADKAR barrier {_one_of(rule.barriers)}"
        )
    if rule.themes:
        facts.append(f"theme {_one_of(rule.themes)}")
    if rule.adoption_modes:
        facts.append(f"{_one_of(rule.adoption_modes)} adoption")
    if rule.resistors_only or rule.kind == "resistance":
        facts.append(
            f"resistor: {', '.join(subject.resistor_signals)}" if subject else "resistors only"
        )
    return facts


def _each_reason(rule: Rule, subject: _Facts) -> str:
    label = _FAMILY_LABELS[rule.family]
    if rule.themes:
        return _theme_reason(rule, subject)
    facts = _conditions(rule, subject)
    if not facts:
        return f"{label}: {subject.stakeholder.name}."
    return f"{label}: {subject.stakeholder.name}, {'; '.join(facts)}."


def _lagging_reason(subject: _Facts, context: _Context) -> str:
    name = subject.stakeholder.name
    barrier = context.lagging[subject.stakeholder.id]
    said = (
        f"; their latest pulse survey puts the barrier at {barrier}"
        if barrier
        else "; no pulse survey has measured why yet"
    )
    return f"{_FAMILY_LABELS['lagging']}: {name} is behind its adoption target{said}."


def _theme_reason(rule: Rule, subject: _Facts) -> str:
    """Their own words, quoted: the text that carries the theme, and the phrases found."""
    quotes, phrases = [], []
    for code in rule.themes:
        match = subject.themes.get(code)
        if match is None:
            continue
        phrases.append(f"{_words(code)}: {', '.join(match.matched)}")
        for text in subject.own_words:
            if any(phrase in text for phrase in match.matched):
                phrase = next(phrase for phrase in match.matched if phrase in text)
                quote = _excerpt(text, around=phrase)
                if quote not in quotes:
                    quotes.append(quote)
                break
    said = "; ".join(f"“{quote}”" for quote in quotes)
    return f"{subject.stakeholder.name} said {said} ({'; '.join(phrases)})."


def _excerpt(text: str, around: str = "") -> str:
    """The text on one line, cut to a readable length (keeping `around` in view)."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= _REASON_EXCERPT:
        return text
    start = max(0, text.find(" ".join(around.split())) - _REASON_EXCERPT // 3) if around else 0
    excerpt = text[start : start + _REASON_EXCERPT - 2].strip()
    return (
        f"{'…' if start else ''}{excerpt}{'…' if start + _REASON_EXCERPT - 2 < len(text) else ''}"
    )


def _engagement_reason(rule: Rule, audience: Sequence[_Facts]) -> str:
    label = _FAMILY_LABELS[rule.family]
    if not rule.has_conditions:
        if rule.audience == "team":
            return f"{label}: every activation plan includes this step."
        return f"{label}: for the whole engagement."
    names = _names([subject.stakeholder.name for subject in audience])
    return f"{label}, for {'; '.join(_conditions(rule, None))}: {names}."


def _resistance_fact(subject: _Facts, point: ResistancePoint) -> str:
    description = _excerpt(point.description) or "no description"
    due = "not set" if point.due_week is None else str(point.due_week)
    who = "" if subject.resistor else " (a concern: they are not a resistor)"
    return (
        f"{subject.stakeholder.name}{who}: {_SOURCE_LABELS[point.source]} "
        f"(resistance point: {description}; severity {point.severity}; "
        f"status {_words(point.status)}; due week {due})"
    )


# --- adoption targets ---------------------------------------------------------


def _adoption_targets(
    context: _Context, target_pct: float, target_week: int
) -> tuple[GeneratedTarget, ...]:
    ramp = adoption_ramp(target_pct, target_week, context.last_week)
    return tuple(
        GeneratedTarget(stakeholder_id=stakeholder_id, week=week, target_pct=pct)
        for stakeholder_id, subject in context.facts.items()
        if subject.stakeholder.kind == "group" and subject.stakeholder.role == "daily_user"
        for week, pct in ramp
    )
