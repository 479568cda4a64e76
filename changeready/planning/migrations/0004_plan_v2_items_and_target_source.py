import django.core.validators
from django.db import migrations, models


def mark_manual_targets(apps, schema_editor):
    """Targets typed by hand, or on an engagement whose plan was never generated
    (so imported from a file or typed), are commitments: `manual`."""
    AdoptionTarget = apps.get_model("planning", "AdoptionTarget")
    PlanState = apps.get_model("planning", "PlanState")
    generated = PlanState.objects.filter(generated_at__isnull=False).values("engagement_id")
    AdoptionTarget.objects.filter(edited_by_hand=True).update(source="manual")
    AdoptionTarget.objects.exclude(engagement_id__in=generated).update(source="manual")


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_adoption_actual_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="adoptiontarget",
            name="source",
            field=models.CharField(
                choices=[("generated", "Generated"), ("manual", "Manual")],
                default="generated",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_manual_targets, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="adoptiontarget",
            name="edited_by_hand",
        ),
        migrations.AddField(
            model_name="planitem",
            name="format",
            field=models.CharField(
                blank=True,
                choices=[
                    ("one_to_one", "One to one"),
                    ("group_session", "Group session"),
                    ("workshop", "Workshop"),
                    ("broadcast", "Broadcast"),
                    ("task", "Task"),
                    ("review", "Review"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="planitem",
            name="workstream",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sponsorship", "Sponsorship"),
                    ("communication", "Communication"),
                    ("enablement", "Enablement"),
                    ("support", "Support"),
                    ("resistance", "Resistance"),
                    ("measurement", "Measurement"),
                    ("handoff", "Handoff"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="adoptiontarget",
            name="week",
            field=models.SmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(260),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="week",
            field=models.SmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(-52),
                    django.core.validators.MaxValueValidator(260),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="planstate",
            name="adoption_target_week",
            field=models.SmallIntegerField(
                default=8,
                help_text="The week after go-live by which the target should be reached.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(260),
                ],
            ),
        ),
    ]
