import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Read license plates in photos or videos: dearjohn read [--json] [--top N] PATH..."

    def run_from_argv(self, argv):
        from dearjohn.plates.cli import main

        sys.exit(main(argv[2:]))
