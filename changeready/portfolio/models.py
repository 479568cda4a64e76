from django.db import models


class DigestPreference(models.Model):
    """A member's weekly digest setting for one workspace; no row means subscribed."""

    membership = models.OneToOneField(
        "workspaces.Membership", on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekly_digest = models.BooleanField("send me the weekly digest", default=True)
    # The Monday of the last week a digest went out, so a second run that week sends nothing.
    last_sent_week = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Digest for {self.membership}: {'on' if self.weekly_digest else 'off'}"
