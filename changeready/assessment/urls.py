from django.urls import path

from changeready.assessment import views

urlpatterns = [
    path(
        "engagements/<uuid:engagement_id>/assessment/",
        views.assessment_page,
        name="assessment",
    ),
    path(
        "engagements/<uuid:engagement_id>/assessment/stakeholders/",
        views.assessment_breakdown,
        name="assessment_breakdown",
    ),
]
