from django.urls import path

from changeready.usage import views

usage = "engagements/<uuid:engagement_id>/usage/"
kpis = "engagements/<uuid:engagement_id>/kpis/"

urlpatterns = [
    path(usage, views.usage_page, name="usage"),
    path(usage + "upload/", views.usage_upload, name="usage_upload"),
    path(usage + "mapping/", views.mapping_page, name="usage_mapping"),
    path(usage + "mapping/rules/new/", views.mapping_rule_create, name="usage_rule_create"),
    path(
        usage + "mapping/rules/<uuid:rule_id>/edit/",
        views.mapping_rule_edit,
        name="usage_rule_edit",
    ),
    path(
        usage + "mapping/rules/<uuid:rule_id>/delete/",
        views.mapping_rule_delete,
        name="usage_rule_delete",
    ),
    path(
        usage + "mapping/rules/<uuid:rule_id>/move/",
        views.mapping_rule_move,
        name="usage_rule_move",
    ),
    path(
        usage + "mapping/groups/<uuid:stakeholder_id>/counts-as-use/",
        views.counts_as_use,
        name="usage_counts_as_use",
    ),
    path(usage + "tokens/", views.tokens_page, name="usage_tokens"),
    path(usage + "tokens/<uuid:token_id>/revoke/", views.token_revoke, name="usage_token_revoke"),
    path(kpis, views.kpis_page, name="kpis"),
    path(kpis + "new/", views.kpi_create, name="kpi_create"),
    path(kpis + "<uuid:kpi_id>/edit/", views.kpi_edit, name="kpi_edit"),
    path(kpis + "<uuid:kpi_id>/delete/", views.kpi_delete, name="kpi_delete"),
    path(kpis + "<uuid:kpi_id>/values/", views.kpi_value, name="kpi_value"),
]
