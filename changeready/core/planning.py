"""Activation-plan generation and the regeneration merge.

`generate_plan` turns the landscape and a rule library into plan items and
adoption targets. It is deterministic (the same engagement gives the same plan
whatever order its rows arrive in) and explainable: every item carries the rule
that made it (`origin`) and why it applies to this engagement (`reason`).

`merge_plan` and `merge_targets` compare a fresh generation with what is stored
and say what would change, so the user can confirm before anything is written
and no hand work is ever lost (domain reference, section 6).

Decisions where the domain reference leaves room:

- Window: a rule week outside [first_week, last_week] is dropped, not moved.
  Piling an outcome review meant for week 12 into week 6 would schedule it before
  there is an outcome to review; the team widens the window instead.
- Resistance guarantee: every open resistance point gets a linked item at or
  before its *effective due week*: its `due_week`, or `DEFAULT_DUE_WEEK` (-1, the
  last week before go-live, since resistance not handled by go-live shows up as
  non-adoption) when none is set, moved into the window (a due week before the
  window becomes `first_week`, the earliest week the plan can hold; one after it
  becomes `last_week`). When no rule provides such an item (its rule is disabled
  or acts too late), a safety-net item is added at the effective due week.
- Group guarantee: every stakeholder group is named in the audience of an item
  in week 1 or later; if no rule does it, a week-one visit is added. The safety
  nets are the core's guarantees, not rules, so switching rules off cannot break
  them; their origins are `generated:safety_net.…`.
- Adoption ramp: for each `daily_user` group, weekly targets from week 1 to
  `last_week`, rising linearly from half the target in week 1 to the target in
  `adoption_target_week`, then holding (cut off at `last_week` if the target
  week lies beyond it). Half is what a well-supported go-live
  typically reaches in its first live week; a straight line makes a shortfall
  visible early without setting an unreachable bar for week one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from changeready.core.model import (
    DEFAULT_FIRST_WEEK,
    DEFAULT_LAST_WEEK,
    EngagementData,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.rules import (
    BUILTIN_RULES,
    MAX_WEEK,
    MIN_WEEK,
    Rule,
    check_unique_keys,
)
from changeready.core.scoring import adkar_barrier, is_open_resistance, quadrant, resistor_reasons

DEFAULT_DUE_WEEK = -1
DEFAULT_ADOPTION_TARGET_PCT = 80.0
DEFAULT_ADOPTION_TARGET_WEEK = 8
RAMP_START_SHARE = 0.5
RESISTANCE_SAFETY_NET_KEY = "safety_net.resistance_due"
GROUP_REACH_SAFETY_NET_KEY = "safety_net.group_reach"
# How many names a reason lists before it says "and N more": a reason is read
# in a tooltip, not scrolled through.
_NAMES_IN_REASON = 5
_REASON_EXCERPT = 120

# Resistance rules explain themselves through their resistance point instead.
_FAMILY_LABELS = {
    "baseline": "Baseline",
    "role": "Role rule",
    "quadrant": "Quadrant rule",
    "barrier": "ADKAR barrier rule",
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
    """One plan item as the rules would create it.

    `generation_key` is its identity across regenerations: the rule key, the
    week, the audience and the linked resistance point. A large audience enters
    as a digest so the key stays short enough for an indexed column.
    """

    generation_key: str
    week: int
    title: str
    description: str
    kind: str
    owner_role: str
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
class ExistingItem:
    """A stored plan item, as much as the merge needs to know about it."""

    id: str
    generation_key: str | None
    origin: str
    edited_by_hand: bool = False


@dataclass(frozen=True)
class PlanChanges:
    to_add: tuple[GeneratedItem, ...]
    to_remove: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_add or self.to_remove)


@dataclass(frozen=True)
class ExistingTarget:
    id: str
    stakeholder_id: str
    week: int
    target_pct: float
    actual_pct: float | None = None
    edited_by_hand: bool = False


@dataclass(frozen=True)
class TargetUpdate:
    id: str
    target_pct: float


@dataclass(frozen=True)
class TargetChanges:
    to_add: tuple[GeneratedTarget, ...]
    to_update: tuple[TargetUpdate, ...]
    to_remove: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_add or self.to_update or self.to_remove)


@dataclass(frozen=True)
class _Facts:
    """What the rule conditions look at, derived once per stakeholder."""

    stakeholder: Stakeholder
    quadrant: str
    barrier: str | None
    resistor_signals: tuple[str, ...]


# --- generation ---------------------------------------------------------------


def generate_plan(
    data: EngagementData,
    rules: Sequence[Rule] = BUILTIN_RULES,
    *,
    first_week: int = DEFAULT_FIRST_WEEK,
    last_week: int = DEFAULT_LAST_WEEK,
    adoption_target_pct: float = DEFAULT_ADOPTION_TARGET_PCT,
    adoption_target_week: int = DEFAULT_ADOPTION_TARGET_WEEK,
) -> GeneratedPlan:
    """The activation plan the rules produce for this engagement."""
    _check_window(first_week, last_week, adoption_target_pct, adoption_target_week)
    check_unique_keys(rules)
    facts = _facts_by_id(data)
    points = sorted(data.resistance_points, key=lambda point: point.id)
    for point in points:
        if point.stakeholder_id not in facts:
            raise ValueError(
                f"resistance point {point.id!r} refers to unknown stakeholder "
                f"{point.stakeholder_id!r}"
            )
    open_points = [point for point in points if is_open_resistance(point)]

    # (week, rank, item): the rank keeps a week's items in library order, with
    # the guarantees after the rules they complete.
    ranked: list[tuple[int, int, GeneratedItem]] = []
    for position, rule in enumerate(rules):
        weeks = sorted(week for week in rule.weeks if first_week <= week <= last_week)
        if rule.enabled and weeks:
            ranked.extend(
                (item.week, position, item) for item in _apply_rule(rule, weeks, facts, open_points)
            )
    rule_items = [item for _, _, item in ranked]
    resistance_net = _resistance_safety_net(rule_items, open_points, facts, first_week, last_week)
    group_net = _group_safety_net([*rule_items, *resistance_net], facts)
    ranked.extend((item.week, len(rules), item) for item in resistance_net)
    ranked.extend((item.week, len(rules) + 1, item) for item in group_net)
    ranked.sort(
        key=lambda entry: (
            entry[0],
            entry[1],
            entry[2].audience_ids,
            entry[2].resistance_point_id or "",
        )
    )
    return GeneratedPlan(
        items=tuple(item for _, _, item in ranked),
        targets=_adoption_targets(facts, last_week, adoption_target_pct, adoption_target_week),
        first_week=first_week,
        last_week=last_week,
    )


def effective_due_week(point: ResistancePoint, first_week: int, last_week: int) -> int:
    """The week by which a plan item must act on an open resistance point (see module doc)."""
    due_week = DEFAULT_DUE_WEEK if point.due_week is None else point.due_week
    return min(max(due_week, first_week), last_week)


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


def _check_window(
    first_week: int, last_week: int, adoption_target_pct: float, adoption_target_week: int
) -> None:
    if not MIN_WEEK <= first_week <= 0:
        raise ValueError(f"first_week must be between {MIN_WEEK} and 0, not {first_week}")
    if not 1 <= last_week <= MAX_WEEK:
        raise ValueError(f"last_week must be between 1 and {MAX_WEEK}, not {last_week}")
    if not 0 < adoption_target_pct <= 100:
        raise ValueError(
            f"adoption_target_pct must be above 0 and at most 100, not {adoption_target_pct}"
        )
    # A target week after the window is allowed: the ramp is then cut off at
    # last_week, which shows honestly that the window ends before the target.
    if not 1 <= adoption_target_week <= MAX_WEEK:
        raise ValueError(
            f"adoption_target_week must be between 1 and {MAX_WEEK}, not {adoption_target_week}"
        )


def _facts_by_id(data: EngagementData) -> dict[str, _Facts]:
    """Facts for every stakeholder, keyed and ordered by id (input order must not matter)."""
    points_by_stakeholder: dict[str, list[ResistancePoint]] = {}
    for point in data.resistance_points:
        points_by_stakeholder.setdefault(point.stakeholder_id, []).append(point)
    facts: dict[str, _Facts] = {}
    for stakeholder in sorted(data.stakeholders, key=lambda stakeholder: stakeholder.id):
        if stakeholder.id in facts:
            raise ValueError(f"stakeholder id {stakeholder.id!r} appears twice")
        facts[stakeholder.id] = _Facts(
            stakeholder=stakeholder,
            quadrant=quadrant(stakeholder),
            barrier=adkar_barrier(stakeholder.adkar),
            resistor_signals=resistor_reasons(
                stakeholder, points_by_stakeholder.get(stakeholder.id, ())
            ),
        )
    return facts


def _matches(rule: Rule, facts: _Facts) -> bool:
    """The stakeholder conditions; a resistance rule's sources are checked per point."""
    stakeholder = facts.stakeholder
    return (
        (not rule.roles or stakeholder.role in rule.roles)
        and (not rule.quadrants or facts.quadrant in rule.quadrants)
        and (not rule.kinds or stakeholder.kind in rule.kinds)
        and (not rule.barriers or facts.barrier in rule.barriers)
        and (not rule.resistors_only or bool(facts.resistor_signals))
    )


