"""The landscape, the power/interest map, the resistor register and the import.

Thin views: every object is fetched through the tenancy helper and the
engagement's own relations, every write goes through `services`. Forms work as
plain POSTs; with htmx, a form swaps itself in place while it has errors and,
once saved, the page's section (questions or register) is re-rendered from the
same partial template the page includes.
"""

from __future__ import annotations

import csv
import io
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from changeready.common.forms import apply_validation_error, save_through
from changeready.core.model import ROLES
from changeready.landscape import charts, importing, services
from changeready.landscape.forms import (
    GRID_COLUMNS,
    GRID_LABELS,
    GRID_PHRASE_FIELDS,
    CommitmentForm,
    GridRowForm,
    ImportConfirmForm,
    ImportUploadForm,
    LogEntryForm,
    ResistancePointForm,
    StakeholderForm,
    WorkspacePhraseForm,
    grid_phrase_list,
    relation_initial,
)
from changeready.landscape.history import build_history
from changeready.landscape.labels import (
    ENGAGEMENT_LABELS,
    QUESTIONS,
    QUESTIONS_BY_SLUG,
)
from changeready.landscape.models import (
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
    WorkspacePhrase,
)
from changeready.landscape.overview import build_landscape
from changeready.landscape.presets import RELATION_PRESETS
from changeready.landscape.suggestions import (
    BUILT_IN_PHRASES,
    PHRASE_FIELD_LABELS,
    phrases_by_role,
)
from changeready.workspaces.tenancy import (
    get_engagement_for_member,
    get_workspace_for_member,
    require_writer,
)

IMPORT_SALT = "changeready.landscape.import"
IMPORT_TOKEN_MAX_AGE = 2 * 3600


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _stakeholder(engagement, stakeholder_id) -> Stakeholder:
    try:
        return engagement.stakeholders.get(id=stakeholder_id)
    except Stakeholder.DoesNotExist:
        raise Http404("No such stakeholder.") from None


def _point(engagement, point_id) -> ResistancePoint:
    try:
        return engagement.resistance_points.select_related("stakeholder").get(id=point_id)
    except ResistancePoint.DoesNotExist:
        raise Http404("No such resistance point.") from None


def _section_response(request, engagement, membership, section: str, focus="") -> HttpResponse:
    """After an htmx save: the refreshed questions or register, swapped in place of the old.

    The swap replaces the button that had the focus; `focus` (a stakeholder id,
    or a question's slug) names the heading that takes it instead, so keyboard
    and screen reader users stay where they were rather than at the top of the page.
    """
    template = {
        "questions": "landscape/_questions.html",
        "register": "landscape/_register.html",
    }[section]
    response = render(
        request,
        template,
        {
            "engagement": engagement,
            "membership": membership,
            "landscape": build_landscape(engagement),
            "swapped": True,
            "focus": str(focus),
        },
    )
    response["HX-Retarget"] = f"#{section}"
    response["HX-Reswap"] = "outerHTML"
    return response


# --- The landscape -----------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def landscape(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(
        request,
        "landscape/landscape.html",
        {
            "engagement": engagement,
            "membership": membership,
            "landscape": build_landscape(engagement),
        },
    )


