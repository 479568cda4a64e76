from django import forms

from changeready.engagements.blackouts import periods_as_text, periods_from_text
from changeready.engagements.models import Engagement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BlackoutPeriodsField(forms.CharField):
    """Blackout periods as one line each: `2026-12-21 to 2027-01-03 Holidays`."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return periods_as_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        periods, errors = periods_from_text(super().to_python(value) or "")
        if errors:
            raise forms.ValidationError(errors)
        return periods


class EngagementForm(forms.ModelForm):
    # The version the user's edit is based on, so a concurrent save is caught.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    blackout_periods = BlackoutPeriodsField(
        required=False,
        label="Blackout periods",
        help_text=(
            "Dates the customer cannot absorb change (month-end close, peak season, "
            "holidays), one period a line: 2026-12-21 to 2027-01-03 Holidays. The plan "
            "moves announcements, training and go-live preparation out of them."
        ),
    )

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
            "adoption_mode",
            "blackout_periods",
        ]
        widgets = {
            "adoption_mode": forms.RadioSelect,
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
        # A form posted without the choice (an older page, a script) keeps the mode.
        self.fields["adoption_mode"].required = False

    def clean_adoption_mode(self):
        return self.cleaned_data["adoption_mode"] or self.instance.adoption_mode
