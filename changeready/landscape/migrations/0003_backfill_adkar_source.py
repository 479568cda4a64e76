"""Scores a pulse survey measured come from a survey, dated when it measured them.

Every other row keeps the default, `estimated`, undated: nobody recorded when
the team guessed, and an undated estimate is exactly what `adkar_unverified`
asks the team to check before go-live.
"""

from django.db import migrations
from django.db.models import F


def mark_survey_measured(apps, schema_editor):
    Stakeholder = apps.get_model("landscape", "Stakeholder")
    Stakeholder.objects.filter(adkar_measured_on__isnull=False).update(
        adkar_source="survey", adkar_assessed_on=F("adkar_measured_on")
    )


class Migration(migrations.Migration):
    dependencies = [("landscape", "0002_stakeholder_adkar_assessed_on_and_source")]

    # Going back drops the two columns (0002), so there is nothing to undo here.
    operations = [migrations.RunPython(mark_survey_measured, migrations.RunPython.noop)]
