from django.core.management import call_command
from django.core.management.base import BaseCommand

from dearjohn.site import demo
from dearjohn.site.management.commands.serve import ensure_port_free, serve


class Command(BaseCommand):
    help = "Create the database, load the fictitious demo program, and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the demo data and exit.")

    def handle(self, port, no_serve, **options):
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
            self.stdout.write(f"Serving on http://127.0.0.1:{port}/  (Ctrl+C to stop)")
            serve("127.0.0.1", port, workers=2)
