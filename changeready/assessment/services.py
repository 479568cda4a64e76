"""Assessing engagements and keeping their daily snapshots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from changeready.assessment.models import AssessmentSnapshot
from changeready.core.assessment import Assessment, assess
from changeready.engagements.loading import load_engagement_data
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_data_committed
from changeready.integrations.events import publish_assessment_changes


def today() -> date:
    return timezone.localdate()


def snapshot_dates(engagements: Iterable[Engagement]) -> dict:
    dates = defaultdict(list)
    rows = AssessmentSnapshot.objects.filter(engagement__in=list(engagements)).values_list(
        "engagement_id", "taken_on"
    )
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
    dates = tuple(sorted(snapshot_dates([engagement]).get(engagement.id, ())))
    version = (engagement_version(engagement), dates)
    key = f"assessment:{engagement.pk}:{as_of.isoformat()}"
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    data = load_engagement_data([engagement], {engagement.id: dates})[str(engagement.id)]
    assessment = assess(data, as_of)
    cache.set(key, (version, assessment), ASSESSMENT_CACHE_SECONDS)
    return assessment


def assessment_body(engagement: Engagement, assessment: Assessment) -> dict:
    """The API's assessment shape (DOMAIN.md section 9)."""
    return {"engagement_id": str(engagement.id), **assessment.to_dict()}


def record_snapshot(engagement_id, on: date | None = None) -> AssessmentSnapshot | None:
    """Store today's assessment of the engagement, replacing today's earlier one."""
    engagement = Engagement.objects.filter(id=engagement_id).first()
    if engagement is None:  # deleted in the same transaction
        return None
    on = on or today()
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
