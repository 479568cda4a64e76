import json

from django import forms

from changeready.core.model import ADKAR_ELEMENTS, INVOLVEMENTS
from changeready.engagements.forms import DateInput
from changeready.landscape.importing import FILE_FORMAT_CHOICES
from changeready.landscape.labels import (
    ADKAR_HELP,
    ADKAR_LEVEL_CHOICES,
    INVOLVEMENT_LABELS,
    LEVEL_CHOICES,
    ROLE_LABELS,
    SEVERITY_CHOICES,
    SOURCE_LABELS,
    STATUS_LABELS,
    STRATEGY_LABELS,
)
from changeready.landscape.models import (
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
    WorkspacePhrase,
)
from changeready.landscape.presets import RELATION_PRESETS, RELATION_PRESETS_BY_SLUG, relation_of
from changeready.landscape.suggestions import phrase_offers

STAKEHOLDER_FIELDS = [
    "kind",
    "name",
    "title",
    "email",
    "role",
    "group",
    "headcount",
    "is_champion",
    "success_definition",
    "resistance_triggers",
    "opposed_purchase",
    "job_gets_harder",
    "authority_decreases",
    "influence",
    "interest",
    "impact",
    "engagement_level",
    "desired_engagement",
    "involvement",
    *(f"adkar_{element}" for element in ADKAR_ELEMENTS),
    "notes",
]


def _adkar_field(element: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=element.capitalize(),
        choices=ADKAR_LEVEL_CHOICES,
        coerce=float,
        empty_value=None,
        required=False,
        help_text=ADKAR_HELP[element],
    )


def relation_field() -> forms.ChoiceField:
    """Choosing a relation fills the typical values (a static script reads the presets)."""
    return forms.ChoiceField(
        label="Their relation",
        choices=[("", "Choose to fill in typical values…")]
        + [(preset.slug, preset.label) for preset in RELATION_PRESETS],
        required=False,
        widget=forms.Select(
            attrs={
                "data-relation-presets": json.dumps(
                    {preset.slug: preset.values() for preset in RELATION_PRESETS}
                )
            }
        ),
        help_text="Fills the relation, influence, interest, impact and desired engagement "
        "with what is typical; change any of them.",
    )


def relation_initial(slug: str) -> dict:
    """The initial values of a form for a stakeholder of this relation, if it is a preset."""
    preset = RELATION_PRESETS_BY_SLUG.get(slug)
    return {"relation": preset.slug, **preset.values()} if preset else {}


class StakeholderForm(forms.ModelForm):
    # The version the user's edit is based on, so a concurrent save is caught.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Not stored: a shortcut that fills the fields below it.
    relation = relation_field()
    involvement = forms.MultipleChoiceField(
        label="In the room for",
        choices=list(INVOLVEMENT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-row"}),
        required=False,
        help_text="The implementation activities they took part in. "
        "Daily users who were in none of them are the first adoption risk.",
    )
    adkar_awareness = _adkar_field("awareness")
    adkar_desire = _adkar_field("desire")
    adkar_knowledge = _adkar_field("knowledge")
    adkar_ability = _adkar_field("ability")
    adkar_reinforcement = _adkar_field("reinforcement")

    class Meta:
        model = Stakeholder
        fields = STAKEHOLDER_FIELDS
        labels = {
            "kind": "Kind",
            "name": "Name",
            "title": "Job title",
            "role": "Relation to the change",
            "group": "Belongs to group",
            "headcount": "Headcount",
            "is_champion": "A designated champion",
            "success_definition": "What does success look like for them, specifically?",
            "resistance_triggers": "What would make them resist adoption?",
            "opposed_purchase": "Did not want the purchase",
            "job_gets_harder": "Their job gets harder at go-live",
            "authority_decreases": "They lose authority, control, approvals or visibility",
            "influence": "Influence",
            "interest": "Interest",
            "impact": "Impact",
            "engagement_level": "Current engagement",
            "desired_engagement": "Desired engagement",
            "notes": "Notes",
        }
        help_texts = {
            "kind": "A group is a population (“Ward nurses, 2,300 people”); "
            "a person is a named individual.",
            "title": "For a person.",
            "email": "For a person; used for pulse surveys.",
            "group": "For a person: the group of this engagement they belong to.",
            "headcount": "Groups only: how many people are in the group.",
            "is_champion": "People only: someone who promotes the change among their peers.",
            "success_definition": "In their words: the outcome that would make them say it "
            "worked (“no paper pick lists; accuracy above 99.5%”).",
            "resistance_triggers": "What, at go-live or after, would make them work around it "
            "or push back (“scanners slower than paper in the first weeks”).",
            "opposed_purchase": "Who did not want it: they argued against buying the product.",
            "job_gets_harder": "More steps, more scrutiny or new skills to learn.",
            "authority_decreases": "Prosci: managers’ top reason to resist.",
            "influence": "Power to help or block the change (Mendelow’s power axis). "
            "1 = none, 5 = can stop it.",
            "interest": "How much they care about the change. 1 = indifferent, 5 = intensely.",
            "impact": "How much their daily work changes at go-live. 1 = barely, 5 = completely.",
            "engagement_level": "Where they are today (PMBOK engagement matrix).",
            "desired_engagement": "Where they need to be for adoption to succeed.",
        }
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "choice-row"}),
            "influence": forms.RadioSelect(attrs={"class": "choice-row"}),
            "interest": forms.RadioSelect(attrs={"class": "choice-row"}),
            "impact": forms.RadioSelect(attrs={"class": "choice-row"}),
            "success_definition": forms.Textarea(attrs={"rows": 3}),
            "resistance_triggers": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        engagement = self.instance.engagement
        groups = engagement.stakeholders.filter(kind="group").order_by("name")
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = "No group"
        roles = list(ROLE_LABELS.items())
        if not self.initial.get("role"):
            roles.insert(0, ("", "Choose their relation…"))
            self.fields["role"].error_messages["required"] = "Choose how they relate to the change."
        self.fields["role"].choices = roles
        for name in ("influence", "interest", "impact"):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                help_text=self.fields[name].help_text,
                choices=LEVEL_CHOICES[name],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "choice-row"}),
            )
        # Scores measured from too few survey responses are neither shown nor
        # editable here: an edit of another field keeps them as measured.
        self.adkar_withheld = self.instance.adkar_withheld
        for element in ADKAR_ELEMENTS:
            name = f"adkar_{element}"
            if self.adkar_withheld:
                del self.fields[name]
                continue
            value = getattr(self.instance, name)
            # Survey means can be fractional; keep them selectable so an edit
            # of another field does not round the measurement away.
            if value is not None and value not in dict(ADKAR_LEVEL_CHOICES):
                self.fields[name].choices = [
                    *ADKAR_LEVEL_CHOICES,
                    (value, f"{value:g} (measured)"),
                ]
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.phrase_offers = phrase_offers(
            WorkspacePhrase.objects.for_workspace(engagement.workspace_id),
            self["role"].value() or "",
        )

    def clean_involvement(self):
        chosen = set(self.cleaned_data["involvement"])
        return [value for value in INVOLVEMENTS if value in chosen]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in STAKEHOLDER_FIELDS if name in self.fields}


