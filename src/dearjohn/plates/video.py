"""Reading plates in a video: sample frames, follow each plate, vote.

Frames are sampled at `fps` (default 5 per second). A read joins the track
whose last box overlaps it (IoU) or whose voted text matches it, within
`max_gap_s`; otherwise it starts a new track. Each track becomes one
`VideoPlateRead`: the text with the highest summed confidence over the
track's frames, its mean confidence, the first/last time it was seen and
the frame where it was read best.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from .errors import PlateReadingError
from .formats import plate_key
from .images import LoadedImage, still_image_type
from .results import Candidate, PlateRead, VideoPlateRead

VIDEO_EXTENSIONS = {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts", ".mts", ".3gp"}


def is_video_path(path) -> bool:
    """True for a video: by extension, or by the container's magic bytes for other names."""
    p = Path(path)
    if p.suffix.lower() in VIDEO_EXTENSIONS:
        return True
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if head[4:8] == b"ftyp":  # ISO media: video unless it is a HEIF/AVIF still image
        return still_image_type(head) is None
    return (head[:4] == b"RIFF" and head[8:12] == b"AVI ") or head[:4] == b"\x1aE\xdf\xa3"


@dataclass
class _Track:
    reads: list[tuple[int, float, PlateRead]] = field(default_factory=list)  # (frame, seconds, read)

    @property
    def last(self) -> tuple[int, float, PlateRead]:
        return self.reads[-1]

    def votes(self) -> dict[str, float]:
        score: dict[str, float] = defaultdict(float)
        for _, _, read in self.reads:
            seen = set()
            for c in read.candidates or (Candidate(read.text, read.confidence),):
                key = plate_key(c.text)
                if key not in seen:
                    seen.add(key)
                    score[key] += c.confidence
        return score


def read_video(
    reader,
    path,
    fps: float = 5.0,
    max_gap_s: float = 1.5,
    min_iou: float = 0.05,
    max_frames: int | None = None,
    detection_sides: tuple[int, ...] | None = None,
    second_looks: int = 1,
    min_single_frame_confidence: float = 0.5,
) -> list[VideoPlateRead]:
    """Read the plates in a video file; one result per vehicle pass, in order of appearance.

    By default each frame gets one cheaper detection pass
    (`reader.video_detection_sides`) and one magnified second look: a plate is seen in several frames,
    so a frame where it is missed costs little, and the video keeps up with
    real time. A pass seen in a single sampled frame is kept only when read
    with at least `min_single_frame_confidence` (sporadic reads of other
    writing are dropped).
    """
    frame_reader = copy.copy(reader)
    frame_reader.detector = reader.video_detector
    frame_reader.detection_sides = tuple(detection_sides or reader.video_detection_sides)
    frame_reader.survey_side = 0
    frame_reader.second_looks = min(reader.second_looks, second_looks)
    path = Path(path)
    if not path.exists():
        raise PlateReadingError(f"file not found: {path}")
    if path.stat().st_size == 0:
        raise PlateReadingError(f"the file is empty (0 bytes): {path.name}")
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise PlateReadingError(f"{path.name}: not a video this reader can open")
    try:
        native = cap.get(cv2.CAP_PROP_FPS) or 0.0
        if not (0 < native < 1000):
            native = 25.0
        step = max(1, int(round(native / fps))) if fps > 0 else 1
        tracks: list[_Track] = []
        index = -1
        decoded = 0
        while True:
            ok = cap.grab()
            if not ok:
                break
            index += 1
            if index % step:
                continue
            ok, frame = cap.retrieve()
            if not ok or frame is None:
                continue
            decoded += 1
            t = index / native
            for read in frame_reader.read_loaded(LoadedImage(frame, 1.0, (frame.shape[1], frame.shape[0]))):
                _assign(tracks, index, t, read, max_gap_s, min_iou)
            if max_frames and decoded >= max_frames:
                break
        if decoded == 0:
            raise PlateReadingError(f"{path.name}: no frames could be decoded")
    finally:
        cap.release()
    results = [_vote(track, reader.top_n) for track in tracks]
    results = [r for r in results if r.frames > 1 or r.confidence >= min_single_frame_confidence]
    return sorted(results, key=lambda r: (r.first_s, -r.confidence))


def _assign(tracks: list[_Track], index: int, t: float, read: PlateRead, max_gap_s: float, min_iou: float) -> None:
    key = plate_key(read.text)
    best, best_score = None, 0.0
    for track in tracks:
        _, last_t, last = track.last
        if t - last_t > max_gap_s or last_t == t:
            continue
        score = last.box.iou(read.box)
        if plate_key(last.text) == key:
            score += 1.0
        if score > best_score and (score >= 1.0 or score >= min_iou):
            best, best_score = track, score
    if best is None:
        best = _Track()
        tracks.append(best)
    best.reads.append((index, t, read))


def _vote(track: _Track, top_n: int) -> VideoPlateRead:
    votes = track.votes()
    n = len(track.reads)
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    key, total = ranked[0]
    # the frame where the winning text was read with the highest confidence
    best = max(track.reads, key=lambda r: next((c.confidence for c in r[2].candidates if plate_key(c.text) == key), r[2].confidence if plate_key(r[2].text) == key else 0.0))
    text = next((c.text for c in best[2].candidates if plate_key(c.text) == key), best[2].text)
    return VideoPlateRead(
        text=text,
        confidence=min(1.0, total / n),
        box=best[2].box,
        first_s=track.reads[0][1],
        last_s=track.reads[-1][1],
        best_frame=best[0],
        best_s=best[1],
        frames=n,
        state=_most_named_state(track),
        candidates=tuple(Candidate(next((c.text for _, _, r in track.reads for c in r.candidates if plate_key(c.text) == k), k), min(1.0, v / n)) for k, v in ranked[:top_n]),
    )


def _most_named_state(track: _Track) -> str | None:
    """The state named in most of the pass's frames (frames that name none do not vote); None on a tie.

    A state that decides whose registry is searched is not picked by a coin
    flip between two that are named equally often.
    """
    counts = Counter(read.state for _, _, read in track.reads if read.state).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]
