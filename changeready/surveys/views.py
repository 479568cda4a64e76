from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from changeready.common.forms import apply_validation_error
from changeready.surveys import services
from changeready.surveys.forms import ResponseForm, SurveyForm
from changeready.surveys.links import LinkInvalid, resolve, shared_url
from changeready.surveys.models import Respondent, Response, Survey, SurveyStatus
from changeready.surveys.results import (
    ANONYMITY_THRESHOLD,
    response_rate,
    stakeholder_trends,
    survey_results,
    with_counts,
)
from changeready.workspaces.tenancy import get_engagement_for_member, require_writer


def _survey_for_member(request, engagement_id, survey_id):
    """The survey, fetched only within an engagement the user may see (404/403 otherwise)."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    survey = get_object_or_404(
        with_counts(Survey.objects.filter(engagement=engagement)), id=survey_id
    )
    survey.engagement = engagement
    return engagement, membership, survey


def _with_status(survey, today):
    survey.current_status = survey.status(today)
    survey.rate = response_rate(survey)
    return survey


@login_required
@require_GET
def survey_list(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    today = timezone.localdate()
    surveys = [
        _with_status(survey, today)
        for survey in with_counts(Survey.objects.filter(engagement=engagement)).prefetch_related(
            "stakeholders"
        )
    ]
    return render(
        request,
        "surveys/survey_list.html",
        {
            "engagement": engagement,
            "membership": membership,
            "surveys": surveys,
            "threshold": ANONYMITY_THRESHOLD,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    form = SurveyForm(request.POST or None, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                engagement=engagement,
                created_by=request.user,
                stakeholder_ids=[s.id for s in data["stakeholders"]],
                respondents=data["respondents"],
                title=data["title"],
                intro=data["intro"] or None,
                free_text_question=data["free_text_question"],
                closes_on=data["closes_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if survey.is_shared:
                messages.success(request, "Survey created. Copy its link below and pass it on.")
            else:
                count = survey.respondents.count()
                messages.success(
                    request, f"Survey created; invitations are on their way to {count} people."
                )
            return redirect("survey", engagement.id, survey.id)
    return render(
        request,
        "surveys/survey_form.html",
        {"engagement": engagement, "membership": membership, "form": form},
    )


@login_required
@require_GET
def survey_detail(request, engagement_id, survey_id):
    engagement, membership, survey = _survey_for_member(request, engagement_id, survey_id)
    _with_status(survey, timezone.localdate())
    stakeholders = list(survey.stakeholders.order_by("name"))
    respondents = Respondent.objects.filter(survey=survey).annotate(
        answered=Exists(Response.objects.filter(respondent=OuterRef("pk")))
    )
    results = survey_results(list(Response.objects.filter(survey=survey).order_by()))
    context = {
        "engagement": engagement,
        "membership": membership,
        "survey": survey,
        "stakeholders": stakeholders,
        "respondents": respondents,
        "results": results,
        "trends": stakeholder_trends(survey, stakeholders),
        "threshold": ANONYMITY_THRESHOLD,
        "is_open": survey.current_status == SurveyStatus.OPEN,
    }
    if survey.is_shared and membership.can_write:
        context["shared_url"] = shared_url(survey)
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_POST
def survey_remind(request, engagement_id, survey_id):
    engagement, _, survey = _survey_for_member(request, engagement_id, survey_id)
    try:
        count = services.send_reminders(survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(request, f"Reminders are on their way to {count} people.")
        else:
            messages.info(request, "Nobody to remind: everyone has answered or was reminded today.")
    return redirect("survey", engagement.id, survey.id)


def _confirmed_action(request, engagement_id, survey_id, *, action, template):
    engagement, membership, survey = _survey_for_member(request, engagement_id, survey_id)
    require_writer(membership)
    if request.method == "POST":
        action(survey)
        return redirect("survey", engagement.id, survey.id)
    return render(
        request,
        template,
        {"engagement": engagement, "membership": membership, "survey": survey},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_close(request, engagement_id, survey_id):
    def close(survey):
        if services.close_survey(survey, actor=request.user):
            messages.success(request, "Survey closed. Its results stay.")

    return _confirmed_action(
        request, engagement_id, survey_id, action=close, template="surveys/survey_close.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_revoke(request, engagement_id, survey_id):
    def revoke(survey):
        if services.revoke_survey(survey, actor=request.user):
            messages.success(request, "Survey withdrawn: its links no longer work.")

    return _confirmed_action(
        request, engagement_id, survey_id, action=revoke, template="surveys/survey_revoke.html"
    )


@login_required
@require_POST
def respondent_revoke(request, engagement_id, survey_id, respondent_id):
    engagement, _, survey = _survey_for_member(request, engagement_id, survey_id)
    respondent = get_object_or_404(Respondent.objects.filter(survey=survey), id=respondent_id)
    if services.revoke_respondent(respondent):
        messages.success(request, f"The link sent to {respondent.email} no longer works.")
    return redirect("survey", engagement.id, survey.id)


# --- Respondent pages: no account, nothing but the questionnaire ---------------

BROWSER_COOKIE = "survey_answer"


def respondent_page(view):
    """Headers for pages reached through a personal link: never cached (shared
    devices), never indexed, and the link never leaks as a referrer to another
    site. `same-origin`, not `no-referrer`: under `no-referrer` browsers send
    `Origin: null` with the questionnaire's POST, which the CSRF check refuses."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _browser_salt(survey):
    return f"changeready.survey.{survey.id}.browser"


