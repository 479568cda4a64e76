from django.urls import path

from changeready.engagement_templates import views

urlpatterns = [
    path("w/<slug:slug>/templates/", views.template_list, name="engagement_templates"),
    path(
        "w/<slug:slug>/templates/<uuid:template_id>/start/",
        views.engagement_from_template,
        name="engagement_from_template",
    ),
    path(
        "w/<slug:slug>/templates/<uuid:template_id>/delete/",
        views.template_delete,
        name="engagement_template_delete",
    ),
    path(
        "engagements/<uuid:engagement_id>/save-as-template/",
        views.save_as_template,
        name="engagement_save_as_template",
    ),
]
