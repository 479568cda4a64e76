from django import forms

from changeready.engagements.models import Engagement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EngagementForm(forms.ModelForm):
    # The version the user's edit is based on, so a concurrent save is caught.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Engagement
        fields = [
            "name",
            "customer",
            "product",
            "phase",
            "kickoff_date",
            "go_live_date",
            "change_summary",
            "delivery_lead_name",
            "delivery_lead_email",
            "cs_owner_name",
            "cs_owner_email",
            "arr",
            "renewal_date",
            "opposition_reviewed",
        ]
        widgets = {
            "kickoff_date": DateInput(),
            "go_live_date": DateInput(),
            "renewal_date": DateInput(),
            "change_summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "change_summary": "What changes at go-live, and for whom.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
