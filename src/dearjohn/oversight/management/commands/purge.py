from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dearjohn.oversight.retention import purge
from dearjohn.oversight.tasks import schedule_daily_purge


class Command(BaseCommand):
    help = "Destroy records and evidence files past their retention period; log the counts to the audit log."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say what would be destroyed; change nothing")
        parser.add_argument("--now", help="purge as if it were this date and time (ISO 8601), to check a plan")
        parser.add_argument("--schedule", action="store_true", help="also make sure the worker runs the purge daily")

    def handle(self, *args, dry_run=False, now=None, schedule=False, **options):
        when = None
        if now:
            try:
                when = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now {now!r} is not a date and time like 2027-01-31T03:30") from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        result = purge(now=when, dry_run=dry_run)
        verb = "would destroy" if dry_run else "destroyed"
        counts = {kind: n for kind, n in sorted(result.counts.items()) if n}
        self.stdout.write(f"Retention purge {verb}: " + (", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"))
        for blocked in result.blocked:
            self.stderr.write(f"kept {blocked['kind']}: still referenced by {', '.join(blocked['protected_by']) or 'another record'}")
        if schedule:
            self.stdout.write(f"Next daily purge: {timezone.localtime(schedule_daily_purge()):%Y-%m-%d %H:%M %Z}")
        if result.blocked:
            raise CommandError("some expired records could not be destroyed; see above")
