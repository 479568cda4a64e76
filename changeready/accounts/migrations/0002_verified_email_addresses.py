"""Every account that exists before allauth gets a verified, primary EmailAddress:
nobody confirms their email again or resets their password (the password hashes
are untouched)."""

from django.db import migrations


def verify_existing_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email.lower(), primary=True, verified=True)
        for user_id, email in User.objects.values_list("id", "email")
        if user_id not in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verify_existing_emails, migrations.RunPython.noop),
    ]
