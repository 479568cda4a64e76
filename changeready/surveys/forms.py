from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.html import escape

from changeready.common.text import text_problem
from changeready.core.model import ADKAR_ELEMENTS
from changeready.engagements.forms import DateInput
from changeready.surveys.models import DEFAULT_OPEN_DAYS
from changeready.surveys.questionnaire import (
    ITEMS_PER_ELEMENT,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    SCALE,
    STATEMENTS,
    item_key,
)
from changeready.surveys.services import default_intro, default_title, parse_respondents


class SurveyForm(forms.Form):
    stakeholders = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Who is it for?",
        help_text="The answers set the ADKAR scores of these stakeholders.",
        error_messages={"required": "Choose at least one stakeholder the survey is for."},
    )
    respondents = forms.CharField(
        label="Send personal links to",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "Ana Ruiz <ana.ruiz@customer.example>"}
        ),
        help_text=(
            "One person per line, as “Name &lt;email&gt;” or just the email; a list pasted from "
            "a mail program works too. Leave empty for one shared link you pass on yourself."
        ),
    )
    closes_on = forms.DateField(label="Closes on", widget=DateInput())
    title = forms.CharField(
        label="Title respondents see",
        max_length=200,
        required=False,
    )
    intro = forms.CharField(
        label="Introduction respondents see",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    free_text_question = forms.CharField(
        label="Optional open question",
        max_length=300,
        required=False,
        help_text="E.g. “What would help you most in the first weeks?”",
    )

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = engagement.stakeholders.order_by("kind", "name")
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=DEFAULT_OPEN_DAYS)
        # The help text is rendered as HTML (it may hold markup), so escape the names.
        title = default_title(engagement)
        self.fields["title"].help_text = escape(f"Leave empty for “{title}”.")
        self.fields["intro"].widget.attrs["placeholder"] = default_intro(engagement)
        self.fields[
            "intro"
        ].help_text = "Customer-facing: no internal notes. Leave empty for the text shown."

    def clean_respondents(self):
        return parse_respondents(self.cleaned_data["respondents"])


ANSWER_CHOICES = [(str(value), label) for value, label in SCALE] + [
    (NOT_APPLICABLE, NOT_APPLICABLE_LABEL)
]


class ResponseForm(forms.Form):
    """The questionnaire: one radio group per statement, grouped by element."""

    def __init__(self, *args, free_text_question="", offer_new_person=False, answers=None, **kw):
        super().__init__(*args, **kw)
        for element in ADKAR_ELEMENTS:
            for index, statement in enumerate(STATEMENTS[element]):
                key = item_key(element, index)
                self.fields[key] = forms.ChoiceField(
                    label=statement,
                    choices=ANSWER_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Choose an answer, or “{NOT_APPLICABLE_LABEL}”."},
                )
                if answers:
                    value = answers[element][index]
                    self.initial[key] = NOT_APPLICABLE if value is None else str(value)
        if free_text_question:
            self.fields["free_text"] = forms.CharField(
                label=free_text_question,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if offer_new_person:
            self.fields["new_person"] = forms.BooleanField(
                label="I am someone else answering on this device",
                required=False,
                help_text="Tick this if the answers shown are not yours.",
            )

    def clean_free_text(self):
        text = self.cleaned_data["free_text"]
        problem = text_problem(text, multiline=True)
        if problem:
            raise forms.ValidationError(problem)
        return text

    def statement_fields(self):
        return [self[key] for key in self.fields if key not in ("free_text", "new_person")]

    def answers(self) -> dict[str, list[int | None]]:
        result = {}
        for element in ADKAR_ELEMENTS:
            values = []
            for index in range(ITEMS_PER_ELEMENT):
                raw = self.cleaned_data[item_key(element, index)]
                values.append(None if raw == NOT_APPLICABLE else int(raw))
            result[element] = values
        return result
