"""Background job: recompute the stored insights figures (see figures.py)."""

from django_tasks import task


@task()
def refresh_figures():
    from . import figures

    return figures.refresh_all()
