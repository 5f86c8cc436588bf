from django.core.management.base import BaseCommand, CommandError

from dearjohn.oversight.audit import record
from dearjohn.vehicles.models import VehiclesError
from dearjohn.vehicles.registry import import_csv


class Command(BaseCommand):
    help = "Manage the local vehicle registry: dearjohn registry import FILE.csv"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="upsert a DMV extract (CSV, columns in the README); all rows or none")
        load.add_argument("file", metavar="FILE.csv")

    def handle(self, *args, action, file, **options):
        try:
            report = import_csv(file)
        except VehiclesError as e:
            raise CommandError(str(e)) from None
        if not report.ok:
            for _, message in report.errors:
                self.stderr.write(message)
            raise CommandError(f"{file}: {len(report.errors)} bad row(s); nothing was imported. Fix them and run again.")
        record("registry.import", file=str(file), created=report.created, updated=report.updated)
        self.stdout.write(f"{file}: {report.created} new and {report.updated} updated registrations.")
