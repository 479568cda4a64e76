from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import IntegrityError, transaction

from changeready.workspaces.services import create_workspace


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (email, password, email verification) plus the person's
    name and, unless they join by invitation, their first workspace."""

    name = forms.CharField(label="Your name", max_length=200)
    workspace_name = forms.CharField(
        label="Workspace name",
        max_length=100,
        help_text="Usually your delivery team or company, e.g. “Acme Professional Services”.",
    )
    field_order = ["name", "email", "password1", "workspace_name"]

    def __init__(self, *args, joining: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email"
        if joining:
            # Someone joining by invitation gets their workspace from the invitation.
            self.fields["workspace_name"].required = False
            self.fields["workspace_name"].widget = forms.HiddenInput()

    def add_prefix(self, field_name):
        # The password input keeps the name it had before allauth ("password"),
        # which links and scripts that sign people up post.
        return super().add_prefix("password" if field_name == "password1" else field_name)

    def signup(self, request, user):
        """allauth's hook, called in the same transaction as the user's creation."""
        if self.cleaned_data.get("workspace_name"):
            create_workspace(name=self.cleaned_data["workspace_name"], owner=user)

    def try_save(self, request):
        """Create the account, or answer as for a taken email when a parallel
        sign-up with the same email won the race (the unique constraint said so
        after our check passed): the same page, and a note to the owner."""
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True
            return super().try_save(request)
