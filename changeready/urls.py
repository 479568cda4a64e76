from django.urls import include, path

from changeready import views
from changeready.accounts import views as account_views
from changeready.engagements import views as engagement_views
from changeready.workspaces import views as workspace_views

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspaces/new/", workspace_views.workspace_create, name="workspace_create"),
    path("w/<slug:slug>/", workspace_views.workspace_home, name="workspace"),
    path("w/<slug:slug>/members/", workspace_views.members, name="members"),
    path(
        "w/<slug:slug>/members/<uuid:membership_id>/role/",
        workspace_views.member_role,
        name="member_role",
    ),
    path(
        "w/<slug:slug>/members/<uuid:membership_id>/remove/",
        workspace_views.member_remove,
        name="member_remove",
    ),
    path(
        "w/<slug:slug>/invitations/<uuid:invitation_id>/revoke/",
        workspace_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", workspace_views.invitation, name="invitation"),
    path(
        "w/<slug:slug>/engagements/new/",
        engagement_views.engagement_create,
        name="engagement_create",
    ),
    path(
        "engagements/<uuid:engagement_id>/", engagement_views.engagement_detail, name="engagement"
    ),
    path(
        "engagements/<uuid:engagement_id>/edit/",
        engagement_views.engagement_edit,
        name="engagement_edit",
    ),
    path(
        "engagements/<uuid:engagement_id>/delete/",
        engagement_views.engagement_delete,
        name="engagement_delete",
    ),
    path("", include("changeready.landscape.urls")),
    path("", include("changeready.assessment.urls")),
    path("", include("changeready.planning.urls")),
    path("", include("changeready.surveys.urls")),
    path("", include("changeready.handoff.urls")),
    path("", include("changeready.portfolio.urls")),
    path("", include("changeready.api.urls")),
]
