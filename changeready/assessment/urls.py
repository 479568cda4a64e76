from django.urls import path

from changeready.assessment import views

urlpatterns = [
    path(
        "engagements/<uuid:engagement_id>/assessment/",
        views.assessment_page,
        name="assessment",
    ),
]
