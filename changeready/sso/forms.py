from django import forms

from changeready.sso.models import JOINING_ROLES


class SsoStartForm(forms.Form):
    email = forms.EmailField(
        label="Work email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ConnectionForm(forms.Form):
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=500,
        assume_scheme="https",
        help_text="From your identity provider, e.g. https://acme.okta.com or"
        " https://login.microsoftonline.com/TENANT-ID/v2.0.",
    )
    client_id = forms.CharField(label="Client ID", max_length=255)
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the saved secret.",
    )
    default_role = forms.ChoiceField(
        label="Role of people who join through single sign-on", choices=JOINING_ROLES
    )
    required = forms.BooleanField(
        label="Single sign-on required",
        required=False,
        help_text="People at the verified domains can then sign in only through your identity"
        " provider (no password, emailed code or passkey). Their API tokens keep working"
        " until revoked.",
    )


class DomainForm(forms.Form):
    domain = forms.CharField(label="Email domain", max_length=253, help_text="e.g. acme.example")
    address = forms.EmailField(
        label="Send the code to",
        help_text="An address at that domain that you can read, e.g. it@acme.example.",
    )


class DomainCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the email",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
