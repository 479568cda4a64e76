"""The activation plan, adoption targets and the workspace playbook, in the browser.

Every action is a plain form POST that redirects back; with htmx (the
`HX-Request` header) the same view answers with a template partial instead:
the whole timeline after a change (focus set on the changed item), or the
item's form again when it was refused. Permission checks stay here, through
the tenancy helpers; templates only decide what to show.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from changeready.common.concurrency import EditConflict
from changeready.common.forms import apply_validation_error, save_through
from changeready.core.weeks import plan_week
from changeready.planning import (
    adoption,
    item_edits,
    plan_state,
    presentation,
    regeneration,
    rules_library,
)
from changeready.planning.forms import (
    ActualsImportForm,
    AdoptionTargetForm,
    ItemStatusForm,
    MoveItemForm,
    PlanFilterForm,
    PlanItemForm,
    PlanSettingsForm,
    RuleForm,
)
from changeready.workspaces.tenancy import (
    get_engagement_for_member,
    get_workspace_for_member,
    require_writer,
)

ITEM_FIELDS = [name for name in PlanItemForm.Meta.fields if name != "audience"]
FILTER_PARAMS = ("audience", "owner", "owner_role", "workstream", "view")


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _filter_query(request) -> str:
    """The plan page's filters, carried through actions so the view stays filtered."""
    params = {name: request.GET[name] for name in FILTER_PARAMS if request.GET.get(name)}
    return urlencode(params)


def _plan_url(engagement, request, *, focus=None) -> str:
    query = _filter_query(request)
    if focus:
        query = f"{query}&focus={focus}" if query else f"focus={focus}"
    url = reverse("plan", args=[engagement.id])
    url = f"{url}?{query}" if query else url
    return f"{url}#item-{focus}" if focus else url


def _get_item(engagement, item_id):
    item = engagement.plan_items.filter(id=item_id).first()
    if item is None:
        raise Http404("No such plan item.")
    item.engagement = engagement
    return item


def _timeline_context(request, engagement, membership, *, focus=None, notice=""):
    owners = presentation.named_owners(engagement)
    # Ids of their own: an item's form opens beside the filters on the same page.
    filters = PlanFilterForm(
        request.GET or None, engagement=engagement, owners=owners, auto_id="filter_%s"
    )
    chosen = filters.cleaned_data if filters.is_valid() else {}
    items = presentation.filter_items(
        engagement,
        audience=chosen.get("audience"),
        owner=chosen.get("owner", ""),
        owner_role=chosen.get("owner_role", ""),
        workstream=chosen.get("workstream", ""),
    )
    # Commitments have no workstream or owner role: those filters leave them out.
    commitments = (
        []
        if chosen.get("workstream") or chosen.get("owner_role")
        else presentation.plan_commitments(
            engagement, audience=chosen.get("audience"), owner=chosen.get("owner", "")
        )
    )
    weeks = presentation.plan_weeks(engagement, items, commitments)
    view = chosen.get("view") or "timeline"
    if view == "now":
        sections = presentation.current_weeks(
            weeks, plan_week(engagement.go_live_date, date.today())
        )
    elif view in ("workstream", "owner"):
        sections = presentation.grouped_sections(weeks, view)
    else:
        sections = presentation.phase_sections(weeks)
    return {
        "engagement": engagement,
        "membership": membership,
        "weeks": weeks,
        "sections": sections,
        "view": view,
        "item_count": sum(section.item_count for section in sections),
        "filters": filters,
        "filtered": any(value for name, value in chosen.items() if name != "view"),
        "filter_query": _filter_query(request),
        "focus": str(focus or request.GET.get("focus", "")),
        "notice": notice,
        "owners": owners,
        "week_numbers": range(engagement.plan_first_week, engagement.plan_last_week + 1),
    }


def _after_change(request, engagement, membership, *, focus=None, message="", error=False):
    """htmx: the refreshed timeline; otherwise back to the plan page (PRG)."""
    if is_htmx(request):
        context = _timeline_context(
            request, engagement, membership, focus=focus, notice=message if error else ""
        )
        return render(request, "planning/_timeline.html", context)
    if message:
        (messages.error if error else messages.success)(request, message)
    return redirect(_plan_url(engagement, request, focus=focus))


