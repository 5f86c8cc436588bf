"""Walks every URL the app defines as every role, and checks who gets in.

ACCESS lists, for each named URL, the roles that may open it; PUBLIC means
anyone, without signing in. A URL added without an entry here fails
`test_every_url_has_an_access_rule`, so no page ships without a decision.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES, sign_in

PUBLIC = "public"
TOKEN = "token"  # no sign-in: the API answers 401 without its own token
EVERY_ROLE = set(ROLES)

# name: (roles allowed, kwargs for reverse, method)
ACCESS = {
    "home": (EVERY_ROLE, {}, "get"),
    "health": (PUBLIC, {}, "get"),
    "login": (PUBLIC, {}, "get"),
    "logout": (EVERY_ROLE, {}, "post"),
    "accounts:verify": (EVERY_ROLE, {}, "get"),
    "accounts:enrol": (EVERY_ROLE, {}, "get"),
    "accounts:recovery_codes": (EVERY_ROLE, {}, "get"),
    "accounts:security_keys": (EVERY_ROLE, {}, "post"),
    "accounts:key_add_begin": (EVERY_ROLE, {}, "post"),
    "accounts:key_add_complete": (EVERY_ROLE, {}, "post"),
    "accounts:key_verify_begin": (EVERY_ROLE, {}, "post"),
    "accounts:key_verify_complete": (EVERY_ROLE, {}, "post"),
    "accounts:keepalive": (EVERY_ROLE, {}, "get"),
    "accounts:staff": ({"Administrator"}, {}, "get"),
    "accounts:staff_action": ({"Administrator"}, {}, "post"),
    "evidence:capture_list": ({"Officer", "Reviewer", "Supervisor"}, {}, "get"),
    "evidence:upload": ({"Officer"}, {}, "get"),
    "evidence:capture_detail": ({"Officer", "Reviewer", "Supervisor"}, {"pk": 900002}, "get"),
    "evidence:capture_reads": ({"Officer", "Reviewer", "Supervisor"}, {"pk": 900002}, "get"),
    "evidence:capture_original": ({"Officer", "Reviewer", "Supervisor"}, {"pk": 900002}, "get"),
    "evidence:capture_verify": ({"Officer", "Reviewer"}, {"pk": 900002}, "post"),
    "evidence:read_crop": ({"Officer", "Reviewer", "Supervisor"}, {"pk": 900002}, "get"),
    "evidence:submit": (PUBLIC, {}, "get"),
    "evidence:zone_list": ({"Supervisor", "Auditor"}, {}, "get"),
    "evidence:zone_create": ({"Supervisor"}, {}, "get"),
    "evidence:zone_edit": ({"Supervisor"}, {"pk": 900002}, "get"),
    "evidence:zone_import": ({"Supervisor"}, {}, "post"),
    "evidence:zone_export": ({"Supervisor", "Auditor"}, {}, "get"),
    "evidence:camera_list": ({"Supervisor", "Auditor"}, {}, "get"),
    "evidence:camera_create": ({"Supervisor"}, {}, "get"),
    "evidence:camera_edit": ({"Supervisor"}, {"pk": 900002}, "get"),
    "evidence:camera_token": ({"Supervisor"}, {"pk": 900002}, "post"),
    "evidence:camera_forget_writing": ({"Supervisor"}, {"pk": 900002}, "post"),
    "evidence:api_camera_captures": (TOKEN, {"pk": 900002}, "post"),
    "evidence:api_openapi": (PUBLIC, {}, "get"),
    "oversight:audit_log": ({"Auditor"}, {}, "get"),
    "oversight:access_log": ({"Auditor"}, {}, "get"),
    "oversight:access_log_csv": ({"Auditor"}, {}, "get"),
    "oversight:annual_report": ({"Auditor"}, {}, "get"),
    "oversight:sharing": ({"Supervisor", "Auditor"}, {}, "get"),
    "oversight:export_case": ({"Supervisor"}, {}, "get"),
    "public_policy": (PUBLIC, {}, "get"),
    "cases:review_queue": ({"Reviewer"}, {}, "get"),
    "cases:review_next": ({"Reviewer"}, {}, "get"),
    "cases:review_decide": ({"Reviewer"}, {"pk": 900001}, "post"),
    "cases:sighting_image": ({"Reviewer", "Supervisor"}, {"pk": 900001}, "get"),
    "cases:sighting_crop": ({"Reviewer", "Supervisor"}, {"pk": 900001}, "get"),
    "cases:case_list": ({"Reviewer", "Supervisor"}, {}, "get"),
    "cases:case_detail": ({"Reviewer", "Supervisor"}, {"pk": 900001}, "get"),
    "cases:case_lookup": ({"Reviewer"}, {"pk": 900001}, "post"),
    "cases:case_vehicle_check": ({"Reviewer"}, {"pk": 900001}, "post"),
    "cases:case_note": ({"Reviewer"}, {"pk": 900001}, "post"),
    "cases:case_assign": ({"Reviewer"}, {"pk": 900001}, "post"),
    "cases:observation_new": ({"Officer"}, {}, "get"),
    "cases:policy": ({"Reviewer", "Supervisor"}, {}, "get"),
    "cases:policy_new": ({"Supervisor"}, {}, "post"),
    "insights:dashboard": ({"Supervisor", "Auditor"}, {}, "get"),
    "insights:chart": ({"Supervisor", "Auditor"}, {"name": "heatmap"}, "get"),
    "insights:map": ({"Supervisor", "Auditor"}, {}, "get"),
    "insights:map_svg": ({"Supervisor", "Auditor"}, {}, "get"),
    "insights:deterrence": ({"Supervisor", "Auditor"}, {}, "get"),
    "insights:deterrence_csv": ({"Supervisor", "Auditor"}, {}, "get"),
    "insights:deterrence_chart": ({"Supervisor", "Auditor"}, {"fmt": "svg"}, "get"),
}

# The security-key steps a page's script calls: opened empty by a person who may
# use them, they answer what is missing (no ceremony begun, no key registered).
INCOMPLETE_REQUEST = {"accounts:key_add_complete": 400, "accounts:key_verify_begin": 404, "accounts:key_verify_complete": 400}

# Letters: a letter with this reference and a batch with this name are made by `letter_records`.
LETTER = {"reference": "ACCSS-LETTR-90000"}
BATCH = {"name": "access-batch"}
LETTER_READERS = {"Supervisor", "Auditor"}
ACCESS.update({
    "letters:letter_list": (LETTER_READERS, {}, "get"),
    "letters:draft_qualifying": ({"Supervisor"}, {}, "post"),
    "letters:batch_list": ({"Supervisor"}, {}, "get"),
    "letters:print_batch": ({"Supervisor"}, {}, "post"),
    "letters:batch_pdf": ({"Supervisor"}, BATCH, "get"),
    "letters:batch_manifest": ({"Supervisor"}, BATCH, "get"),
    "letters:batch_mailed": ({"Supervisor"}, BATCH, "post"),
    "letters:mail_log": ({"Supervisor"}, {}, "get"),
    "letters:template_list": (LETTER_READERS, {}, "get"),
    "letters:template_edit": (LETTER_READERS, {"kind": "first", "language": "en"}, "get"),
    "letters:template_preview": ({"Supervisor"}, {"kind": "first", "language": "en"}, "post"),
    "letters:response_list": (LETTER_READERS, {}, "get"),
    "letters:suppression_list": (LETTER_READERS, {}, "get"),
    "letters:letter_detail": (LETTER_READERS, LETTER, "get"),
    "letters:letter_pdf": (LETTER_READERS, LETTER, "get"),
    "letters:letter_png": (LETTER_READERS, LETTER, "get"),
    "letters:approve": ({"Supervisor"}, LETTER, "post"),
    "letters:cancel": ({"Supervisor"}, LETTER, "post"),
    "letters:fix_address": ({"Supervisor"}, LETTER, "get"),
    "letters:set_language": ({"Supervisor"}, LETTER, "post"),
    "letters:response_decide": (LETTER_READERS, LETTER, "get"),
    "respond:start": (PUBLIC, {}, "get"),
    "respond:start_with_code": (PUBLIC, {"code": LETTER["reference"]}, "get"),
    "respond:form": (PUBLIC, {}, "get"),
    "respond:thanks": (PUBLIC, {}, "get"),
})


@pytest.fixture(autouse=True)
def case_records(request):
    """A sighting (with a real image) and a case at fixed ids, for the cases URLs above."""
    if "users" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from dearjohn.cases.models import Case
    from tests import factories

    factories.stored_sighting("7PRM900", pk=900001)
    Case.objects.create(pk=900001, number="DJ-2026-900001", plate_key="7PRM900", state="CA")


@pytest.fixture(autouse=True)
def evidence_records(request):
    """A public submission with a stored photo and a read, a zone and a camera at fixed ids, for the evidence URLs."""
    if "users" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from dearjohn.evidence.models import Camera, SourceKind, Zone
    from tests import factories

    zone = Zone.objects.create(pk=900002, name="Access zone", boundary=factories.SQUARE)
    Camera.objects.create(pk=900002, name="Access camera", latitude=37.755, longitude=-122.415, zone=zone)
    factories.stored_capture("7PRM902", pk=900002, read_pk=900002, source_kind=SourceKind.PUBLIC)


@pytest.fixture(autouse=True)
def letter_records(request):
    """A drafted letter and a printed batch with its files, for the letters URLs above."""
    if "users" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from django.conf import settings

    from dearjohn.cases.models import Case
    from dearjohn.letters.models import Letter, LetterTemplate, PrintBatch

    case = Case.objects.create(pk=900006, number="DJ-2026-900006", plate_key="7PRM906", state="CA")
    Letter.objects.create(case=case, reference=LETTER["reference"], recipient_name="ACCESS TESTPERSON",
                          recipient_address="ACCESS TESTPERSON\n12 TAMSIN ST\nOAKLAND CA 94612", recipient_zip="94612",
                          template=LetterTemplate.current("first", "en"))
    batch = PrintBatch.objects.create(name=BATCH["name"], pdf_path="batches/access-batch.pdf",
                                      manifest_path="batches/access-batch.csv")
    folder = settings.DEARJOHN["LETTERS"]["OUTPUT_DIR"] / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "access-batch.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "access-batch.csv").write_text("sequence,reference\n")


def named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own gate: staff only, checked below
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, child)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name"
            yield namespace + entry.name


def test_every_url_has_an_access_rule():
    assert set(named_urls()) == set(ACCESS)


def cases():
    for name, (allowed, kwargs, method) in ACCESS.items():
        for role in [None, *ROLES]:
            yield pytest.param(name, role, id=f"{name}-{role or 'anonymous'}")


@pytest.mark.parametrize("name,role", list(cases()))
def test_access(name, role, users):
    allowed, kwargs, method = ACCESS[name]
    client = Client()
    if role:
        sign_in(client, users[role])
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    login_url = reverse("login")
    if allowed == TOKEN:
        assert response.status_code == 401 and "Location" not in response
    elif allowed == PUBLIC or (role and role in allowed):
        expected = INCOMPLETE_REQUEST.get(name)
        if expected:
            assert response.status_code == expected, f"{role} should reach {url}, got {response.status_code}"
        else:
            assert response.status_code < 400, f"{role} should open {url}, got {response.status_code}"
        assert not response.get("Location", "").startswith(f"{login_url}?next="), "sent to sign in"
    elif role is None:
        assert response.status_code == 302 and response["Location"].startswith(f"{login_url}?next=")
    else:
        assert response.status_code == 403, f"{role} should be refused {url}, got {response.status_code}"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_admin_is_for_administrators_only(role, users):
    client = Client()
    if role:
        sign_in(client, users[role])
    response = client.get(reverse("admin:index"))
    if role == "Administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
