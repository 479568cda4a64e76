"""URLs of the API app: the v1 API, its JSON 404 for anything else under /api/,
the token settings pages, and the engagement file's upload and download."""

from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from changeready.api import views
from changeready.api.api import api


def _json_method_not_allowed(view):
    # ninja answers a wrong method with a plain-text 405; the API speaks JSON only.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            response = JsonResponse({"message": "Method not allowed."}, status=405)
            response["Allow"] = allowed
        return response

    return wrapper


def _api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


@csrf_exempt
def api_not_found(request, rest=""):
    return JsonResponse({"message": "Not found."}, status=404)


urlpatterns = [
    path("api/v1/", _api_urls()),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("w/<slug:slug>/settings/tokens/", views.tokens, name="api_tokens"),
    path(
        "w/<slug:slug>/settings/tokens/<uuid:token_id>/revoke/",
        views.token_revoke,
        name="api_token_revoke",
    ),
    path("w/<slug:slug>/engagements/import/", views.engagement_import, name="engagement_import"),
    path(
        "engagements/<uuid:engagement_id>/export/",
        views.engagement_export,
        name="engagement_export",
    ),
]
