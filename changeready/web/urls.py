"""URLs of the API: the v1 API and its JSON 404 for anything else under /api/."""

from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from changeready.web.api import api


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
]