@login_required
@require_POST
def plan_bulk_owner(request, engagement_id):
    """Name one owner for the ticked items (the plan page's bulk action)."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    try:
        changed = item_edits.assign_owner(
            engagement,
            request.POST.getlist("items"),
            request.POST.get("owner", ""),
            actor=request.user,
        )
    except ValidationError as error:
        return _after_change(
            request, engagement, membership, message=" ".join(error.messages), error=True
        )
    return _after_change(
        request,
        engagement,
        membership,
        message=f"Owner named for {changed} item{'s' * (changed != 1)}.",
    )


@login_required
@require_GET
def plan_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    context = _timeline_context(request, engagement, membership)
    context["state"] = presentation.plan_state_or_default(engagement)
    context["has_items"] = engagement.plan_items.exists()
    return render(request, "planning/plan.html", context)


def _render_item_form(request, engagement, membership, form, *, item=None, week=None, status=200):
    context = {
        "engagement": engagement,
        "membership": membership,
        "form": form,
        "item": item,
        "week": week,
        "filter_query": _filter_query(request),
        "form_id": f"item-{item.id}" if item else f"new-item-{week}",
        # Inside the plan page's timeline (htmx) or a page of its own (plain POST).
        "in_timeline": is_htmx(request),
    }
    if is_htmx(request):
        response = render(request, "planning/_item_form.html", context, status=status)
        response["HX-Retarget"] = f"#{context['form_id']}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "planning/item_form.html", context, status=status)


def _item_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ITEM_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    week = request.GET.get("week") or request.POST.get("week") or "1"
    form = PlanItemForm(
        request.POST or None,
        engagement=engagement,
        initial={"week": week, "owner_role": "delivery", "status": "planned"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = item_edits.create_item(
                engagement,
                audience=form.cleaned_data["audience"],
                actor=request.user,
                **_item_fields(form),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return _after_change(
                request, engagement, membership, focus=item.id, message="Plan item added."
            )
    return _render_item_form(request, engagement, membership, form, week=week)


@login_required
@require_GET
def item_fragment(request, engagement_id, item_id):
    """One item as the timeline shows it (htmx cancel); the plan page otherwise."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    item = _get_item(engagement, item_id)
    if not is_htmx(request):
        return redirect(_plan_url(engagement, request, focus=item.id))
    return render(
        request,
        "planning/_item.html",
        {
            "item": item,
            "engagement": engagement,
            "membership": membership,
            "focus": str(item.id),
            "filter_query": _filter_query(request),
            "week_numbers": range(engagement.plan_first_week, engagement.plan_last_week + 1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, engagement_id, item_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    item = _get_item(engagement, item_id)
    form = PlanItemForm(request.POST or None, instance=item, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        fields = _item_fields(form)
        # The form wrote the user's values onto `item`; start from the stored row.
        stored = _get_item(engagement, item_id)
        try:
            item_edits.update_item(
                stored,
                expected_version=form.cleaned_data["version"],
                audience=form.cleaned_data["audience"],
                actor=request.user,
                **fields,
            )
        except EditConflict as conflict:
            current = conflict.current
            form.add_error(
                None,
                f"{conflict} It now reads “{current.title}” in week {current.week}. Your "
                "values are kept below: save again to replace theirs, or cancel to keep them.",
            )
            data = form.data.copy()
            data["version"] = current.version
            form.data = data
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return _after_change(
                request, engagement, membership, focus=item.id, message="Plan item saved."
            )
    return _render_item_form(request, engagement, membership, form, item=item)


def _small_change(request, engagement_id, item_id, form_class, change, success):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    item = _get_item(engagement, item_id)
    form = form_class(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return _after_change(
            request, engagement, membership, focus=item.id, message=problems, error=True
        )
    try:
        change(item, form.cleaned_data)
    except EditConflict as conflict:
        return _after_change(
            request,
            engagement,
            membership,
            focus=item.id,
            message=f"{conflict} Nothing was changed; the plan below shows their version.",
            error=True,
        )
    except ValidationError as error:
        return _after_change(
            request,
            engagement,
            membership,
            focus=item.id,
            message=" ".join(error.messages),
            error=True,
        )
    return _after_change(request, engagement, membership, focus=item.id, message=success)


@login_required
@require_POST
def item_move(request, engagement_id, item_id):
    return _small_change(
        request,
        engagement_id,
        item_id,
        MoveItemForm,
        lambda item, data: item_edits.move_item(
            item, data["week"], expected_version=data["version"], actor=request.user
        ),
        "Plan item moved.",
    )


@login_required
@require_POST
def item_status(request, engagement_id, item_id):
    return _small_change(
        request,
        engagement_id,
        item_id,
        ItemStatusForm,
        lambda item, data: item_edits.set_item_status(
            item, data["status"], expected_version=data["version"], actor=request.user
        ),
        "Plan item updated.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request, engagement_id, item_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    item = _get_item(engagement, item_id)
    if request.method == "POST":
        version = request.POST.get("version")
        try:
            item_edits.delete_item(
                item, expected_version=int(version) if version else None, actor=request.user
            )
        except EditConflict as conflict:
            return _after_change(
                request,
                engagement,
                membership,
                focus=item.id,
                message=f"{conflict} It was not deleted.",
                error=True,
            )
        return _after_change(request, engagement, membership, message=f"Deleted “{item.title}”.")
    context = {
        "engagement": engagement,
        "membership": membership,
        "item": item,
        "filter_query": _filter_query(request),
        "in_timeline": is_htmx(request),
    }
    template = "planning/_item_delete.html" if is_htmx(request) else "planning/item_delete.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_generate(request, engagement_id):
    """GET previews what (re)generating would change; POST does it."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    if request.method == "POST":
        summary = regeneration.regenerate_plan(engagement, actor=request.user)
        messages.success(request, f"Plan generated: {summary}.")
        return redirect("plan", engagement.id)
    preview = regeneration.preview_regeneration(engagement)
    names = preview.stakeholder_names
    return render(
        request,
        "planning/generate.html",
        {
            "engagement": engagement,
            "membership": membership,
            "preview": preview,
            "to_add": [
                {"item": item, "audience": [names.get(sid, "?") for sid in item.audience_ids]}
                for item in preview.items_to_add
            ],
            "state": presentation.plan_state_or_default(engagement),
            "has_items": engagement.plan_items.exists(),
            "counts": presentation.change_counts(preview),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    state = presentation.plan_state_or_default(engagement)
    form = PlanSettingsForm(
        request.POST or None,
        initial={
            "adoption_target_pct": state.adoption_target_pct,
            "adoption_target_week": state.adoption_target_week,
            "version": engagement.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_through(
            form,
            lambda: plan_state.update_plan_settings(
                engagement,
                expected_version=data["version"],
                adoption_target_pct=data["adoption_target_pct"],
                adoption_target_week=data["adoption_target_week"],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(
                request, "Plan settings saved. Regenerate the plan to apply them to it."
            )
            return redirect("plan", engagement.id)
    return render(
        request,
        "planning/plan_settings.html",
        {"engagement": engagement, "membership": membership, "form": form},
    )


# --- adoption -----------------------------------------------------------------


def _adoption_context(engagement, membership, **extra):
    return {
        "engagement": engagement,
        "membership": membership,
        "groups": presentation.adoption_groups(engagement),
        "import_form": ActualsImportForm(),
        **extra,
    }


@login_required
@require_GET
def adoption_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(request, "planning/adoption.html", _adoption_context(engagement, membership))


@login_required
@require_POST
def adoption_target_edit(request, engagement_id, target_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    target = engagement.adoption_targets.select_related("stakeholder").filter(id=target_id).first()
    if target is None:
        raise Http404("No such adoption target.")
    target.engagement = engagement
    form = AdoptionTargetForm(request.POST)
    anchor = f"group-{target.stakeholder_id}"
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Week {target.week} of {target.stakeholder.name}: {problems}")
        return redirect(reverse("adoption", args=[engagement.id]) + f"#{anchor}")
    data = form.cleaned_data
    try:
        if data["target_pct"] != target.target_pct:
            adoption.set_target(
                target, data["target_pct"], expected_version=data["version"], actor=request.user
            )
            data["version"] = target.version
        if data["actual_pct"] != target.typed_pct:
            adoption.set_actual(
                target, data["actual_pct"], expected_version=data["version"], actor=request.user
            )
    except EditConflict as conflict:
        messages.error(
            request,
            f"Week {target.week} of {target.stakeholder.name}: {conflict} You entered target "
            f"{data['target_pct']:g}%"
            + (f", actual {data['actual_pct']:g}%" if data["actual_pct"] is not None else "")
            + ".",
        )
    else:
        messages.success(request, f"Week {target.week} of {target.stakeholder.name} saved.")
    return redirect(reverse("adoption", args=[engagement.id]) + f"#{anchor}")


@login_required
@require_POST
def actuals_import(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = ActualsImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            count = adoption.import_actuals(
                engagement, form.cleaned_data["file"], actor=request.user
            )
        except adoption.ActualsImportError as error:
            errors = error.errors
        else:
            messages.success(request, f"Imported {count} actual figure{'s' if count != 1 else ''}.")
            return redirect("adoption", engagement.id)
    context = _adoption_context(engagement, membership, import_errors=errors)
    context["import_form"] = form
    return render(request, "planning/adoption.html", context, status=400)


# --- the workspace playbook -------------------------------------------------------


@login_required
@require_GET
def playbook(request, slug):
    membership = get_workspace_for_member(request, slug)
    entries = rules_library.rule_library(membership.workspace)
    return render(
        request,
        "planning/playbook.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "families": [
                (
                    family,
                    title,
                    [(entry, presentation.rule_conditions(entry.rule)) for entry in rows],
                )
                for family, title, rows in presentation.rules_by_family(entries)
            ],
            "enabled_count": sum(entry.enabled for entry in entries),
            "total": len(entries),
        },
    )


def _rule_page(request, membership, form, *, entry=None):
    return render(
        request,
        "planning/rule_form.html",
        {"workspace": membership.workspace, "membership": membership, "form": form, "entry": entry},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request, slug):
    membership = get_workspace_for_member(request, slug, manage=True)
    form = RuleForm(
        request.POST or None,
        initial={"family": "baseline", "audience": "engagement", "enabled": True, "weeks": "1"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rules_library.create_rule(membership.workspace, form.rule_data(), actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Rule added to the playbook.")
            return redirect(reverse("playbook", args=[slug]) + f"#rule-{form.cleaned_data['key']}")
    return _rule_page(request, membership, form)


def _entry(membership, key):
    entry = rules_library.library_entry(membership.workspace, key)
    if entry is None:
        raise Http404("No such rule.")
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, slug, key):
    """Edit a rule; editing a built-in stores the workspace's own copy of it."""
    membership = get_workspace_for_member(request, slug, manage=True)
    entry = _entry(membership, key)
    version = entry.row.version if entry.row else None
    form = RuleForm(
        request.POST or None,
        initial=RuleForm.initial_from_rule(entry.rule, version),
        key_locked=True,
    )
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: rules_library.save_rule(
                membership.workspace,
                form.rule_data(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, "Rule saved. Regenerate a plan to use it there.")
            return redirect(reverse("playbook", args=[slug]) + f"#rule-{key}")
    return _rule_page(request, membership, form, entry=entry)


@login_required
@require_POST
def rule_toggle(request, slug, key):
    membership = get_workspace_for_member(request, slug, manage=True)
    entry = _entry(membership, key)
    rules_library.set_rule_enabled(membership.workspace, key, not entry.enabled, actor=request.user)
    state = "switched off" if entry.enabled else "switched on"
    messages.success(request, f"“{entry.rule.title}” {state}.")
    return redirect(reverse("playbook", args=[slug]) + f"#rule-{key}")


@login_required
@require_POST
def rule_reset(request, slug, key):
    membership = get_workspace_for_member(request, slug, manage=True)
    entry = _entry(membership, key)
    rules_library.reset_rule(membership.workspace, key, actor=request.user)
    messages.success(request, f"“{entry.rule.title}” is back to the built-in version.")
    return redirect(reverse("playbook", args=[slug]) + f"#rule-{key}")


@login_required
@require_http_methods(["GET", "POST"])
def rule_delete(request, slug, key):
    membership = get_workspace_for_member(request, slug, manage=True)
    entry = _entry(membership, key)
    if entry.source != "custom":
        raise Http404("Built-in rules are switched off, not deleted.")
    if request.method == "POST":
        rules_library.delete_rule(membership.workspace, key, actor=request.user)
        messages.success(request, f"Rule “{entry.rule.title}” deleted.")
        return redirect("playbook", slug)
    return render(
        request,
        "planning/rule_confirm_delete.html",
        {"workspace": membership.workspace, "membership": membership, "entry": entry},
    )
