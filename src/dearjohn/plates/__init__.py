"""Plate reading engine: find licence plates in photos and videos and read them.

Framework-free (no Django). The public surface:

    from dearjohn.plates import PlateReader, plate_key
    reader = PlateReader()
    for plate in reader.read("photo.jpg"):
        print(plate.text, plate.confidence, plate.box, plate.candidates)

`plate_key(text)` is the canonical form for matching and look-ups (letter O
read as digit 0). See docs/plates.md.
"""

from .detect import Detector, PlateDetector, PlateRegion
from .errors import PlateReadingError
from .formats import FormatPrior, plate_key
from .reader import PlateReader
from .recognize import CTCPlateRecognizer, Recognizer
from .results import Box, Candidate, PlateRead, VideoPlateRead

__all__ = [
    "Box",
    "CTCPlateRecognizer",
    "Candidate",
    "Detector",
    "FormatPrior",
    "PlateDetector",
    "PlateRead",
    "PlateReader",
    "PlateReadingError",
    "PlateRegion",
    "Recognizer",
    "VideoPlateRead",
    "plate_key",
]