def _apply_rule(
    rule: Rule,
    weeks: Sequence[int],
    facts: dict[str, _Facts],
    open_points: Sequence[ResistancePoint],
) -> list[GeneratedItem]:
    if rule.family == "resistance":
        items = []
        for point in open_points:
            subject = facts[point.stakeholder_id]
            if (
                not rule.resistance_sources or point.source in rule.resistance_sources
            ) and _matches(rule, subject):
                reason = f"{_resistance_fact(subject, point)}."
                items.extend(_items(rule, weeks, (subject,), reason, point.id))
        return items
    if rule.audience == "each":
        items = []
        for subject in facts.values():
            if _matches(rule, subject):
                items.extend(_items(rule, weeks, (subject,), _each_reason(rule, subject), None))
        return items
    audience = tuple(subject for subject in facts.values() if _matches(rule, subject))
    if rule.has_conditions and not audience:
        return []
    return _items(rule, weeks, audience, _engagement_reason(rule, audience), None)


def _items(
    rule: Rule,
    weeks: Sequence[int],
    audience: Sequence[_Facts],
    reason: str,
    resistance_point_id: str | None,
) -> list[GeneratedItem]:
    audience_ids = tuple(subject.stakeholder.id for subject in audience)
    # Only an 'each' rule may use {name} (rule validation), so the audience is one.
    name = audience[0].stakeholder.name if rule.audience == "each" else ""
    title = rule.title.format(name=name)
    description = rule.description.format(name=name)
    return [
        GeneratedItem(
            generation_key=generation_key(rule.key, week, audience_ids, resistance_point_id),
            week=week,
            title=title,
            description=description,
            kind=rule.kind,
            owner_role=rule.owner_role,
            audience_ids=audience_ids,
            adkar_target=rule.adkar_target,
            resistance_point_id=resistance_point_id,
            origin=f"generated:{rule.key}",
            reason=reason,
        )
        for week in weeks
    ]


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


