from django import forms

from changeready.handoff.services import SHARE_LINK_DAY_CHOICES, SHARE_LINK_DAYS


class CsOwnerForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="— someone outside the workspace —",
        label="Workspace member",
        help_text="Choose a member, or type a name and email below.",
    )
    name = forms.CharField(max_length=200, required=False, label="Name")
    email = forms.EmailField(required=False, label="Email")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = memberships
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.display_name} ({m.user.email})"
        )

    def clean(self):
        data = super().clean()
        member = data.get("member")
        if member is not None:
            data["name"], data["email"] = member.user.display_name, member.user.email
        elif data.get("name") and not data.get("email"):
            self.add_error("email", "The handoff is sent by email: give an address.")
        elif data.get("email") and not data.get("name"):
            self.add_error("name", "Give the CS owner's name.")
        return data


class ShareLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        choices=[(d, f"{d} days") for d in SHARE_LINK_DAY_CHOICES],
        coerce=int,
        initial=SHARE_LINK_DAYS,
        label="Works for",
    )
    version = forms.ChoiceField(
        choices=[
            ("internal", "Internal: the whole playbook, names and findings included"),
            ("customer", "Customer-facing: resistors by theme, no individual named"),
        ],
        initial="internal",
        required=False,
        widget=forms.RadioSelect,
        label="For",
    )
