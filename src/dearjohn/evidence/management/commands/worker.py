import threading

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from dearjohn.evidence import jobs


class Command(db_worker.Command):
    help = "Run background jobs (plate reading). --burst runs until the queue is empty, then exits."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--burst", action="store_true", help="Run until no job is waiting, then exit.")
        parser.set_defaults(worker_id=jobs.new_worker_id(), reload=False, startup_delay=False)

    def handle(self, *args, burst=False, **options):
        if burst:
            options["batch"] = True
        requeued = jobs.requeue_orphaned_jobs()
        if requeued:
            self.stderr.write(f"Put back {requeued} job(s) left running by a worker that stopped.")
        if not options["batch"]:
            # A long-running worker also keeps the retention purge on its daily schedule.
            from dearjohn.oversight.tasks import schedule_daily_purge

            self.stderr.write(f"Next retention purge: {schedule_daily_purge():%Y-%m-%d %H:%M %Z}.")
            # A new installation gets its insights figures before anyone opens a page.
            from dearjohn.insights.figures import queue_refresh
            from dearjohn.insights.models import Figure

            if not Figure.objects.exists():
                queue_refresh()
            threading.Thread(target=self._keep_requeueing, daemon=True).start()
        return super().handle(*args, **options)

    def _keep_requeueing(self, every_s=60):
        stop = threading.Event()
        while not stop.wait(every_s):
            try:
                jobs.requeue_orphaned_jobs()
            finally:
                close_old_connections()
