from allauth.account import views as allauth_views

from changeready.workspaces.services import invitation_for_next_url


class LoginView(allauth_views.LoginView):
    """allauth's log-in, answering 429 with Retry-After once the account or the
    client address has used up its attempts (see AccountAdapter.pre_authenticate)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        throttled = getattr(self.request, "login_throttled", None)
        if throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(throttled.retry_after)
        return response


class SignupView(allauth_views.SignupView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        kwargs["joining"] = invitation_for_next_url(next_url) is not None
        return kwargs
