from django import forms


class EngagementFileForm(forms.Form):
    file = forms.FileField(label="Engagement file (.json)")
