from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from changeready import views
from changeready.accounts import views as account_views
from changeready.assessment import views as assessment_views
from changeready.engagements import views as engagement_views
from changeready.portfolio import views as portfolio_views
from changeready.sso import oidc
from changeready.sso import views as sso_views
from changeready.workspaces import views as workspace_views

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # allauth's log-in and sign-up, under the names and paths they always had.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/signup/", account_views.SignupView.as_view(), name="signup"),
    path("accounts/sso/", sso_views.sso_start, name="sso_login"),
    # allauth's OpenID Connect callback, through the strict adapter (changeready.sso.oidc).
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        oidc.callback,
        name="openid_connect_callback",
    ),
    path("accounts/", include("allauth.urls")),
    # Pages that moved when sign-in moved to allauth; a reset link mailed
    # before the move no longer works, so it leads to asking for a new one.
    *(
        path(old, RedirectView.as_view(url=reverse_lazy(new), permanent=True))
        for old, new in [
            ("accounts/password_reset/", "account_reset_password"),
            ("accounts/password_reset/done/", "account_reset_password"),
            ("accounts/reset/<str:uidb64>/<str:token>/", "account_reset_password"),
            ("accounts/reset/done/", "login"),
            ("accounts/password_change/", "account_change_password"),
            ("accounts/password_change/done/", "account_change_password"),
        ]
    ),
    path("workspaces/new/", workspace_views.workspace_create, name="workspace_create"),
    path("w/<slug:slug>/", portfolio_views.workspace_home, name="workspace"),
    path("w/<slug:slug>/members/", workspace_views.members, name="members"),
    path("w/<slug:slug>/sign-in/", workspace_views.sign_in_rules, name="sign_in_rules"),
    path("w/<slug:slug>/sso/", sso_views.sso_settings, name="sso_settings"),
    path("w/<slug:slug>/sso/remove/", sso_views.connection_remove, name="sso_remove"),
    path("w/<slug:slug>/sso/domains/", sso_views.domain_add, name="sso_domain_add"),
    path(
        "w/<slug:slug>/sso/domains/<uuid:domain_id>/remove/",
        sso_views.domain_remove,
        name="sso_domain_remove",
    ),
    path(
        "w/<slug:slug>/sso/domains/<uuid:domain_id>/verify/",
        sso_views.domain_verify,
        name="sso_domain_verify",
    ),
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
        "engagements/<uuid:engagement_id>/", assessment_views.engagement_detail, name="engagement"
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
    path("", include("changeready.privacy.urls")),
    path("", include("changeready.engagement_templates.urls")),
    path("", include("changeready.portal.urls")),
    path("", include("changeready.portfolio.urls")),
    path("", include("changeready.usage.urls")),
    path("", include("changeready.integrations.urls")),
    path("", include("changeready.web.urls")),
    path("", include("changeready.api.urls")),
    path("", include("changeready.engagement_file.urls")),
]
