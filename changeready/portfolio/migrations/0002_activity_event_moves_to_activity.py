from django.db import migrations


class Migration(migrations.Migration):
    """The activity history moved to the activity app; its table stays where it is."""

    dependencies = [
        ("portfolio", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ActivityEvent")],
            database_operations=[],
        ),
    ]
