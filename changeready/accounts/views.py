from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from changeready.accounts import services
from changeready.accounts.forms import EmailAuthenticationForm, SignupForm
from changeready.common import throttle


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


def _latest(*results: throttle.Throttled | None) -> throttle.Throttled | None:
    """Of several limits hit, the one that lasts longest."""
    hits = [result for result in results if result is not None]
    return max(hits, key=lambda result: result.retry_after) if hits else None


class LoginView(auth_views.LoginView):
    """Django's log-in, with failed attempts limited per account and per client address.

    Once either limit is used up, the form answers 429 with "Too many
    attempts" without checking the password at all, so a correct guess during
    a lock-out is refused like a wrong one. A successful log-in clears the
    account's failures but not the address's: one good account does not reset
    an address that is guessing at others.
    """

    authentication_form = EmailAuthenticationForm

    def _limits(self):
        window = settings.LOGIN_THROTTLE_WINDOW
        return (
            ("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, window),
            ("login-address", settings.LOGIN_FAILURES_PER_ADDRESS, window),
        )

    def _keys(self) -> tuple[str, str]:
        email = self.request.POST.get("username", "").strip().lower()
        return email, throttle.client_ip(self.request)

    def post(self, request, *args, **kwargs):
        keys = self._keys()
        throttled = _latest(
            *(
                throttle.check(scope, key, limit, window)
                for (scope, limit, window), key in zip(self._limits(), keys, strict=True)
                if key
            )
        )
        if throttled is not None:
            form = self.get_form_class()(request, initial={"username": keys[0]})
            response = self.render_to_response(
                self.get_context_data(form=form, throttled=throttled), status=429
            )
            response["Retry-After"] = str(throttled.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        email, address = self._keys()
        if email and self.request.POST.get("password"):
            limits = self._limits()
            for (scope, limit, window), key in zip(limits, (email, address), strict=True):
                throttle.hit(scope, key, limit, window)
        return super().form_invalid(form)

    def form_valid(self, form):
        email, _ = self._keys()
        throttle.reset("login-account", email, settings.LOGIN_THROTTLE_WINDOW)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with requests limited per email and per client address,
    so nobody can flood an inbox or probe many addresses from one place."""

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_THROTTLE_WINDOW
        throttled = _latest(
            throttle.hit(
                "password-reset-email",
                form.cleaned_data["email"].strip().lower(),
                settings.PASSWORD_RESETS_PER_EMAIL,
                window,
            ),
            throttle.hit(
                "password-reset-address",
                throttle.client_ip(self.request),
                settings.PASSWORD_RESETS_PER_ADDRESS,
                window,
            ),
        )
        if throttled is not None:
            response = self.render_to_response(
                self.get_context_data(form=form, throttled=throttled), status=429
            )
            response["Retry-After"] = str(throttled.retry_after)
            return response
        return super().form_valid(form)
