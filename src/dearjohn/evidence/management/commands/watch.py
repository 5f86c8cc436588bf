from django.core.management.base import BaseCommand, CommandError

from dearjohn.evidence.models import Camera
from dearjohn.evidence.watch import watch


class Command(BaseCommand):
    help = ("Follow live camera streams (RTSP or HTTP MJPEG) and keep frames with a plate as captures: "
            "dearjohn watch --camera NAME URL [--camera NAME URL ...]")

    def add_arguments(self, parser):
        parser.add_argument("--camera", nargs=2, action="append", required=True, metavar=("NAME", "URL"),
                            help="a camera's name and its stream URL; repeat for several cameras")
        parser.add_argument("--every", type=float, default=0.5, help="seconds between frames read for plates (default 0.5)")
        parser.add_argument("--min-gap", type=float, default=10.0, help="seconds before the same plate is kept again (default 10)")
        parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds (default: run until Ctrl+C)")
        parser.add_argument("--report-every", type=float, default=30.0, help="seconds between health lines (default 30)")

    def handle(self, camera, every, min_gap, duration, report_every, **options):
        known = set(Camera.objects.values_list("name", flat=True))
        for name, _ in camera:
            if name not in known:
                raise CommandError(f"No camera named {name!r}; cameras: {', '.join(sorted(known)) or 'none yet'}.")
        watch(camera, duration=duration, report_every=report_every, every=every, min_gap=min_gap,
              report=self.stdout.write)