@login_required
@require_POST
def opposition_reviewed(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    reviewed = request.POST.get("reviewed") == "yes"
    services.set_opposition_reviewed(engagement, reviewed, actor=request.user)
    if _is_htmx(request):
        return _section_response(request, engagement, membership, "questions", "opposed")
    messages.success(
        request,
        "Recorded: nobody opposed the purchase."
        if reviewed
        else "Undone: the question “who did not want it?” is open again.",
    )
    return redirect(reverse("landscape", args=[engagement.id]) + "#question-opposed")


def _log_context(stakeholder, membership, log_form=None, commitment_form=None) -> dict:
    """The stakeholder log section: entries newest first, commitments, and the add forms."""
    context = {
        "log_entries": stakeholder.log_entries.select_related("recorded_by"),
        "commitments": stakeholder.commitments.select_related("log_entry"),
    }
    if membership.can_write:
        context["log_form"] = log_form or LogEntryForm(
            instance=StakeholderLogEntry(stakeholder=stakeholder),
            initial={"date": timezone.localdate()},
        )
        context["commitment_form"] = commitment_form or CommitmentForm(
            instance=Commitment(stakeholder=stakeholder)
        )
    return context


def _stakeholder_page(request, engagement, membership, stakeholder, **forms) -> HttpResponse:
    """The stakeholder's page; with htmx only its log section, swapped in place."""
    context = {
        "engagement": engagement,
        "membership": membership,
        "stakeholder": stakeholder,
        **_log_context(stakeholder, membership, **forms),
    }
    if _is_htmx(request):
        return render(request, "landscape/_stakeholder_log.html", context)
    entries = build_landscape(engagement).entries
    entry = next((e for e in entries if e.stakeholder.id == stakeholder.id), None)
    if entry is None:
        raise Http404("No such stakeholder.")
    return render(request, "landscape/stakeholder_detail.html", {**context, "entry": entry})


@login_required
@require_http_methods(["GET"])
def stakeholder_detail(request, engagement_id, stakeholder_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    stakeholder = _stakeholder(engagement, stakeholder_id)
    return _stakeholder_page(request, engagement, membership, stakeholder)


def _stakeholder_form_page(request, context, *, inline: bool) -> HttpResponse:
    template = "landscape/_stakeholder_form.html" if inline else "landscape/stakeholder_form.html"
    return render(request, template, {**context, "inline": inline})


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    question = QUESTIONS_BY_SLUG.get(request.GET.get("question", ""), QUESTIONS[0])
    initial = {
        "role": question.add_role,
        "opposed_purchase": question.opposed,
        **relation_initial(request.GET.get("relation") or question.add_role),
    }
    form = StakeholderForm(
        request.POST or None, instance=Stakeholder(engagement=engagement), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.create_stakeholder(
                engagement, actor=request.user, **form.changes()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if _is_htmx(request):
                return _section_response(
                    request, engagement, membership, "questions", stakeholder.id
                )
            messages.success(request, f"“{stakeholder.name}” added.")
            return redirect(reverse("landscape", args=[engagement.id]) + f"#s-{stakeholder.id}")
    context = {"engagement": engagement, "membership": membership, "form": form}
    context["question"] = question
    return _stakeholder_form_page(request, context, inline=_is_htmx(request))


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request, engagement_id, stakeholder_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    stakeholder = _stakeholder(engagement, stakeholder_id)
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.update_stakeholder(
                stakeholder,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **form.changes(),
            ),
        )
        if saved:
            if _is_htmx(request):
                return _section_response(
                    request, engagement, membership, "questions", stakeholder.id
                )
            messages.success(request, f"“{stakeholder.name}” saved.")
            return redirect(reverse("landscape", args=[engagement.id]) + f"#s-{stakeholder.id}")
    context = {
        "engagement": engagement,
        "membership": membership,
        "form": form,
        "stakeholder": stakeholder,
    }
    return _stakeholder_form_page(request, context, inline=_is_htmx(request))


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request, engagement_id, stakeholder_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    stakeholder = _stakeholder(engagement, stakeholder_id)
    if request.method == "POST":
        name = stakeholder.name
        services.delete_stakeholder(stakeholder, actor=request.user)
        messages.success(request, f"“{name}” deleted.")
        return redirect("landscape", engagement.id)
    return render(
        request,
        "landscape/stakeholder_confirm_delete.html",
        {
            "engagement": engagement,
            "stakeholder": stakeholder,
            "point_count": stakeholder.resistance_points.count(),
        },
    )


# --- The grid: many stakeholders in one table ---------------------------------

# Sent by the grid's script: answer with the saved row alone, to swap in place.
GRID_ROW_HEADER = "X-Grid-Row"
# Row numbers only name a row's elements on the page; keep them small.
MAX_GRID_ROW = 10_000


def _grid_row_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_GRID_ROW else 1


def _grid_context(engagement, membership, *, bound: GridRowForm | None = None) -> dict:
    """The grid page: one row per stakeholder, and for writers a blank row to add one.

    `bound` is a row that failed to save without the script (a plain POST): it
    takes the place of its stakeholder's row, or of the blank row, so the page
    shows its errors with what was typed.
    """
    stakeholders = list(engagement.stakeholders.all())
    context = {
        "engagement": engagement,
        "membership": membership,
        "stakeholders": stakeholders,
        "columns": [(name, GRID_LABELS[name]) for name in GRID_COLUMNS],
        "column_names": json.dumps(GRID_COLUMNS),
    }
    if not membership.can_write:
        return context
    rows = [
        GridRowForm(instance=stakeholder, row=number)
        for number, stakeholder in enumerate(stakeholders, start=1)
    ]
    rows.append(GridRowForm(instance=Stakeholder(engagement=engagement), row=len(rows) + 1))
    if not stakeholders:
        # An empty grid is opened to be typed in.
        rows[0].fields["name"].widget.attrs["autofocus"] = True
    if bound is not None:
        position = next(
            (i for i, row in enumerate(rows) if row.instance.pk == bound.instance.pk),
            len(rows) - 1,
        )
        rows[position] = bound
    phrases = phrases_by_role(WorkspacePhrase.objects.for_workspace(engagement.workspace), ROLES)
    context.update(
        rows=rows,
        new_row=GridRowForm(instance=Stakeholder(engagement=engagement), row="__row__"),
        phrase_lists=[
            (grid_phrase_list(field, role), texts)
            for role, by_field in phrases.items()
            for field, texts in by_field.items()
            if field in GRID_PHRASE_FIELDS and texts
        ],
        relation_presets=json.dumps({p.slug: p.values() for p in RELATION_PRESETS}),
        relation_aliases=json.dumps(importing.crm_relation_aliases()),
    )
    return context


@login_required
@require_http_methods(["GET"])
def landscape_grid(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(request, "landscape/grid.html", _grid_context(engagement, membership))


@login_required
@require_POST
def grid_row_save(request, engagement_id, stakeholder_id=None):
    """Save one row of the grid, new or existing, through the stakeholder services.

    From the grid's script the answer is the row alone, saved or showing its
    errors with what was typed; without the script, the grid page again.
    """
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    if stakeholder_id is None:
        stakeholder = Stakeholder(engagement=engagement)
    else:
        stakeholder = _stakeholder(engagement, stakeholder_id)
    number = _grid_row_number(request.POST.get("row"))
    form = GridRowForm(request.POST, instance=stakeholder, row=number)
    saved = []

    def write():
        if stakeholder_id is None:
            saved.append(
                services.create_stakeholder(engagement, actor=request.user, **form.changes())
            )
        else:
            saved.append(
                services.update_stakeholder(
                    stakeholder,
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                    **form.changes(),
                )
            )

    if form.is_valid() and save_through(form, write):
        row = GridRowForm(instance=saved[0], row=number)
        message = f"Row {number} saved: “{saved[0].name}”."
    else:
        row = form
        count = len(form.errors)
        message = f"Row {number} not saved: {count} problem{'s' * (count != 1)} to fix."
    if request.headers.get(GRID_ROW_HEADER) != "true":
        if saved:
            messages.success(request, message)
            return redirect(reverse("landscape_grid", args=[engagement.id]) + f"#row-{number}")
        context = _grid_context(engagement, membership, bound=form)
        return render(request, "landscape/grid.html", {**context, "message": message})
    return render(
        request,
        "landscape/_grid_row.html",
        {
            "engagement": engagement,
            "form": row,
            "state": "saved" if saved else "failed",
            "message": message,
        },
    )


# --- Map and matrix -------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def stakeholder_map(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    landscape = build_landscape(engagement)
    points = [
        charts.MapPoint(
            id=str(entry.stakeholder.id),
            name=entry.stakeholder.name,
            influence=entry.stakeholder.influence,
            interest=entry.stakeholder.interest,
            engagement=entry.stakeholder.engagement_level,
            kind=entry.stakeholder.kind,
            headcount=entry.stakeholder.headcount,
            href=reverse("stakeholder", args=[engagement.id, entry.stakeholder.id]),
        )
        for entry in landscape.entries
    ]
    return render(
        request,
        "landscape/map.html",
        {
            "engagement": engagement,
            "membership": membership,
            "landscape": landscape,
            "svg": charts.power_interest_svg(
                points, title=f"Power/interest map of {engagement.name}"
            ),
            "levels": list(ENGAGEMENT_LABELS.items()),
        },
    )


# --- Resistor register ------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def resistors(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(
        request,
        "landscape/resistors.html",
        {
            "engagement": engagement,
            "membership": membership,
            "landscape": build_landscape(engagement),
        },
    )


def _point_form_page(request, context) -> HttpResponse:
    inline = _is_htmx(request)
    template = "landscape/_point_form.html" if inline else "landscape/point_form.html"
    return render(request, template, {**context, "inline": inline})


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    initial = {}
    chosen = request.GET.get("stakeholder", "")
    if _is_uuid(chosen):
        # Only a stakeholder of this engagement can be pre-selected.
        initial["stakeholder"] = engagement.stakeholders.filter(id=chosen).first()
    form = ResistancePointForm(
        request.POST or None, instance=ResistancePoint(engagement=engagement), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            point = services.create_resistance_point(
                engagement, actor=request.user, **form.changes()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if _is_htmx(request):
                return _section_response(
                    request, engagement, membership, "register", point.stakeholder_id
                )
            messages.success(request, f"Resistance point added for “{point.stakeholder.name}”.")
            return redirect(reverse("resistors", args=[engagement.id]) + f"#p-{point.id}")
    return _point_form_page(
        request,
        {"engagement": engagement, "membership": membership, "form": form, "slot": "new"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, engagement_id, point_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    point = _point(engagement, point_id)
    form = ResistancePointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.update_resistance_point(
                point,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **form.changes(),
            ),
        )
        if saved:
            if _is_htmx(request):
                return _section_response(
                    request, engagement, membership, "register", point.stakeholder_id
                )
            messages.success(request, "Resistance point saved.")
            return redirect(reverse("resistors", args=[engagement.id]) + f"#p-{point.id}")
    return _point_form_page(
        request,
        {"engagement": engagement, "membership": membership, "form": form, "point": point},
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_delete(request, engagement_id, point_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    point = _point(engagement, point_id)
    if request.method == "POST":
        services.delete_resistance_point(point, actor=request.user)
        messages.success(request, "Resistance point deleted.")
        return redirect("resistors", engagement.id)
    return render(
        request,
        "landscape/point_confirm_delete.html",
        {"engagement": engagement, "point": point},
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- Import ---------------------------------------------------------------------


def _import_page(request, context) -> HttpResponse:
    return render(
        request,
        "landscape/import.html",
        {
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
            "max_megabytes": importing.MAX_FILE_BYTES // 1024 // 1024,
            **context,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, engagement_id):
    """Upload, check everything, and show a preview; nothing is written here."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"engagement": engagement, "membership": membership, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            parsed = importing.read_upload(
                form.cleaned_data["file"], form.cleaned_data["file_format"] or "auto"
            )
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
            return _import_page(request, context)
        context["parsed"] = parsed
        problems = list(parsed.problems)
        preview = []
        # With readable headers, the rows are checked even when some cells were
        # not (those cells are left out), so every problem shows at once.
        if not any(problem.row == 1 for problem in problems):
            try:
                preview = services.preview_stakeholder_import(engagement, parsed.rows)
            except services.StakeholderImportError as error:
                problems.extend(error.problems)
        problems.sort(key=lambda problem: (problem.row, problem.column))
        context["problems"] = problems
        if not problems:
            context["preview"] = preview
            context["confirm_form"] = ImportConfirmForm(
                initial={
                    "token": signing.dumps(
                        {"engagement": str(engagement.id), "rows": parsed.rows},
                        salt=IMPORT_SALT,
                        compress=True,
                    )
                }
            )
    return _import_page(request, context)


@login_required
@require_POST
def import_confirm(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = ImportConfirmForm(request.POST)
    payload = None
    if form.is_valid():
        try:
            payload = signing.loads(
                form.cleaned_data["token"], salt=IMPORT_SALT, max_age=IMPORT_TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            payload = None
    if not payload or payload.get("engagement") != str(engagement.id):
        messages.error(request, "This import preview has expired or is not valid; upload again.")
        return redirect("landscape_import", engagement.id)
    try:
        created = services.import_stakeholders(engagement, payload["rows"])
    except (services.StakeholderImportError, IntegrityError) as error:
        problems = getattr(error, "problems", [])
        # A second click on "Import" finds its stakeholders already there.
        context = {
            "engagement": engagement,
            "membership": membership,
            "form": ImportUploadForm(),
            "problems": problems,
            "confirm_failed": True,
        }
        return _import_page(request, context)
    messages.success(request, f"Imported {len(created)} stakeholder{'s' * (len(created) != 1)}.")
    return redirect("landscape", engagement.id)


@login_required
@require_http_methods(["GET"])
def import_template(request, engagement_id, file_type):
    get_engagement_for_member(request, engagement_id)
    if file_type not in ("csv", "xlsx"):
        raise Http404("The template comes as .csv or .xlsx.")
    if file_type == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(importing.template_rows())
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            importing.template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="stakeholders-template.{file_type}"'
    return response


# --- The workspace's suggested phrases ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def workspace_phrases(request, slug):
    """The workspace's own phrases (any member reads them, writers add), and the built-in ones."""
    membership = get_workspace_for_member(request, slug)
    workspace = membership.workspace
    form = WorkspacePhraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_workspace_phrase(workspace, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Phrase added; it is offered on the stakeholder form.")
            return redirect("workspace_phrases", workspace.slug)
    return render(
        request,
        "landscape/phrases.html",
        {
            "workspace": workspace,
            "membership": membership,
            "form": form,
            "phrases": WorkspacePhrase.objects.for_workspace(workspace),
            "built_in": BUILT_IN_PHRASES,
            "field_labels": PHRASE_FIELD_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workspace_phrase_delete(request, slug, phrase_id):
    membership = get_workspace_for_member(request, slug)
    require_writer(membership)
    try:
        phrase = WorkspacePhrase.objects.for_workspace(membership.workspace).get(id=phrase_id)
    except WorkspacePhrase.DoesNotExist:
        raise Http404("No such phrase.") from None
    if request.method == "POST":
        services.delete_workspace_phrase(phrase)
        messages.success(request, f"“{phrase.text}” deleted.")
        return redirect("workspace_phrases", membership.workspace.slug)
    return render(
        request,
        "landscape/phrase_confirm_delete.html",
        {"workspace": membership.workspace, "membership": membership, "phrase": phrase},
    )


# --- The stakeholder log and commitments ------------------------------------


def _log_entry(engagement, entry_id) -> StakeholderLogEntry:
    try:
        return engagement.log_entries.select_related("stakeholder").get(id=entry_id)
    except StakeholderLogEntry.DoesNotExist:
        raise Http404("No such log entry.") from None


def _commitment(engagement, commitment_id) -> Commitment:
    try:
        return engagement.commitments.select_related("stakeholder").get(id=commitment_id)
    except Commitment.DoesNotExist:
        raise Http404("No such commitment.") from None


def _after_log_write(request, engagement, membership, stakeholder, message) -> HttpResponse:
    if _is_htmx(request):
        return _stakeholder_page(request, engagement, membership, stakeholder)
    messages.success(request, message)
    return redirect(reverse("stakeholder", args=[engagement.id, stakeholder.id]) + "#log")


def _add_to_log(request, engagement_id, stakeholder_id, form_class, create, form_key, message):
    """Add a log entry or a commitment; on errors the section comes back with the form as typed."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    stakeholder = _stakeholder(engagement, stakeholder_id)
    model = form_class._meta.model
    form = form_class(request.POST, instance=model(stakeholder=stakeholder))
    if form.is_valid():
        try:
            create(stakeholder, actor=request.user, **form.changes())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return _after_log_write(request, engagement, membership, stakeholder, message)
    return _stakeholder_page(request, engagement, membership, stakeholder, **{form_key: form})


@login_required
@require_POST
def log_entry_create(request, engagement_id, stakeholder_id):
    return _add_to_log(
        request,
        engagement_id,
        stakeholder_id,
        LogEntryForm,
        services.create_log_entry,
        "log_form",
        "Entry added.",
    )


@login_required
@require_POST
def commitment_create(request, engagement_id, stakeholder_id):
    return _add_to_log(
        request,
        engagement_id,
        stakeholder_id,
        CommitmentForm,
        services.create_commitment,
        "commitment_form",
        "Commitment added.",
    )


@login_required
@require_POST
def commitment_status(request, engagement_id, commitment_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    commitment = _commitment(engagement, commitment_id)
    done = request.POST.get("status") == "done"
    services.update_commitment(commitment, actor=request.user, status="done" if done else "open")
    message = "Commitment marked done." if done else "Commitment reopened."
    return _after_log_write(request, engagement, membership, commitment.stakeholder, message)


def _edit_in_log(request, engagement, membership, obj, form_class, update, what):
    """The edit page of a log entry or a commitment; a concurrent save is refused on the form."""
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: update(
                obj,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **form.changes(),
            ),
        )
        if saved:
            messages.success(request, f"{what.capitalize()} saved.")
            return redirect(
                reverse("stakeholder", args=[engagement.id, obj.stakeholder_id]) + "#log"
            )
    return render(
        request,
        "landscape/log_form.html",
        {
            "engagement": engagement,
            "membership": membership,
            "stakeholder": obj.stakeholder,
            "form": form,
            "what": what,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def log_entry_edit(request, engagement_id, entry_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    entry = _log_entry(engagement, entry_id)
    return _edit_in_log(
        request, engagement, membership, entry, LogEntryForm, services.update_log_entry, "log entry"
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, engagement_id, commitment_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    commitment = _commitment(engagement, commitment_id)
    return _edit_in_log(
        request,
        engagement,
        membership,
        commitment,
        CommitmentForm,
        services.update_commitment,
        "commitment",
    )


def _confirm_delete(request, engagement, obj, delete, what: str) -> HttpResponse:
    stakeholder = obj.stakeholder
    if request.method == "POST":
        delete(obj, actor=request.user)
        messages.success(request, f"{what.capitalize()} deleted.")
        return redirect(reverse("stakeholder", args=[engagement.id, stakeholder.id]) + "#log")
    return render(
        request,
        "landscape/log_confirm_delete.html",
        {"engagement": engagement, "stakeholder": stakeholder, "object": obj, "what": what},
    )


@login_required
@require_http_methods(["GET", "POST"])
def log_entry_delete(request, engagement_id, entry_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    entry = _log_entry(engagement, entry_id)
    return _confirm_delete(request, engagement, entry, services.delete_log_entry, "log entry")


@login_required
@require_http_methods(["GET", "POST"])
def commitment_delete(request, engagement_id, commitment_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    commitment = _commitment(engagement, commitment_id)
    return _confirm_delete(
        request, engagement, commitment, services.delete_commitment, "commitment"
    )


@login_required
@require_http_methods(["GET"])
def stakeholder_history(request, engagement_id):
    """The log, commitments and changes of one stakeholder (`?stakeholder=`) or of all."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    chosen = request.GET.get("stakeholder", "")
    stakeholder = None
    if chosen:
        if not _is_uuid(chosen):
            raise Http404("No such stakeholder.")
        stakeholder = _stakeholder(engagement, chosen)
    return render(
        request,
        "landscape/history.html",
        {
            "engagement": engagement,
            "membership": membership,
            "stakeholder": stakeholder,
            "stakeholders": engagement.stakeholders.order_by("name"),
            "lines": build_history(engagement, stakeholder),
        },
    )