# The grid's columns that are stored as they are (the relation sets the role).
GRID_FIELDS = [
    "name",
    "kind",
    "headcount",
    "success_definition",
    "resistance_triggers",
    "influence",
    "interest",
    "impact",
    "engagement_level",
    "desired_engagement",
]
GRID_LABELS = {
    "name": "Name",
    "kind": "Kind",
    "relation": "Relation",
    "headcount": "People",
    "success_definition": "Success for them",
    "resistance_triggers": "Would resist if",
    "influence": "Influence",
    "interest": "Interest",
    "impact": "Impact",
    "engagement_level": "Current engagement",
    "desired_engagement": "Desired engagement",
}
# The columns in the order of the table (and of rows pasted from a spreadsheet).
GRID_COLUMNS = list(GRID_LABELS)
GRID_PHRASE_FIELDS = ("success_definition", "resistance_triggers")


def grid_phrase_list(field: str, role: str) -> str:
    """The id of the page's list of suggested phrases for `field` and `role`."""
    return f"phrases-{field}-{role or 'any'}"


class GridRowForm(forms.ModelForm):
    """One row of the landscape grid: the columns a team fills for many stakeholders at once.

    Saved through the same services as the detailed form. `row` numbers the
    row on the page: it makes the row's element ids unique and names the row
    in each cell's label ("Influence, row 3"). The form asks no query of its
    own, so a grid of many rows costs no more queries than one.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    relation = forms.ChoiceField(
        choices=[("", "Choose…")] + [(preset.slug, preset.label) for preset in RELATION_PRESETS],
        error_messages={"required": "Choose how they relate to the change."},
    )

    class Meta:
        model = Stakeholder
        fields = GRID_FIELDS
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "headcount": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "success_definition": forms.TextInput(attrs={"autocomplete": "off"}),
            "resistance_triggers": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, auto_id=f"r{row}-%s", **kwargs)
        self.row = row
        self.form_id = f"grid-row-{row}"
        for name in ("influence", "interest", "impact"):
            self.fields[name] = forms.TypedChoiceField(choices=LEVEL_CHOICES[name], coerce=int)
        stored = not self.instance._state.adding
        if stored and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["relation"] = relation_of(
                self.instance.role, self.instance.opposed_purchase
            )
        self.stored = stored
        self.order_fields(GRID_COLUMNS)
        role = self._chosen_role()
        for name, field in self.fields.items():
            field.label = GRID_LABELS.get(name, name)
            field.widget.attrs["form"] = self.form_id
            if name != "version":
                field.widget.attrs["aria-label"] = f"{field.label}, row {row}"
            if name in GRID_PHRASE_FIELDS:
                field.widget.attrs["list"] = grid_phrase_list(name, role)
                field.widget.attrs["data-phrase-list"] = name

    def add_error(self, field, error):
        """Each cell with an error names it, for screen readers (the error sits below it)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self.auto_id % name}_error"

    def _chosen_role(self) -> str:
        preset = RELATION_PRESETS_BY_SLUG.get(self["relation"].value() or "")
        return preset.role if preset else ""

    def changes(self) -> dict:
        preset = RELATION_PRESETS_BY_SLUG[self.cleaned_data["relation"]]
        changes = {name: self.cleaned_data[name] for name in GRID_FIELDS}
        changes["role"] = preset.role
        # As on the detailed form: a preset adds the opposition, never clears it.
        if preset.opposed_purchase:
            changes["opposed_purchase"] = True
        return changes


