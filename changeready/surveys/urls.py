from django.urls import path

from changeready.surveys import views

SURVEY = "engagements/<uuid:engagement_id>/surveys/<uuid:survey_id>/"

urlpatterns = [
    path("engagements/<uuid:engagement_id>/surveys/", views.survey_list, name="surveys"),
    path(
        "engagements/<uuid:engagement_id>/surveys/new/", views.survey_create, name="survey_create"
    ),
    path(SURVEY, views.survey_detail, name="survey"),
    path(SURVEY + "remind/", views.survey_remind, name="survey_remind"),
    path(SURVEY + "close/", views.survey_close, name="survey_close"),
    path(SURVEY + "revoke/", views.survey_revoke, name="survey_revoke"),
    path(
        SURVEY + "respondents/<uuid:respondent_id>/revoke/",
        views.respondent_revoke,
        name="survey_respondent_revoke",
    ),
    # Respondents: no account, the signed token is the only key.
    path("s/<str:token>/", views.respond, name="survey_respond"),
    path("s/<str:token>/thanks/", views.respond_thanks, name="survey_thanks"),
]
