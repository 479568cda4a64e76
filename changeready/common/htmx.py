from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def leave_page(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to `url` as a whole page. htmx would swap a redirected
    page into the fragment it asked for, so an htmx request gets HX-Redirect."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
