"""The plan's own settings: its window (stored on the engagement) and the
adoption ramp, plus the state regeneration keeps between runs.
"""

from __future__ import annotations

from django.db import transaction

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.engagements.models import Engagement
from changeready.engagements.services import lock_engagement, update_engagement
from changeready.planning.models import PlanState


def plan_state(engagement: Engagement, *, for_update: bool = False) -> PlanState:
    state, _ = PlanState.objects.get_or_create(engagement=engagement)
    if for_update:
        state = PlanState.objects.select_for_update().get(pk=state.pk)
    return state


@transaction.atomic
def update_plan_settings(
    engagement: Engagement,
    *,
    expected_version: int | None,
    adoption_target_pct: float,
    adoption_target_week: int,
    actor=None,
) -> Engagement:
    """The adoption ramp (on the plan state).

    The plan window is derived from the kickoff and renewal dates, so it is
    edited with the engagement. The engagement's version still guards the
    form: two people saving the settings at once do not overwrite each other.
    The engagement is locked before the plan state, in the order plan
    generation takes them: the other way round, the two deadlocked.
    """
    lock_engagement(engagement)
    state = plan_state(engagement, for_update=True)
    before = stored_values(state, ["adoption_target_pct", "adoption_target_week"])
    state.adoption_target_pct = adoption_target_pct
    state.adoption_target_week = adoption_target_week
    state.full_clean()
    state.save()
    updated = update_engagement(
        engagement,
        expected_version=expected_version,
        actor=actor,
    )
    ramp_changes = field_changes(state, before)
    if ramp_changes:
        record_plan_activity(engagement, actor, changes=ramp_changes)
    return updated


def record_plan_activity(
    engagement: Engagement, actor, *, verb: str = "updated", detail: str = "", changes=None
) -> None:
    """One history event for a change to the plan as a whole (not one item)."""
    record_activity(
        engagement,
        actor=actor,
        verb=verb,
        obj_type="plan",
        obj_id=None,
        label=engagement.name,
        detail=detail,
        changes=changes,
    )
