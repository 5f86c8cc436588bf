from django.core.management.base import BaseCommand, CommandError

from dearjohn.accounts.demo import demo_device
from dearjohn.accounts.mfa import current_code


class Command(BaseCommand):
    help = "Print the current one-time code of a demo user's authenticator (demo users only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        device = demo_device(username)
        if device is None:
            raise CommandError(f"{username} has no demo authenticator; this command works only for the users `dearjohn demo` creates.")
        self.stdout.write(current_code(device))