def _browser_key(request, survey):
    """The key of the response this browser gave on the shared link, if any."""
    return request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=_browser_salt(survey))


def _previous_response(link, browser_key):
    if link.respondent is not None:
        return Response.objects.filter(respondent=link.respondent).first()
    if browser_key:
        return Response.objects.filter(survey=link.survey, browser_key=browser_key).first()
    return None


def _link_or_page(request, token):
    """(link, None) for a link that takes answers, else (None, the polite refusal page)."""
    try:
        link = resolve(token)
    except LinkInvalid:
        return None, render(request, "surveys/respond_invalid.html", status=404)
    reason = link.refusal(timezone.localdate())
    if reason:
        return None, _closed_page(request, link.survey, reason)
    return link, None


def _closed_page(request, survey, reason):
    return render(
        request,
        "surveys/respond_closed.html",
        {"survey": survey, "withdrawn": reason == SurveyStatus.REVOKED},
        status=410,
    )


@respondent_page
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request, token):
    link, refusal = _link_or_page(request, token)
    if refusal:
        return refusal
    survey = link.survey
    browser_key = _browser_key(request, survey) if survey.is_shared else None
    previous = _previous_response(link, browser_key)
    form = ResponseForm(
        request.POST or None,
        free_text_question=survey.free_text_question,
        offer_new_person=survey.is_shared and previous is not None,
        answers=previous.answers if previous else None,
        initial={"free_text": previous.free_text} if previous else None,
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("new_person"):
            browser_key = None
        try:
            response = services.record_response(
                link,
                form.answers(),
                form.cleaned_data.get("free_text", ""),
                browser_key=browser_key,
            )
        except services.SurveyClosed as closed:
            return _closed_page(request, survey, closed.reason)
        thanks = redirect("survey_thanks", token)
        if survey.is_shared:
            thanks.set_signed_cookie(
                BROWSER_COOKIE,
                response.browser_key,
                salt=_browser_salt(survey),
                max_age=timedelta(days=(survey.answers_until - timezone.localdate()).days + 1),
                path=reverse("survey_respond", args=[token]),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return thanks
    return render(
        request,
        "surveys/respond.html",
        {"survey": survey, "form": form, "previous": previous},
    )


@respondent_page
@require_safe
def respond_thanks(request, token):
    link, refusal = _link_or_page(request, token)
    if refusal:
        return refusal
    return render(request, "surveys/respond_thanks.html", {"survey": link.survey, "token": token})
