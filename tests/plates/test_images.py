"""Image loading: formats, EXIF orientation, size limits, bad input."""

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from dearjohn.plates import PlateReadingError
from dearjohn.plates.images import load_image, upright, upright_rgb


def _picture(w=64, h=32):
    img = Image.new("RGB", (w, h), "white")
    img.paste(Image.new("RGB", (w // 2, h), "black"), (0, 0))  # left half black
    return img


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "TIFF"])
def test_it_loads_common_formats(tmp_path, fmt):
    path = tmp_path / f"p.{fmt.lower()}"
    _picture().save(path, fmt)
    loaded = load_image(path)
    assert loaded.bgr.shape == (32, 64, 3)


def test_it_loads_heic(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    path = tmp_path / "p.heic"
    try:
        pillow_heif.from_pillow(_picture()).save(path, quality=90)
    except Exception as exc:  # encoder not built into this pillow-heif
        pytest.skip(f"pillow-heif cannot write HEIC here: {exc}")
    assert load_image(path).bgr.shape == (32, 64, 3)


def test_it_applies_exif_orientation(tmp_path):
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    _picture().save(path, "JPEG", exif=exif)
    loaded = load_image(path)
    assert loaded.bgr.shape[:2] == (64, 32)  # upright: taller than wide
    assert loaded.original_size == (32, 64)
    top, bottom = loaded.bgr[2].mean(), loaded.bgr[-3].mean()
    assert top < 60 and bottom > 200  # the black half is now on top


def test_upright_turns_a_picture_once():
    """Callers turn a photo and the redaction gate turns it again: the second turn must do nothing."""
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    _picture().save(buf, "JPEG", exif=exif)
    once = upright(Image.open(buf))
    twice = upright(once)
    assert once.size == twice.size == (32, 64)
    assert np.array_equal(np.asarray(once), np.asarray(twice))


def test_upright_rgb_gives_8_bit_rgb_of_any_picture():
    ramp = _grey_ramp()
    assert np.array_equal(np.asarray(upright_rgb(Image.fromarray(ramp.astype(np.uint16) * 257)))[:, :, 1], ramp)
    transparent = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    assert np.asarray(upright_rgb(transparent)).min() == 255  # laid on white


def test_it_accepts_bytes_pil_and_arrays():
    buf = io.BytesIO()
    _picture().save(buf, "PNG")
    assert load_image(buf.getvalue()).bgr.shape == (32, 64, 3)
    assert load_image(_picture()).bgr.shape == (32, 64, 3)
    assert load_image(np.zeros((32, 64, 3), np.uint8)).bgr.shape == (32, 64, 3)


def _grey_ramp():
    """Every grey level from black to white, left to right."""
    return np.tile(np.arange(256, dtype=np.uint8), (16, 1))


def test_it_keeps_the_range_of_16_bit_grey_pictures(tmp_path):
    """Pillow clips 16-bit grey at 255: without scaling, the picture came out white and read nothing."""
    grey = _grey_ramp()
    path = tmp_path / "p16.png"
    Image.fromarray(grey.astype(np.uint16) * 257).save(path)
    assert Image.open(path).mode.startswith("I")
    loaded = load_image(path)
    assert np.array_equal(loaded.bgr[:, :, 0], grey)


@pytest.mark.parametrize("pixels", [
    lambda grey: grey.astype(np.uint16) * 257,  # 16-bit
    lambda grey: grey.astype(np.float32) / 255,  # 0-1 floats: stretched
    lambda grey: grey.astype(np.int32) - 1000,  # offset integers: stretched
])
def test_it_scales_arrays_of_more_than_eight_bits(pixels):
    grey = _grey_ramp()
    loaded = load_image(np.dstack([pixels(grey)] * 3))
    assert loaded.bgr.dtype == np.uint8
    assert np.abs(loaded.bgr[:, :, 0].astype(int) - grey).max() <= 1


def test_an_array_without_finite_pixels_loads_black():
    assert load_image(np.full((16, 16, 3), np.nan, np.float32)).bgr.max() == 0


def test_it_downscales_large_images_and_keeps_the_scale(tmp_path):
    path = tmp_path / "big.png"
    Image.new("RGB", (6000, 3000), "grey").save(path)
    loaded = load_image(path, max_side=1000)
    assert max(loaded.bgr.shape[:2]) == 1000
    assert loaded.scale == pytest.approx(6.0)


def test_it_turns_decompression_bombs_into_a_clear_error(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(path)  # 400 megapixels, tiny file
    with pytest.raises(PlateReadingError, match="too large"):
        load_image(path)


LOAD_AND_MEASURE = """
import resource, sys
from dearjohn.plates.images import load_image
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
loaded = load_image(sys.argv[1])
print(loaded.bgr.shape[1], loaded.bgr.shape[0], (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.parametrize("mode, fmt", [("P", "GIF"), ("P", "PNG"), ("1", "PNG"), ("RGBA", "PNG"), ("LA", "PNG")])
def test_a_100_megapixel_picture_in_a_small_file_loads_in_bounded_memory(tmp_path, mode, fmt):
    """Made RGB at full size and laid on white, a 135-megapixel GIF of 86 bytes took 2 GB."""
    path = tmp_path / f"huge.{fmt.lower()}"
    Image.new(mode, (12_000, 8_400)).save(path)  # 100.8 megapixels
    assert path.stat().st_size < 2_000_000
    run = subprocess.run([sys.executable, "-c", LOAD_AND_MEASURE, str(path)], capture_output=True, text=True, timeout=120, check=True)
    width, height, grown_mb = map(int, run.stdout.split())
    assert (width, height) == (4096, 2867)
    bytes_per_pixel = {"P": 1, "1": 1, "RGBA": 4, "LA": 4}[mode]  # as Pillow holds the decoded picture
    # the decoded picture and smaller copies (the allocator's peak varies by a few hundred MB);
    # converted at full size, the palette pictures took 1.6 GB more and the RGBA one 1.9 GB
    assert grown_mb < 100 * bytes_per_pixel + 600


def test_it_rejects_a_zero_byte_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(PlateReadingError, match="empty"):
        load_image(path)


def test_it_rejects_a_text_file_named_jpg(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("this is not a picture\n")
    with pytest.raises(PlateReadingError, match="not an image"):
        load_image(path)


@pytest.mark.parametrize("process_wide_leniency", [False, True], ids=["default", "after-a-library-relaxed-pillow"])
def test_it_rejects_a_truncated_jpeg(tmp_path, monkeypatch, process_wide_leniency):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", process_wide_leniency)
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buf, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    with pytest.raises(PlateReadingError, match="damaged or truncated"):
        load_image(path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is process_wide_leniency


def test_it_rejects_a_missing_file(tmp_path):
    with pytest.raises(PlateReadingError, match="not found"):
        load_image(tmp_path / "nope.jpg")


def test_it_rejects_corrupt_bytes():
    with pytest.raises(PlateReadingError):
        load_image(b"\xff\xd8\xff\xe0garbage")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_turns_each_orientation_as_pillow_does(orientation):
    from PIL import ImageOps

    from dearjohn.plates.images import upright

    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = orientation
    _picture(48, 20).save(buf, "PNG", exif=exif)
    with Image.open(io.BytesIO(buf.getvalue())) as ours, Image.open(io.BytesIO(buf.getvalue())) as theirs:
        assert np.array_equal(np.asarray(upright(ours).convert("RGB")), np.asarray(ImageOps.exif_transpose(theirs).convert("RGB")))


def test_a_malformed_exif_block_does_not_stop_the_picture_from_loading():
    """Found by fuzzing (fuzz/atheris_targets.py plate_image): Pillow's exif_transpose raised TypeError on it."""
    from pathlib import Path

    data = (Path(__file__).parent / "data" / "exif-malformed-ifd.jpg").read_bytes()
    assert load_image(data).bgr.shape[2] == 3
