"""What the team may see of a survey's answers: the anonymity rule in one place.

The rule, applied to every page and API answer that shows results:

- A survey's results (its per-element means, its free-text answers, its
  point in a stakeholder's trend) are shown only once it has at least
  ANONYMITY_THRESHOLD (3) responses. Below that, only the count is shown:
  "n responses; results appear at 3".
- Even then, an element's mean is shown only if at least 3 respondents
  answered one of its statements (others marked both "not applicable"), so a
  mean never stands for one or two people.
- Individual answers are never shown, at any count. Free-text answers are
  listed in alphabetical order, without names or times, so they cannot be
  matched to the invitation list (which shows only whether each person has
  answered, never what or when).

The ADKAR scores written to the stakeholders are not held back (see
`services.apply_results`): the assessment needs the measurement even from one
or two people. The landscape's pages show them only from 3 responses on
(`Stakeholder.adkar_withheld`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from changeready.core.model import ADKAR_ELEMENTS, ANONYMITY_THRESHOLD
from changeready.landscape.models import Stakeholder
from changeready.surveys.models import Respondent, Response, Survey
from changeready.surveys.questionnaire import ELEMENT_LABELS, aggregate


@dataclass(frozen=True)
class ElementRow:
    element: str
    label: str
    mean: float | None  # None when hidden or nobody answered
    shown: bool


@dataclass(frozen=True)
class SurveyResults:
    responses: int
    shown: bool
    elements: tuple[ElementRow, ...]
    free_text: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> int:
        return max(0, ANONYMITY_THRESHOLD - self.responses)

    def adkar(self) -> dict[str, float | None] | None:
        """The shown means by element (None where hidden), or None below the threshold."""
        if not self.shown:
            return None
        return {row.element: row.mean for row in self.elements}


def survey_results(responses: list[Response]) -> SurveyResults:
    """The displayable results of one survey's responses, under the rule above."""
    count = len(responses)
    shown = count >= ANONYMITY_THRESHOLD
    aggregated = aggregate(response.answers for response in responses)
    rows = []
    for element in ADKAR_ELEMENTS:
        result = aggregated[element]
        element_shown = shown and result.answered_by >= ANONYMITY_THRESHOLD
        rows.append(
            ElementRow(
                element=element,
                label=ELEMENT_LABELS[element],
                mean=round(result.mean, 2) if element_shown and result.mean is not None else None,
                shown=element_shown,
            )
        )
    free_text = ()
    if shown:
        free_text = tuple(sorted(r.free_text for r in responses if r.free_text.strip()))
    return SurveyResults(responses=count, shown=shown, elements=tuple(rows), free_text=free_text)


def _count(queryset, outer="pk"):
    return Coalesce(
        Subquery(
            queryset.filter(survey=OuterRef(outer))
            .values("survey")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_counts(surveys):
    """Annotate `response_count`, `invited_count` and `answered_count` (one query)."""
    answered = Respondent.objects.filter(Exists(Response.objects.filter(respondent=OuterRef("pk"))))
    return surveys.annotate(
        response_count=_count(Response.objects.all()),
        invited_count=_count(Respondent.objects.all()),
        answered_count=_count(answered),
    )


def response_rate(survey) -> int | None:
    """Answered personal links as a percentage of those sent; None for a shared link."""
    if survey.is_shared or not survey.invited_count:
        return None
    return round(100 * survey.answered_count / survey.invited_count)


@dataclass(frozen=True)
class TrendCell:
    mean: float | None
    shown: bool
    # Change from the same element's previous shown mean, if there is one.
    change: float | None


@dataclass(frozen=True)
class TrendPoint:
    survey: Survey
    results: SurveyResults
    cells: tuple[TrendCell, ...]


@dataclass(frozen=True)
class StakeholderTrend:
    stakeholder: Stakeholder
    points: tuple[TrendPoint, ...]


def stakeholder_trends(survey: Survey, stakeholders: list[Stakeholder]) -> list[StakeholderTrend]:
    """For each stakeholder, its surveys oldest first with their (gated) results.

    A fixed number of queries whatever the number of surveys and responses.
    """
    through = Survey.stakeholders.through
    links = through.objects.filter(stakeholder__in=stakeholders).values_list(
        "stakeholder_id", "survey_id"
    )
    surveys_of = defaultdict(list)
    for stakeholder_id, survey_id in links:
        surveys_of[stakeholder_id].append(survey_id)
    surveys = {
        s.id: s
        for s in Survey.objects.filter(
            id__in={sid for ids in surveys_of.values() for sid in ids},
            engagement_id=survey.engagement_id,
        ).prefetch_related(Prefetch("responses", queryset=Response.objects.order_by()))
    }
    results = {sid: survey_results(list(s.responses.all())) for sid, s in surveys.items()}
    trends = []
    for stakeholder in stakeholders:
        ordered = sorted(
            (surveys[sid] for sid in surveys_of[stakeholder.id] if sid in surveys),
            key=lambda s: s.created_at,
        )
        points = []
        previous: dict[str, float] = {}
        for s in ordered:
            cells = []
            for row in results[s.id].elements:
                change = None
                if row.mean is not None:
                    if row.element in previous:
                        change = round(row.mean - previous[row.element], 2)
                    previous[row.element] = row.mean
                cells.append(TrendCell(mean=row.mean, shown=row.shown, change=change))
            points.append(TrendPoint(survey=s, results=results[s.id], cells=tuple(cells)))
        trends.append(StakeholderTrend(stakeholder=stakeholder, points=tuple(points)))
    return trends


def survey_summary(survey: Survey, *, today) -> dict:
    """A survey as the API shows it: status, counts and the (gated) ADKAR result
    per stakeholder it was sent for. `survey` must come from `with_counts`."""
    results = survey_results(list(Response.objects.filter(survey=survey).order_by()))
    adkar = results.adkar()
    return {
        "id": survey.id,
        "engagement_id": survey.engagement_id,
        "title": survey.title,
        "mode": survey.mode,
        "status": survey.status(today),
        "closes_on": survey.closes_on,
        "created_at": survey.created_at,
        "responses": survey.response_count,
        "invited": survey.invited_count,
        "answered": survey.answered_count,
        "results_at": ANONYMITY_THRESHOLD,
        "stakeholders": [
            {"id": stakeholder.id, "name": stakeholder.name, "adkar": adkar}
            for stakeholder in survey.stakeholders.order_by("name")
        ],
    }
