"""Activation-plan rules as data, and the built-in rule library.

A rule says *what* to do (title, description, kind, workstream, format, owner
role, ADKAR target), *when* (weeks counted from an anchor) and *for whom*
(conditions over the landscape). Rules are data, not code, because each
workspace keeps its own template library: it copies the built-in rules, edits
them, switches them off and adds its own, and stores them as JSON.
`Rule.from_dict` therefore refuses bad data with a `ValueError` that names the
field, instead of letting a typo in an edited rule break plan generation later.

How a rule turns into plan items (`changeready.core.planning` applies this):

- `audience="engagement"`: one item per week for the whole engagement. Its
  audience is every stakeholder that meets the rule's conditions, sorted by id;
  a rule without conditions addresses everyone. A rule *with* conditions that
  nobody meets produces nothing: an item addressed to nobody is noise.
- `audience="each"`: one item per week for every stakeholder that meets the
  conditions; the audience is that stakeholder and `{name}` in the title or
  description is replaced by its name.
- `audience="team"`: one item per week addressed to no stakeholder: work of the
  delivery team and Customer Success themselves (the go/no-go, a review).
- family `resistance`: one item per week for every unresolved resistance point
  of a *resistor* whose source is in `resistance_sources` (empty means any
  source); family `concern` does the same for the points of stakeholders who
  are not resistors (a supportive stakeholder's concern is coached, not
  handled as resistance). The item is linked to the point and addressed to
  its stakeholder.
- A rule of kind `resistance` only ever addresses resistors (domain reference,
  section 6, guarantee 2), whatever its conditions say.

- family `lagging`: one item for each group whose adoption lags behind its
  target (`changeready.core.adoption`), when the barrier its people's latest
  pulse survey measured is in `barriers` (empty: any group that lags, whatever
  it measured). Its weeks count from the current week, where the lag was seen,
  whatever the anchor: say and do together (docs/domain.md, "Measured adoption
  and outcome KPIs").

When: `weeks` count from the rule's `anchor`: `go_live` (week 0 is go-live
week), `kickoff` (0 is the kickoff week, the first week of the plan) or
`value_review` (0 is the value review, ten weeks before the renewal; such a rule
needs a renewal date). With `repeat_every`, the last listed week repeats every
that many weeks until the value review (or the end of the plan without one);
the occurrences after week 12 become one recurring item (guarantee 8).
`{date}` in a title or description is the Monday of the item's week.

Conditions (`roles`, `quadrants`, `kinds`, `barriers`, `resistors_only`,
`adoption_modes`, `themes`, `min_headcount`, and `resistance_sources` for resistance
and concern rules) combine with AND; within one condition the listed values
combine with OR; an empty condition means "any".
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, NoReturn

from changeready.core.model import (
    ADKAR_ELEMENTS,
    ADOPTION_MODES,
    FORMATS,
    KINDS,
    OWNER_ROLES,
    PLAN_ITEM_KINDS,
    QUADRANTS,
    RESISTANCE_SOURCES,
    ROLES,
    WORKSTREAMS,
)
from changeready.core.themes import THEME_CODES
from changeready.core.weeks import EARLIEST_FIRST_WEEK, LATEST_LAST_WEEK

FAMILIES = (
    "baseline",
    "role",
    "quadrant",
    "resistance",
    "concern",
    "barrier",
    "theme",
    "mandatory",
    "handoff",
    "lagging",
)
# Families that act per unresolved resistance point.
POINT_FAMILIES = ("resistance", "concern")
AUDIENCE_MODES = ("engagement", "each", "team")
ANCHORS = ("go_live", "kickoff", "value_review")
# The plan-week range the engagement file accepts for plan items.
MIN_WEEK = EARLIEST_FIRST_WEEK
MAX_WEEK = LATEST_LAST_WEEK
# Short enough that a title with a 200-character stakeholder name filled in
# still fits the engagement file's 300-character plan item title, and reads
# as one line in a calendar.
MAX_TITLE_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 10_000
# What a plan item holds (the engagement file's limits), and the longest
# stakeholder name a {name} placeholder may be filled with.
PLAN_ITEM_TITLE_LENGTH = 300
PLAN_ITEM_DESCRIPTION_LENGTH = 10_000
MAX_NAME_LENGTH = 200
# The longest {date}: "30 September 2027".
MAX_DATE_LENGTH = 17
# Keys of the core's own guarantee items; user rules may not use them, so a
# rule can never collide with (or impersonate) a guarantee.
RESERVED_KEY_PREFIX = "safety_net."
_KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_MAX_KEY_LENGTH = 80
_PLACEHOLDERS = ("name", "date")

# Where a rule that does not say so puts its items: v1 rules (stored by
# workspaces before workstreams and formats existed) keep working unchanged.
WORKSTREAM_OF_KIND = {
    "communication": "communication",
    "training": "enablement",
    "coaching": "enablement",
    "resistance": "resistance",
    "checkpoint": "sponsorship",
    "measurement": "measurement",
    "reinforcement": "sponsorship",
    "handoff": "handoff",
}
FORMAT_OF_KIND = {
    "communication": "broadcast",
    "training": "workshop",
    "coaching": "group_session",
    "resistance": "one_to_one",
    "checkpoint": "review",
    "measurement": "review",
    "reinforcement": "task",
    "handoff": "review",
}


# --- the rule -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rule:
    key: str
    family: str
    title: str
    kind: str
    owner_role: str
    weeks: tuple[int, ...]
    description: str = ""
    # Empty means the kind's usual workstream and format (see the maps above).
    workstream: str = ""
    format: str = ""
    adkar_target: str | None = None
    enabled: bool = True
    audience: str = "each"
    anchor: str = "go_live"
    repeat_every: int | None = None
    roles: tuple[str, ...] = ()
    quadrants: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    resistance_sources: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()
    adoption_modes: tuple[str, ...] = ()
    # Stakeholders whose own words carry one of these themes (section 3).
    themes: tuple[str, ...] = ()
    # Groups of at least this many people (section 3, "people").
    min_headcount: int | None = None
    # Only stakeholders that are resistors (domain reference, section 3).
    resistors_only: bool = False

    def __post_init__(self) -> None:
        label = repr(self.key) if isinstance(self.key, str) else "without a valid key"
        try:
            _validate(self)
        except ValueError as error:
            raise ValueError(f"rule {label}: {error}") from None
        if not self.workstream:
            object.__setattr__(self, "workstream", WORKSTREAM_OF_KIND[self.kind])
        if not self.format:
            object.__setattr__(self, "format", FORMAT_OF_KIND[self.kind])

    @property
    def has_conditions(self) -> bool:
        return bool(
            self.roles
            or self.quadrants
            or self.kinds
            or self.resistance_sources
            or self.barriers
            or self.adoption_modes
            or self.themes
            or self.min_headcount is not None
            or self.resistors_only
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as the workspace template library stores it."""
        data: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            data[spec.name] = list(value) if isinstance(value, tuple) else value
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Rule:
        """Build a rule from stored or user-edited JSON; `ValueError` names the bad field."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a rule must be an object, not {type(data).__name__}")
        label = repr(data["key"]) if isinstance(data.get("key"), str) else "without a key"
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(str(name) for name in data if name not in known)
        if unknown:
            raise ValueError(f"rule {label}: unknown field {unknown[0]!r}")
        missing = [name for name in _REQUIRED_FIELDS if name not in data]
        if missing:
            raise ValueError(f"rule {label}: field {missing[0]!r} is required")
        values: dict[str, Any] = {
            name: tuple(value) if name in _TUPLE_FIELDS and isinstance(value, list) else value
            for name, value in data.items()
        }
        return cls(**values)


_REQUIRED_FIELDS = ("key", "family", "title", "kind", "owner_role", "weeks")
_TUPLE_FIELDS = (
    "weeks",
    "roles",
    "quadrants",
    "kinds",
    "resistance_sources",
    "barriers",
    "adoption_modes",
    "themes",
)


def _validate(rule: Rule) -> None:
    key = rule.key
    if not isinstance(key, str) or len(key) > _MAX_KEY_LENGTH or not _KEY_PATTERN.match(key):
        _fail(
            "key",
            "must be a dotted slug of lowercase letters, digits and underscores "
            f"such as 'baseline.go_live_notice', at most {_MAX_KEY_LENGTH} characters",
        )
    if key.startswith(RESERVED_KEY_PREFIX):
        _fail("key", f"must not start with {RESERVED_KEY_PREFIX!r}: reserved for the core")
    _check_choice("family", rule.family, FAMILIES)
    _check_choice("kind", rule.kind, PLAN_ITEM_KINDS)
    _check_choice("owner_role", rule.owner_role, OWNER_ROLES)
    _check_choice("audience", rule.audience, AUDIENCE_MODES)
    _check_choice("anchor", rule.anchor, ANCHORS)
    if rule.workstream:
        _check_choice("workstream", rule.workstream, WORKSTREAMS)
    if rule.format:
        _check_choice("format", rule.format, FORMATS)
    if rule.adkar_target is not None:
        _check_choice("adkar_target", rule.adkar_target, ADKAR_ELEMENTS)
    for name in ("enabled", "resistors_only"):
        if not isinstance(getattr(rule, name), bool):
            _fail(name, "must be true or false")
    _check_text(rule, "title", MAX_TITLE_LENGTH, PLAN_ITEM_TITLE_LENGTH, required=True)
    _check_text(
        rule, "description", MAX_DESCRIPTION_LENGTH, PLAN_ITEM_DESCRIPTION_LENGTH, required=False
    )
    _check_weeks(rule.weeks)
    _check_count("repeat_every", rule.repeat_every, "weeks between repeats")
    _check_count("min_headcount", rule.min_headcount, "people")
    for name, allowed in (
        ("roles", ROLES),
        ("quadrants", QUADRANTS),
        ("kinds", KINDS),
        ("resistance_sources", RESISTANCE_SOURCES),
        ("barriers", ADKAR_ELEMENTS),
        ("adoption_modes", ADOPTION_MODES),
        ("themes", THEME_CODES),
    ):
        values = getattr(rule, name)
        if not isinstance(values, tuple):
            _fail(name, "must be a list")
        for value in values:
            _check_choice(name, value, allowed)
        if len(set(values)) != len(values):
            _fail(name, "lists a value twice")
    if rule.family in POINT_FAMILIES and rule.audience != "each":
        _fail(
            "audience",
            f"must be 'each' for a {rule.family} rule: it acts per resistance point",
        )
    if rule.resistance_sources and rule.family not in POINT_FAMILIES:
        _fail(
            "resistance_sources",
            "is only allowed on rules of the 'resistance' and 'concern' families",
        )
    if rule.family == "theme" and (
        len(rule.themes) != 1 or not key.startswith(f"theme.{rule.themes[0]}.")
    ):
        _fail(
            "themes",
            "must name exactly one theme for a theme rule, and the key must start with "
            "'theme.<that theme>.'",
        )
    if rule.audience == "team" and rule.has_conditions:
        _fail("audience", "'team' addresses no stakeholder, so it takes no conditions")


def _fail(field_name: str, problem: str) -> NoReturn:
    raise ValueError(f"field {field_name!r} {problem}")


def _check_choice(field_name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        _fail(field_name, f"has {value!r}; expected one of {', '.join(allowed)}")


def _check_count(field_name: str, value: Any, unit: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        _fail(field_name, f"must be a whole number of {unit}, at least 1")


def _check_text(
    rule: Rule, field_name: str, max_length: int, filled_max_length: int, *, required: bool
) -> None:
    """`filled_max_length`: what the text may grow to once each {name} holds the longest name."""
    text = getattr(rule, field_name)
    if not isinstance(text, str):
        _fail(field_name, "must be text")
    if required and not text.strip():
        _fail(field_name, "must not be empty")
    if len(text) > max_length:
        _fail(field_name, f"is longer than {max_length} characters")
    try:
        placeholders = [
            parsed for parsed in string.Formatter().parse(text) if parsed[1] is not None
        ]
    except ValueError as error:
        _fail(field_name, f"has a stray brace ({error}); write '{{{{' or '}}}}' for a literal one")
    for _, placeholder, spec, conversion in placeholders:
        if placeholder not in _PLACEHOLDERS or spec or conversion:
            _fail(
                field_name,
                f"has the placeholder {{{placeholder}}}; only {{name}} and {{date}} are allowed",
            )
        if placeholder == "name" and rule.audience != "each":
            _fail(field_name, "uses {name}, which only an 'each' rule can fill (one stakeholder)")
    names = sum(placeholder == "name" for _, placeholder, _, _ in placeholders)
    dates = len(placeholders) - names
    filled = (
        len(text)
        + names * (MAX_NAME_LENGTH - len("{name}"))
        + dates * (MAX_DATE_LENGTH - len("{date}"))
    )
    if filled > filled_max_length:
        _fail(
            field_name,
            f"uses {{name}} {names} times: with a {MAX_NAME_LENGTH}-character name "
            f"it would be longer than the {filled_max_length} characters a plan item holds",
        )


def _check_weeks(weeks: Any) -> None:
    if not isinstance(weeks, tuple) or not weeks:
        _fail("weeks", "must be a non-empty list of week numbers")
    for week in weeks:
        # bool is an int subclass; `true` in JSON is never a week.
        if isinstance(week, bool) or not isinstance(week, int):
            _fail("weeks", f"has {week!r}; weeks are whole numbers counted from the anchor")
        if not MIN_WEEK <= week <= MAX_WEEK:
            _fail("weeks", f"has {week}; weeks run from {MIN_WEEK} to {MAX_WEEK}")
    if len(set(weeks)) != len(weeks):
        _fail("weeks", "lists a week twice")


def rules_from_dicts(data: Any) -> tuple[Rule, ...]:
    """A whole stored library; the error names the position of the bad rule."""
    if not isinstance(data, list):
        raise ValueError("a rule library must be a list of rules")
    rules = []
    for position, item in enumerate(data):
        try:
            rules.append(Rule.from_dict(item))
        except ValueError as error:
            raise ValueError(f"rule #{position + 1}: {error}") from error
    check_unique_keys(rules)
    return tuple(rules)


def check_unique_keys(rules: Iterable[Rule]) -> None:
    """Refuse a library that uses a key twice: the key is the identity of generated items."""
    seen: set[str] = set()
    for rule in rules:
        if rule.key in seen:
            raise ValueError(f"rule key {rule.key!r} is used twice")
        seen.add(rule.key)


# --- the built-in library -----------------------------------------------------
#
# The playbook a seasoned change manager would run for a B2B implementation,
# from kickoff to renewal (domain reference, section 6). Workspaces start from
# a copy of it. Everyone who uses the product or manages people who do: the
# roles role-based steps address. Executives are addressed by their own steps
# only, so the plan does not fill a sponsor's diary with every broadcast.
_USERS = ("daily_user", "people_manager", "product_admin")
_SPONSORS = ("executive_sponsor", "economic_buyer")

_MOBILISE = (
    Rule(
        key="baseline.sponsor_roadmap",
        family="baseline",
        title="Agree the sponsor roadmap",
        description=(
            "In the first weeks, not at go-live: what the sponsor says and when, which teams "
            "they visit in go-live week, which resistors they call personally and which "
            "decisions they take if the plan slips. Sponsors who are not asked stay invisible."
        ),
        kind="coaching",
        workstream="sponsorship",
        format="one_to_one",
        owner_role="delivery",
        anchor="kickoff",
        weeks=(1,),
        adkar_target="desire",
        audience="engagement",
        roles=_SPONSORS,
    ),
    Rule(
        key="baseline.champion_recruitment",
        family="baseline",
        title="Recruit champions in {name}",
        description=(
            "One respected peer per 25 to 50 people, chosen with their manager, with time set "
            "aside for the role. Champions join design and testing, so they can answer "
            "'why is it like this?' on go-live day."
        ),
        kind="coaching",
        workstream="enablement",
        format="task",
        owner_role="customer_manager",
        anchor="kickoff",
        weeks=(2,),
        adkar_target="ability",
        roles=("daily_user",),
        kinds=("group",),
        min_headcount=50,
    ),
    Rule(
        key="baseline.resistor_design_involvement",
        family="baseline",
        title="Bring {name} into design decisions before configuration freezes",
        description=(
            "Invite {name} to the design workshop that settles the rules, exceptions and "
            "screens they will live with. A decision they shaped is one they defend; after "
            "configuration freezes, their objections can only be handled, not designed out."
        ),
        kind="resistance",
        workstream="resistance",
        format="workshop",
        owner_role="delivery",
        anchor="kickoff",
        weeks=(3,),
        adkar_target="desire",
        resistors_only=True,
    ),
)

_PREPARE_AND_GO_LIVE = (
    Rule(
        key="baseline.sponsor_announcement",
        family="baseline",
        title="Sponsor announces the change and why it matters",
        description=(
            "The executive sponsor, in their own words and their own channel: why we are "
            "changing, what happens if we don't, what changes for whom and when. Sent by "
            "the sponsor, not by the project team."
        ),
        kind="communication",
        workstream="communication",
        format="broadcast",
        owner_role="sponsor",
        weeks=(-6,),
        adkar_target="awareness",
        audience="engagement",
        roles=(*_USERS, "downstream"),
    ),
    Rule(
        key="baseline.manager_briefing_kit",
        family="baseline",
        title="Brief the managers with the briefing kit",
        description=(
            "Talking points, an FAQ, the go-live timeline and what a day looks like "
            "afterwards, so managers answer their people's questions before the rumour "
            "mill does. Walk them through it in a 30-minute call."
        ),
        kind="communication",
        workstream="communication",
        format="group_session",
        owner_role="delivery",
        weeks=(-3,),
        adkar_target="awareness",
        audience="engagement",
        roles=("people_manager",),
    ),
    Rule(
        key="baseline.role_based_training",
        family="baseline",
        title="Run role-based training",
        description=(
            "Train each role on its own top five tasks with its own data, not a feature "
            "tour. Finish with every participant doing one real task unaided."
        ),
        kind="training",
        workstream="enablement",
        format="workshop",
        owner_role="delivery",
        weeks=(-2,),
        adkar_target="knowledge",
        audience="engagement",
        roles=_USERS,
    ),
    Rule(
        key="baseline.champions_ready",
        family="baseline",
        title="Brief champions and tell every team who theirs is",
        description=(
            "Champions get the issue route, the FAQ and an hour in the live system. Every "
            "team knows the name of the peer to ask first."
        ),
        kind="coaching",
        workstream="enablement",
        format="group_session",
        owner_role="delivery",
        weeks=(-1,),
        adkar_target="ability",
        audience="engagement",
        roles=_USERS,
    ),
    Rule(
        key="baseline.office_hours_before_go_live",
        family="baseline",
        title="Open drop-in office hours",
        description=(
            "Two slots this week to try the system on real work and ask anything. "
            "Note every question: they become the FAQ and the first job aids."
        ),
        kind="coaching",
        workstream="support",
        format="group_session",
        owner_role="delivery",
        weeks=(-1,),
        adkar_target="ability",
        audience="engagement",
        roles=_USERS,
    ),
    Rule(
        key="baseline.go_live_notice",
        family="baseline",
        title="Go-live notice: what changes today and where to get help",
        description=(
            "Sent on go-live morning: what is switched on, what is switched off, who to ask, "
            "how to report a problem."
        ),
        kind="communication",
        workstream="communication",
        format="broadcast",
        owner_role="customer_manager",
        weeks=(0,),
        adkar_target="ability",
        audience="engagement",
        roles=(*_USERS, "downstream"),
    ),
    Rule(
        key="baseline.daily_triage",
        family="baseline",
        title="Daily issue triage through go-live week",
        description=(
            "Fifteen minutes every morning with the customer admin: every reported issue "
            "gets an owner and an answer within a day; publish what was fixed."
        ),
        kind="checkpoint",
        workstream="support",
        format="review",
        owner_role="delivery",
        weeks=(0,),
        audience="team",
    ),
)

_HANDOFF = (
    Rule(
        key="handoff.readiness_review",
        family="handoff",
        title="Readiness review: Customer Success accepts the playbook",
        description=(
            "The CS owner joins the readiness review, walks the remaining plan, the resistor "
            "register and the adoption targets with the delivery lead, and accepts the "
            "handoff in the app. CS inherits the playbook before go-live, not after."
        ),
        kind="handoff",
        workstream="handoff",
        format="review",
        owner_role="customer_success",
        weeks=(-2,),
        audience="team",
    ),
    Rule(
        key="handoff.go_no_go",
        family="handoff",
        title="Go/no-go decision",
        description=(
            "Decide with the customer: training done, champions briefed, every critical "
            "finding closed or accepted, support route tested, fallback agreed. Record the "
            "decision and who took it."
        ),
        kind="checkpoint",
        workstream="handoff",
        format="review",
        owner_role="delivery",
        weeks=(-1,),
        audience="team",
    ),
    Rule(
        key="handoff.hypercare_exit_review",
        family="handoff",
        title="Hypercare exit review",
        description=(
            "Hypercare ends when its criteria are met, not on a date. Criteria: adoption at "
            "or above target two weeks running for every daily-user group; no open critical "
            "finding; support requests falling week on week; every open resistance point "
            "has an owner. If a criterion is not met, agree what closes it and review again "
            "in two weeks."
        ),
        kind="checkpoint",
        workstream="handoff",
        format="review",
        owner_role="customer_success",
        weeks=(4,),
        audience="team",
    ),
)

_HYPERCARE_TO_RENEWAL = (
    Rule(
        key="baseline.daily_office_hours",
        family="baseline",
        title="Daily office hours in the first live week",
        description=(
            "Same time every day, at or near the point of work. Champions attend; the "
            "questions asked decide next week's job aids."
        ),
        kind="coaching",
        workstream="support",
        format="group_session",
        owner_role="champion",
        weeks=(1,),
        adkar_target="ability",
        audience="engagement",
        roles=_USERS,
    ),
    Rule(
        key="baseline.weekly_adoption_review",
        family="baseline",
        title="Weekly adoption review",
        description=(
            "Actual against target per group, the top three blockers and who removes them "
            "by next week."
        ),
        kind="measurement",
        workstream="measurement",
        format="review",
        owner_role="customer_success",
        weeks=(1, 2, 3),
        audience="team",
    ),
    Rule(
        key="baseline.pulse_survey",
        family="baseline",
        title="Run the ADKAR pulse survey",
        description=(
            "Ten statements, five minutes. The result moves each group's barrier and "
            "decides where coaching goes next."
        ),
        kind="measurement",
        workstream="measurement",
        format="task",
        owner_role="customer_success",
        weeks=(2,),
        audience="engagement",
        roles=(*_USERS, "downstream"),
    ),
    Rule(
        key="baseline.first_win_message",
        family="baseline",
        title="Share the first win",
        description=(
            "One concrete result from the first live weeks, with numbers and the names of "
            "the people who made it happen, sent by the sponsor."
        ),
        kind="communication",
        workstream="communication",
        format="broadcast",
        owner_role="sponsor",
        weeks=(3,),
        adkar_target="reinforcement",
        audience="engagement",
        roles=_USERS,
    ),
    Rule(
        key="baseline.depth_review",
        family="baseline",
        title="Depth-of-use review",
        description=(
            "Beyond logins: which tasks run in the system, which still run around it, and "
            "which workarounds to retire next."
        ),
        kind="measurement",
        workstream="measurement",
        format="review",
        owner_role="customer_success",
        weeks=(8,),
        adkar_target="reinforcement",
        audience="team",
    ),
    Rule(
        key="baseline.outcome_review",
        family="baseline",
        title="Outcome review against the success definitions",
        description=(
            "Compare each stakeholder's success definition with what happened; agree the "
            "next goals and who reports them."
        ),
        kind="checkpoint",
        workstream="measurement",
        format="review",
        owner_role="customer_success",
        weeks=(12,),
        adkar_target="reinforcement",
        audience="engagement",
        roles=_SPONSORS,
    ),
    Rule(
        key="baseline.adoption_review_cycle",
        family="baseline",
        title="Four-weekly adoption review",
        description=(
            "Adoption and outcome figures per group against target, what slipped since the "
            "last review, the next workaround to retire and who acts. Keeps the path to the "
            "renewal visible."
        ),
        kind="measurement",
        workstream="measurement",
        format="review",
        owner_role="customer_success",
        weeks=(16,),
        repeat_every=4,
        adkar_target="reinforcement",
        audience="team",
    ),
    Rule(
        key="role.value_review",
        family="role",
        title="Value review with {name} before the renewal",
        description=(
            "Ten weeks before the renewal: what {name} bought this for, in their numbers, "
            "against what happened; what is still in the way and what the next year "
            "should deliver. Time enough to fix what the review finds."
        ),
        kind="checkpoint",
        workstream="sponsorship",
        format="one_to_one",
        owner_role="customer_success",
        anchor="value_review",
        weeks=(0,),
        adkar_target="reinforcement",
        roles=("economic_buyer",),
    ),
)

_ROLE = (
    Rule(
        key="role.economic_buyer_value_checkin",
        family="role",
        title="Value check-in with {name}",
        description=(
            "Review progress against what {name} bought this for, in their numbers. Agree "
            "what would prove value by the next check-in."
        ),
        kind="checkpoint",
        workstream="sponsorship",
        format="one_to_one",
        owner_role="customer_success",
        weeks=(-1, 6),
        adkar_target="reinforcement",
        roles=("economic_buyer",),
    ),
    Rule(
        key="role.sponsor_visible",
        family="role",
        title="{name} shows up where the work happens",
        description=(
            "Visit a team at work, use the system in front of them, thank early adopters "
            "by name. Presence says more than the announcement did."
        ),
        kind="reinforcement",
        workstream="sponsorship",
        format="task",
        owner_role="sponsor",
        weeks=(0, 3),
        adkar_target="reinforcement",
        roles=("executive_sponsor",),
    ),
    Rule(
        key="role.manager_coaching",
        family="role",
        title="Coach {name} to lead their team through the change",
        description=(
            "Managers are the people employees listen to about change. Prepare {name} to "
            "explain the why, coach the new way of working, spot resistance early and "
            "escalate what they cannot solve."
        ),
        kind="coaching",
        workstream="enablement",
        format="one_to_one",
        owner_role="delivery",
        weeks=(-4, 1, 4),
        adkar_target="desire",
        roles=("people_manager",),
    ),
    Rule(
        key="role.admin_enablement",
        family="role",
        title="Admin enablement for {name}",
        description=(
            "Hands-on: the configuration {name} will own, how to change it safely, how to "
            "test a change and how to roll it back."
        ),
        kind="training",
        workstream="enablement",
        format="workshop",
        owner_role="delivery",
        weeks=(-3,),
        adkar_target="knowledge",
        roles=("product_admin",),
    ),
    Rule(
        key="role.admin_config_ownership",
        family="role",
        title="Hand configuration ownership to {name}",
        description=(
            "{name} makes the next configuration change while we watch, and gets a named "
            "vendor contact for after hypercare. Nobody is left alone with the setup."
        ),
        kind="handoff",
        workstream="handoff",
        format="task",
        owner_role="delivery",
        weeks=(3,),
        adkar_target="ability",
        roles=("product_admin",),
    ),
    Rule(
        key="role.security_signoff",
        family="role",
        title="Security and access checkpoint with {name}",
        description=(
            "Single sign-on, roles and permissions, data retention: sign off early, then "
            "confirm every user can log in before go-live week."
        ),
        kind="checkpoint",
        workstream="support",
        format="review",
        owner_role="delivery",
        weeks=(-5, -1),
        roles=("it_security",),
    ),
    Rule(
        key="role.downstream_handoffs",
        family="role",
        title="Check what changes for {name} downstream",
        description=(
            "Before go-live: show {name} what they will receive differently (reports, "
            "files, timings). After: confirm their work still runs."
        ),
        kind="communication",
        workstream="communication",
        format="group_session",
        owner_role="delivery",
        weeks=(-2, 2),
        adkar_target="awareness",
        roles=("downstream",),
    ),
)

_QUADRANT = (
    Rule(
        key="quadrant.manage_closely_checkpoint",
        family="quadrant",
        title="Checkpoint with {name}",
        description=(
            "High influence, high interest: meet in person, share the readiness picture and "
            "ask what worries them. Act on it before the next checkpoint."
        ),
        kind="checkpoint",
        workstream="sponsorship",
        format="one_to_one",
        owner_role="delivery",
        weeks=(-4, -2, 3),
        quadrants=("manage_closely",),
        kinds=("person",),
    ),
    Rule(
        key="quadrant.manage_closely_listening",
        family="quadrant",
        title="Listening session with {name}",
        description=(
            "A group that cares and can block: meet a handful of them at their place of "
            "work, share the readiness picture, ask what worries them, and report back "
            "what changed because of it."
        ),
        kind="checkpoint",
        workstream="communication",
        format="group_session",
        owner_role="customer_manager",
        weeks=(-4, 3),
        quadrants=("manage_closely",),
        kinds=("group",),
    ),
    Rule(
        key="quadrant.keep_satisfied_update",
        family="quadrant",
        title="Short executive update for {name}",
        description=(
            "High influence, low interest: five lines on progress, risks and what is asked "
            "of them. No surprises later."
        ),
        kind="communication",
        workstream="sponsorship",
        format="task",
        owner_role="delivery",
        weeks=(-2, 4),
        quadrants=("keep_satisfied",),
    ),
    Rule(
        key="quadrant.keep_informed_update",
        family="quadrant",
        title="Progress update for {name}",
        description=(
            "Interested but with little say: a short regular update keeps them informed "
            "and turns them into allies. Invite questions."
        ),
        kind="communication",
        workstream="communication",
        format="broadcast",
        owner_role="customer_manager",
        weeks=(-2, 1, 4),
        adkar_target="awareness",
        quadrants=("keep_informed",),
    ),
    Rule(
        key="quadrant.influential_resistor_sponsor_call",
        family="quadrant",
        title="Sponsor conversation with {name}",
        description=(
            "An influential resistor can stall the rollout. The sponsor listens first, "
            "says what is not negotiable, and asks {name} what would make it work for them."
        ),
        kind="resistance",
        workstream="resistance",
        format="one_to_one",
        owner_role="sponsor",
        weeks=(-3,),
        adkar_target="desire",
        quadrants=("manage_closely", "keep_satisfied"),
        resistors_only=True,
    ),
)


def _resistance_rule(key: str, source: str, **values: Any) -> Rule:
    return Rule(
        key=f"resistance.{key}",
        family="resistance",
        kind="resistance",
        workstream="resistance",
        resistance_sources=(source,),
        **values,
    )


_RESISTANCE = (
    _resistance_rule(
        "loss_of_authority_involve",
        "loss_of_authority",
        format="workshop",
        title="Involve {name} in configuration decisions",
        description=(
            "Give {name} real decisions in the configuration (rules, exceptions, what the "
            "system decides and what people still decide) so the authority they keep is "
            "visible and theirs."
        ),
        owner_role="delivery",
        weeks=(-4,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "loss_of_authority_sponsor",
        "loss_of_authority",
        format="one_to_one",
        title="Sponsor conversation with {name} on their role after go-live",
        description=(
            "The sponsor recognises what {name} gave up, names what their role is now and "
            "what they will be measured on."
        ),
        owner_role="sponsor",
        weeks=(2,),
        adkar_target="reinforcement",
    ),
    _resistance_rule(
        "workload_retire_old_steps",
        "workload_increase",
        format="task",
        title="Retire duplicate old steps for {name}",
        description=(
            "List every paper form, spreadsheet and double entry the new process replaces, "
            "and switch them off at go-live so nobody does both."
        ),
        owner_role="customer_manager",
        weeks=(-2,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "workload_friction_fixes",
        "workload_increase",
        format="task",
        title="Fast friction fixes for {name}",
        description=(
            "Collect the top irritants from {name} each week, fix or work around the top "
            "three within days, and tell them what was fixed."
        ),
        owner_role="delivery",
        weeks=(1, 2, 3),
        adkar_target="ability",
    ),
    _resistance_rule(
        "job_security_statement",
        "job_security",
        format="broadcast",
        title="Sponsor and HR statement on jobs for {name}",
        description=(
            "Say plainly, in writing, what happens to roles, targets and headcount, and "
            "what does not. Silence is read as bad news."
        ),
        owner_role="sponsor",
        weeks=(-3,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "lack_of_awareness_explain",
        "lack_of_awareness",
        format="one_to_one",
        title="Explain the why to {name} face to face",
        description=(
            "Their manager explains the business reason and the cost of not changing, and "
            "checks it landed by asking them to say it back."
        ),
        owner_role="customer_manager",
        weeks=(-3,),
        adkar_target="awareness",
    ),
    _resistance_rule(
        "no_personal_benefit_wiifm",
        "no_personal_benefit",
        format="group_session",
        title="Show {name} what is in it for them",
        description=(
            "One concrete, personal benefit in their own work (less rework, fewer calls, "
            "faster answers), shown in the system, not on a slide."
        ),
        owner_role="customer_manager",
        weeks=(-2,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "skills_gap_practice",
        "skills_gap",
        format="workshop",
        title="Extra hands-on practice for {name}",
        description=(
            "A sandbox session on their own tasks before go-live and a champion at their "
            "side in the first live week."
        ),
        owner_role="champion",
        weeks=(-2, 1),
        adkar_target="ability",
    ),
    _resistance_rule(
        "habit_close_old_path",
        "habit",
        format="task",
        title="Close the old way of working for {name}",
        description=(
            "Switch off or hide the old tool or form on a set date, and nudge the new habit "
            "with reminders at the point of work."
        ),
        owner_role="customer_admin",
        weeks=(0, 3),
        adkar_target="reinforcement",
    ),
    _resistance_rule(
        "not_involved_bring_in",
        "not_involved",
        format="workshop",
        title="Bring {name} into testing and go-live planning",
        description=(
            "Invite {name} to acceptance testing with their real cases and to the go-live "
            "plan review. People support what they help shape."
        ),
        owner_role="delivery",
        weeks=(-4,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "opposed_purchase_hear_out",
        "opposed_purchase",
        format="one_to_one",
        title="Hear out {name}: objections to the purchase",
        description=(
            "One-to-one: let them state what they opposed and why, show what was done about "
            "it, and offer a visible role such as test reviewer."
        ),
        owner_role="delivery",
        weeks=(-4,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "past_failed_change_difference",
        "past_failed_change",
        format="group_session",
        title="Show {name} what is different this time",
        description=(
            "Name the change that failed before, say what went wrong, and show the concrete "
            "differences: support, timing, what is switched off."
        ),
        owner_role="customer_manager",
        weeks=(-3,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "lack_of_sponsorship_visible_sponsor",
        "lack_of_sponsorship",
        format="group_session",
        title="Put the sponsor in front of {name}",
        description=(
            "A short session where the sponsor explains the decision and takes questions. "
            "People follow leaders they can see."
        ),
        owner_role="sponsor",
        weeks=(-3,),
        adkar_target="desire",
    ),
    _resistance_rule(
        "competing_priorities_make_time",
        "competing_priorities",
        format="task",
        title="Agree time and priority for {name} with their manager",
        description=(
            "Decide explicitly which work of {name} stops or waits during go-live and the first "
            "live weeks, signed off by their manager."
        ),
        owner_role="customer_manager",
        weeks=(-3,),
        adkar_target="ability",
    ),
    _resistance_rule(
        "other_act_on_concern",
        "other",
        format="one_to_one",
        title="Act on the concern of {name}",
        description=(
            "Meet, restate the concern in their words, agree one concrete action and an "
            "owner, and record it in the resistor register."
        ),
        owner_role="delivery",
        weeks=(-2,),
    ),
)

_BARRIER = (
    Rule(
        key="barrier.awareness_repeat_why",
        family="barrier",
        workstream="communication",
        format="broadcast",
        title="Repeat the why",
        description=(
            "People need to hear the reason five to seven times before it lands. Each week "
            "a different voice (sponsor, their manager, a peer) and channel; same message."
        ),
        kind="communication",
        owner_role="customer_manager",
        weeks=(-3, -2, -1, 0, 1, 2),
        adkar_target="awareness",
        audience="engagement",
        barriers=("awareness",),
    ),
    Rule(
        key="barrier.desire_wiifm",
        family="barrier",
        workstream="enablement",
        format="group_session",
        title="Make the personal benefit concrete",
        description=(
            "What is in it for them, in their words: managers discuss it one-to-one, and a "
            "peer who already benefits tells the story."
        ),
        kind="coaching",
        owner_role="customer_manager",
        weeks=(-2, 1),
        adkar_target="desire",
        audience="engagement",
        barriers=("desire",),
    ),
    Rule(
        key="barrier.knowledge_retraining",
        family="barrier",
        workstream="enablement",
        format="workshop",
        title="Retraining and job aids",
        description=(
            "Short task-based refreshers on what people got wrong, and one-page job aids "
            "at the point of work."
        ),
        kind="training",
        owner_role="delivery",
        weeks=(-1, 1),
        adkar_target="knowledge",
        audience="engagement",
        barriers=("knowledge",),
    ),
    Rule(
        key="barrier.ability_coaching",
        family="barrier",
        workstream="support",
        format="group_session",
        title="Side-by-side coaching and office hours",
        description=(
            "Champions sit with people on their real work; office hours for what coaching "
            "does not reach. Practice beats another course."
        ),
        kind="coaching",
        owner_role="champion",
        weeks=(1, 2, 3),
        adkar_target="ability",
        audience="engagement",
        barriers=("ability",),
    ),
    Rule(
        key="barrier.reinforcement_recognition",
        family="barrier",
        workstream="sponsorship",
        format="task",
        title="Recognise adopters and align KPIs",
        description=(
            "Thank people by name for using the new way; make sure targets and reports "
            "reward it, and retire the old reports that reward the old way."
        ),
        kind="reinforcement",
        owner_role="customer_manager",
        weeks=(3, 6),
        adkar_target="reinforcement",
        audience="engagement",
        barriers=("reinforcement",),
    ),
)


# A concern of a stakeholder who is not a resistor (a supportive group worried
# about practice time, say) is answered with coaching, training or
# communication, never with resistance handling (section 6, guarantee 2).
_CONCERN = (
    Rule(
        key="concern.practice",
        family="concern",
        title="Hands-on practice for {name} on what worries them",
        description=(
            "A sandbox session on their own tasks, aimed at the concern they raised, with a "
            "champion at their side. Show that the worry was heard and answered."
        ),
        kind="training",
        workstream="enablement",
        format="workshop",
        owner_role="champion",
        weeks=(-2,),
        adkar_target="ability",
        resistance_sources=("skills_gap", "habit"),
    ),
    Rule(
        key="concern.explain",
        family="concern",
        title="Answer the question {name} raised",
        description=(
            "Their manager answers the concern in their words: the reason for the change, "
            "what is in it for them, what is different from last time. Check it landed."
        ),
        kind="communication",
        workstream="communication",
        format="group_session",
        owner_role="customer_manager",
        weeks=(-3,),
        adkar_target="awareness",
        resistance_sources=(
            "lack_of_awareness",
            "no_personal_benefit",
            "lack_of_sponsorship",
            "past_failed_change",
            "opposed_purchase",
            "not_involved",
        ),
    ),
    Rule(
        key="concern.coach",
        family="concern",
        title="Work through the concern of {name} with their manager",
        description=(
            "Restate the concern in their words, agree one concrete action (time freed up, a "
            "step removed, a role made clear) and who does it by when."
        ),
        kind="coaching",
        workstream="enablement",
        format="group_session",
        owner_role="customer_manager",
        weeks=(-3,),
        adkar_target="desire",
        resistance_sources=(
            "loss_of_authority",
            "job_security",
            "workload_increase",
            "competing_priorities",
            "other",
        ),
    ),
)


# What people said gets an answer (section 6, guarantee 5): one family of rules
# per theme of the lexicon (section 3), keyed `theme.<code>.…`, each addressed
# to the stakeholder whose own words carry the theme. The steps that change how
# the work is done (devices, shifts, onboarding, extra steps, alerts) go to the
# people at the work; an executive who raises the same theme is answered with a
# decision of their own (`_sponsor_answer`), not a walk through the tasks.
_AT_THE_WORK = tuple(role for role in ROLES if role not in _SPONSORS)
# Who works the shifts where the product is used; the people who run the system
# (its admins, IT) raising nights and weekends mean the on-call burden instead.
_RUN_THE_SYSTEM = ("product_admin", "it_security")
_ON_THE_SHIFTS = tuple(role for role in _AT_THE_WORK if role not in _RUN_THE_SYSTEM)


def _sponsor_answer(code: str, title: str, description: str, week: int) -> Rule:
    return Rule(
        key=f"theme.{code}.sponsor_decision",
        family="theme",
        title=title,
        description=description,
        kind="checkpoint",
        workstream="sponsorship",
        format="one_to_one",
        owner_role="delivery",
        weeks=(week,),
        adkar_target="desire",
        themes=(code,),
        roles=_SPONSORS,
    )


_THEME = (
    Rule(
        key="theme.data_use.publish_rules",
        family="theme",
        title="Agree and publish the data-use rules for {name}",
        description=(
            "With the customer's HR or works council, before go-live: what the system "
            "records about {name}, who sees it, what it will never be used for (individual "
            "targets, discipline) and where to raise a concern. Publish it where they work."
        ),
        kind="communication",
        workstream="communication",
        format="task",
        owner_role="sponsor",
        weeks=(-6,),
        adkar_target="desire",
        themes=("data_use",),
    ),
    Rule(
        key="theme.job_security.statement",
        family="theme",
        title="Say plainly what happens to jobs, for {name}",
        description=(
            "The sponsor, in writing and in person: what happens to roles, headcount and "
            "targets, and what does not. Silence is read as bad news."
        ),
        kind="communication",
        workstream="sponsorship",
        format="broadcast",
        owner_role="sponsor",
        weeks=(-5,),
        adkar_target="desire",
        themes=("job_security",),
    ),
    Rule(
        key="theme.hardware.device_check",
        family="theme",
        title="Device and connectivity check for {name}",
        description=(
            "Walk the places where {name} work: enough devices, charged and enrolled; "
            "scanners and printers paired; wi-fi where the work happens. Order what is "
            "missing now, not in go-live week."
        ),
        kind="checkpoint",
        workstream="support",
        format="task",
        owner_role="customer_admin",
        weeks=(-3,),
        adkar_target="ability",
        themes=("hardware",),
        roles=_AT_THE_WORK,
    ),
    Rule(
        key="theme.staff_turnover.new_joiner_onboarding",
        family="theme",
        title="Onboard the new joiners of {name}",
        description=(
            "People who start after training ends learn the old way from nobody and the new "
            "way from whoever is nearby. A short monthly session and a buddy from the "
            "champions keep every new joiner on the new way."
        ),
        kind="training",
        workstream="enablement",
        format="group_session",
        owner_role="champion",
        weeks=(1,),
        repeat_every=4,
        adkar_target="knowledge",
        themes=("staff_turnover",),
        roles=_AT_THE_WORK,
    ),
    Rule(
        key="theme.out_of_hours.shift_support",
        family="theme",
        title="Support on every shift for {name}",
        description=(
            "Nights and weekends get the same help as the day shift: a champion or floor "
            "walker on every shift and a support number that answers around the clock."
        ),
        kind="coaching",
        workstream="support",
        format="group_session",
        owner_role="champion",
        weeks=(0, 1, 2),
        adkar_target="ability",
        themes=("out_of_hours",),
        roles=_ON_THE_SHIFTS,
        kinds=("group",),
    ),
    # One person raising nights or weekends speaks for the shifts they work or
    # run: "support on every shift for <a person>" reads as a bodyguard, so they
    # get a conversation that finds those shifts and covers them.
    Rule(
        key="theme.out_of_hours.shift_cover",
        family="theme",
        title="Cover the shifts {name} raised",
        description=(
            "Ask {name} which nights, weekends and teams are exposed; put a champion or "
            "floor walker on each of those shifts for the first two weeks, give them the "
            "support number that answers around the clock, and check with {name} after the "
            "first weekend that it worked."
        ),
        kind="coaching",
        workstream="support",
        format="one_to_one",
        owner_role="champion",
        weeks=(-1,),
        adkar_target="ability",
        themes=("out_of_hours",),
        roles=_ON_THE_SHIFTS,
        kinds=("person",),
    ),
    Rule(
        key="theme.out_of_hours.on_call_model",
        family="theme",
        title="Agree the out-of-hours support model with {name}",
        description=(
            "Who answers at night and at weekends in the first weeks, what the vendor's "
            "support covers, what may wait until morning, and whether the rota needs more "
            "people or funding. Settle it with {name} and their manager before go-live, so "
            "the on-call load is planned rather than assumed."
        ),
        kind="checkpoint",
        workstream="support",
        format="workshop",
        owner_role="delivery",
        weeks=(-4,),
        adkar_target="ability",
        themes=("out_of_hours",),
        roles=_RUN_THE_SYSTEM,
    ),
    Rule(
        key="theme.workload.remove_extra_steps",
        family="theme",
        title="Remove the extra steps that worry {name}",
        description=(
            "Walk their five most frequent tasks click by click with them; remove double "
            "entry and needless steps before go-live, and show them what was removed."
        ),
        kind="checkpoint",
        workstream="enablement",
        format="workshop",
        owner_role="customer_admin",
        weeks=(-4,),
        adkar_target="desire",
        themes=("workload",),
        roles=_AT_THE_WORK,
    ),
    Rule(
        key="theme.alerts.tune_notifications",
        family="theme",
        title="Tune alerts and notifications with {name}",
        description=(
            "Go through every alert {name} will receive: keep the ones that change what they "
            "do, switch off the rest before go-live, and agree how to report a noisy one."
        ),
        kind="checkpoint",
        workstream="support",
        format="workshop",
        owner_role="customer_admin",
        weeks=(-3,),
        adkar_target="ability",
        themes=("alerts",),
        roles=_AT_THE_WORK,
    ),
    Rule(
        key="theme.business_calendar.avoid_critical_period",
        family="theme",
        title="Check go-live and hypercare exit avoid the critical period of {name}",
        description=(
            "Put their month-end, peak or holiday dates on the plan as blackout periods, and "
            "confirm with the sponsor that go-live, training and the hypercare exit avoid "
            "them."
        ),
        kind="checkpoint",
        workstream="sponsorship",
        format="review",
        owner_role="delivery",
        weeks=(-8,),
        themes=("business_calendar",),
    ),
    Rule(
        key="theme.reporting.show_reports",
        family="theme",
        title="Show {name} the reports they will keep",
        description=(
            "The reports and dashboards they rely on today, and where each one lives in the "
            "new system. Nobody should lose sight of their numbers at go-live."
        ),
        kind="training",
        workstream="enablement",
        format="group_session",
        owner_role="customer_admin",
        weeks=(-2,),
        adkar_target="knowledge",
        themes=("reporting",),
    ),
    _sponsor_answer(
        "hardware",
        "Agree with {name} what devices and connectivity to buy",
        "What is missing where the work happens (devices, scanners, printers, wi-fi), what "
        "it costs and by when it must arrive; ask {name} to approve the order now, not in "
        "go-live week.",
        -4,
    ),
    _sponsor_answer(
        "staff_turnover",
        "Agree with {name} how new joiners learn the new way",
        "People who start after training ends: who onboards them, how often, and that the "
        "induction teaches the new system. Ask {name} to make it part of every induction.",
        -2,
    ),
    _sponsor_answer(
        "out_of_hours",
        "Agree with {name} support for nights and weekends",
        "Every shift needs the help the day shift gets: ask {name} to approve floor walkers "
        "or champions on every shift in go-live week and a support line that answers around "
        "the clock.",
        -3,
    ),
    _sponsor_answer(
        "workload",
        "Show {name} which extra steps were removed",
        "{name} worries the change adds work. Show, task by task, which steps were removed "
        "and what is left; ask them to tell their teams what was done about it.",
        -3,
    ),
    _sponsor_answer(
        "alerts",
        "Show {name} how alerts were tuned",
        "Which alerts people will receive, which were switched off and how a noisy one is "
        "reported; ask {name} to back the rule that an alert nobody acts on is removed.",
        -2,
    ),
)

# Where the new system replaces the old way, adoption is compliance: people
# need help at the point of work and a fallback, and the old way must close.
_MANDATORY = (
    Rule(
        key="mandatory.at_the_elbow_support",
        family="mandatory",
        title="At-the-elbow support for {name}",
        description=(
            "Floor walkers and champions at the point of work on every shift, helping people "
            "do their real work in the system; log every workaround they see."
        ),
        kind="coaching",
        workstream="support",
        format="group_session",
        owner_role="champion",
        weeks=(0, 1, 2),
        adkar_target="ability",
        roles=("daily_user",),
        kinds=("group",),
        adoption_modes=("mandatory",),
    ),
    Rule(
        key="mandatory.downtime_procedure",
        family="mandatory",
        title="Publish and rehearse the downtime and fallback procedure",
        description=(
            "What people do when the system is down or slow, who declares it, how work done "
            "on paper is entered afterwards. Rehearse it once before go-live."
        ),
        kind="training",
        workstream="support",
        format="task",
        owner_role="customer_admin",
        weeks=(-3,),
        adkar_target="knowledge",
        audience="engagement",
        roles=_USERS,
        adoption_modes=("mandatory",),
    ),
    Rule(
        key="mandatory.switch_off_old_way",
        family="mandatory",
        title="Switch the old way off on {date}",
        description=(
            "Agree the date with the sponsor, announce it at go-live and close the old system "
            "or form for new work on {date}: read-only at most. Two ways of working means "
            "neither is done well."
        ),
        kind="reinforcement",
        workstream="support",
        format="task",
        owner_role="customer_admin",
        weeks=(2,),
        adkar_target="reinforcement",
        audience="engagement",
        roles=_USERS,
        adoption_modes=("mandatory",),
    ),
)

# Library order is priority order: when a week is crowded, the steps last in
# the library move first.
# Say and do together: a group behind its adoption target gets the answer to
# the barrier its people's latest pulse survey measured, keyed `lagging.<barrier>`.
_LAGGING = (
    Rule(
        key="lagging.awareness",
        family="lagging",
        title="{name}: explain again why the old way is going",
        description=(
            "Adoption is behind target and the pulse says people still do not see why. The "
            "sponsor and their managers repeat the reason, with what happens if nothing "
            "changes, in the team's own meetings this week."
        ),
        kind="communication",
        owner_role="sponsor",
        weeks=(0,),
        adkar_target="awareness",
        barriers=("awareness",),
    ),
    Rule(
        key="lagging.desire",
        family="lagging",
        title="{name}: managers talk through what is in it for them",
        description=(
            "Adoption is behind target and the pulse says people do not want it yet. Managers "
            "ask what would make it worth it for them, remove what makes the new way harder, "
            "and a peer who benefits shows how."
        ),
        kind="coaching",
        owner_role="customer_manager",
        weeks=(0,),
        adkar_target="desire",
        barriers=("desire",),
    ),
    Rule(
        key="lagging.knowledge",
        family="lagging",
        title="{name}: refresher on the tasks people skip",
        description=(
            "Adoption is behind target and the pulse says people do not know how. A short "
            "refresher on the tasks the usage data shows they avoid, and where to get help."
        ),
        kind="training",
        owner_role="customer_admin",
        weeks=(0,),
        adkar_target="knowledge",
        barriers=("knowledge",),
    ),
    Rule(
        key="lagging.ability",
        family="lagging",
        title="{name}: a champion at the elbow for the core tasks",
        description=(
            "Adoption is behind target and the pulse says people know how but cannot do it "
            "yet. A champion works beside them on their real tasks, and their managers make "
            "time for it."
        ),
        kind="coaching",
        owner_role="champion",
        weeks=(0, 1),
        adkar_target="ability",
        barriers=("ability",),
    ),
    Rule(
        key="lagging.reinforcement",
        family="lagging",
        title="{name}: recognise use, retire the workarounds",
        description=(
            "Adoption is behind target and the pulse says nothing holds the new way in place. "
            "Managers notice and mention use, and the old spreadsheets and shortcuts get a "
            "switch-off date."
        ),
        kind="reinforcement",
        owner_role="customer_manager",
        weeks=(0,),
        adkar_target="reinforcement",
        barriers=("reinforcement",),
    ),
)

BUILTIN_RULES: tuple[Rule, ...] = (
    *_MOBILISE,
    *_PREPARE_AND_GO_LIVE,
    *_HANDOFF,
    *_MANDATORY,
    # Early in the library: when a week is full, later rules' items move first,
    # and the answer to a measured lag belongs in the week it was seen.
    *_LAGGING,
    *_HYPERCARE_TO_RENEWAL,
    *_ROLE,
    *_QUADRANT,
    *_RESISTANCE,
    *_CONCERN,
    *_THEME,
    *_BARRIER,
)
