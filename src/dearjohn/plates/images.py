"""Turning whatever a caller hands us into an upright BGR array of bounded size.

Accepts a path, bytes, a PIL image or a numpy BGR array. JPEG, PNG, WebP,
HEIC/HEIF (via pillow-heif), AVIF, BMP, TIFF; EXIF orientation is applied. Very large
images are decoded reduced (JPEG draft mode) and downscaled to `max_side`, and
the scale back to original pixels is kept so boxes are reported in the
original image's (upright) coordinates.
"""

from __future__ import annotations

import io
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from .errors import PlateReadingError

try:  # HEIC/HEIF support is optional at import time; pillow-heif is a declared dependency
    from pillow_heif import register_heif_opener

    register_heif_opener()
except Exception:  # pragma: no cover
    pass

# A 200-megapixel photo is plausible; beyond that, treat the file as a decompression bomb.
MAX_IMAGE_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# Names of the photo files load_image reads, for picking them out of a folder.
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".heic", ".heif", ".avif", ".bmp", ".tif", ".tiff", ".gif"}

# The brands of ISO media files ("ftyp" boxes) that hold a still photo, by
# content type; every other brand is a video (MP4, MOV, 3GP).
STILL_IMAGE_BRANDS = {
    "image/heic": {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"},
    "image/avif": {b"avif", b"avis"},
}


def still_image_type(head: bytes) -> str | None:
    """The content type of an ISO media file holding a photo (phones' HEIC, AVIF), from its first 12 bytes.

    HEIC photos and MP4 videos share a container; only the brand tells a
    photo to decode from a clip to sample.
    """
    if head[4:8] != b"ftyp":
        return None
    return next((kind for kind, brands in STILL_IMAGE_BRANDS.items() if head[8:12] in brands), None)


@dataclass(frozen=True)
class LoadedImage:
    """An upright BGR image and the factor from its pixels to the original's."""

    bgr: np.ndarray
    scale: float = 1.0  # original pixels per loaded pixel
    original_size: tuple[int, int] = (0, 0)  # (width, height), upright


def load_image(source, max_side: int = 4096, max_pixels: int = MAX_IMAGE_PIXELS) -> LoadedImage:
    """Load `source` as an upright BGR array no larger than `max_side` on its long side.

    Raises PlateReadingError with a message for the user when the input
    cannot be read as an image.
    """
    if isinstance(source, np.ndarray):
        return _from_array(source, max_side)
    if isinstance(source, Image.Image):
        return _from_pil(source, max_side, max_pixels, name="image")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if not data:
            raise PlateReadingError("the image is empty (0 bytes)")
        return _open_and_convert(io.BytesIO(data), max_side, max_pixels, name="image data")
    path = Path(source)
    if not path.exists():
        raise PlateReadingError(f"file not found: {path}")
    if path.is_dir():
        raise PlateReadingError(f"is a folder, not an image: {path}")
    if path.stat().st_size == 0:
        raise PlateReadingError(f"the file is empty (0 bytes): {path.name}")
    return _open_and_convert(path, max_side, max_pixels, name=path.name)


_strict_lock = threading.Lock()


@contextmanager
def strict_decoding():
    """Make Pillow raise on a truncated file while one is decoded.

    Pillow's switch is a process-wide global, and some libraries (WeasyPrint)
    turn it on when imported, which would let a cut-off photo through as whole.
    """
    with _strict_lock:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _open_and_convert(fp, max_side: int, max_pixels: int, name: str) -> LoadedImage:
    try:
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(fp)
            w, h = img.size
            if w * h > max_pixels:
                raise PlateReadingError(f"{name}: image too large ({w}x{h} pixels; the limit is {max_pixels // 1_000_000} megapixels)")
            if img.format == "JPEG" and max(w, h) > max_side:
                img.draft("RGB", (max_side, max_side))  # decode reduced: bounded memory and time
            return _from_pil(img, max_side, max_pixels, name, original=(w, h))
    except PlateReadingError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PlateReadingError(f"{name}: image too large to decode safely ({exc})") from None
    except UnidentifiedImageError:
        raise PlateReadingError(f"{name}: not an image file this reader understands") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PlateReadingError(f"{name}: the image is damaged or truncated ({exc})") from None


_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def exif_orientation(img: Image.Image) -> int:
    """The EXIF orientation tag (1 = upright); 1 when it is missing or malformed."""
    try:
        value = img.getexif().get(0x0112, 1)
        return value if isinstance(value, int) and value in _TRANSPOSE else 1
    except Exception:  # a malformed EXIF block: treat the picture as upright
        return 1


def upright(img: Image.Image) -> Image.Image:
    """The picture turned the right way up by its EXIF orientation.

    Pillow's ImageOps.exif_transpose also re-writes the EXIF block, and that
    raises TypeError on some malformed blocks (found by fuzzing); only the
    pixels matter here, so this turns them and drops the metadata that says
    how to turn them. The turned copy would otherwise carry the orientation
    along, and a second `upright` (the redaction gate after a caller's own)
    would turn it again.
    """
    method = _TRANSPOSE.get(exif_orientation(img))
    if method is None:
        return img
    turned = img.transpose(method)
    for key in ("exif", "Raw profile type exif", "xmp", "XML:com.adobe.xmp"):
        turned.info.pop(key, None)
    return turned


def upright_rgb(img: Image.Image) -> Image.Image:
    """The picture the right way up as 8-bit RGB: what is shown, cropped, printed or redacted.

    Plate boxes are measured on this picture (the reader loads photos the
    same way), so anything drawn from a box must start from it.
    """
    return _eight_bit_picture(upright(img)).convert("RGB")


def _eight_bit_picture(img: Image.Image) -> Image.Image:
    """`img` as 8-bit grey or RGB, transparency laid on white."""
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        return Image.fromarray(eight_bit(np.asarray(img)), "L")
    if img.mode in ("RGB", "L"):
        return img
    if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def _from_pil(img: Image.Image, max_side: int, max_pixels: int, name: str, original: tuple[int, int] | None = None) -> LoadedImage:
    orig_w, orig_h = original or img.size
    if exif_orientation(img) in (5, 6, 7, 8):
        orig_w, orig_h = orig_h, orig_w
    img.load()  # forces decoding now: truncated files fail here
    img = _eight_bit_picture(upright(_shrunk_before_converting(img, max_side)))
    if max(img.size) > max_side:
        img = img.resize(_within(img.size, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    arr = np.asarray(img)
    bgr = cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR) if arr.ndim == 2 else cv2.cvtColor(arr, cv2.COLOR_RGB2BGR)
    if bgr.shape[0] < 8 or bgr.shape[1] < 8:
        raise PlateReadingError(f"{name}: image too small ({bgr.shape[1]}x{bgr.shape[0]} pixels)")
    return LoadedImage(bgr, orig_w / bgr.shape[1], (orig_w, orig_h))


def _shrunk_before_converting(img: Image.Image, max_side: int) -> Image.Image:
    """A palette, 1-bit or transparent picture shrunk towards `max_side` before it is turned into RGB.

    A GIF or PNG decodes to one byte per pixel or less and can hold 200
    megapixels in a few hundred bytes; made RGBA and laid on white at full
    size, a 135-megapixel GIF took 2 GB (found by fuzzing). Palette pixels
    can only be picked, not blended, so those are shrunk by picking the
    nearest. Transparent ones are averaged in whole blocks (`reduce`):
    Pillow's smooth resize would first copy them whole, premultiplied.
    """
    if max(img.size) <= max_side:
        return img
    if img.mode in ("RGBA", "LA"):
        factor = int(max(img.size) / max_side)
        return img.reduce(factor) if factor >= 2 else img
    if img.mode in ("P", "PA", "1"):
        return img.resize(_within(img.size, max_side), Image.Resampling.NEAREST)
    return img


def eight_bit(arr: np.ndarray) -> np.ndarray:
    """Pixels of more than eight bits as uint8, their whole range kept.

    Pillow turns 16- and 32-bit grey into 8 bits by clipping at 255, and so
    did the array path: a 16-bit PNG (a scanner's, an image editor's export)
    came out white and read no plate. Floats within 0-1 are taken as
    fractions of white, values within 0-65535 that go past 255 as 16-bit;
    any others are stretched from their minimum to their maximum.
    """
    if arr.dtype == np.uint8 or arr.size == 0:
        return arr.astype(np.uint8, copy=False)
    finite = np.isfinite(arr) if arr.dtype.kind == "f" else None
    lo = float(np.min(arr, where=finite, initial=np.inf)) if finite is not None else float(arr.min())
    hi = float(np.max(arr, where=finite, initial=-np.inf)) if finite is not None else float(arr.max())
    if not lo <= hi:  # nothing finite
        return np.zeros(arr.shape, np.uint8)
    if arr.dtype.kind == "f" and lo >= 0 and hi <= 1:
        offset, scale = 0.0, 255.0
    elif lo >= 0 and hi <= 255:
        offset, scale = 0.0, 1.0
    elif lo >= 0 and hi <= 65535:
        offset, scale = 0.0, 255 / 65535
    else:
        offset, scale = lo, 255 / (hi - lo)
    out = np.empty(arr.shape, np.uint8)
    for start in range(0, arr.shape[0], 256):  # in bands: a float copy of a whole 16-bit scan is gigabytes
        band = np.nan_to_num(arr[start:start + 256].astype(np.float32), posinf=hi, neginf=lo)
        out[start:start + 256] = np.clip((band - offset) * scale + 0.5, 0, 255)
    return out


def _within(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` scaled so its long side is `max_side`, at least one pixel each way."""
    ratio = max_side / max(size)
    return max(1, round(size[0] * ratio)), max(1, round(size[1] * ratio))


def _from_array(arr: np.ndarray, max_side: int) -> LoadedImage:
    arr = eight_bit(arr)
    if arr.ndim == 2:
        arr = cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.shape[0] < 8 or arr.shape[1] < 8:
        raise PlateReadingError(f"expected a BGR image array, got shape {arr.shape}")
    if arr.shape[2] == 4:
        arr = cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
    h, w = arr.shape[:2]
    if max(h, w) > max_side:
        ratio = max_side / max(h, w)
        arr = cv2.resize(arr, (round(w * ratio), round(h * ratio)), interpolation=cv2.INTER_AREA)
    return LoadedImage(np.ascontiguousarray(arr), w / arr.shape[1], (w, h))
