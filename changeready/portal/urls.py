from django.urls import path

from changeready.portal import views

PREFIX = "engagements/<uuid:engagement_id>/"

urlpatterns = [
    path(f"{PREFIX}contributors/", views.contributor_list, name="contributors"),
    path(
        f"{PREFIX}stakeholders/<uuid:stakeholder_id>/contributor/invite/",
        views.contributor_invite,
        name="contributor_invite",
    ),
    path(
        f"{PREFIX}contributors/<uuid:contributor_id>/resend/",
        views.contributor_resend,
        name="contributor_resend",
    ),
    path(
        f"{PREFIX}contributors/<uuid:contributor_id>/revoke/",
        views.contributor_revoke,
        name="contributor_revoke",
    ),
    path(
        f"{PREFIX}contributors/<uuid:contributor_id>/preview/",
        views.contributor_preview,
        name="contributor_preview",
    ),
    path("c/<str:token>/", views.portal, name="portal"),
    path(
        "c/<str:token>/steps/<uuid:item_id>/<slug:action>/",
        views.portal_action,
        name="portal_action",
    ),
    path("c/<str:token>/playbook.<slug:fmt>", views.portal_download, name="portal_download"),
    path("c/<str:token>/documents/", views.portal_documents, name="portal_documents"),
    path("emails/stop/<str:token>/", views.opt_out, name="portal_opt_out"),
]
