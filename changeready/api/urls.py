"""URLs of the API app's pages: the API tokens in the workspace settings."""

from django.urls import path

from changeready.api import views

urlpatterns = [
    path("w/<slug:slug>/settings/tokens/", views.tokens, name="api_tokens"),
    path(
        "w/<slug:slug>/settings/tokens/<uuid:token_id>/revoke/",
        views.token_revoke,
        name="api_token_revoke",
    ),
]
