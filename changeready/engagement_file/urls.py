from django.urls import path

from changeready.engagement_file import views

urlpatterns = [
    path("w/<slug:slug>/engagements/import/", views.engagement_import, name="engagement_import"),
    path(
        "engagements/<uuid:engagement_id>/export/",
        views.engagement_export,
        name="engagement_export",
    ),
]