# --- reasons ------------------------------------------------------------------


def _words(value: str) -> str:
    return value.replace("_", " ")


def _one_of(values: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    words = [_words(value) for value in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _each_reason(rule: Rule, subject: _Facts) -> str:
    stakeholder = subject.stakeholder
    facts = []
    if rule.roles:
        facts.append(f"role {_words(stakeholder.role)}")
    if rule.kinds:
        facts.append(f"a {stakeholder.kind}")
    if rule.quadrants:
        facts.append(
            f"{_words(subject.quadrant)} (influence {stakeholder.influence}, "
            f"interest {stakeholder.interest})"
        )
    if rule.barriers:
        facts.append(f"ADKAR barrier {subject.barrier}")
    if rule.resistors_only:
        facts.append(f"resistor: {', '.join(subject.resistor_signals)}")
    label = _FAMILY_LABELS[rule.family]
    if not facts:
        return f"{label}: {stakeholder.name}."
    return f"{label}: {stakeholder.name}, {'; '.join(facts)}."


def _engagement_reason(rule: Rule, audience: Sequence[_Facts]) -> str:
    label = _FAMILY_LABELS[rule.family]
    if not rule.has_conditions:
        if rule.family == "baseline":
            return "Baseline: every activation plan includes this step."
        return f"{label}: for the whole engagement."
    conditions = []
    if rule.roles:
        conditions.append(f"role {_one_of(rule.roles)}")
    if rule.kinds:
        conditions.append(f"kind {_one_of(rule.kinds)}")
    if rule.quadrants:
        conditions.append(f"quadrant {_one_of(rule.quadrants)}")
    if rule.barriers:
        conditions.append(f"ADKAR barrier {_one_of(rule.barriers)}")
    if rule.resistors_only:
        conditions.append("resistors only")
    names = [subject.stakeholder.name for subject in audience[:_NAMES_IN_REASON]]
    if len(audience) > _NAMES_IN_REASON:
        names.append(f"and {len(audience) - _NAMES_IN_REASON} more")
    return f"{label}, for {'; '.join(conditions)}: {', '.join(names)}."


def _resistance_fact(subject: _Facts, point: ResistancePoint) -> str:
    description = point.description.strip().rstrip(".") or "no description"
    if len(description) > _REASON_EXCERPT:
        description = description[: _REASON_EXCERPT - 1].rstrip() + "…"
    due = "not set" if point.due_week is None else str(point.due_week)
    return (
        f"{subject.stakeholder.name}: {_SOURCE_LABELS[point.source]} "
        f"(resistance point: {description}; severity {point.severity}; "
        f"status {_words(point.status)}; due week {due})"
    )


# --- guarantees ---------------------------------------------------------------


def _resistance_safety_net(
    items: Sequence[GeneratedItem],
    open_points: Sequence[ResistancePoint],
    facts: dict[str, _Facts],
    first_week: int,
    last_week: int,
) -> list[GeneratedItem]:
    """A linked item for every open point that no rule acts on by its effective due week."""
    earliest: dict[str, int] = {}
    for item in items:
        if item.resistance_point_id is not None:
            current = earliest.get(item.resistance_point_id, item.week)
            earliest[item.resistance_point_id] = min(current, item.week)
    safety_net = []
    for point in open_points:
        due_week = effective_due_week(point, first_week, last_week)
        if earliest.get(point.id, due_week + 1) <= due_week:
            continue
        subject = facts[point.stakeholder_id]
        name = subject.stakeholder.name
        who = point.owner or "The delivery lead"
        response = f" ({_words(point.strategy)})" if point.strategy else ""
        safety_net.append(
            GeneratedItem(
                generation_key=generation_key(
                    RESISTANCE_SAFETY_NET_KEY, due_week, (point.stakeholder_id,), point.id
                ),
                week=due_week,
                title=f"Start the mitigation for {name}",
                description=(
                    "Nothing else in the plan acts on this resistance point by its due week. "
                    f"{who} agrees the response{response} with {name} and starts it this week."
                ),
                kind="resistance",
                owner_role="delivery",
                audience_ids=(point.stakeholder_id,),
                adkar_target=None,
                resistance_point_id=point.id,
                origin=f"generated:{RESISTANCE_SAFETY_NET_KEY}",
                reason=(
                    f"Every open resistance point is acted on by its due week: "
                    f"{_resistance_fact(subject, point)}. "
                    f"{_due_week_note(point, due_week, first_week, last_week)}"
                ),
            )
        )
    return safety_net


def _due_week_note(point: ResistancePoint, due_week: int, first_week: int, last_week: int) -> str:
    if point.due_week is None:
        return f"No due week set: placed in week {due_week} so it is handled before go-live."
    if point.due_week < first_week:
        return (
            f"Due in week {point.due_week}, before the plan starts: placed in week "
            f"{first_week}, the earliest week the plan holds."
        )
    if point.due_week > last_week:
        return f"Due in week {point.due_week}, after the plan ends: placed in week {last_week}."
    return f"No rule acts on it by week {due_week}."


def _group_safety_net(
    items: Sequence[GeneratedItem], facts: dict[str, _Facts]
) -> list[GeneratedItem]:
    """A week-one visit for every group no item reaches after go-live."""
    reached = {
        stakeholder_id for item in items if item.week >= 1 for stakeholder_id in item.audience_ids
    }
    safety_net = []
    for subject in facts.values():
        stakeholder = subject.stakeholder
        if stakeholder.kind != "group" or stakeholder.id in reached:
            continue
        safety_net.append(
            GeneratedItem(
                generation_key=generation_key(
                    GROUP_REACH_SAFETY_NET_KEY, 1, (stakeholder.id,), None
                ),
                week=1,
                title=f"Week-one visit to {stakeholder.name}",
                description=(
                    "Nothing else in the plan reaches this group after go-live. Visit them at "
                    "work in the first live week: what works, what blocks them, who to call."
                ),
                kind="checkpoint",
                owner_role="customer_manager",
                audience_ids=(stakeholder.id,),
                adkar_target="ability",
                resistance_point_id=None,
                origin=f"generated:{GROUP_REACH_SAFETY_NET_KEY}",
                reason=(
                    f"Every stakeholder group is reached after go-live: {stakeholder.name} "
                    "is a group and no other plan step reaches it in week 1 or later."
                ),
            )
        )
    return safety_net


def _adoption_targets(
    facts: dict[str, _Facts], last_week: int, target_pct: float, target_week: int
) -> tuple[GeneratedTarget, ...]:
    ramp = adoption_ramp(target_pct, target_week, last_week)
    return tuple(
        GeneratedTarget(stakeholder_id=stakeholder_id, week=week, target_pct=pct)
        for stakeholder_id, subject in facts.items()
        if subject.stakeholder.kind == "group" and subject.stakeholder.role == "daily_user"
        for week, pct in ramp
    )


# --- regeneration -------------------------------------------------------------


def merge_plan(
    existing: Sequence[ExistingItem],
    generated: GeneratedPlan,
    *,
    dismissed_keys: Collection[str] = (),
) -> PlanChanges:
    """What regenerating would change, without destroying hand work.

    - Manual items (no generation key, or an origin other than `generated…`)
      and items edited by hand are kept as they are.
    - An untouched generated item whose key is no longer produced is removed.
    - A generated item is added only if no stored item has its key, edited or
      not, so regenerating never duplicates.
    - `dismissed_keys` are keys of generated items the user deleted: deleting
      is hand work too, so they are not brought back.
    """
    produced = {item.generation_key for item in generated.items}
    stored_keys = {item.generation_key for item in existing if item.generation_key is not None}
    to_remove = []
    kept = []
    for item in existing:
        untouched_generated = (
            item.generation_key is not None
            and item.origin.startswith("generated")
            and not item.edited_by_hand
        )
        if untouched_generated and item.generation_key not in produced:
            to_remove.append(item.id)
        else:
            kept.append(item.id)
    blocked = stored_keys | set(dismissed_keys)
    return PlanChanges(
        to_add=tuple(item for item in generated.items if item.generation_key not in blocked),
        to_remove=tuple(sorted(to_remove)),
        kept=tuple(sorted(kept)),
    )


def merge_targets(existing: Sequence[ExistingTarget], generated: GeneratedPlan) -> TargetChanges:
    """What regenerating would change in the adoption targets.

    A target with an actual figure or a hand-edited value is history or a
    decision, so it is kept. Other stored targets follow the fresh ramp: updated
    when the value differs, removed when the group or week no longer has one.
    """
    fresh = {(target.stakeholder_id, target.week): target for target in generated.targets}
    stored = {(target.stakeholder_id, target.week) for target in existing}
    to_update = []
    to_remove = []
    kept = []
    for target in existing:
        replacement = fresh.get((target.stakeholder_id, target.week))
        if target.actual_pct is not None or target.edited_by_hand:
            kept.append(target.id)
        elif replacement is None:
            to_remove.append(target.id)
        elif replacement.target_pct != target.target_pct:
            to_update.append(TargetUpdate(id=target.id, target_pct=replacement.target_pct))
        else:
            kept.append(target.id)
    return TargetChanges(
        to_add=tuple(target for key, target in fresh.items() if key not in stored),
        to_update=tuple(sorted(to_update, key=lambda update: update.id)),
        to_remove=tuple(sorted(to_remove)),
        kept=tuple(sorted(kept)),
    )
