from django.core.management.base import BaseCommand, CommandError

from dearjohn.oversight.annual import annual_report, write
from dearjohn.oversight.audit import record
from dearjohn.oversight.errors import OversightError


class Command(BaseCommand):
    help = "Write a report; `report annual --year YYYY --out DIR` writes the 19B annual surveillance report (PDF and CSVs)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")

    def handle(self, *args, kind, year, out, **options):
        try:
            report = annual_report(year)
            paths = write(report, out)
        except (OversightError, OSError) as e:
            raise CommandError(str(e)) from None
        record("report.annual", year=year, files=[p.name for p in paths])
        for path in paths:
            self.stdout.write(str(path))
