from django.urls import path

from changeready.handoff import views

urlpatterns = [
    path("engagements/<uuid:engagement_id>/handoff/", views.handoff_page, name="handoff"),
    path(
        "engagements/<uuid:engagement_id>/handoff/playbook.<slug:fmt>",
        views.handoff_download,
        name="handoff_download",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/documents/",
        views.handoff_documents,
        name="handoff_documents",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/documents/<uuid:document_id>/",
        views.handoff_document_download,
        name="handoff_document_download",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/cs-owner/",
        views.cs_owner,
        name="handoff_cs_owner",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/review/",
        views.handoff_review,
        name="handoff_review",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/review/owners/",
        views.review_owners,
        name="handoff_review_owners",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/send/",
        views.send_handoff,
        name="handoff_send",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/accept/",
        views.accept_handoff,
        name="handoff_accept",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/accept/undo/",
        views.undo_acceptance,
        name="handoff_undo_acceptance",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/links/",
        views.create_link,
        name="handoff_link_create",
    ),
    path(
        "engagements/<uuid:engagement_id>/handoff/links/<uuid:link_id>/revoke/",
        views.revoke_link,
        name="handoff_link_revoke",
    ),
    path("p/<str:token>/", views.share_page, name="share"),
    path("p/<str:token>/playbook.<slug:fmt>", views.share_download, name="share_download"),
    path("p/<str:token>/documents/", views.share_documents, name="share_documents"),
]
