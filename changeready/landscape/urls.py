from django.urls import path

from changeready.landscape import views

PREFIX = "engagements/<uuid:engagement_id>/"

urlpatterns = [
    path(f"{PREFIX}landscape/", views.landscape, name="landscape"),
    path(f"{PREFIX}landscape/grid/", views.landscape_grid, name="landscape_grid"),
    path(f"{PREFIX}landscape/grid/rows/", views.grid_row_save, name="landscape_grid_row_create"),
    path(
        f"{PREFIX}landscape/grid/rows/<uuid:stakeholder_id>/",
        views.grid_row_save,
        name="landscape_grid_row",
    ),
    path(
        f"{PREFIX}landscape/opposition/",
        views.opposition_reviewed,
        name="opposition_reviewed",
    ),
    path(f"{PREFIX}landscape/import/", views.import_upload, name="landscape_import"),
    path(
        f"{PREFIX}landscape/import/confirm/",
        views.import_confirm,
        name="landscape_import_confirm",
    ),
    path(
        f"{PREFIX}landscape/import/template.<str:file_type>",
        views.import_template,
        name="landscape_import_template",
    ),
    path(f"{PREFIX}map/", views.stakeholder_map, name="stakeholder_map"),
    path(f"{PREFIX}stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/",
        views.stakeholder_detail,
        name="stakeholder",
    ),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/edit/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/delete/",
        views.stakeholder_delete,
        name="stakeholder_delete",
    ),
    path("w/<slug:slug>/phrases/", views.workspace_phrases, name="workspace_phrases"),
    path(
        "w/<slug:slug>/phrases/<uuid:phrase_id>/delete/",
        views.workspace_phrase_delete,
        name="workspace_phrase_delete",
    ),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/log/new/",
        views.log_entry_create,
        name="log_entry_create",
    ),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/commitments/new/",
        views.commitment_create,
        name="commitment_create",
    ),
    path(f"{PREFIX}log/<uuid:entry_id>/edit/", views.log_entry_edit, name="log_entry_edit"),
    path(f"{PREFIX}log/<uuid:entry_id>/delete/", views.log_entry_delete, name="log_entry_delete"),
    path(
        f"{PREFIX}commitments/<uuid:commitment_id>/edit/",
        views.commitment_edit,
        name="commitment_edit",
    ),
    path(
        f"{PREFIX}commitments/<uuid:commitment_id>/status/",
        views.commitment_status,
        name="commitment_status",
    ),
    path(
        f"{PREFIX}commitments/<uuid:commitment_id>/delete/",
        views.commitment_delete,
        name="commitment_delete",
    ),
    path(f"{PREFIX}history/", views.stakeholder_history, name="stakeholder_history"),
    path(f"{PREFIX}resistors/", views.resistors, name="resistors"),
    path(f"{PREFIX}resistance-points/new/", views.point_create, name="resistance_point_create"),
    path(
        f"{PREFIX}resistance-points/<uuid:point_id>/edit/",
        views.point_edit,
        name="resistance_point_edit",
    ),
    path(
        f"{PREFIX}resistance-points/<uuid:point_id>/delete/",
        views.point_delete,
        name="resistance_point_delete",
    ),
]