RESISTANCE_POINT_FIELDS = [
    "stakeholder",
    "source",
    "severity",
    "description",
    "strategy",
    "owner",
    "due_week",
    "status",
    "notes",
]


class ResistancePointForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ResistancePoint
        fields = RESISTANCE_POINT_FIELDS
        labels = {
            "stakeholder": "Who resists",
            "source": "Why (source of resistance)",
            "severity": "Severity",
            "description": "What exactly",
            "strategy": "Mitigation strategy",
            "owner": "Mitigation owner",
            "due_week": "Due week",
            "status": "Mitigation status",
        }
        help_texts = {
            "source": "The root cause (Prosci’s resistance research; Kotter & Schlesinger).",
            "description": "What they lose or fear, in a sentence.",
            "strategy": "How you will address it (Kotter & Schlesinger’s responses).",
            "owner": "The named person who will carry the mitigation out.",
            "due_week": "Week relative to go-live: −2 is two weeks before, 1 the first week after.",
            "status": "Open means no plan yet; accepted means the risk is knowingly taken. "
            "Entering a strategy and an owner on an open point marks it planned, unless you "
            "choose another status here.",
        }
        widgets = {
            "severity": forms.RadioSelect(attrs={"class": "choice-row"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = self.instance.engagement.stakeholders.order_by("name")
        self.fields["stakeholder"].empty_label = None
        self.fields["source"].choices = [("", "Choose…"), *SOURCE_LABELS.items()]
        self.fields["strategy"].choices = [("", "Not chosen yet"), *STRATEGY_LABELS.items()]
        self.fields["status"].choices = list(STATUS_LABELS.items())
        self.fields["severity"] = forms.TypedChoiceField(
            label="Severity",
            choices=SEVERITY_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "choice-row"}),
            help_text="How much this would hold back adoption. 3 or more, while open, "
            "makes the stakeholder a resistor.",
        )
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_due_week(self):
        # Said in words before the model's bare range check can answer.
        due_week = self.cleaned_data["due_week"]
        if due_week is not None and due_week != self.instance.due_week:
            problem = self.instance.engagement.week_outside_plan(due_week)
            if problem:
                raise forms.ValidationError(problem)
        return due_week

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in RESISTANCE_POINT_FIELDS}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Stakeholder file (.csv or .xlsx)",
        help_text="Use the template's columns. Nothing is saved until you confirm the preview.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    file_format = forms.ChoiceField(
        label="What the file is",
        choices=FILE_FORMAT_CHOICES,
        initial="auto",
        required=False,
        help_text="A Salesforce “Opportunity Contact Roles” report or a HubSpot deal-contacts "
        "export is recognised by its columns; choose it here if it is not.",
    )


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class WorkspacePhraseForm(forms.ModelForm):
    class Meta:
        model = WorkspacePhrase
        fields = ["field", "role", "industry", "text"]
        labels = {"field": "Offered for", "role": "For the role", "industry": "Industry"}
        help_texts = {"text": "A short phrase people start from and then make specific."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role"), *ROLE_LABELS.items()]


LOG_ENTRY_FIELDS = ["kind", "date", "participants", "summary", "internal"]
COMMITMENT_FIELDS = ["text", "owner", "due_date", "log_entry", "internal"]


class VersionedEditForm(forms.ModelForm):
    """A model form that carries the version an edit is based on (common/concurrency.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class LogEntryForm(VersionedEditForm):
    class Meta:
        model = StakeholderLogEntry
        fields = LOG_ENTRY_FIELDS
        labels = {"kind": "What it was", "internal": "Internal note"}
        help_texts = {
            "participants": "Names, as you would write them in minutes.",
            "internal": "Leave ticked unless the customer may read it: internal entries never "
            "appear on the share page, in the playbook or in any export.",
        }
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class CommitmentForm(VersionedEditForm):
    class Meta:
        model = Commitment
        fields = COMMITMENT_FIELDS
        labels = {"internal": "Internal commitment"}
        help_texts = {
            "text": "For example: “The night-shift lead will own the slotting rules.”",
            "internal": "Tick it if the customer must not read it: internal commitments appear "
            "only in the internal playbook.",
        }
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["log_entry"].queryset = self.instance.stakeholder.log_entries.select_related(
            "stakeholder"
        )
        self.fields["log_entry"].empty_label = "Not linked to an entry"
