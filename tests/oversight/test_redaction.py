"""Redaction on street scenes the test renders: the target plate stays, everything else that identifies goes."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from dearjohn.oversight.redaction import RedactionError, redact_for_release, text_lines, vehicle_region

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def font(size):
    try:
        return ImageFont.truetype(BOLD, size)
    except OSError:
        return ImageFont.load_default(size)


def draw_plate(d, x, y, width, text):
    height = width // 2
    d.rectangle([x, y, x + width, y + height], fill=(240, 240, 234), outline=(30, 30, 60), width=2)
    f = font(int(height * 0.45))
    tw = d.textlength(text, font=f)
    d.text((x + (width - tw) / 2, y + height * 0.25), text, font=f, fill=(20, 20, 30))
    return (x, y, width, height)


def street_scene():
    """A red car seen from behind (10 px to the inch), its driver, a neighbour's plate, two signs.

    Returns the image and the boxes (x, y, w, h) of what the test checks.
    """
    img = Image.new("RGB", (1400, 860), (128, 130, 136))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 600, 1400, 860], fill=(72, 72, 74))
    # Target car: 66 in wide, roof 36 in above the plate, rear glass from 14 in above it.
    d.rectangle([310, 150, 970, 690], fill=(165, 32, 30))
    d.rectangle([360, 175, 920, 340], fill=(40, 48, 58))
    driver = (600, 200, 70, 90)
    d.ellipse([driver[0], driver[1], driver[0] + driver[2], driver[1] + driver[3]], fill=(205, 165, 135))
    d.ellipse([615, 230, 627, 242], fill=(30, 30, 30))
    d.ellipse([643, 230, 655, 242], fill=(30, 30, 30))
    target = draw_plate(d, 580, 480, 120, "7TST123")
    # The next car's plate, partly inside the crop.
    d.rectangle([990, 470, 1400, 700], fill=(30, 60, 150))
    second = draw_plate(d, 1000, 560, 110, "8XYZ789")
    # A shop sign behind the car, inside the crop.
    d.rectangle([130, 200, 300, 300], fill=(250, 250, 250))
    d.text((140, 210), "PAWN", font=font(36), fill=(200, 0, 0))
    d.text((140, 255), "LOANS", font=font(30), fill=(0, 0, 0))
    sign = (130, 200, 170, 100)
    # A street sign far from the car: cropped away.
    d.rectangle([1150, 40, 1390, 110], fill=(20, 110, 60))
    d.text((1160, 55), "CAPP ST", font=font(40), fill=(255, 255, 255))
    return img, {"target": target, "second": second, "sign": sign, "driver": driver}


@pytest.fixture(scope="module")
def scene():
    img, boxes = street_scene()
    return img, boxes, redact_for_release(img, boxes["target"])


def patches(before, after, box, region):
    """The same scene pixels before and after, `box` given in scene coordinates, clipped to the crop."""
    x, y, w, h = box
    left, top = max(x, region.left), max(y, region.top)
    right, bottom = min(x + w, region.right), min(y + h, region.bottom)
    assert right - left > 10 and bottom - top > 10, "box must lie in the kept region"
    a = np.asarray(before.convert("L"), np.float32)[top:bottom, left:right]
    b = np.asarray(after.convert("L"), np.float32)[top - region.top : bottom - region.top, left - region.left : right - region.left]
    return a, b


def test_it_crops_to_the_vehicle(scene):
    img, boxes, out = scene
    region = vehicle_region(img.size, boxes["target"])
    assert out.size == (region.width, region.height)
    assert out.size[0] < img.size[0] * 0.6
    x, y, w, h = boxes["target"]
    assert region.left < 310 + 40 and region.right > 970 - 40, "the car's full width is kept"
    assert region.top <= 175 and region.bottom >= y + h
    assert region.right < 1150, "the far street sign is cut away"


def test_it_keeps_the_target_plate_untouched(scene):
    img, boxes, out = scene
    region = vehicle_region(img.size, boxes["target"])
    before, after = patches(img, out, boxes["target"], region)
    assert np.array_equal(before, after)


def detail(gray):
    """Mean absolute Laplacian: the edges that make letters and features legible."""
    return float(np.abs(cv2.Laplacian(gray, cv2.CV_32F)).mean())


@pytest.mark.parametrize("what", ["second", "sign", "driver"])
def test_it_obscures_other_plates_text_and_people(scene, what):
    img, boxes, out = scene
    before, after = patches(img, out, boxes[what], vehicle_region(img.size, boxes["target"]))
    assert detail(after) < 0.25 * detail(before), f"{what}: detail left ({detail(before):.2f} -> {detail(after):.2f})"
    assert np.abs(before - after).mean() > 5, f"{what} barely changed"


def test_no_text_but_the_target_plate_is_left_to_find(scene):
    img, boxes, out = scene
    region = vehicle_region(img.size, boxes["target"])
    x, y, w, h = boxes["target"]
    px, py = x - region.left + w / 2, y - region.top + h / 2
    found = text_lines(np.asarray(out))
    for quad in found:
        (qx0, qy0), (qx1, qy1) = quad.min(axis=0), quad.max(axis=0)
        assert qx0 - w * 0.2 <= px <= qx1 + w * 0.2 and qy0 - h <= py <= qy1 + h, f"text left at {quad.tolist()}"
    assert found, "the target plate should still read as text"


def test_it_refuses_a_box_outside_the_image():
    img = Image.new("RGB", (200, 100))
    with pytest.raises(RedactionError):
        redact_for_release(img, (300, 10, 40, 20))
    with pytest.raises(RedactionError):
        redact_for_release(img, (10, 10, 0, 20))


def test_it_returns_rgb_without_metadata():
    img, boxes = street_scene()
    rgba = img.convert("RGBA")
    rgba.info["comment"] = b"camera 7, officer 42"
    out = redact_for_release(rgba, boxes["target"])
    assert out.mode == "RGB" and "comment" not in out.info


def test_a_photo_taken_on_its_side_is_redacted_as_the_reader_saw_it(scene, tmp_path):
    """Plate boxes are measured on the upright picture; the gate turns the stored pixels before cropping."""
    img, boxes, out = scene
    exif = Image.Exif()
    exif[0x0112] = 6  # the viewer turns it 90 degrees clockwise
    path = tmp_path / "sideways.png"
    img.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif)
    with Image.open(path) as sideways:
        assert sideways.size == (img.size[1], img.size[0])
        released = redact_for_release(sideways, boxes["target"])
    assert np.array_equal(np.asarray(released), np.asarray(out))
