"""Letters bench: render N letters (with a vehicle photo each) into one print batch PDF.

Prints the time, letters per second and PDF size per letter. Targets: at least
20 letters/s and at most 150 KB per letter with an image on this machine.

    .venv/bin/python bench/letters.py [--letters 1000] [--out bench/out/letters.pdf]

Uses the shipped templates (all four languages in turn, first and repeat
notices) and project-rendered fictitious photos passed through the oversight
redaction, as a real batch would; the database is a throw-away SQLite file.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DEARJOHN_DATA_DIR", tempfile.mkdtemp(prefix="dearjohn-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearjohn.site.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def vehicle_photos(count, distinct=20):
    """`count` different fictitious vehicle photos, redacted and sized as a letter prints them.

    Redaction runs on `distinct` rendered street photos; each letter's copy is
    then marked differently so that no two letters share an image (a PDF
    stores identical images once, which would flatter the size per letter).
    """
    from PIL import Image, ImageDraw

    from dearjohn.oversight.redaction import redact_for_release
    from tests.factories import plate_photo

    bases = []
    for i in range(distinct):
        data, box = plate_photo(f"7BN{i:04d}", color=(40 + 30 * i % 200, 90, 120))
        released = redact_for_release(Image.open(io.BytesIO(data)), tuple(box))
        released.thumbnail((480, 480))
        bases.append(released)
    photos = []
    for n in range(count):
        image = bases[n % distinct].copy()
        ImageDraw.Draw(image).rectangle([4, 4, 4 + n % 97, 8 + n % 13], fill=(n % 251, 80, 160))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=70, optimize=True)
        photos.append(out.getvalue())
    return photos


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--out", default="bench/out/letters.pdf")
    parser.add_argument("--workers", type=int, default=None, help="layout processes (default: the setting)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dearjohn.letters import references, render
    from dearjohn.letters.models import LetterTemplate

    photos = vehicle_photos(args.letters)
    languages, kinds = ["en", "es", "zh", "fil"], ["first", "repeat"]
    templates = {(k, lang): LetterTemplate.current(k, lang).html for k in kinds for lang in languages}
    items = []
    for n in range(args.letters):
        kind, language = kinds[n % 2], languages[(n // 2) % 4]
        sample = render.sample(kind, language, reference=references.new_reference())
        data = render.LetterData(**{**sample.__dict__, "image_jpeg": photos[n],
                                    "recipient_lines": (f"OWNER NUMBER {n}", f"{100 + n} LARKSPUR LN", "OAKLAND CA 94612")})
        items.append((templates[(kind, language)], data))

    import resource

    def cpu():
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    pdf = render.render_pdf(items, title="Bench batch", workers=args.workers)
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"letters: {args.letters}  pages: {pages}  (one per letter: {pages == args.letters})")
    print(f"render time: {seconds:.1f} s  ->  {args.letters / seconds:.1f} letters/s  (target >= 20)")
    print(f"CPU time: {cpu_seconds:.1f} s  ->  {cpu_seconds / args.letters * 1000:.0f} ms per letter "
          f"(= {args.letters / cpu_seconds:.1f} letters/s per fully available core)")
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"PDF: {len(pdf) / 1e6:.1f} MB  ->  {len(pdf) / args.letters / 1024:.1f} KB per letter with an image (target <= 150)")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
