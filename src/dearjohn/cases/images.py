"""The pictures a reviewer judges a read by: the whole frame with the plate boxed, and a large crop.

Both come from the original in the evidence store, read through
`evidence.store.verified_path`, so a file that no longer matches its hash is
never shown as evidence. They are made on request and not kept: the original
is the record, these are views of it.
"""

import io

from PIL import Image, ImageDraw, ImageFilter

from dearjohn.evidence import store
from dearjohn.plates.images import upright_rgb
from dearjohn.evidence.models import Capture

WHOLE_MAX_WIDTH = 1280
CROP_MIN_WIDTH = 560
CROP_MARGIN = 0.15


def _frame(read):
    """The image (or video frame) the read was made on, upright, as RGB."""
    path = store.verified_path(read.capture)
    if read.capture.media_kind == Capture.MediaKind.VIDEO:
        import cv2

        video = cv2.VideoCapture(str(path))
        try:
            video.set(cv2.CAP_PROP_POS_MSEC, (read.frame_time_s or 0) * 1000)
            ok, frame = video.read()
        finally:
            video.release()
        if not ok:
            raise FileNotFoundError("the video frame of this read cannot be decoded")
        return Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    with Image.open(path) as im:
        return upright_rgb(im)


def _jpeg(image, quality=88):
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def whole_with_box(read):
    """JPEG of the whole frame, at most WHOLE_MAX_WIDTH wide, with the plate's box drawn."""
    image = _frame(read)
    x, y, w, h = (int(v) for v in read.box)
    scale = min(1.0, WHOLE_MAX_WIDTH / image.width)
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    draw = ImageDraw.Draw(image)
    line = max(3, image.width // 300)
    box = [x * scale - line, y * scale - line, (x + w) * scale + line, (y + h) * scale + line]
    draw.rectangle(box, outline=(255, 196, 0), width=line)
    return _jpeg(image)


def plate_crop(read):
    """JPEG of the plate, enlarged to at least CROP_MIN_WIDTH wide and lightly sharpened.

    Made from the original rather than the stored crop file, so what the
    reviewer confirms is what the verified original shows.
    """
    image = _frame(read)
    x, y, w, h = (int(v) for v in read.box)
    mx, my = int(w * CROP_MARGIN) + 4, int(h * CROP_MARGIN) + 4
    crop = image.crop((max(0, x - mx), max(0, y - my), min(image.width, x + w + mx), min(image.height, y + h + my)))
    if crop.width < CROP_MIN_WIDTH:
        factor = CROP_MIN_WIDTH / crop.width
        crop = crop.resize((CROP_MIN_WIDTH, max(1, round(crop.height * factor))), Image.LANCZOS)
        crop = crop.filter(ImageFilter.UnsharpMask(radius=2, percent=80, threshold=2))
    return _jpeg(crop, quality=92)
