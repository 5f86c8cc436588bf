"""Fuzzing every parser of outside input: whatever arrives, the answer is a result or the app's own user error.

CI runs a bounded number of examples per parser (50). For a longer run:

    DEARJOHN_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/security/test_fuzz.py -p no:cacheprovider
"""

import io
import json
import os
from datetime import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from dearjohn.evidence import intake, zones
from dearjohn.evidence.api import _camera_reads
from dearjohn.evidence.errors import EvidenceError
from dearjohn.letters.address import normalise
from dearjohn.letters.errors import LetterError
from dearjohn.letters.forms import LookupForm, ResponseForm
from dearjohn.letters.references import ALPHABET, clean_reference
from dearjohn.vehicles.lookup import RECORD_FIELDS, REQUIRED_FIELDS
from dearjohn.vehicles.models import VehiclesError
from dearjohn.vehicles.registry import import_csv

# CI runs the same examples every time (derandomize); a longer run set by the variable explores afresh.
FUZZ = settings(max_examples=int(os.environ.get("DEARJOHN_FUZZ_EXAMPLES", 50)), deadline=None, database=None,
                derandomize="DEARJOHN_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=40,
)
coordinates = st.lists(st.lists(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(), max_size=3), max_size=8), max_size=3)
geometries = st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "polygon", ""]),
                                    "coordinates": coordinates | json_values})
features = st.fixed_dictionaries({
    "type": st.just("Feature"),
    "geometry": geometries | json_values,
    "properties": st.fixed_dictionaries({"name": st.text(max_size=30) | json_values,
                                         "active_hours": st.dictionaries(st.sampled_from(["mon", "tue", "sun", "xyz"]),
                                                                         st.lists(st.lists(st.text(max_size=6), max_size=3), max_size=3))
                                         | json_values}) | json_values,
})
collections = st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Feature", "x"]),
                                     "features": st.lists(features | json_values, max_size=4)})


@pytest.mark.django_db
@FUZZ
@given(st.one_of(collections, json_values, st.binary(max_size=200), st.text(max_size=200)))
@example({"type": "FeatureCollection", "features": [1]})
def test_geojson_zone_import(data):
    try:
        created, updated = zones.import_geojson(json.dumps(data) if isinstance(data, dict) and data.get("type") == "x" else data)
    except EvidenceError:
        return
    assert created + updated >= 0


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@pytest.mark.django_db
@FUZZ
@given(header=st.lists(st.sampled_from(RECORD_FIELDS + ["", "extra"]), max_size=18) | st.just(REQUIRED_FIELDS),
       rows=st.lists(st.lists(cells, max_size=18), max_size=6), raw=st.binary(max_size=300))
def test_registry_csv_import(tmp_path_factory, header, rows, raw):
    import csv

    path = tmp_path_factory.mktemp("csv") / "extract.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    for content in (buffer.getvalue().encode(), raw, buffer.getvalue().encode()[: len(raw)]):
        path.write_bytes(content)
        try:
            report = import_csv(path)
        except VehiclesError:
            continue
        assert report.ok or all(isinstance(line, int) and message for line, message in report.errors)


@FUZZ
@given(st.one_of(st.text(max_size=300), st.builds(json.dumps, json_values)))
def test_camera_plate_reads(raw):
    try:
        reads = _camera_reads(raw)
    except EvidenceError:
        return
    assert isinstance(reads, list) and all(isinstance(r["text"], str) and len(r["text"]) <= 12 for r in reads)


@pytest.fixture
def camera(db):
    from tests.factories import zone
    from dearjohn.evidence.models import Camera

    camera = Camera.objects.create(name="Fuzz camera", street="Test St", latitude=37.755, longitude=-122.415, facing="N", zone=zone())
    token = camera.issue_token()
    camera.save()
    return camera, token


def small_jpeg(seed):
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (seed % 256, 40, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 2))  # each example is a full request with an upload
@given(fields=st.dictionaries(st.sampled_from(["plates", "taken_at", "note", "zone", "x"]), st.text(max_size=60), max_size=4),
       seed=st.integers(0, 10_000), with_file=st.booleans())
