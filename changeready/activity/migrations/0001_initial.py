import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, source="portfolio", target="activity"):
    """The content type of the moved model follows it, so nothing points at a gone app."""
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label=target, model="activityevent").exists():
        content_types.objects.filter(app_label=source, model="activityevent").update(
            app_label=target
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="activity", target="portfolio")


class Migration(migrations.Migration):
    """The activity history, moved from the portfolio app: the model's state
    moves here, the table (and every row in it) stays as it was."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("engagements", "0001_initial"),
        ("portfolio", "0002_activity_event_moves_to_activity"),
        ("workspaces", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ActivityEvent",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("actor_label", models.CharField(max_length=200)),
                        ("verb", models.CharField(max_length=20)),
                        ("obj_type", models.CharField(max_length=30, verbose_name="object type")),
                        (
                            "obj_id",
                            models.UUIDField(blank=True, null=True, verbose_name="object id"),
                        ),
                        ("label", models.CharField(max_length=300)),
                        ("summary", models.TextField()),
                        ("changes", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "engagement",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="activity",
                                to="engagements.engagement",
                            ),
                        ),
                        (
                            "workspace",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="workspaces.workspace",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portfolio_activityevent",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["engagement", "-created_at"],
                                name="portfolio_a_engagem_54e397_idx",
                            ),
                            models.Index(
                                fields=["workspace", "-created_at"],
                                name="portfolio_a_workspa_263389_idx",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
