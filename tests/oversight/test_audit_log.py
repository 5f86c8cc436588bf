import pytest
from django.urls import reverse

from dearjohn.oversight.audit import record
from dearjohn.oversight.models import AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted():
    event = record("test.action", purpose="testing")
    event.purpose = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == "testing"


def test_sign_in_and_failure_are_recorded(client, users):
    client.post(reverse("login"), {"username": "reviewer", "password": "wrong"})
    client.post(reverse("login"), {"username": "reviewer", "password": "a-long-test-password"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "username"))
    assert actions == [("auth.sign_in_failed", ""), ("auth.sign_in", "reviewer")]
    assert AuditEvent.objects.get(action="auth.sign_in_failed").detail == {"attempted_username": "reviewer"}


def test_auditor_filters_by_user(client_for, users):
    record("case.view", user=users["Reviewer"], purpose="review")
    record("case.view", user=users["Supervisor"], purpose="approval")
    body = client_for("Auditor").get(reverse("oversight:audit_log"), {"user": "reviewer"}).content.decode()
    assert "review" in body and "approval" not in body


def test_admin_shows_entries_but_offers_no_change(client_for):
    event = record("test.action")
    client = client_for("Administrator")
    change = client.get(reverse("admin:oversight_auditevent_change", args=[event.pk]))
    delete = client.post(reverse("admin:oversight_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert change.status_code in (200, 403)
    assert b'name="_save"' not in change.content
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
