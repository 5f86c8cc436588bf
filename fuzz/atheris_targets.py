"""Coverage-guided fuzzing (atheris, libFuzzer) of the parsers that take outside input without a database.

Hypothesis (tests/security/test_fuzz.py) covers every parser with inputs shaped
like the real ones; atheris complements it where coverage feedback helps: byte
formats (image and video headers, EXIF) and the small text parsers, where it
mutates its way into branches no hand-written strategy would think of.

    .venv/bin/python fuzz/atheris_targets.py --list
    .venv/bin/python fuzz/atheris_targets.py image -runs=200000          # a long run
    .venv/bin/python fuzz/atheris_targets.py image -max_total_time=3600 fuzz/corpus-image

Each target hands the fuzzer's bytes to one parser. A result or the app's own
user error is a pass; any other exception is a finding: atheris prints the
traceback and writes the input to crash-<sha1> in the current folder. CI
runs every target for a bounded number of inputs (tests/security/test_atheris.py).
"""

import io
import json
import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

with atheris.instrument_imports(include=["dearjohn", "PIL"]):
    import django

    django.setup()
    from dearjohn.evidence import intake, zones
    from dearjohn.evidence.api import _camera_reads
    from dearjohn.evidence.errors import EvidenceError
    from dearjohn.letters.address import normalise
    from dearjohn.letters.errors import LetterError
    from dearjohn.letters.references import clean_reference
    from dearjohn.plates.errors import PlateReadingError
    from dearjohn.plates.images import load_image


def image(data):
    """Intake's checks of an uploaded file (type by content, size, decoding, EXIF time and place)."""
    try:
        prepared = intake.prepare(io.BytesIO(data), filename="fuzz.bin")
    except EvidenceError:
        return
    prepared.discard()


def plate_image(data):
    """The plate engine's loader (formats, EXIF orientation, bomb and truncation guards)."""
    try:
        load_image(data, max_side=512)
    except PlateReadingError:
        pass


def camera_reads(data):
    """The plate reads a camera may send with its photo (JSON text)."""
    try:
        _camera_reads(data.decode("utf-8", "replace"))
    except EvidenceError:
        pass


def zone_boundary(data):
    """A zone's GeoJSON geometry and its active hours, as the zone import reads them."""
    try:
        document = json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return
    try:
        if isinstance(document, dict):
            zones.clean_boundary(document.get("geometry", document))
            zones.clean_hours(document.get("active_hours", {}))
        else:
            zones.clean_boundary(document)
    except EvidenceError:
        pass


def address(data):
    """A registry address on its way onto an envelope (six fields split by newlines)."""
    parts = (data.decode("utf-8", "replace").split("\n") + [""] * 6)[:6]
    try:
        normalise(*parts)
    except LetterError:
        pass


def reference(data):
    """What a person types (or a scanner sends) as a letter's reference code."""
    cleaned = clean_reference(data.decode("utf-8", "replace"))
    assert cleaned is None or (len(cleaned) == 17 and cleaned.count("-") == 2)


TARGETS = {f.__name__: f for f in (image, plate_image, camera_reads, zone_boundary, address, reference)}


def _photo(fmt, **options):
    from PIL import Image

    picture = Image.new("RGB", (32, 24), (150, 40, 40))
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = 6  # rotated, as phones write it
        exif.get_ifd(0x8769)[0x9003] = "2026:11:20 22:15:00"
        exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 45.0, 30.0), 3: "W", 4: (122.0, 25.0, 10.0)})
        options["exif"] = exif
    picture.save(out, fmt, **options)
    return out.getvalue()


def seeds(name):
    """Small valid inputs the project makes itself: mutating a real shape reaches deeper than empty bytes."""
    if name in ("image", "plate_image"):
        return [_photo("JPEG"), _photo("PNG"), _photo("WEBP"), _photo("BMP"), _photo("TIFF"), _photo("GIF"),
                b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2mp41"]
    if name == "zone_boundary":
        square = [[[-122.42, 37.75], [-122.41, 37.75], [-122.41, 37.76], [-122.42, 37.75]]]
        return [json.dumps({"geometry": {"type": "Polygon", "coordinates": square},
                            "active_hours": {"fri": [["20:00", "04:00"]]}}).encode()]
    if name == "camera_reads":
        return [b'[{"text": "7ABC123", "confidence": 0.91}]']
    if name == "address":
        return [b"Casey Brightwater\n1200 Marigold Ct\nApt 4\nOakland\nCA\n94612"]
    return [b"22222-33333-44444"]


def main(argv):
    if len(argv) < 2 or argv[1] in ("--list", "-h", "--help") or argv[1] not in TARGETS:
        for name, target in TARGETS.items():
            print(f"{name:<14} {target.__doc__}")
        return 0 if len(argv) > 1 and argv[1] in ("--list", "-h", "--help") else 2
    name, args = argv[1], argv[2:]
    if not any(not arg.startswith("-") for arg in args):  # no corpus folder given: start from our own seeds
        import tempfile

        corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
        for n, seed in enumerate(seeds(name)):
            (corpus / f"seed-{n}").write_bytes(seed)
        args = [*args, str(corpus)]
    atheris.Setup([argv[0], *args], TARGETS[name])
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
