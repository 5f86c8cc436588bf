"""`dearjohn zones import FILE.geojson` / `dearjohn zones export [FILE]`: zones for GIS tools."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dearjohn.evidence import zones
from dearjohn.evidence.errors import EvidenceError
from dearjohn.oversight.audit import record


class Command(BaseCommand):
    help = "Import zones from a GeoJSON FeatureCollection (matched by name) or export them all."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import", help="create or update zones from FILE").add_argument("file")
        sub.add_parser("export", help="write every zone to FILE (default: standard output)").add_argument("file", nargs="?")

    def handle(self, action, file=None, **options):
        if action == "import":
            try:
                created, updated = zones.import_geojson(Path(file).read_bytes())
            except OSError as e:
                raise CommandError(f"cannot read {file}: {e.strerror}") from None
            except EvidenceError as e:
                raise CommandError(f"nothing imported: {e}") from None
            record("zone.imported", created=created, updated=updated, filename=Path(file).name)
            self.stdout.write(f"Zones imported: {created} new, {updated} updated.")
        else:
            text = json.dumps(zones.export_geojson(), indent=2) + "\n"
            if file:
                Path(file).write_text(text)
            else:
                sys.stdout.write(text)
