from django import forms

from changeready.workspaces.models import Role


class WorkspaceForm(forms.Form):
    name = forms.CharField(label="Workspace name", max_length=100)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.MEMBER,
        help_text="Viewers can read everything and change nothing.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class SignInRulesForm(forms.Form):
    require_mfa = forms.BooleanField(
        label="Members must use two-factor authentication",
        required=False,
        help_text="Members without an authenticator app or a passkey are asked to set one up"
        " before they see this workspace. API tokens keep working.",
    )
