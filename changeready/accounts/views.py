from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from changeready.accounts import services
from changeready.accounts.forms import SignupForm


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _safe_next(request)
    # Someone joining by invitation gets their workspace from the invitation.
    joining = next_url.startswith("/invitations/")
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if joining:
        form.fields["workspace_name"].required = False
        form.fields["workspace_name"].widget = form.fields["workspace_name"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        user, workspace = services.sign_up(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            workspace_name=form.cleaned_data["workspace_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if workspace is not None:
            messages.success(
                request, f"Welcome! This is {workspace.name}: create your first engagement."
            )
        return redirect(next_url or "home")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
