import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dearjohn.site import demo
from dearjohn.site.management.commands.serve import ensure_port_free, serve


def _stop_with_parent():
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = "Create the database, load the fictitious demo program, and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the demo data and exit.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Serve without the background worker (uploads then wait to be read).")

    def handle(self, port, no_serve, no_worker=False, **options):
        if not no_serve:
            ensure_port_free("127.0.0.1", port)
        call_command("migrate", interactive=False, verbosity=0)
        users, said = demo.seed()
        for line in said:
            self.stdout.write(line)
        self.stdout.write("Demo data loaded. Every person, address and plate in it is fictitious.")
        self.stdout.write("Sign in as:")
        for username, password, role in users:
            self.stdout.write(f"  {role:<14} {username:<11} password: {password}")
        if not no_serve:
            if not no_worker:
                self._start_worker()
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/  (Ctrl+C to stop)")
            serve("127.0.0.1", port, workers=2)

    def _start_worker(self):
        """One background worker beside the web server, so uploads are read and figures refreshed as in production.

        It shares the terminal's process group, so Ctrl+C stops it with the server, and on Linux it is
        also told to stop when the server process ends some other way.
        """
        log = settings.DATA_DIR / "worker.log"
        with open(log, "ab") as out:
            worker = subprocess.Popen([sys.executable, "-m", "dearjohn", "worker"], stdout=out, stderr=out,
                                      stdin=subprocess.DEVNULL, preexec_fn=_stop_with_parent)
        self.stdout.write(f"Background worker running (pid {worker.pid}); its log: {log}")
