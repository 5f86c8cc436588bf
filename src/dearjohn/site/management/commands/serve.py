import os
import socket
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def ensure_port_free(host, port):
    """Fail early with a plain message instead of a server's stack trace."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise CommandError(f"{host}:{port} is already in use (is another Dear John running?); stop it or choose another --port.") from None


def serve(host, port, workers):
    """Replace this process with gunicorn serving Dear John."""
    ensure_port_free(host, port)
    args = [
        sys.executable, "-m", "gunicorn", "dearjohn.site.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", "4",
        "--access-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("DEARJOHN_PROXY_IPS", "127.0.0.1"),
    ]
    sys.stdout.flush()
    os.execv(sys.executable, args)


class Command(BaseCommand):
    help = "Serve Dear John with gunicorn (the production web server); static files through whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.DEARJOHN.get("WEB_WORKERS", 2))

    def handle(self, host, port, workers, **options):
        serve(host, port, workers)
