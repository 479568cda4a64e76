from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from requests import RequestException

from changeready.common.forms import save_through
from changeready.sso import services
from changeready.sso.forms import ConnectionForm, DomainCodeForm, DomainForm, SsoStartForm
from changeready.sso.models import SsoConnection, SsoDomain
from changeready.workspaces.tenancy import get_workspace_for_member, require_owner


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """Single sign-on by email: the email's domain picks the workspace's provider."""
    form = SsoStartForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        connection = services.connection_for_email(email)
        if connection is None:
            form.add_error(
                "email",
                f"No workspace signs in {services.email_domain(email)} through single sign-on."
                " Log in with your password or an emailed code instead.",
            )
        else:
            provider = get_social_adapter().get_provider(request, connection.provider_id)
            try:
                to_provider = provider.redirect(
                    request,
                    AuthProcess.LOGIN,
                    next_url=reverse("workspace", args=[connection.workspace.slug]),
                    auth_params={"login_hint": email},
                )
                # A page that moves on, not a redirect: the CSP's form-action
                # 'self' stops a form whose answer redirects to another origin.
                return render(
                    request,
                    "sso/continue.html",
                    {"url": to_provider["Location"], "connection": connection},
                )
            except (OAuth2Error, RequestException, ValueError):
                form.add_error(
                    None,
                    f"{connection.workspace.name}'s identity provider could not be reached or"
                    " does not match its single sign-on settings. Ask the workspace's owner"
                    " to check them.",
                )
    return render(request, "sso/start.html", {"form": form})


def _owner_membership(request, slug):
    membership = get_workspace_for_member(request, slug, manage=True)
    require_owner(membership)
    return membership


def _settings_page(request, membership, *, connection_form=None, domain_form=None, status=200):
    workspace = membership.workspace
    connection = SsoConnection.objects.filter(workspace=workspace).first()
    if connection_form is None:
        initial = {"default_role": "member"}
        if connection is not None:
            initial = {
                "issuer": connection.issuer,
                "client_id": connection.client_id,
                "default_role": connection.default_role,
                "required": connection.required,
            }
        connection_form = ConnectionForm(initial=initial)
    callback_url = (
        settings.SITE_URL
        + reverse("openid_connect_callback", kwargs={"provider_id": connection.provider_id})
        if connection
        else None
    )
    return render(
        request,
        "sso/settings.html",
        {
            "workspace": workspace,
            "membership": membership,
            "connection": connection,
            "callback_url": callback_url,
            "connection_form": connection_form,
            "domain_form": domain_form or DomainForm(),
            "domains": SsoDomain.objects.filter(workspace=workspace),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sso_settings(request, slug):
    membership = _owner_membership(request, slug)
    if request.method == "GET":
        return _settings_page(request, membership)
    form = ConnectionForm(request.POST)
    if form.is_valid() and save_through(
        form, lambda: services.save_connection(membership.workspace, **form.cleaned_data)
    ):
        messages.success(request, "Single sign-on saved.")
        return redirect("sso_settings", slug)
    return _settings_page(request, membership, connection_form=form)


@login_required
@require_POST
def domain_add(request, slug):
    membership = _owner_membership(request, slug)
    form = DomainForm(request.POST)
    if form.is_valid() and save_through(
        form,
        lambda: services.start_domain_verification(membership.workspace, **form.cleaned_data),
    ):
        messages.success(
            request,
            f"We sent a code to {form.cleaned_data['address']}. Enter it below to verify"
            f" {form.cleaned_data['domain']}.",
        )
        return redirect("sso_settings", slug)
    return _settings_page(request, membership, domain_form=form)


@login_required
@require_POST
def domain_verify(request, slug, domain_id):
    membership = _owner_membership(request, slug)
    domain = get_object_or_404(SsoDomain, workspace=membership.workspace, id=domain_id)
    form = DomainCodeForm(request.POST)
    if form.is_valid():
        try:
            services.verify_domain(domain, form.cleaned_data["code"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{domain.domain} is verified.")
    return redirect("sso_settings", slug)


@login_required
@require_http_methods(["GET", "POST"])
def domain_remove(request, slug, domain_id):
    membership = _owner_membership(request, slug)
    domain = get_object_or_404(SsoDomain, workspace=membership.workspace, id=domain_id)
    if request.method == "POST":
        services.remove_domain(domain)
        messages.success(request, f"{domain.domain} was removed from single sign-on.")
        return redirect("sso_settings", slug)
    return render(
        request,
        "sso/confirm_remove.html",
        {
            "workspace": membership.workspace,
            "title": f"Remove {domain.domain}?",
            "consequence": f"People at {domain.domain} will no longer sign in through your"
            " identity provider. Their accounts and memberships stay.",
            "action": f"Remove {domain.domain}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_remove(request, slug):
    membership = _owner_membership(request, slug)
    connection = get_object_or_404(SsoConnection, workspace=membership.workspace)
    if request.method == "POST":
        services.remove_connection(connection)
        messages.success(request, "Single sign-on is off.")
        return redirect("sso_settings", slug)
    return render(
        request,
        "sso/confirm_remove.html",
        {
            "workspace": membership.workspace,
            "title": "Turn single sign-on off?",
            "consequence": "Nobody will sign in through your identity provider any more."
            " Members sign in with a password, an emailed code or a passkey; those who only"
            " ever used single sign-on choose a password through “Forgot your password?”."
            " Verified domains stay.",
            "action": "Turn single sign-on off",
        },
    )
