"""Measured adoption, the identity mapping, ingestion tokens and KPIs, in the browser.

Every action is a plain form POST that redirects back (or shows the form again
with what was typed when it is refused). Permission checks stay here, through
the tenancy helpers; templates only decide what to show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from changeready.common.concurrency import EditConflict
from changeready.common.forms import apply_validation_error, save_through
from changeready.planning.charts import adoption_chart
from changeready.usage import charts, mapping, uploads
from changeready.usage import kpis as kpi_services
from changeready.usage.forms import (
    CountsAsUseForm,
    KpiForm,
    KpiValueForm,
    MappingRuleForm,
    TokenForm,
    UploadForm,
)
from changeready.usage.models import IngestionToken, Kpi, KpiValue, MappingRule
from changeready.usage.summary import usage_summary
from changeready.usage.tokens import issue_ingestion_token, revoke_ingestion_token
from changeready.workspaces.tenancy import get_engagement_for_member, require_writer

UPLOAD_PROGRESS_HEADER = "X-Upload-Progress"


# --- measured adoption ---------------------------------------------------------------


def _usage_context(engagement, membership, **extra) -> dict:
    summary = usage_summary(engagement)
    groups = [
        (group, adoption_chart(group.stakeholder.name, group.weeks)) for group in summary.groups
    ]
    return {
        "engagement": engagement,
        "membership": membership,
        "summary": summary,
        "groups": groups,
        "upload_form": UploadForm(),
        **extra,
    }


@login_required
@require_GET
def usage_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(request, "usage/usage.html", _usage_context(engagement, membership))


@login_required
@require_POST
def usage_upload(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = UploadForm(request.POST, request.FILES)
    result = refused = None
    if form.is_valid():
        try:
            result = uploads.ingest_file(engagement, form.cleaned_data["file"])
        except uploads.UploadRefused as error:
            refused = str(error)
    outcome = {"upload_result": result, "upload_refused": refused}
    if request.headers.get(UPLOAD_PROGRESS_HEADER):
        # The page's script sent the file and shows only the outcome.
        return render(request, "usage/_upload_result.html", {**outcome, "upload_form": form})
    context = _usage_context(engagement, membership, **outcome)
    context["upload_form"] = form
    return render(
        request, "usage/usage.html", context, status=422 if refused or form.errors else 200
    )


# --- identity mapping ---------------------------------------------------------------


def _mapping_context(engagement, membership, *, rule_form=None) -> dict:
    summary = usage_summary(engagement)
    rules = list(
        MappingRule.objects.filter(engagement=engagement)
        .select_related("stakeholder")
        .order_by("position", "id")
    )
    return {
        "engagement": engagement,
        "membership": membership,
        "summary": summary,
        "rules": rules,
        "rule_form": rule_form or MappingRuleForm(engagement=engagement),
        "counts_forms": [
            (
                group,
                CountsAsUseForm(
                    initial={"counts_as_use": "\n".join(group.counts_as_use)},
                    prefix=f"group-{group.stakeholder.id}",
                ),
            )
            for group in summary.groups
        ],
    }


@login_required
@require_GET
def mapping_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(request, "usage/mapping.html", _mapping_context(engagement, membership))


@login_required
@require_POST
def mapping_rule_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = MappingRuleForm(request.POST, engagement=engagement)
    if form.is_valid() and save_through(
        form, lambda: mapping.add_rule(engagement, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Rule added; users re-mapped.")
        return redirect("usage_mapping", engagement.id)
    context = _mapping_context(engagement, membership, rule_form=form)
    return render(request, "usage/mapping.html", context, status=422)


def _get_rule(engagement, rule_id) -> MappingRule:
    rule = (
        MappingRule.objects.filter(engagement=engagement, id=rule_id)
        .select_related("stakeholder")
        .first()
    )
    if rule is None:
        raise Http404("No such rule.")
    rule.engagement = engagement
    return rule


@login_required
@require_http_methods(["GET", "POST"])
def mapping_rule_edit(request, engagement_id, rule_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    rule = _get_rule(engagement, rule_id)
    initial = {
        "stakeholder": rule.stakeholder,
        "kind": rule.kind,
        "property_name": rule.property_name,
        "values": "\n".join(rule.values),
    }
    form = MappingRuleForm(request.POST or None, engagement=engagement, initial=initial)
    if request.method == "POST" and form.is_valid():
        if save_through(
            form, lambda: mapping.update_rule(rule, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Rule saved; users re-mapped.")
            return redirect("usage_mapping", engagement.id)
    return render(
        request,
        "usage/rule_form.html",
        {"engagement": engagement, "membership": membership, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_rule_delete(request, engagement_id, rule_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    rule = _get_rule(engagement, rule_id)
    if request.method == "POST":
        mapping.delete_rule(rule, actor=request.user)
        messages.success(request, "Rule removed; users re-mapped.")
        return redirect("usage_mapping", engagement.id)
    return render(
        request,
        "usage/confirm.html",
        {
            "engagement": engagement,
            "membership": membership,
            "title": "Remove this mapping rule?",
            "text": f"Users it matched ({rule.get_kind_display().lower()}: "
            f"{', '.join(rule.values[:5])}) stop counting for {rule.stakeholder.name} unless "
            "another rule matches them.",
            "action": "Remove the rule",
            "back": "usage_mapping",
        },
    )


@login_required
@require_POST
def mapping_rule_move(request, engagement_id, rule_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    rule = _get_rule(engagement, rule_id)
    mapping.move_rule(rule, -1 if request.POST.get("direction") == "up" else 1, actor=request.user)
    return redirect("usage_mapping", engagement.id)


@login_required
@require_POST
def counts_as_use(request, engagement_id, stakeholder_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    group = mapping.mappable_groups(engagement).filter(id=stakeholder_id).first()
    if group is None:
        raise Http404("No such group.")
    form = CountsAsUseForm(request.POST, prefix=f"group-{group.id}")
    if form.is_valid():
        try:
            mapping.set_counts_as_use(
                engagement, group, form.cleaned_data["counts_as_use"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, f"{group.name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"Events that count as use for {group.name} saved.")
    return redirect("usage_mapping", engagement.id)


# --- ingestion tokens -----------------------------------------------------------------


def _tokens_context(engagement, membership, **extra) -> dict:
    return {
        "engagement": engagement,
        "membership": membership,
        "tokens": IngestionToken.objects.filter(engagement=engagement).select_related("created_by"),
        "form": TokenForm(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                issued = issue_ingestion_token(
                    engagement, name=form.cleaned_data["name"], actor=request.user
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                # Shown once, on this response only: it is not stored anywhere readable.
                context = _tokens_context(
                    engagement, membership, secret=issued.secret, issued=issued.token
                )
                return render(request, "usage/tokens.html", context)
        context = _tokens_context(engagement, membership, form=form)
        return render(request, "usage/tokens.html", context, status=422)
    return render(request, "usage/tokens.html", _tokens_context(engagement, membership))


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, engagement_id, token_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    token = IngestionToken.objects.filter(engagement=engagement, id=token_id).first()
    if token is None:
        raise Http404("No such token.")
    token.engagement = engagement
    if request.method == "POST":
        revoke_ingestion_token(token, actor=request.user)
        messages.success(request, f"Token “{token.name}” revoked: events sent with it are refused.")
        return redirect("usage_tokens", engagement.id)
    return render(
        request,
        "usage/confirm.html",
        {
            "engagement": engagement,
            "membership": membership,
            "title": f"Revoke the token “{token.name}”?",
            "text": "Whatever sends events with it is refused from now on. This cannot be undone: "
            "create a new token instead.",
            "action": "Revoke the token",
            "back": "usage_tokens",
        },
    )


# --- KPIs -------------------------------------------------------------------------------


def _kpi_rows(engagement) -> list[tuple]:
    kpis = list(engagement.kpis.select_related("stakeholder").order_by("created_at", "name"))
    values: dict = {}
    for kpi_id, week, value in KpiValue.objects.filter(kpi__engagement=engagement).values_list(
        "kpi_id", "week", "value"
    ):
        values.setdefault(kpi_id, []).append((week, value))
    rows = []
    for kpi in kpis:
        kpi_values = sorted(values.get(kpi.id, []))
        value_form = None if kpi.is_computed else KpiValueForm(prefix=f"kpi-{kpi.id}")
        rows.append((kpi, kpi_values, charts.kpi_chart(kpi, kpi_values), value_form))
    return rows


@login_required
@require_GET
def kpis_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(
        request,
        "usage/kpis.html",
        {
            "engagement": engagement,
            "membership": membership,
            "rows": _kpi_rows(engagement),
        },
    )


def _get_kpi(engagement, kpi_id) -> Kpi:
    kpi = Kpi.objects.filter(engagement=engagement, id=kpi_id).first()
    if kpi is None:
        raise Http404("No such KPI.")
    kpi.engagement = engagement
    return kpi


def _kpi_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def kpi_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    form = KpiForm(request.POST or None, engagement=engagement, initial={"measure": "typed"})
    if request.method == "POST" and form.is_valid():
        if save_through(
            form,
            lambda: kpi_services.create_kpi(engagement, actor=request.user, **_kpi_fields(form)),
        ):
            messages.success(request, f"KPI “{form.cleaned_data['name']}” added.")
            return redirect("kpis", engagement.id)
    return render(
        request,
        "usage/kpi_form.html",
        {"engagement": engagement, "membership": membership, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request, engagement_id, kpi_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    kpi = _get_kpi(engagement, kpi_id)
    form = KpiForm(request.POST or None, instance=kpi, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        if save_through(
            form,
            lambda: kpi_services.update_kpi(
                kpi,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **_kpi_fields(form),
            ),
        ):
            messages.success(request, f"KPI “{kpi.name}” saved.")
            return redirect("kpis", engagement.id)
    return render(
        request,
        "usage/kpi_form.html",
        {"engagement": engagement, "membership": membership, "form": form, "kpi": kpi},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_delete(request, engagement_id, kpi_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    kpi = _get_kpi(engagement, kpi_id)
    if request.method == "POST":
        version = request.POST.get("version")
        try:
            kpi_services.delete_kpi(
                kpi, expected_version=int(version) if version else None, actor=request.user
            )
        except EditConflict as conflict:
            messages.error(request, f"{conflict} It was not deleted.")
        else:
            messages.success(request, f"KPI “{kpi.name}” deleted.")
        return redirect("kpis", engagement.id)
    return render(
        request,
        "usage/confirm.html",
        {
            "engagement": engagement,
            "membership": membership,
            "title": f"Delete the KPI “{kpi.name}”?",
            "text": "Its weekly values are deleted with it.",
            "action": "Delete the KPI",
            "back": "kpis",
            "version": kpi.version,
        },
    )


@login_required
@require_POST
def kpi_value(request, engagement_id, kpi_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    kpi = _get_kpi(engagement, kpi_id)
    form = KpiValueForm(request.POST, prefix=f"kpi-{kpi.id}")
    if form.is_valid():
        week, value = form.cleaned_data["week"], form.cleaned_data["value"]
        try:
            kpi_services.set_value(kpi, week, value, actor=request.user)
        except ValidationError as error:
            messages.error(request, f"{kpi.name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"{kpi.name}, week {week} saved.")
    else:
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"{kpi.name}: {problems}")
    return redirect("kpis", engagement.id)
