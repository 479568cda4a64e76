"""The checks of an engagement (the domain reference, section 5).

Each check answers one question a delivery lead should have asked, and each
finding says who is concerned and what to do next.

Granularity. A check about the landscape as a whole gives one finding per
code that lists every subject (e.g. `success_undefined` names everyone without a
success definition). A check whose severity, figures or action depend on the
individual gives one finding per stakeholder: `resistor_without_plan` (its
severity follows the stakeholder's influence), `high_risk_stakeholder`,
`adkar_barrier_late` and `adoption_behind_target` (each with that
stakeholder's own numbers).

Subjects. `subject_ids` hold stakeholder ids, except for
`plan_misses_resistance` (resistance point ids: the point is what lacks a plan
item) and `plan_item_without_owner` (plan item ids). `no_sponsor` lists the
sponsors and buyers who exist but are not supportive, if any. Checks about
something missing from the engagement (`landscape_missing_role`,
`opposition_not_mapped`, `no_resistors_identified`, `no_activation_plan`,
`no_cs_owner`, `handoff_not_accepted`, `assessment_stale`) have no subjects.

Plan items. A `skipped` item will not happen, so every check ignores it. A
`done` item still reaches its audience and addresses its resistance point, but
needs no owner any more, so `plan_item_without_owner` looks only at `planned`
items. `plan_misses_stakeholder` asks about the activation period: only items
in week 1 or later count as reaching someone.

Other readings: "an open resistance point" is one neither resolved nor
accepted (see `scoring`); `plan_misses_stakeholder` wants every group reached,
and every resistor of medium or high risk (the plan generator guarantees the
same); a snapshot counts for `assessment_stale` when it is dated from 30 days
before `as_of` up to `as_of` itself; `adoption_behind_target` assumes one
target per group and week. A `closed` engagement raises no findings: there is
nothing left to act on.

Order. Findings come by severity (critical, warning, info), then in the fixed
order of `FINDING_CATALOGUE` (the reference's order), then by subject name, so
the same engagement always reads the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from changeready.core.adoption import (
    ADOPTION_BEHIND_RATIO,
    ADOPTION_BEHIND_WEEKS,
    measured_barrier,
    weeks_behind,
)
from changeready.core.kpis import off_track_kpis
from changeready.core.model import (
    AdoptionTarget,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.scoring import (
    LIKELIHOOD_BARRIER_WEIGHT,
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    LIKELIHOOD_SIGNALS_WEIGHT,
    RAMP_BARRIERS,
    RESISTOR_MIN_SEVERITY,
    Risk,
    adkar_barrier,
    has_adkar_scores,
    has_mitigation_plan,
    is_open_resistance,
    is_resistor,
    people_of,
    resistor_reasons,
    shown,
    was_identified_as_resistor,
)
from changeready.core.weeks import days_to_go_live, plan_week

SEVERITY_ORDER = ("critical", "warning", "info")

# landscape_missing_role: the landscape questions and the roles that answer them.
LANDSCAPE_QUESTIONS = (
    ("uses it daily", "a daily user", frozenset({"daily_user"})),
    (
        "manages it",
        "a people manager or product admin",
        frozenset({"people_manager", "product_admin"}),
    ),
    ("approved the purchase", "an economic buyer", frozenset({"economic_buyer"})),
)
# success_undefined, resistance_unexplored: persons this influential must be
# understood individually; groups always.
INFLUENTIAL_PERSON_MIN = 4
# no_sponsor: who can sponsor, and the engagement that makes them a sponsor.
SPONSOR_ROLES = frozenset({"executive_sponsor", "economic_buyer"})
SPONSORING_ENGAGEMENT = frozenset({"supportive", "leading"})
# resistor_without_plan is critical for a resistor this influential.
CRITICAL_RESISTOR_INFLUENCE = 4
# adkar_barrier_late: impact from which a barrier blocks adoption, the barriers
# that training cannot fix (the calendar ramp's: awareness, desire), and "2
# weeks away or less".
LATE_BARRIER_MIN_IMPACT = 4
LATE_BARRIERS = RAMP_BARRIERS
LATE_BARRIER_DAYS = 14
# no_activation_plan: the activation period starts in week 1; critical "4 weeks
# away or less".
FIRST_ACTIVATION_WEEK = 1
NO_PLAN_CRITICAL_DAYS = 28
# plan_misses_stakeholder: risk bands of a resistor that needs the activation plan
# to reach them (every group needs it, whatever its band).
BANDS_NEEDING_REACH = frozenset({"medium", "high"})
# plan_item_without_owner: the current week and this many weeks after it.
OWNER_LOOKAHEAD_WEEKS = 4
# no_cs_owner is critical "2 weeks away or less".
NO_CS_OWNER_CRITICAL_DAYS = 14
# champion_gap: peer champions carry adoption in a daily-user group this large
# (one per 25-50 people is usual), so one without any is a gap.
CHAMPION_MIN_PEOPLE = 50
# adkar_unverified: from 4 weeks before go-live, the ADKAR of everyone whose work
# changes this much must be measured, or estimated within the last 30 days: a
# kickoff guess is not a reading.
UNVERIFIED_ADKAR_DAYS = 28
UNVERIFIED_ADKAR_MIN_IMPACT = 4
ADKAR_ESTIMATE_VALID_DAYS = 30
# handoff_not_accepted: CS inherits the playbook before go-live; a warning a week
# before (7 days or fewer), critical from go-live day on.
HANDOFF_WARNING_DAYS = 7
HANDOFF_CRITICAL_DAYS = 0
# assessment_stale: snapshot window, and the phases that are no longer tracked.
STALE_AFTER_DAYS = 30
UNTRACKED_PHASES = frozenset({"handed_off", "closed"})
# A closed engagement raises no findings: there is nothing left to act on.
CLOSED_PHASE = "closed"


@dataclass(frozen=True)
class Finding:
    """One problem found, who it concerns and the next step."""

    code: str
    severity: str
    message: str
    subject_ids: tuple[str, ...]
    action: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "subject_ids": list(self.subject_ids),
            "action": self.action,
        }


@dataclass(frozen=True)
class FindingInfo:
    """What the product says about a finding code, independent of any engagement."""

    code: str
    group: str
    severities: tuple[str, ...]
    title: str
    why: str


# The checks against the three killers of adoption, and those of go-live and
# after, in display order. Each title names what is checked, not a verdict:
# "Checks on who is involved: 1 open", whatever the checks found.
KILLER_GROUPS: tuple[tuple[str, str], ...] = (
    ("wrong_stakeholders", "who is involved"),
    ("unidentified_resistors", "who may resist"),
    ("no_activation_plan", "the activation plan"),
    ("after_go_live", "go-live and after"),
)

_CATALOGUE = (
    FindingInfo(
        "landscape_missing_role",
        "wrong_stakeholders",
        ("critical",),
        "A landscape question has no answer",
        "Every rollout needs someone who uses the product daily, someone who manages it and "
        "someone who approved it. If one of them is missing from the landscape, nobody is "
        "planning for the people who decide whether the product gets used.",
    ),
    FindingInfo(
        "opposition_not_mapped",
        "wrong_stakeholders",
        ("warning",),
        "Nobody asked who did not want this",
        "Most purchases had someone who argued against them, and that person is often the one "
        "who quietly stalls adoption. Asking the question costs one conversation; the answer "
        "may be nobody, but then say so.",
    ),
    FindingInfo(
        "end_users_not_involved",
        "wrong_stakeholders",
        ("critical",),
        "The daily users were never in the room",
        "When only buyers and managers shape the implementation, the product fits the slide "
        "deck and not the shift. Daily users who tested and helped design it adopt it; the "
        "others work around it.",
    ),
    FindingInfo(
        "success_undefined",
        "wrong_stakeholders",
        ("warning",),
        "Success is not defined for everyone who matters",
        "If you do not know what success looks like for a group or an influential person, you "
        "cannot show them they got it. Their own definition is what CS will measure and renew on.",
    ),
    FindingInfo(
        "resistance_unexplored",
        "wrong_stakeholders",
        ("warning",),
        "Nobody asked what would make them resist",
        "Resistance is predictable when you ask about it early. A group or influential person "
        "whose triggers are unknown will surprise you in week one after go-live.",
    ),
    FindingInfo(
        "no_sponsor",
        "wrong_stakeholders",
        ("critical",),
        "No active sponsor",
        "Visible sponsorship is the strongest predictor of a change sticking. Without a "
        "supportive buyer or executive, every push for adoption comes from the vendor, and the "
        "customer's people notice.",
    ),
    FindingInfo(
        "no_resistors_identified",
        "unidentified_resistors",
        ("warning",),
        "No resistors identified",
        "There is almost always someone whose job gets harder or whose authority shrinks at "
        "go-live. An empty resistor register usually means nobody looked, not that nobody will "
        "resist.",
    ),
    FindingInfo(
        "resistor_without_plan",
        "unidentified_resistors",
        ("critical", "warning"),
        "A resistor has no mitigation plan",
        "Knowing who will resist only helps if someone acts on it. A mitigation needs a "
        "strategy, a named owner and a status past 'open', or it stays a note in a "
        "spreadsheet.",
    ),
    FindingInfo(
        "high_risk_stakeholder",
        "unidentified_resistors",
        ("warning",),
        "High adoption risk",
        "This stakeholder combines the power or impact to hurt adoption with signs that they "
        "will. The score's terms show where to start.",
    ),
    FindingInfo(
        "adkar_barrier_late",
        "unidentified_resistors",
        ("critical",),
        "Still no awareness or desire, two weeks out",
        "People whose work changes a lot cannot adopt what they do not understand or want, and "
        "training will not fix that. With go-live this close, it needs the sponsor's attention "
        "now.",
    ),
    FindingInfo(
        "no_activation_plan",
        "no_activation_plan",
        ("critical", "warning"),
        "Nothing is planned after go-live",
        "Adoption happens in the weeks after go-live, not on the day. Without a plan for that "
        "period the project ends with a handoff document and CS starts from scratch.",
    ),
    FindingInfo(
        "plan_misses_stakeholder",
        "no_activation_plan",
        ("warning",),
        "The activation plan misses someone at risk",
        "A group or resistor with a medium or high risk needs at least one activation step "
        "aimed at them. A plan that only talks to everyone talks to no one in particular.",
    ),
    FindingInfo(
        "plan_misses_resistance",
        "no_activation_plan",
        ("warning",),
        "A resistance point has no plan item",
        "A mitigation that is not on the calendar tends not to happen. Linking a plan item to "
        "each open resistance point puts a date and an owner on it.",
    ),
    FindingInfo(
        "plan_item_without_owner",
        "no_activation_plan",
        ("warning",),
        "Upcoming plan items have no named owner",
        "An owner role such as 'customer manager' holds nobody accountable. Items due in the "
        "next few weeks need a person's name.",
    ),
    FindingInfo(
        "no_adoption_targets",
        "no_activation_plan",
        ("warning",),
        "No adoption targets for a daily-user group",
        "Without a weekly target nobody can tell whether adoption is on track until the renewal "
        "is at risk. A simple ramp to 80% weekly active by week 8 is enough to start.",
    ),
    FindingInfo(
        "no_cs_owner",
        "no_activation_plan",
        ("critical", "warning"),
        "No Customer Success owner",
        "Someone has to own adoption once the delivery team leaves. Naming the CS owner before "
        "go-live lets them meet the stakeholders while the project still has momentum.",
    ),
    FindingInfo(
        "champion_gap",
        "no_activation_plan",
        ("warning",),
        "A large daily-user group has no champion",
        "In a large group, colleagues who already use the product carry adoption further than "
        "any trainer: one champion per 25 to 50 people is usual. Without one, every question "
        "after go-live goes to the support desk or nowhere.",
    ),
    FindingInfo(
        "adkar_unverified",
        "no_activation_plan",
        ("warning",),
        "ADKAR scores not checked close to go-live",
        "A kickoff guess at awareness and desire is not a reading. Four weeks before go-live, "
        "the people whose work changes most need scores measured by a pulse survey or "
        "re-estimated in the last month, or the plan works on last season's picture.",
    ),
    FindingInfo(
        "adoption_behind_target",
        "after_go_live",
        ("critical",),
        "Adoption is behind target",
        "Two weeks in a row below 80% of target is a trend, not noise. The earlier the cause is "
        "found, the cheaper it is to fix.",
    ),
    FindingInfo(
        "handoff_not_accepted",
        "after_go_live",
        ("critical", "warning"),
        "CS has not accepted the handoff",
        "Until CS accepts the handoff, nobody clearly owns the account's adoption. CS must "
        "inherit the playbook before go-live, while the delivery team can still walk them "
        "through it, not after.",
    ),
    FindingInfo(
        "kpi_off_track",
        "after_go_live",
        ("warning",),
        "An outcome KPI is off track",
        "The KPIs are what the stakeholders said success looks like. A KPI well behind its "
        "line from baseline to target will not reach it on its own, and it is what the "
        "customer will judge the renewal on.",
    ),
    FindingInfo(
        "assessment_stale",
        "after_go_live",
        ("info",),
        "The assessment is out of date",
        "Nothing in the engagement has changed for a month, while the customer's organisation "
        "surely has. A short review keeps the readiness score honest.",
    ),
)

FINDING_CATALOGUE: dict[str, FindingInfo] = {info.code: info for info in _CATALOGUE}
FINDING_CODES: tuple[str, ...] = tuple(FINDING_CATALOGUE)


@dataclass(frozen=True)
class _Context:
    """An engagement indexed once, so every check runs in linear time."""

    data: EngagementData
    as_of: date
    days_to_go_live: int
    current_week: int
    risks: Mapping[str, Risk]
    stakeholders_by_name: tuple[Stakeholder, ...]
    points_by_stakeholder: Mapping[str, tuple[ResistancePoint, ...]]
    targets_by_stakeholder: Mapping[str, tuple[AdoptionTarget, ...]]
    active_items: tuple[PlanItem, ...]

    def points(self, stakeholder: Stakeholder) -> tuple[ResistancePoint, ...]:
        return self.points_by_stakeholder.get(stakeholder.id, ())

    def is_resistor(self, stakeholder: Stakeholder) -> bool:
        return is_resistor(stakeholder, self.points(stakeholder))


def _by_name(stakeholders: Iterable[Stakeholder]) -> tuple[Stakeholder, ...]:
    return tuple(sorted(stakeholders, key=lambda s: (s.name.casefold(), s.id)))


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _stakeholder_names(stakeholders: Sequence[Stakeholder]) -> str:
    return _names([s.name for s in stakeholders])


def _ids(stakeholders: Iterable[Stakeholder]) -> tuple[str, ...]:
    return tuple(s.id for s in stakeholders)


def _go_live_when(days: int) -> str:
    """Go-live relative to today, in words."""
    if days == 0:
        return "go-live is today"
    unit = "day" if abs(days) == 1 else "days"
    if days > 0:
        return f"go-live is in {days} {unit}"
    return f"go-live was {-days} {unit} ago"


def _words(code_value: str) -> str:
    return code_value.replace("_", " ")


def _landscape_missing_role(ctx: _Context) -> Iterator[Finding]:
    roles = {s.role for s in ctx.data.stakeholders}
    missing = [
        (question, answer)
        for question, answer, answering_roles in LANDSCAPE_QUESTIONS
        if not roles & answering_roles
    ]
    if missing:
        questions = "; ".join(f"who {question} ({answer})" for question, answer in missing)
        yield Finding(
            "landscape_missing_role",
            "critical",
            f"No stakeholder in the landscape answers: {questions}.",
            (),
            "Ask the customer's project lead who "
            + _names([question for question, _ in missing])
            + ", and add them to the landscape with their role.",
        )


def _opposition_not_mapped(ctx: _Context) -> Iterator[Finding]:
    opposed = any(s.opposed_purchase for s in ctx.data.stakeholders)
    if not opposed and not ctx.data.engagement.opposition_reviewed:
        yield Finding(
            "opposition_not_mapped",
            "warning",
            "Nobody in the landscape opposed the purchase, and the team has not recorded that "
            "it asked who did not want this.",
            (),
            "Ask the sponsor and the buyer who argued against this purchase; mark them as "
            "opposed, or record that the question was asked and the answer is nobody.",
        )


def _end_users_not_involved(ctx: _Context) -> Iterator[Finding]:
    daily_users = [s for s in ctx.stakeholders_by_name if s.role == "daily_user"]
    if daily_users and not any(s.involvement for s in daily_users):
        names = _stakeholder_names(daily_users)
        yield Finding(
            "end_users_not_involved",
            "critical",
            f"None of the daily users ({names}) took part in any implementation activity.",
            _ids(daily_users),
            f"Bring representatives of {names} into UAT and training design before go-live, "
            "and record their involvement.",
        )


def _needs_individual_attention(stakeholder: Stakeholder) -> bool:
    return stakeholder.kind == "group" or stakeholder.influence >= INFLUENTIAL_PERSON_MIN


def _success_undefined(ctx: _Context) -> Iterator[Finding]:
    undefined = [
        s
        for s in ctx.stakeholders_by_name
        if _needs_individual_attention(s) and not s.success_definition.strip()
    ]
    if undefined:
        names = _stakeholder_names(undefined)
        yield Finding(
            "success_undefined",
            "warning",
            f"No success definition for {names}.",
            _ids(undefined),
            f"Ask {names} what success looks like for them, specifically and measurably, and "
            "record it in their own words.",
        )


def _resistance_unexplored(ctx: _Context) -> Iterator[Finding]:
    unexplored = [
        s
        for s in ctx.stakeholders_by_name
        if _needs_individual_attention(s) and not s.resistance_triggers.strip()
    ]
    if unexplored:
        names = _stakeholder_names(unexplored)
        yield Finding(
            "resistance_unexplored",
            "warning",
            f"No resistance triggers recorded for {names}.",
            _ids(unexplored),
            f"Ask {names} what would make them, or their people, stop using the product, and "
            "record the answers as resistance triggers.",
        )


def _no_sponsor(ctx: _Context) -> Iterator[Finding]:
    sponsors = [s for s in ctx.stakeholders_by_name if s.role in SPONSOR_ROLES]
    if any(s.engagement in SPONSORING_ENGAGEMENT for s in sponsors):
        return
    message = "No executive sponsor or economic buyer is supportive or leading"
    if sponsors:
        states = ", ".join(f"{s.name} is {s.engagement}" for s in sponsors)
        message += f" ({states})"
    yield Finding(
        "no_sponsor",
        "critical",
        message + ".",
        _ids(sponsors),
        "Agree with the economic buyer or an executive that they will announce why the change "
        "matters and back it visibly, and record their engagement once they do.",
    )


def _no_resistors_identified(ctx: _Context) -> Iterator[Finding]:
    if not any(was_identified_as_resistor(s, ctx.points(s)) for s in ctx.data.stakeholders):
        yield Finding(
            "no_resistors_identified",
            "warning",
            "Nobody in the landscape was ever recorded as resistant, as having opposed the "
            "purchase, as losing authority or getting a harder job, and no resistance point of "
            f"severity {RESISTOR_MIN_SEVERITY} or more was recorded.",
            (),
            "Walk the landscape asking whose job gets harder and who loses control or "
            "visibility at go-live, and record what you find in the resistor register.",
        )


def _resistor_without_plan(ctx: _Context) -> Iterator[Finding]:
    for stakeholder in ctx.stakeholders_by_name:
        points = ctx.points(stakeholder)
        if not ctx.is_resistor(stakeholder) or any(has_mitigation_plan(p) for p in points):
            continue
        reasons = resistor_reasons(stakeholder, points)
        critical = stakeholder.influence >= CRITICAL_RESISTOR_INFLUENCE
        yield Finding(
            "resistor_without_plan",
            "critical" if critical else "warning",
            f"{stakeholder.name} is a resistor ({', '.join(reasons)}) and no resistance point "
            "of theirs has a mitigation plan: a strategy, a named owner and a status past "
            "open.",
            (stakeholder.id,),
            f"Record why {stakeholder.name} resists as a resistance point, choose a mitigation "
            "strategy, name the person who will carry it out and mark it planned.",
        )


def _risk_action(stakeholder: Stakeholder, risk: Risk) -> str:
    """The next step for the term that contributes most to the likelihood."""
    terms = risk.terms
    contributions = (
        ("engagement", LIKELIHOOD_ENGAGEMENT_WEIGHT * terms.engagement),
        ("resistance", LIKELIHOOD_RESISTANCE_WEIGHT * terms.resistance),
        ("signals", LIKELIHOOD_SIGNALS_WEIGHT * terms.signals),
        ("barrier", LIKELIHOOD_BARRIER_WEIGHT * terms.barrier),
        ("not_involved", LIKELIHOOD_NOT_INVOLVED_WEIGHT * terms.not_involved),
    )
    largest = max(contributions, key=lambda item: item[1])[0]
    name = stakeholder.name
    if largest == "engagement":
        return (
            f"Have the sponsor meet {name} to hear their concerns and move them from "
            f"{stakeholder.engagement} towards {stakeholder.desired_engagement}."
        )
    if largest == "resistance":
        return f"Start the mitigation of {name}'s most severe resistance point this week."
    if largest == "signals":
        return (
            f"Ask {name} what they lose at go-live (authority, workload) and agree what the "
            "project gives back."
        )
    if largest == "barrier":
        barrier = adkar_barrier(stakeholder.adkar)
        if barrier is None:
            return f"Run a pulse survey for {name} to find out where their ADKAR barrier is."
        return f"Work on {name}'s {barrier} first; later ADKAR steps cannot build without it."
    return f"Bring {name} into UAT or training design before go-live."


def _high_risk_stakeholder(ctx: _Context) -> Iterator[Finding]:
    for stakeholder in ctx.stakeholders_by_name:
        risk = ctx.risks[stakeholder.id]
        if risk.band != "high":
            continue
        message = (
            f"{stakeholder.name} has a high adoption risk of {risk.score} "
            f"(consequence {shown(risk.terms.consequence):.2f}, "
            f"likelihood {shown(risk.terms.likelihood):.2f})"
        )
        if risk.ramped:
            barrier = adkar_barrier(stakeholder.adkar)
            message += f", raised by the calendar: no {barrier} yet with go-live close"
        yield Finding(
            "high_risk_stakeholder",
            "warning",
            message + ".",
            (stakeholder.id,),
            _risk_action(stakeholder, risk),
        )


_LATE_BARRIER_ACTIONS = {
    "awareness": (
        "Have the sponsor explain to {name} this week, in person, why the change is happening "
        "and what happens if it does not, and have their manager repeat it."
    ),
    "desire": (
        "Find out what is in it for {name}: a 1:1 with their manager or the sponsor on their "
        "concerns this week, and a quick win they can see before go-live."
    ),
}


def _adkar_barrier_late(ctx: _Context) -> Iterator[Finding]:
    if ctx.days_to_go_live > LATE_BARRIER_DAYS:
        return
    for stakeholder in ctx.stakeholders_by_name:
        barrier = adkar_barrier(stakeholder.adkar)
        if stakeholder.impact < LATE_BARRIER_MIN_IMPACT or barrier not in LATE_BARRIERS:
            continue
        yield Finding(
            "adkar_barrier_late",
            "critical",
            f"{stakeholder.name} (impact {stakeholder.impact}) still lacks {barrier} and "
            f"{_go_live_when(ctx.days_to_go_live)}.",
            (stakeholder.id,),
            _LATE_BARRIER_ACTIONS[barrier].format(name=stakeholder.name),
        )


def _activation_items(ctx: _Context) -> list[PlanItem]:
    return [item for item in ctx.active_items if item.week >= FIRST_ACTIVATION_WEEK]


def _no_activation_plan(ctx: _Context) -> Iterator[Finding]:
    if _activation_items(ctx):
        return
    critical = ctx.days_to_go_live <= NO_PLAN_CRITICAL_DAYS
    yield Finding(
        "no_activation_plan",
        "critical" if critical else "warning",
        f"No plan item in week {FIRST_ACTIVATION_WEEK} or later: nothing is planned for the "
        f"activation period, and {_go_live_when(ctx.days_to_go_live)}.",
        (),
        "Generate the activation plan and go through it with the CS owner: who does what in "
        "each week after go-live.",
    )


def _plan_misses_stakeholder(ctx: _Context) -> Iterator[Finding]:
    activation_items = _activation_items(ctx)
    if not activation_items:
        return
    reached = {audience_id for item in activation_items for audience_id in item.audience_ids}
    missed = [
        s
        for s in ctx.stakeholders_by_name
        if (
            s.kind == "group"
            or (ctx.is_resistor(s) and ctx.risks[s.id].band in BANDS_NEEDING_REACH)
        )
        and s.id not in reached
        and s.group_id not in reached
    ]
    if missed:
        names = _stakeholder_names(missed)
        yield Finding(
            "plan_misses_stakeholder",
            "warning",
            f"No plan item from week {FIRST_ACTIVATION_WEEK} on reaches {names}.",
            _ids(missed),
            f"Add activation items with {names} in the audience: office hours, coaching or a "
            "check-in after go-live.",
        )


def _plan_misses_resistance(ctx: _Context) -> Iterator[Finding]:
    linked = {item.resistance_point_id for item in ctx.active_items}
    unplanned = [
        (stakeholder, point)
        for stakeholder in ctx.stakeholders_by_name
        for point in sorted(ctx.points(stakeholder), key=lambda p: (-p.severity, p.id))
        if is_open_resistance(point) and point.id not in linked
    ]
    if unplanned:
        described = "; ".join(
            f"{stakeholder.name}: {_words(point.source)} (severity {point.severity})"
            for stakeholder, point in unplanned
        )
        yield Finding(
            "plan_misses_resistance",
            "warning",
            f"No plan item is linked to these resistance points: {described}.",
            tuple(point.id for _, point in unplanned),
            "Link at least one plan item to each resistance point, in or before its due week, "
            "so the mitigation is on the calendar.",
        )


def _plan_item_without_owner(ctx: _Context) -> Iterator[Finding]:
    first, last = ctx.current_week, ctx.current_week + OWNER_LOOKAHEAD_WEEKS
    ownerless = sorted(
        (
            item
            for item in ctx.active_items
            if item.status == "planned" and first <= item.week <= last and not item.owner.strip()
        ),
        key=lambda item: (item.week, item.title.casefold(), item.id),
    )
    if ownerless:
        described = "; ".join(f'"{item.title}" (week {item.week})' for item in ownerless)
        yield Finding(
            "plan_item_without_owner",
            "warning",
            f"Plan items due in weeks {first} to {last} have no named owner: {described}.",
            tuple(item.id for item in ownerless),
            "Name a person for each of these items; an owner role alone holds nobody accountable.",
        )


def _no_adoption_targets(ctx: _Context) -> Iterator[Finding]:
    without = [
        s
        for s in ctx.stakeholders_by_name
        if s.kind == "group" and s.role == "daily_user" and s.id not in ctx.targets_by_stakeholder
    ]
    if without:
        names = _stakeholder_names(without)
        yield Finding(
            "no_adoption_targets",
            "warning",
            f"No weekly adoption target for {names}.",
            _ids(without),
            f"Set a weekly adoption ramp for {names} (by default up to 80% weekly active by "
            "week 8) so adoption can be checked against it.",
        )


def _no_cs_owner(ctx: _Context) -> Iterator[Finding]:
    if ctx.data.engagement.cs_owner_name.strip():
        return
    critical = ctx.days_to_go_live <= NO_CS_OWNER_CRITICAL_DAYS
    yield Finding(
        "no_cs_owner",
        "critical" if critical else "warning",
        f"No Customer Success owner is named, and {_go_live_when(ctx.days_to_go_live)}.",
        (),
        "Name the CS manager who will own the account after go-live and bring them into the "
        "activation planning now.",
    )


def _adoption_behind_target(ctx: _Context) -> Iterator[Finding]:
    # When it lags (`changeready.core.adoption`) is shared with plan generation,
    # which answers the same measured barrier with a `lagging.<barrier>` item.
    for stakeholder in ctx.stakeholders_by_name:
        latest = weeks_behind(ctx.targets_by_stakeholder.get(stakeholder.id, ()), ctx.current_week)
        if not latest:
            continue
        figures = ", ".join(
            f"week {t.week}: {t.actual_pct:g}% against {t.target_pct:g}%" for t in latest
        )
        barrier = measured_barrier(stakeholder)
        if barrier:
            said = (
                f" Their latest pulse survey puts the barrier at {barrier}: what they say "
                "and what they do agree."
            )
            action = (
                f"Act on {barrier} with {stakeholder.name} this week: regenerate the plan to "
                f"add the step for it (lagging.{barrier}) and name who runs it."
            )
        else:
            said = ""
            action = (
                f"Find out this week why {stakeholder.name} is not using it (pulse survey, "
                "floor walk with their managers and champions) and add coaching or fixes to "
                "the plan."
            )
        yield Finding(
            "adoption_behind_target",
            "critical",
            f"{stakeholder.name} is below {ADOPTION_BEHIND_RATIO:.0%} of its adoption target "
            f"in each of the last {ADOPTION_BEHIND_WEEKS} measured weeks ({figures}).{said}",
            (stakeholder.id,),
            action,
        )


def _champion_gap(ctx: _Context) -> Iterator[Finding]:
    landscape = {s.id: s for s in ctx.data.stakeholders}
    championed = {s.group_id for s in ctx.data.stakeholders if s.kind == "person" and s.is_champion}
    without = [
        (s, people)
        for s in ctx.stakeholders_by_name
        if s.kind == "group"
        and s.role == "daily_user"
        and (people := people_of(s, landscape)) >= CHAMPION_MIN_PEOPLE
        and s.id not in championed
    ]
    if without:
        described = _names([f"{s.name} ({people} people)" for s, people in without])
        names = _stakeholder_names([s for s, _ in without])
        yield Finding(
            "champion_gap",
            "warning",
            f"No champion belongs to {described}.",
            _ids(s for s, _ in without),
            f"Ask the managers of {names} to name champions, about one per 25 to 50 people, "
            "and record them as persons of the group marked as champions.",
        )


def _kpi_off_track(ctx: _Context) -> Iterator[Finding]:
    # The rule lives in `changeready.core.kpis`; this only words it. Its
    # subjects are KPI ids: the KPI is what is off track.
    for found in off_track_kpis(ctx.data.kpis, ctx.current_week):
        unit = f" {found.kpi.unit}" if found.kpi.unit else ""
        yield Finding(
            "kpi_off_track",
            "warning",
            f"{found.kpi.name} was {found.value:g}{unit} in week {found.week}, where its line "
            f"from {found.kpi.baseline:g}{unit} to {found.kpi.target:g}{unit} by week "
            f"{found.kpi.due_week} expected {round(found.expected, 2):g}{unit}.",
            (found.kpi.id,),
            f"Find out with the people who own {found.kpi.name} what stands in the way and "
            "add the fix to the plan, or agree a new target with them.",
        )


def _adkar_is_current(stakeholder: Stakeholder, as_of: date) -> bool:
    """Measured by a survey, or estimated and dated within the last 30 days."""
    if not has_adkar_scores(stakeholder.adkar):
        return False
    if stakeholder.adkar_source == "survey":
        return True
    assessed_on = stakeholder.adkar_assessed_on
    return assessed_on is not None and (as_of - assessed_on).days <= ADKAR_ESTIMATE_VALID_DAYS


def _adkar_unverified(ctx: _Context) -> Iterator[Finding]:
    if ctx.days_to_go_live > UNVERIFIED_ADKAR_DAYS:
        return
    unverified = [
        s
        for s in ctx.stakeholders_by_name
        if s.impact >= UNVERIFIED_ADKAR_MIN_IMPACT and not _adkar_is_current(s, ctx.as_of)
    ]
    if unverified:
        names = _stakeholder_names(unverified)
        yield Finding(
            "adkar_unverified",
            "warning",
            f"The ADKAR scores of {names} are missing or estimated more than "
            f"{ADKAR_ESTIMATE_VALID_DAYS} days ago, and {_go_live_when(ctx.days_to_go_live)}.",
            _ids(unverified),
            f"Send {names} a pulse survey, or re-estimate their ADKAR with their managers this "
            "week.",
        )


def _handoff_not_accepted(ctx: _Context) -> Iterator[Finding]:
    days = ctx.days_to_go_live
    if ctx.data.engagement.handoff_accepted or days > HANDOFF_WARNING_DAYS:
        return
    critical = days <= HANDOFF_CRITICAL_DAYS
    yield Finding(
        "handoff_not_accepted",
        "critical" if critical else "warning",
        f"CS has not accepted the handoff, and {_go_live_when(days)}.",
        (),
        "Walk the CS owner through the activation playbook and have them accept it in the app "
        "before go-live.",
    )


def _assessment_stale(ctx: _Context) -> Iterator[Finding]:
    engagement = ctx.data.engagement
    if engagement.phase in UNTRACKED_PHASES:
        return
    earlier = [day for day in engagement.snapshot_dates if day <= ctx.as_of]
    latest = max(earlier, default=None)
    if latest is not None and latest >= ctx.as_of - timedelta(days=STALE_AFTER_DAYS):
        return
    if latest is None:
        message = "There is no assessment snapshot yet, so readiness is not tracked over time."
    else:
        message = (
            f"The latest assessment snapshot is from {latest.isoformat()}, more than "
            f"{STALE_AFTER_DAYS} days ago: nothing in the engagement has been updated since."
        )
    yield Finding(
        "assessment_stale",
        "info",
        message,
        (),
        "Review the landscape, the resistor register and the plan with the team and update "
        "what has changed.",
    )


_CHECKS: dict[str, Callable[[_Context], Iterator[Finding]]] = {
    "landscape_missing_role": _landscape_missing_role,
    "opposition_not_mapped": _opposition_not_mapped,
    "end_users_not_involved": _end_users_not_involved,
    "success_undefined": _success_undefined,
    "resistance_unexplored": _resistance_unexplored,
    "no_sponsor": _no_sponsor,
    "no_resistors_identified": _no_resistors_identified,
    "resistor_without_plan": _resistor_without_plan,
    "high_risk_stakeholder": _high_risk_stakeholder,
    "adkar_barrier_late": _adkar_barrier_late,
    "no_activation_plan": _no_activation_plan,
    "plan_misses_stakeholder": _plan_misses_stakeholder,
    "plan_misses_resistance": _plan_misses_resistance,
    "plan_item_without_owner": _plan_item_without_owner,
    "no_adoption_targets": _no_adoption_targets,
    "no_cs_owner": _no_cs_owner,
    "champion_gap": _champion_gap,
    "adkar_unverified": _adkar_unverified,
    "adoption_behind_target": _adoption_behind_target,
    "handoff_not_accepted": _handoff_not_accepted,
    "kpi_off_track": _kpi_off_track,
    "assessment_stale": _assessment_stale,
}


_PerStakeholder = TypeVar("_PerStakeholder", ResistancePoint, AdoptionTarget)


def index_by_stakeholder(
    items: Iterable[_PerStakeholder],
) -> dict[str, tuple[_PerStakeholder, ...]]:
    """Resistance points or adoption targets grouped by stakeholder id, in input order."""
    grouped: defaultdict[str, list[_PerStakeholder]] = defaultdict(list)
    for item in items:
        grouped[item.stakeholder_id].append(item)
    return {stakeholder_id: tuple(group) for stakeholder_id, group in grouped.items()}


def find_findings(
    data: EngagementData, as_of: date, risks: Mapping[str, Risk]
) -> tuple[Finding, ...]:
    """All findings of the engagement as of `as_of`, in display order.

    `risks` maps every stakeholder id to its risk (computed first, because
    `high_risk_stakeholder` and `plan_misses_stakeholder` depend on it).
    """
    if data.engagement.phase == CLOSED_PHASE:
        return ()
    go_live = data.engagement.go_live_date
    ctx = _Context(
        data=data,
        as_of=as_of,
        days_to_go_live=days_to_go_live(go_live, as_of),
        current_week=plan_week(go_live, as_of),
        risks=risks,
        stakeholders_by_name=_by_name(data.stakeholders),
        points_by_stakeholder=index_by_stakeholder(data.resistance_points),
        targets_by_stakeholder=index_by_stakeholder(data.adoption_targets),
        active_items=tuple(item for item in data.plan_items if item.status != "skipped"),
    )
    findings = [finding for code in FINDING_CODES for finding in _CHECKS[code](ctx)]
    # Stable sort: within a severity the checks' code order and subject order stay.
    return tuple(sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.severity)))
