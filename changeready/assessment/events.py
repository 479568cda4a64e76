"""Which webhook events a new assessment raises (when each fires: docs/domain.md,
section 7). The integrations app delivers them; what changed is decided here,
beside the snapshots it compares with."""

from __future__ import annotations

from changeready.assessment.models import AssessmentSnapshot
from changeready.integrations.events import enabled_endpoints, publish_to
from changeready.integrations.models import EventType

ADOPTION_FINDING = "adoption_behind_target"


def _critical_subjects(body: dict) -> dict[str, set]:
    subjects: dict[str, set] = {}
    for finding in body.get("findings", []):
        if finding["severity"] == "critical":
            subjects.setdefault(finding["code"], set()).update(finding["subject_ids"])
    return subjects


def _is_new(finding: dict, before: dict[str, set]) -> bool:
    if finding["code"] not in before:
        return True
    return not set(finding["subject_ids"]) <= before[finding["code"]]


def publish_assessment_changes(engagement, on, assessment: dict) -> None:
    """Compare a new assessment (the API's shape) with the latest snapshot before it.

    Call it before the snapshot of `on` is stored. A changed readiness band is
    `engagement.readiness_changed`; a critical finding whose code was not
    critical before, or that names a stakeholder it did not name, is
    `finding.raised`; `adoption_behind_target` raised that way is also
    `adoption.behind_target`. An engagement's first snapshot is the baseline
    and sends nothing: there is nothing it changed from.
    """
    endpoints = enabled_endpoints(engagement)
    if not endpoints:
        return
    previous = (
        AssessmentSnapshot.objects.filter(engagement=engagement, taken_on__lte=on)
        .order_by("-taken_on")
        .first()
    )
    if previous is None:
        return

    def send(event_type: str, **details) -> None:
        publish_to(endpoints, engagement, event_type, **details)

    readiness = assessment["readiness"]
    if readiness["band"] != previous.readiness_band:
        send(
            EventType.READINESS_CHANGED,
            readiness=readiness,
            previous={"score": previous.readiness_score, "band": previous.readiness_band},
        )
    before = _critical_subjects(previous.assessment)
    for finding in assessment["findings"]:
        if finding["severity"] == "critical" and _is_new(finding, before):
            send(EventType.FINDING_RAISED, finding=finding)
            if finding["code"] == ADOPTION_FINDING:
                send(EventType.ADOPTION_BEHIND_TARGET, finding=finding)
