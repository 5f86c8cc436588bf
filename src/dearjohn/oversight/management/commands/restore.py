from django.core.management.base import BaseCommand, CommandError

from dearjohn.oversight.backup import restore
from dearjohn.oversight.errors import OversightError


class Command(BaseCommand):
    help = "Restore a backup onto an empty data dir and a new database, checking every file's hash and every model's record count."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            manifest, counts = restore(file)
        except (OversightError, OSError) as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"Restored {sum(manifest['records'].values())} records and {len(manifest['files']) - 1} files "
                          f"from the backup of {manifest['created_at']}; hashes and counts verified.")
