"""What staff sign-in keeps beyond Django's user: the session allowance and who holds which session."""

from django.conf import settings
from django.db import models


class SignInPolicy(models.Model):
    """Per-account exceptions an Administrator grants; absent means the defaults (one session)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_policy")
    allow_several_sessions = models.BooleanField(
        default=False, help_text="Let this person stay signed in on more than one device at a time.")
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        default_permissions = ()
        permissions = [("manage_sign_in", "Can release locked accounts, reset MFA and allow several sessions")]

    def __str__(self):
        return f"Sign-in policy for {self.user}"


class StaffSession(models.Model):
    """A fully signed-in session (password and second factor), so a newer one can end it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()
        ordering = ["-started_at"]
