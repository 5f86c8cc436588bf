"""`dearjohn read [--json] [--top N] PATH...`: read plates in images and videos.

With --json, one JSON object per input per line; an input that cannot be
read gives {"source": ..., "error": ...}, the run goes on, and the exit code
is 1 at the end. Without --json, a table for people.

A folder stands for the photos and videos in it (by extension, in name
order, not its subfolders): a data set's folder also holds its label files,
which are not inputs.

`--jobs N` reads with N processes, one core each; the output keeps the
inputs' order. When the output goes to a file or a pipe and the terminal
is still watching (stderr is a terminal), a progress line there counts
the inputs read and guesses the time left.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import PlateReadingError
from .images import IMAGE_EXTENSIONS
from .reader import DETECTION_PASSES


def build_parser(prog: str = "dearjohn read") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Read licence plates in photos and videos.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image or video files, or folders of them")
    parser.add_argument("--json", action="store_true", help="print one JSON object per input per line")
    parser.add_argument("--top", type=int, default=5, metavar="N", help="candidate readings per plate (default 5)")
    parser.add_argument("--fps", type=float, default=5.0, help="frames per second sampled from videos (default 5)")
    parser.add_argument("--min-confidence", type=float, default=0.05, help="hide reads below this confidence")
    parser.add_argument("--passes", choices=tuple(DETECTION_PASSES), default="standard",
                        help="detection passes for photos: standard (default); quick, faster and a little less "
                             "accurate; thorough, slower (docs/plates.md)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads per model (default 1)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="read with N processes, one core each (default 1); the output keeps the inputs' order")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    reader_options = {
        "passes": args.passes,
        "top_n": max(1, args.top),
        "min_confidence": args.min_confidence,
        "intra_op_threads": max(1, args.threads),
    }
    try:
        failures = _read_all(reader_options, args)
    except BrokenPipeError:
        # the reader of our output went away (`dearjohn read --json ... | head -1`):
        # stop quietly, like other Unix tools, instead of a traceback per write
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:  # Ctrl-C: the lines printed so far stand; the rest were not read
        print("\ninterrupted", file=sys.stderr)
        return 130
    return 1 if failures else 0


def _read_all(reader_options: dict, args) -> int:
    """Read and print every input, in order; the number that could not be read."""
    inputs = [(path, problem, args.fps, args.top) for path, problem in _inputs(args.paths)]
    progress = Progress(len(inputs)) if _watched() else None
    failures = 0
    with _results_in_order(reader_options, inputs, max(1, args.jobs)) as results:
        for result in results:
            if "error" in result:
                failures += 1
                _emit_error(args.json, result["source"], result["error"])
            elif args.json:
                print(json.dumps(result), flush=True)
            else:
                _print_table(result["source"], result["plates"], result["ms"])
            if progress:
                progress.step(failed="error" in result)
    if progress:
        progress.done()
    return failures


@contextmanager
def _results_in_order(reader_options: dict, inputs: list, jobs: int):
    """The results of reading `inputs`, in their order: here, or in a pool of `jobs` processes (ended on leaving)."""
    jobs = min(jobs, len(inputs))
    if jobs <= 1:
        _start_reader(reader_options)
        yield map(_read_one, inputs)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(reader_options,)) as pool:
        yield pool.imap(_read_one, inputs)


_reader = None  # this process's PlateReader (one per worker process with --jobs)


def _start_reader(options: dict) -> None:
    global _reader
    from .reader import PlateReader

    _reader = PlateReader(**options)


def _start_worker(options: dict) -> None:
    """A pool process: Ctrl-C reaches the whole process group, and only the main process answers it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _start_reader(options)


def _read_one(item) -> dict:
    """One input's JSON object: its plates and time, or its error."""
    from .video import is_video_path

    path, problem, fps, top = item
    if problem:
        return {"source": str(path), "error": problem}
    start = time.perf_counter()
    try:
        if is_video_path(path):
            plates = [p.to_dict() for p in _reader.read_video(path, fps=fps)]
        else:
            plates = [p.to_dict() for p in _reader.read(path)]
    except PlateReadingError as exc:
        return {"source": str(path), "error": str(exc)}
    except Exception as exc:  # a bug or an unexpected library failure: report it, keep going
        return {"source": str(path), "error": f"could not read: {type(exc).__name__}: {exc}"}
    ms = round((time.perf_counter() - start) * 1000, 1)
    for p in plates:
        p["candidates"] = p["candidates"][: max(1, top)]
    return {"source": str(path), "plates": plates, "ms": ms}


def _watched() -> bool:
    """Whether a person watches the terminal while the output goes elsewhere (a file, a pipe)."""
    return sys.stderr.isatty() and not sys.stdout.isatty()


class Progress:
    """A line on stderr, rewritten after each input: how many are read, how many failed, the time left."""

    def __init__(self, total: int, stream=None):
        self.total, self.read, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()

    def step(self, failed: bool = False) -> None:
        self.read += 1
        self.failed += failed
        elapsed = time.monotonic() - self.started
        left = elapsed / self.read * (self.total - self.read)
        errors = f", {self.failed} could not be read" if self.failed else ""
        self.stream.write(f"\r{self.read}/{self.total} read{errors} · {elapsed:.0f} s, about {left:.0f} s left  ")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _inputs(paths):
    """(path, None) for each input, a folder replaced by its photos and videos; (folder, problem) for an empty one."""
    from .video import VIDEO_EXTENSIONS

    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            yield path, None
            continue
        try:
            files = sorted(str(p) for p in folder.iterdir()
                           if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS | VIDEO_EXTENSIONS)
        except OSError as exc:
            yield path, f"cannot list this folder ({exc.strerror or exc}): {path}"
            continue
        if not files:
            yield path, f"no photos or videos in this folder: {path}"
        yield from ((f, None) for f in files)


def _emit_error(as_json: bool, path: str, message: str) -> None:
    if as_json:
        print(json.dumps({"source": str(path), "error": message}), flush=True)
    else:
        print(f"{path}: error: {message}", file=sys.stderr, flush=True)


def _print_table(path: str, plates: list[dict], ms: float) -> None:
    print(f"{path}  ({ms:.0f} ms)")
    if not plates:
        print("  no plate found")
        return
    print(f"  {'plate':<10} {'conf':>5}  {'state':<5} {'box (x,y,w,h)':<22} {'seen (s)':<13} alternatives")
    for p in plates:
        seen = f"{p['first_s']:.1f}-{p['last_s']:.1f}" if "first_s" in p else ""
        alts = ", ".join(f"{c['text']} {c['confidence']:.2f}" for c in p["candidates"][1:4])
        box = ",".join(str(v) for v in p["box"])
        print(f"  {p['text']:<10} {p['confidence']:>5.2f}  {p['state'] or '-':<5} {box:<22} {seen:<13} {alts}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
