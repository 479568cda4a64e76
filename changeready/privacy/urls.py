from django.urls import path

from changeready.privacy import views

PREFIX = "engagements/<uuid:engagement_id>/landscape/stakeholders/<uuid:stakeholder_id>/"

urlpatterns = [
    path(f"{PREFIX}personal-data/", views.person_export, name="person_export"),
    path(f"{PREFIX}erase/", views.person_erase, name="person_erase"),
]
