"""The portfolio: every engagement of a workspace, judged the same way as on its own page.

Plain functions shared by the portfolio page, the go-live calendar and the
API. Engagements are read as plain rows (named tuples), never model
instances. Readiness is what `assess_engagements` says, read from the
stored readiness (`StoredReadiness`, kept by every committed change and the
daily `refresh_readiness`) when it was stored for the engagement's current
version and the day asked for; the others are assessed here (see
`readiness_summaries`). The cost is a fixed number of queries whatever the
number of engagements: the engagements with their stored readiness, one
aggregate for plan progress, and the assessment's loader only when a stored
readiness does not fit. `portfolio_stamp` says in one query whether any of
that moved: the page keeps its rendered section until it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q

from changeready.assessment.services import (
    ASSESSED_ENGAGEMENT_FIELDS,
    ASSESSMENT_CACHE_SECONDS,
    ReadinessSummary,
    assess_engagements,
    engagement_version,
    readiness_summary,
    today,
)
from changeready.common.allocation import gc_paused
from changeready.common.caching import kept_for_version
from changeready.core.findings import FINDING_CATALOGUE
from changeready.core.model import PHASES, READINESS_BANDS
from changeready.core.scoring import BAND_ORDER
from changeready.core.weeks import weeks_to_go_live
from changeready.engagements.models import Engagement
from changeready.planning.models import PlanItem

# Go-live windows a leader filters by: a number of weeks ahead, or past.
WINDOWS = {
    "next_4": "Next 4 weeks",
    "next_8": "Next 8 weeks",
    "next_12": "Next 12 weeks",
    "past": "Already live",
}
SORTS = {
    "readiness": "Readiness",
    "go_live": "Go-live",
    "arr": "ARR",
    "name": "Name",
}
DEFAULT_SORT = "go_live"
BAND_LABELS = {"ready": "Ready", "at_risk": "At risk", "not_ready": "Not ready"}
HANDOFF_LABELS = {"accepted": "accepted", "pending": "not yet", "not_applicable": "n.a."}


@dataclass(frozen=True)
class PortfolioFilters:
    """What the leader asked to see; every value is already validated."""

    phase: str = ""
    band: str = ""
    delivery_lead: str = ""
    cs_owner: str = ""
    window: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(self.phase or self.band or self.delivery_lead or self.cs_owner or self.window)

    def query(self, **overrides) -> dict[str, str]:
        """The GET parameters that reproduce these filters (for links), with overrides."""
        values = replace(self, **overrides)
        params = {
            "phase": values.phase,
            "band": values.band,
            "lead": values.delivery_lead,
            "cs": values.cs_owner,
            "window": values.window,
            "sort": values.sort if values.sort != DEFAULT_SORT else "",
            "dir": "desc" if values.descending else "",
        }
        return {key: value for key, value in params.items() if value}


def parse_filters(params: Mapping[str, str]) -> PortfolioFilters:
    """Filters from GET parameters; an unknown value is ignored, never an error."""

    def pick(name: str, allowed: Iterable[str]) -> str:
        value = (params.get(name) or "").strip()
        return value if value in allowed else ""

    return PortfolioFilters(
        phase=pick("phase", PHASES),
        band=pick("band", READINESS_BANDS),
        delivery_lead=(params.get("lead") or "").strip()[:200],
        cs_owner=(params.get("cs") or "").strip()[:200],
        window=pick("window", WINDOWS),
        sort=pick("sort", SORTS) or DEFAULT_SORT,
        descending=params.get("dir") == "desc",
    )


@dataclass(frozen=True)
class PortfolioRow:
    engagement: tuple  # a named row of `workspace_engagements`
    readiness_score: int
    readiness_band: str
    weeks_to_go_live: int
    critical_codes: tuple[str, ...]
    plan_items: int
    plan_items_done: int
    handoff: str  # accepted, pending or not_applicable

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.readiness_band]

    @property
    def critical_labels(self) -> list[tuple[str, str]]:
        return [(code, FINDING_CATALOGUE[code].title) for code in self.critical_codes]

    @property
    def handoff_label(self) -> str:
        return HANDOFF_LABELS[self.handoff]


@dataclass(frozen=True)
class PortfolioTotals:
    """Engagements per band, and the ARR behind the two bands that need attention.

    `arr_at_risk` sums the ARR of `not_ready` engagements and `arr_watch` of
    `at_risk` ones (docs/domain.md, "Portfolio"): each figure sits beside its
    band's count, so a band of 0 never carries money.
    """

    ready: int
    at_risk: int
    not_ready: int
    arr_at_risk: Decimal
    arr_watch: Decimal

    @property
    def engagements(self) -> int:
        return self.ready + self.at_risk + self.not_ready


def in_window(go_live_date: date, window: str, as_of: date) -> bool:
    """Next N weeks: go-live from `as_of` up to N×7 days later; past: before `as_of`."""
    if window == "past":
        return go_live_date < as_of
    weeks = int(window.removeprefix("next_"))
    return as_of <= go_live_date < as_of + timedelta(weeks=weeks)


def _matches(engagement, filters: PortfolioFilters, as_of: date) -> bool:
    if filters.phase and engagement.phase != filters.phase:
        return False
    if filters.delivery_lead and engagement.delivery_lead_name != filters.delivery_lead:
        return False
    if filters.cs_owner and engagement.cs_owner_name != filters.cs_owner:
        return False
    return not (filters.window and not in_window(engagement.go_live_date, filters.window, as_of))


def _plan_progress(engagements: list) -> dict:
    """(items, done) per engagement id; skipped items will not happen, so they do not count."""
    rows = (
        PlanItem.objects.filter(engagement__in=[e.id for e in engagements])
        .exclude(status="skipped")
        .values("engagement_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status="done")))
        .order_by()
    )
    return {row["engagement_id"]: (row["total"], row["done"]) for row in rows}


def _handoff(engagement, as_of: date) -> str:
    if engagement.handoff_accepted_at is not None:
        return "accepted"
    return "pending" if engagement.go_live_date <= as_of else "not_applicable"


def _stored_summary(engagement) -> ReadinessSummary | None:
    """The stored readiness when it was assessed as of the day asked for this very version."""
    if not engagement.stored_fits:
        return None
    return ReadinessSummary(
        engagement.stored_score, engagement.stored_band, tuple(engagement.stored_critical)
    )


def readiness_summaries(workspace, engagements: list, as_of: date) -> dict:
    """Each engagement's readiness as `assess_engagements` judges it as of a day.

    The stored readiness serves when it fits (same day, same
    `engagement_version`). The others (a look-ahead `as_of`, the first
    request of a day before `refresh_readiness` ran, a change whose refresh
    has not run yet) are assessed here and memoised in Django's cache per
    version and day, as `cached_assessment` does for one engagement: a
    request never writes the database. Snapshots are not part of either key:
    they only decide `assessment_stale`, an info finding, which moves neither
    the score, the band nor the critical codes.

    One cache entry per workspace and day (a small dict), so the default
    local-memory cache with its 300 entries holds it.
    """
    summaries = {}
    missing = []
    for engagement in engagements:
        stored = _stored_summary(engagement)
        if stored is None:
            missing.append(engagement)
        else:
            summaries[engagement.id] = stored
    if not missing:
        return summaries
    key = f"portfolio:readiness:{workspace.pk}:{as_of.isoformat()}"
    cached: dict = cache.get(key) or {}
    versions = {str(e.id): engagement_version(e) for e in missing}
    stale = [e for e in missing if cached.get(str(e.id), (None,))[0] != versions[str(e.id)]]
    if stale:
        with gc_paused():
            assessments = assess_engagements(stale, as_of)
        for engagement_id, assessment in assessments.items():
            cached[engagement_id] = (versions[engagement_id], readiness_summary(assessment))
        cache.set(key, cached, ASSESSMENT_CACHE_SECONDS)
    summaries.update((e.id, cached[str(e.id)][1]) for e in missing)
    return summaries


def build_rows(workspace, engagements: Iterable, as_of: date) -> list[PortfolioRow]:
    """One row per engagement, with its assessment as of a day."""
    engagements = list(engagements)
    if not engagements:
        return []
    summaries = readiness_summaries(workspace, engagements, as_of)
    progress = _plan_progress(engagements)
    rows = []
    for engagement in engagements:
        summary = summaries[engagement.id]
        total, done = progress.get(engagement.id, (0, 0))
        rows.append(
            PortfolioRow(
                engagement=engagement,
                readiness_score=summary.score,
                readiness_band=summary.band,
                weeks_to_go_live=weeks_to_go_live(engagement.go_live_date, as_of),
                critical_codes=summary.critical_codes,
                plan_items=total,
                plan_items_done=done,
                handoff=_handoff(engagement, as_of),
            )
        )
    return rows


def _sort_key(sort: str):
    if sort == "readiness":
        # The band is the verdict (it may be lower than the score's own), so it
        # orders first; the score orders within a band.
        return lambda row: (
            BAND_ORDER.index(row.readiness_band),
            row.readiness_score,
            row.engagement.name.lower(),
        )
    if sort == "arr":
        return lambda row: (row.engagement.arr or Decimal(0), row.engagement.name.lower())
    if sort == "name":
        return lambda row: (row.engagement.name.lower(), row.engagement.customer.lower())
    return lambda row: (row.engagement.go_live_date, row.engagement.name.lower())


def sort_rows(rows: list[PortfolioRow], sort: str, *, descending: bool = False) -> list:
    return sorted(rows, key=_sort_key(sort), reverse=descending)


def compute_totals(rows: Iterable[PortfolioRow]) -> PortfolioTotals:
    counts = dict.fromkeys(READINESS_BANDS, 0)
    arr = dict.fromkeys(READINESS_BANDS, Decimal(0))
    for row in rows:
        counts[row.readiness_band] += 1
        arr[row.readiness_band] += row.engagement.arr or 0
    return PortfolioTotals(**counts, arr_at_risk=arr["not_ready"], arr_watch=arr["at_risk"])


@dataclass(frozen=True)
class Portfolio:
    rows: list[PortfolioRow]
    totals: PortfolioTotals
    filters: PortfolioFilters
    as_of: date
    engagement_count: int  # in the workspace, before filtering
    delivery_leads: list[str]
    cs_owners: list[str]


# What the portfolio, its API body and a missing readiness's assessment read
# of an engagement, and its stored readiness: plain rows, no model instances.
PORTFOLIO_FIELDS = (*ASSESSED_ENGAGEMENT_FIELDS, "customer", "arr")
STORED_READINESS = {
    "stored_score": F("stored_readiness__score"),
    "stored_band": F("stored_readiness__band"),
    "stored_critical": F("stored_readiness__critical_codes"),
}


def workspace_engagements(workspace, as_of: date) -> list:
    """The workspace's engagements as named rows, with their stored readiness (one query).

    Whether the stored readiness fits (`stored_fits`: stored as of that day,
    for the version the engagement has now) is compared by the database:
    reading both timestamps into Python for a thousand rows cost a fifth of
    the query.
    """
    fits = ExpressionWrapper(
        Q(stored_readiness__as_of=as_of) & Q(stored_readiness__version=F("updated_at")),
        output_field=BooleanField(),
    )
    return list(
        Engagement.objects.for_workspace(workspace)
        .annotate(**STORED_READINESS, stored_fits=fits)
        .order_by("go_live_date", "name")
        .values_list(*PORTFOLIO_FIELDS, *STORED_READINESS, "stored_fits", named=True)
    )


@dataclass(frozen=True)
class PortfolioStamp:
    """What a workspace's portfolio as of a day is computed from, read in one small query.

    `key` changes when an engagement of the workspace is added or removed,
    when one changes (every write moves its `updated_at`, through
    `engagement_changed`), when a stored readiness of one of them is written
    (`refresh_readiness`, the refresh after each change) and with the day: a
    portfolio kept for a key is the one computed now.
    """

    engagement_count: int
    key: str


# How long what is kept under a portfolio stamp stays in the cache. The stamp
# changes with every change; the expiry bounds what it cannot see, a change
# stamped earlier than the latest one by a server whose clock is behind, and
# lets what nobody asks for again go.
PORTFOLIO_CACHE_SECONDS = 10 * 60


def portfolio_stamp(workspace, as_of: date) -> PortfolioStamp:
    latest = Engagement.objects.for_workspace(workspace).aggregate(
        count=Count("pk"),
        changed=Max("updated_at"),
        stored=Max("stored_readiness__stored_at"),
    )
    parts = (as_of.isoformat(), latest["count"], latest["changed"], latest["stored"])
    return PortfolioStamp(latest["count"], "|".join(map(str, parts)))


def portfolio(workspace, as_of: date, filters: PortfolioFilters | None = None) -> Portfolio:
    """The workspace's engagements, filtered and sorted, with totals over what is shown.

    Filters on stored fields apply before assessing (so a narrow view assesses
    less); the band filter needs the assessment and applies after it.
    """
    filters = filters or PortfolioFilters()
    engagements = workspace_engagements(workspace, as_of)
    chosen = [e for e in engagements if _matches(e, filters, as_of)]
    rows = build_rows(workspace, chosen, as_of)
    if filters.band:
        rows = [row for row in rows if row.readiness_band == filters.band]
    rows = sort_rows(rows, filters.sort, descending=filters.descending)
    return Portfolio(
        rows=rows,
        totals=compute_totals(rows),
        filters=filters,
        as_of=as_of,
        engagement_count=len(engagements),
        delivery_leads=sorted({e.delivery_lead_name for e in engagements} - {""}),
        cs_owners=sorted({e.cs_owner_name for e in engagements} - {""}),
    )


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def portfolio_body(workspace, as_of: date) -> dict:
    """`GET /api/v1/portfolio` (DOMAIN.md section 9): every engagement, no filters.

    `critical` lists each critical finding code once; `arr`, `arr_at_risk` and
    `arr_watch` are JSON numbers (whole amounts as integers).
    """
    rows = build_rows(workspace, workspace_engagements(workspace, as_of), as_of)
    totals = compute_totals(rows)
    return {
        "engagements": [
            {
                "id": str(row.engagement.id),
                "name": row.engagement.name,
                "customer": row.engagement.customer,
                "readiness": {"score": row.readiness_score, "band": row.readiness_band},
                "go_live_date": row.engagement.go_live_date.isoformat(),
                "weeks_to_go_live": row.weeks_to_go_live,
                "critical": list(row.critical_codes),
                "arr": _number(row.engagement.arr),
            }
            for row in rows
        ],
        "totals": {
            "ready": totals.ready,
            "at_risk": totals.at_risk,
            "not_ready": totals.not_ready,
            "arr_at_risk": _number(totals.arr_at_risk),
            "arr_watch": _number(totals.arr_watch),
        },
    }


Kept = TypeVar("Kept")


def kept_under_stamp(
    workspace, stamp: PortfolioStamp, part: str, build: Callable[[], tuple[Kept, bool]]
) -> Kept:
    """What `build` makes of the workspace's portfolio, kept in the cache while `stamp` holds.

    For what every reader of the workspace gets alike (a page's section as
    HTML, the API's body as bytes): a hit costs the stamp's query and one
    cache read. `build` returns the value and whether it may be kept (an
    answer to a query nobody else would ask need not be); `part` names what
    is kept and must carry whatever else the value depends on (the query).
    The workspace's name and slug are part of the version: pages show them.
    """
    key = f"portfolio:{workspace.pk}:{part}"
    version = (stamp.key, workspace.slug, workspace.name)
    return kept_for_version(key, version, PORTFOLIO_CACHE_SECONDS, build)


def cached_portfolio_body(workspace, as_of: date, render: Callable[[dict], bytes]) -> bytes:
    """`portfolio_body` as `render` writes it; today's kept under `portfolio_stamp`.

    Every engagement is in the body, whoever asks: writing a thousand
    engagements' terms costs tens of milliseconds, a hit a few. A look-ahead
    day is written each time. `render` is the API's (this layer knows no
    HTTP): it must depend on the body alone.
    """
    if as_of != today():
        return render(portfolio_body(workspace, as_of))
    return kept_under_stamp(
        workspace,
        portfolio_stamp(workspace, as_of),
        "body",
        lambda: (render(portfolio_body(workspace, as_of)), True),
    )


# --- Go-live calendar ----------------------------------------------------------

# Phases that mean "not live yet": a go-live date behind them has slipped.
PRE_GO_LIVE_PHASES = frozenset({"discovery", "build", "test"})
CALENDAR_WEEKS = 12
RECENTLY_LIVE_WEEKS = 4


@dataclass(frozen=True)
class CalendarWeek:
    monday: date
    weeks_ahead: int  # 0 for the current week
    rows: list[PortfolioRow]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass(frozen=True)
class GoLiveCalendar:
    as_of: date
    overdue: list[PortfolioRow]  # go-live date passed while the phase says not live yet
    recently_live: list[PortfolioRow]  # went live in the weeks before the current one
    weeks: list[CalendarWeek]


def go_live_calendar(workspace, as_of: date, weeks: int = CALENDAR_WEEKS) -> GoLiveCalendar:
    """The coming weeks from the current Monday, each with the engagements going live.

    Only the engagements on the calendar are assessed. An engagement whose
    go-live date has passed while its phase is still discovery, build or test
    is listed as overdue instead of in its week.
    """
    this_monday = as_of - timedelta(days=as_of.weekday())
    recent_start = this_monday - timedelta(weeks=RECENTLY_LIVE_WEEKS)
    end = this_monday + timedelta(weeks=weeks)
    engagements = [
        e
        for e in workspace_engagements(workspace, as_of)
        if recent_start <= e.go_live_date < end
        or (e.go_live_date < as_of and e.phase in PRE_GO_LIVE_PHASES)
    ]
    rows = sort_rows(build_rows(workspace, engagements, as_of), "go_live")
    overdue = [
        r
        for r in rows
        if r.engagement.go_live_date < as_of and r.engagement.phase in PRE_GO_LIVE_PHASES
    ]
    rest = [r for r in rows if r not in overdue]
    by_week: dict[int, list[PortfolioRow]] = {}
    for row in rest:
        offset = (row.engagement.go_live_date - this_monday).days // 7
        by_week.setdefault(offset, []).append(row)
    return GoLiveCalendar(
        as_of=as_of,
        overdue=overdue,
        recently_live=[r for r in rest if r.engagement.go_live_date < this_monday],
        weeks=[
            CalendarWeek(this_monday + timedelta(weeks=n), n, by_week.get(n, []))
            for n in range(weeks)
        ],
    )
