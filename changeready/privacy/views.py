"""A person's data: the export (a JSON download) and the erasure, for owners and admins."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from changeready.common.forms import apply_validation_error
from changeready.landscape.models import Stakeholder
from changeready.privacy import services
from changeready.privacy.forms import EraseForm
from changeready.workspaces.tenancy import get_engagement_for_member

MANAGERS_ONLY = "Only owners and admins can export or erase a person's data."


def _person(request, engagement_id, stakeholder_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    if not membership.can_manage:
        raise PermissionDenied(MANAGERS_ONLY)
    try:
        person = engagement.stakeholders.get(id=stakeholder_id, kind="person")
    except Stakeholder.DoesNotExist:
        raise Http404("No such person.") from None
    person.engagement = engagement
    return engagement, membership, person


@login_required
@require_POST
def person_export(request, engagement_id, stakeholder_id):
    """A POST: the download is recorded in the activity history."""
    _engagement, _membership, person = _person(request, engagement_id, stakeholder_id)
    data = services.person_export(person, actor=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"{slugify(person.name) or 'person'}-personal-data.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request, engagement_id, stakeholder_id):
    engagement, membership, person = _person(request, engagement_id, stakeholder_id)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.erase_person(
                person, typed_name=form.cleaned_data["typed_name"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Erased: the person is now “{erasure.placeholder}” everywhere "
                f"({erasure.removed} records removed, {erasure.anonymised} anonymised).",
            )
            return redirect(reverse("stakeholder", args=[engagement.id, person.id]))
    return render(
        request,
        "privacy/erase_confirm.html",
        {
            "engagement": engagement,
            "membership": membership,
            "person": person,
            "form": form,
            "counts": {
                "log entries": person.log_entries.count(),
                "commitments": person.commitments.count(),
                "resistance points": person.resistance_points.count(),
            },
        },
    )