def test_camera_api_answers_every_request_without_crashing(camera, client, fields, seed, with_file):
    cam, token = camera
    data = dict(fields)
    if with_file:
        data["file"] = io.BytesIO(small_jpeg(seed))
        data["file"].name = "cam.jpg"
    client.raise_request_exception = False
    response = client.post(reverse("evidence:api_camera_captures", kwargs={"pk": cam.pk}), data,
                           HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_FORWARDED_FOR=f"192.0.2.{seed % 250}")
    assert response.status_code in (200, 201, 400, 413, 429), response.content[:300]
    assert "error" in response.json() or response.status_code in (200, 201)


@FUZZ
@given(st.text(max_size=40) | st.text(alphabet=ALPHABET + "-  o0il", min_size=10, max_size=25))
def test_reference_codes(text):
    cleaned = clean_reference(text)
    assert cleaned is None or (clean_reference(cleaned) == cleaned and len(cleaned) == 17)


@pytest.mark.django_db
@FUZZ
@given(st.dictionaries(st.sampled_from(["reference", "zip_code", "reason", "message", "contact", "x"]), st.text(max_size=500), max_size=6))
def test_response_forms(data):
    for form in (LookupForm(data), ResponseForm(data)):
        if form.is_valid():
            assert set(form.cleaned_data) <= {"reference", "zip_code", "reason", "message", "contact"}
        else:
            assert form.errors


@pytest.mark.django_db
@FUZZ
@given(st.text(max_size=40), st.text(max_size=20))
def test_the_public_response_page(client, reference, zip_code):
    client.raise_request_exception = False
    response = client.post(reverse("respond:start"), {"reference": reference, "zip_code": zip_code},
                           HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert response.status_code in (200, 302, 400, 429)


@FUZZ
@given(st.tuples(*[st.text(max_size=40)] * 6) | st.tuples(st.text(max_size=20), st.from_regex(r"\d{1,5} [A-Za-z ]{0,20}", fullmatch=True),
                                                            st.text(max_size=8), st.text(max_size=15), st.sampled_from(["CA", "NV", "", "zz"]),
                                                            st.from_regex(r"\d{5}(-\d{4})?", fullmatch=True)))
def test_mailing_addresses(parts):
    try:
        address = normalise(*parts)
    except LetterError:
        return
    assert address.lines and len(address.zip5) == 5


MAGIC = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"\x00\x00\x00\x18ftypheic",
         b"\x00\x00\x00\x18ftypisom", b"RIFF\x00\x00\x00\x00AVI LIST", b"\x1a\x45\xdf\xa3webm", b""]


def photo_with_exif():
    image = Image.new("RGB", (64, 48), (120, 30, 30))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 22:15:00"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 22:15:00"
    exif.get_ifd(0x8769)[0x9011] = "-08:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 45.0, 30.0), 3: "W", 4: (122.0, 25.0, 10.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


PHOTO = photo_with_exif()


@FUZZ
@given(st.one_of(
    st.builds(lambda magic, tail: magic + tail, st.sampled_from(MAGIC), st.binary(max_size=400)),
    st.builds(lambda flips: bytes(b ^ flips.get(i, 0) for i, b in enumerate(PHOTO)),
              st.dictionaries(st.integers(0, len(PHOTO) - 1), st.integers(1, 255), max_size=8)),
    st.builds(lambda cut: PHOTO[:cut], st.integers(1, len(PHOTO))),
))
def test_image_and_video_headers_and_exif(blob):
    try:
        prepared = intake.prepare(io.BytesIO(blob), filename="fuzz.bin")
    except EvidenceError:
        return
    try:
        assert prepared.size == len(blob)
        assert prepared.exif_time is None or isinstance(prepared.exif_time, datetime)
        assert prepared.exif_location is None or all(isinstance(v, float) for v in prepared.exif_location)
    finally:
        prepared.discard()
