from django.core.management.base import BaseCommand, CommandError

from dearjohn.oversight.backup import backup
from dearjohn.oversight.errors import OversightError


class Command(BaseCommand):
    help = "Write the database, the evidence store and the data dir's files, with a manifest of SHA-256 hashes, to one tar file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup to write, e.g. dearjohn-2027-01-31.tar.gz")

    def handle(self, *args, file, **options):
        try:
            manifest = backup(file)
        except (OversightError, OSError) as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"Backed up {sum(manifest['records'].values())} records and {len(manifest['files']) - 1} files to {file}")
