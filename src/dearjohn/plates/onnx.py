"""ONNX Runtime sessions: created lazily, once per model file and thread setting.

Sessions are cached per process so that every `PlateReader` in a process shares
them. Threads default to one so that two worker processes use two cores
instead of fighting over both.
"""

from __future__ import annotations

import threading
from pathlib import Path

import onnxruntime as ort

_sessions: dict[tuple[str, int], ort.InferenceSession] = {}
_lock = threading.Lock()

PROVIDERS = ["CPUExecutionProvider"]


def session_for(model_path: str | Path, intra_op_threads: int = 1) -> ort.InferenceSession:
    """Return the cached CPU inference session for a model file."""
    key = (str(model_path), int(intra_op_threads))
    with _lock:
        session = _sessions.get(key)
        if session is None:
            options = ort.SessionOptions()
            options.intra_op_num_threads = int(intra_op_threads)
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            session = ort.InferenceSession(str(model_path), sess_options=options, providers=PROVIDERS)
            _sessions[key] = session
        return session


def rapidocr_model(kind: str) -> Path:
    """Path of a PP-OCR ONNX file shipped inside the rapidocr wheel ("det" or "rec")."""
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    found = sorted(models.glob(f"PP-OCR*_{kind}_*.onnx")) or sorted(models.glob(f"*{kind}*.onnx"))
    if not found:
        raise FileNotFoundError(f"no PP-OCR {kind} model in {models}")
    return found[0]


def pp_ocr_model(name: str | Path, kind: str, quantized: Path) -> Path:
    """A PP-OCR model file by name: "float" (as shipped in rapidocr), "int8" (`quantized`, made here) or a path."""
    if name == "float":
        return rapidocr_model(kind)
    if name == "int8":
        return quantized
    return Path(name)
