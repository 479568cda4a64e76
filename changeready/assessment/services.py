"""Assessing engagements and keeping their daily snapshots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from changeready.assessment.events import publish_assessment_changes
from changeready.assessment.models import AssessmentSnapshot, StoredReadiness
from changeready.common.caching import kept_for_version
from changeready.core.assessment import Assessment, assess
from changeready.engagements.loading import load_engagement_data
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_data_committed


def today() -> date:
    return timezone.localdate()


def snapshot_dates(engagements: Iterable[Engagement]) -> dict:
    dates = defaultdict(list)
    # By id, so plain rows of engagements serve as well as model instances.
    rows = AssessmentSnapshot.objects.filter(
        engagement_id__in=[e.id for e in engagements]
    ).values_list("engagement_id", "taken_on")
    for engagement_id, taken_on in rows:
        dates[engagement_id].append(taken_on)
    return dates


def assess_engagements(engagements: Iterable[Engagement], as_of: date) -> dict[str, Assessment]:
    """The assessment of each engagement as of a day, keyed by engagement id (text)."""
    engagements = list(engagements)
    data = load_engagement_data(engagements, snapshot_dates(engagements))
    return {engagement_id: assess(item, as_of) for engagement_id, item in data.items()}


def assess_engagement(engagement: Engagement, as_of: date) -> Assessment:
    return assess_engagements([engagement], as_of)[str(engagement.id)]


# How long assessments stay in Django's cache: a day and a half, so the
# entries of a day outlive it and then expire.
ASSESSMENT_CACHE_SECONDS = 36 * 3600


def engagement_version(engagement: Engagement) -> str:
    """What an assessment kept in the cache is valid for.

    Every write to an engagement's data goes through `engagement_changed`,
    which moves the engagement's `updated_at`; an assessment computed for the
    same `updated_at` (and the same day) equals a fresh one.
    """
    return engagement.updated_at.isoformat()


def cached_assessment(engagement: Engagement, as_of: date) -> Assessment:
    """`assess_engagement`, kept in Django's cache per engagement version and day.

    For the pages and the API, which show one engagement many times between
    two changes. The snapshot dates are part of the version: they decide the
    `assessment_stale` finding, and the snapshot `engagement_changed`
    refreshes is written after `updated_at` has moved. Reading them is one
    small query; a hit costs that and the cache read.
    """
    return _cached_assessment(engagement, as_of, _assessment_version(engagement))


def _assessment_version(engagement: Engagement) -> tuple:
    dates = tuple(sorted(snapshot_dates([engagement]).get(engagement.id, ())))
    return (engagement_version(engagement), dates)


def _cached_assessment(engagement: Engagement, as_of: date, version: tuple) -> Assessment:
    def build() -> tuple[Assessment, bool]:
        _, dates = version
        data = load_engagement_data([engagement], {engagement.id: dates})[str(engagement.id)]
        return assess(data, as_of), True

    key = f"assessment:{engagement.pk}:{as_of.isoformat()}"
    return kept_for_version(key, version, ASSESSMENT_CACHE_SECONDS, build)


def cached_assessment_body(
    engagement: Engagement, as_of: date, render: Callable[[dict], bytes]
) -> bytes:
    """The API's assessment body (`assessment_body`) as `render` writes it, kept in
    Django's cache under the same version as `cached_assessment`.

    Validating and writing the terms of 500 stakeholders costs several times
    what reading the assessment from the cache does (about 35 ms against 5),
    and the body is the same for every reader between two changes: a hit costs
    the snapshot-dates query and one cache read. `render` is the API's (this
    layer knows no HTTP): it must depend on the body alone.
    """
    version = _assessment_version(engagement)

    def build() -> tuple[bytes, bool]:
        assessment = _cached_assessment(engagement, as_of, version)
        return render(assessment_body(engagement, assessment)), True

    key = f"assessment-body:{engagement.pk}:{as_of.isoformat()}"
    return kept_for_version(key, version, ASSESSMENT_CACHE_SECONDS, build)


Part = TypeVar("Part")


def cached_page_part(
    engagement: Engagement,
    as_of: date,
    part: str,
    build: Callable[[Assessment, list[tuple[date, int]]], Part],
) -> Part:
    """What a page shows of the engagement's assessment as of a day, kept in the cache.

    `build` gets the assessment (`cached_assessment`'s) and the readiness
    history, and returns something small (the rendered HTML of a page's
    sections): a warm request reads that rather than unpickling a whole
    assessment, which for hundreds of stakeholders costs more than the rest
    of the page. The version is `cached_assessment`'s with the snapshots'
    scores beside their days (the history chart shows them; a snapshot
    rewritten for the same day can change its score); reading it is one
    small query (the dates of `cached_assessment`'s version come from it).
    `part` names what is kept and must carry whatever else the
    result depends on (whether `as_of` is today, whether the reader may
    write); nothing else that differs by reader may go into the result.
    """
    history = readiness_history(engagement)
    assessment_version = (engagement_version(engagement), tuple(sorted(d for d, _ in history)))

    def kept() -> tuple[Part, bool]:
        return build(_cached_assessment(engagement, as_of, assessment_version), history), True

    key = f"assessment:{engagement.pk}:{as_of.isoformat()}:{part}"
    version = (assessment_version, tuple(history))
    return kept_for_version(key, version, ASSESSMENT_CACHE_SECONDS, kept)


def assessment_body(engagement: Engagement, assessment: Assessment) -> dict:
    """The API's assessment shape (DOMAIN.md section 9)."""
    return {"engagement_id": str(engagement.id), **assessment.to_dict()}


@dataclass(frozen=True)
class ReadinessSummary:
    """What the portfolio and the calendar show of an engagement's assessment."""

    score: int
    band: str
    critical_codes: tuple[str, ...]


def readiness_summary(assessment: Assessment) -> ReadinessSummary:
    # One code per kind of problem: a finding repeated per stakeholder is one label.
    critical = dict.fromkeys(f.code for f in assessment.findings if f.severity == "critical")
    return ReadinessSummary(assessment.readiness.score, assessment.readiness.band, tuple(critical))


# What the assessment reads of an engagement itself, and its version: plain
# rows of these fields are enough for `assess_engagements`.
ASSESSED_ENGAGEMENT_FIELDS = (
    "id",
    "name",
    "phase",
    "go_live_date",
    "kickoff_date",
    "renewal_date",
    "adoption_mode",
    "blackout_periods",
    "delivery_lead_name",
    "cs_owner_name",
    "opposition_reviewed",
    "handoff_accepted_at",
    "updated_at",
)


def store_readiness(assessments: dict, versions: dict, as_of: date) -> None:
    """Keep each engagement's readiness as of a day, for the version it was assessed at.

    `assessments` and `versions` (the `updated_at` read before the
    engagement's data) are keyed by engagement id as text. One upsert
    whatever the number of engagements. An engagement deleted since it was
    read is skipped: the foreign key would refuse its row, and the daily
    command or a change's refresh must not fail for it.
    """
    summaries = {key: readiness_summary(value) for key, value in assessments.items()}

    def store() -> None:
        existing = Engagement.objects.filter(pk__in=list(summaries)).values_list("pk", flat=True)
        rows = [
            StoredReadiness(
                engagement_id=key,
                as_of=as_of,
                version=versions[key],
                score=summary.score,
                band=summary.band,
                critical_codes=list(summary.critical_codes),
            )
            for key, summary in ((str(pk), summaries[str(pk)]) for pk in existing)
        ]
        with transaction.atomic():
            StoredReadiness.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["engagement"],
                update_fields=["as_of", "version", "score", "band", "critical_codes", "stored_at"],
            )

    try:
        store()
    except IntegrityError:  # one was deleted between the check and the write: check again
        store()


# Engagements assessed together by `refresh_stored_readiness`: their parts
# (stakeholders, plan items…) are held in memory one chunk at a time.
REFRESH_CHUNK = 200


def refresh_stored_readiness(as_of: date, engagements=None) -> int:
    """Assess every engagement (or those of a queryset) as of a day and store the readiness.

    For the daily command: a ramp's week or the handoff's deadline moves
    readiness without any change to the engagement. Returns how many were stored.
    """
    queryset = engagements if engagements is not None else Engagement.objects.all()
    # The engagements' own rows are small; their parts are what a chunk bounds.
    rows = list(queryset.order_by("pk").values_list(*ASSESSED_ENGAGEMENT_FIELDS, named=True))
    for start in range(0, len(rows), REFRESH_CHUNK):
        chunk = rows[start : start + REFRESH_CHUNK]
        versions = {str(e.id): e.updated_at for e in chunk}
        store_readiness(assess_engagements(chunk, as_of), versions, as_of)
    return len(rows)


def record_snapshot(engagement_id, on: date | None = None) -> AssessmentSnapshot | None:
    """Store today's assessment of the engagement, replacing today's earlier one.

    Today's readiness is stored alongside (`StoredReadiness`), for the version
    read before the assessment: a change committed meanwhile leaves it stale,
    never wrong, until that change's own refresh.
    """
    engagement = Engagement.objects.filter(id=engagement_id).first()
    if engagement is None:  # deleted in the same transaction
        return None
    on = on or today()
    version = engagement.updated_at
    assessment = assess_engagement(engagement, on)
    severities = [finding.severity for finding in assessment.findings]
    publish_assessment_changes(engagement, on, assessment_body(engagement, assessment))
    snapshot, _ = AssessmentSnapshot.objects.update_or_create(
        engagement=engagement,
        taken_on=on,
        defaults={
            "readiness_score": assessment.readiness.score,
            "readiness_band": assessment.readiness.band,
            "critical_count": severities.count("critical"),
            "warning_count": severities.count("warning"),
            "assessment": assessment_body(engagement, assessment),
        },
    )
    if on == today():
        store_readiness({str(engagement.id): assessment}, {str(engagement.id): version}, on)
    return snapshot


@receiver(engagement_data_committed, dispatch_uid="assessment-refresh-snapshot")
def _refresh_snapshot(sender, engagement_id, **kwargs) -> None:
    """Today's snapshot follows every committed change of the engagement's data."""
    record_snapshot(engagement_id)


def readiness_history(engagement: Engagement) -> list[tuple[date, int]]:
    return list(
        AssessmentSnapshot.objects.filter(engagement=engagement).values_list(
            "taken_on", "readiness_score"
        )
    )
